import type { Command } from 'commander';
import { loadConfig, ConfigError } from '../config/index.js';
import { createLogger } from '../observability/logger.js';
import { openStore } from '../store/open.js';
import { createHealer } from '../pipeline.js';
import { CliError, println, type Io } from './io.js';

/**
 * `healer reconcile [--dry-run]`: one reconciliation pass against the cluster and the store —
 * evaluate every cached object and active session once, resolve the incidents whose condition
 * cleared (closing their issues and notifying), or with `--dry-run` only list them.
 */
export async function reconcile(
  opts: { dryRun: boolean; json: boolean; config?: string; timeoutMs?: number },
  io: Io,
): Promise<number> {
  let config;
  try {
    config = loadConfig(opts.config ? { configPath: opts.config } : {});
  } catch (err) {
    if (err instanceof ConfigError) throw new CliError(err.message);
    throw err;
  }
  const logger = createLogger(config.env.LOG_LEVEL === 'info' ? 'warn' : config.env.LOG_LEVEL, {
    stderr: true,
  });
  const healer = await createHealer({ config, logger, store: await openStore(config.store) });
  try {
    await healer.load();
    const deadline = Date.now() + (opts.timeoutMs ?? 60_000);
    while (healer.hub && !healer.hub.readiness().ok) {
      if (Date.now() > deadline)
        throw new CliError(`the cluster did not answer: ${healer.hub.readiness().detail}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    // one pass: what is not observed now has cleared (no grace to wait out)
    const cleared = await healer.tick({ dryRun: opts.dryRun, resolveAfterMs: 0 });
    await healer.tracker.idle();
    await healer.decisions.idle();
    if (!opts.dryRun) await healer.dispatcher.runOnce();
    const rows = cleared.map((i) => ({
      id: i.id,
      alert: i.alert,
      play_id: i.playId,
      title: i.title,
      issue: i.githubIssue?.url ?? null,
    }));
    if (opts.json)
      println(io.out, JSON.stringify({ dry_run: opts.dryRun, resolved: rows }, null, 2));
    else {
      println(
        io.out,
        `${opts.dryRun ? 'would resolve' : 'resolved'} ${rows.length} incident${rows.length === 1 ? '' : 's'}`,
      );
      for (const r of rows)
        println(
          io.out,
          `  ${r.id}  ${r.alert}  ${r.play_id ?? 'platform'}  ${r.title}${r.issue ? `  ${r.issue}` : ''}`,
        );
    }
    return 0;
  } finally {
    await healer.stop();
  }
}

export function registerReconcile(
  program: Command,
  io: Io,
  run: (p: Promise<number>) => void,
): void {
  program
    .command('reconcile')
    .description('one reconciliation pass: resolve incidents whose condition cleared')
    .option('--dry-run', 'only list what would resolve; change nothing', false)
    .option('--json', 'print JSON', false)
    .option('--config <file>', 'heal-config.json to use')
    .action((opts: { dryRun: boolean; json: boolean; config?: string }) =>
      run(reconcile(opts, io)),
    );
}
