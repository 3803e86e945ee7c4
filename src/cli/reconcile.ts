import type { Command } from 'commander';
import { loadConfig, ConfigError } from '../config/index.js';
import { createLogger } from '../observability/logger.js';
import { openStore } from '../store/open.js';
import { createHealer } from '../pipeline.js';
import { CliError, println, type Io } from './io.js';

interface Row {
  id: string;
  alert: string;
  play_id: string | null;
  title: string;
}

function printText(
  io: Io,
  dryRun: boolean,
  rows: (Row & { issue: string | null })[],
  refused: (Row & { missing: string })[],
): void {
  const s = (n: number) => (n === 1 ? '' : 's');
  println(
    io.out,
    `${dryRun ? 'would resolve' : 'resolved'} ${rows.length} incident${s(rows.length)}`,
  );
  for (const r of rows)
    println(
      io.out,
      `  ${r.id}  ${r.alert}  ${r.play_id ?? 'platform'}  ${r.title}${r.issue ? `  ${r.issue}` : ''}`,
    );
  if (!refused.length) return;
  println(
    io.out,
    `not judged: ${refused.length} open incident${s(refused.length)} whose source could not be read (left open)`,
  );
  for (const missing of new Set(refused.map((r) => r.missing))) {
    println(io.out, `  ${missing}`);
    for (const r of refused.filter((x) => x.missing === missing))
      println(io.out, `    ${r.id}  ${r.alert}  ${r.play_id ?? 'platform'}  ${r.title}`);
  }
}

/**
 * `healer reconcile [--dry-run]`: one reconciliation pass against the cluster, GitHub and the
 * store — evaluate every cached object and active session's pull request once, resolve the
 * incidents whose condition cleared (closing their issues and notifying), or with `--dry-run` only
 * list them. An incident whose source cannot be read (no cluster, no GitHub credentials, a pull
 * request that could not be fetched) is never resolved: it is listed with the missing source and
 * the command exits 2.
 */
export async function reconcile(
  opts: { dryRun: boolean; json: boolean; config?: string; timeoutMs?: number },
  io: Io,
  env: Record<string, string | undefined> = process.env,
): Promise<number> {
  let config;
  try {
    config = loadConfig(opts.config ? { env, configPath: opts.config } : { env });
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
    // the pull requests of the active Plays, read once so their rules can be judged
    await healer.polls.prs();
    // one pass: what is observed and not firing now has cleared (no grace to wait out)
    const { cleared, unobserved } = await healer.tick({
      dryRun: opts.dryRun,
      resolveAfterMs: 0,
    });
    await healer.settle();
    if (!opts.dryRun) await healer.outbox.runOnce();
    const rows = cleared.map((i) => ({
      id: i.id,
      alert: i.alert,
      play_id: i.playId,
      title: i.title,
      issue: i.githubIssue?.url ?? null,
    }));
    const refused = unobserved.map(({ incident: i, missing }) => ({
      id: i.id,
      alert: i.alert,
      play_id: i.playId,
      title: i.title,
      missing,
    }));
    if (opts.json)
      println(
        io.out,
        JSON.stringify({ dry_run: opts.dryRun, resolved: rows, unobserved: refused }, null, 2),
      );
    else printText(io, opts.dryRun, rows, refused);
    if (refused.length)
      println(
        io.err,
        `healer reconcile: ${refused.length} incident${refused.length === 1 ? '' : 's'} not judged: ${[...new Set(refused.map((r) => r.missing))].join('; ')}`,
      );
    return refused.length ? 2 : 0;
  } finally {
    await healer.stop();
  }
}

export function registerReconcile(
  program: Command,
  io: Io,
  run: (p: Promise<number>) => void,
  env: Record<string, string | undefined> = process.env,
): void {
  program
    .command('reconcile')
    .description(
      'one reconciliation pass: resolve incidents whose condition cleared; incidents whose source (Kubernetes, GitHub) cannot be read are listed, never resolved, and the exit code is 2',
    )
    .option('--dry-run', 'only list what would resolve; change nothing', false)
    .option('--json', 'print JSON', false)
    .option('--config <file>', 'heal-config.json to use')
    .action((opts: { dryRun: boolean; json: boolean; config?: string }) =>
      run(reconcile(opts, io, env)),
    );
}
