// `healer full`: `run`, then `watch` until the Play ends. With `--self-healing` Healer's detection
// and actions run in this process for the Play (issue, remediation CodeRuns up to
// `defaults.remediation.maxIterations` of cto-config.json, waiting up to `syncTimeoutSecs` after
// the Play ends for a running fix to land), ending with a summary table.
import type { Command } from 'commander';
import { sessionStartSchema } from '../routes/schemas/session-start.js';
import type { Incident } from '../domain/incident.js';
import { cliConfig } from './test-alert.js';
import { CliError, type Io } from './io.js';
import { IncidentFeed, startPipeline, type InProcessHealer } from './in-process.js';
import {
  EXIT,
  FORMAT_FLAG,
  Printer,
  durationFlag,
  globalsOf,
  intFlag,
  requireKube,
  resolveFormat,
  sleep,
} from './output.js';
import type { IncidentRow } from './play-view.js';
import { RUN_FLAGS, runPlay, sessionStart, type RunOptions } from './run.js';
import { watchPlay } from './watch.js';

interface FullOptions extends RunOptions {
  selfHealing?: boolean;
  interval?: string;
  timeout?: string;
}

const asRow = (i: Incident): IncidentRow => ({
  key: i.id,
  alert: i.alert,
  severity: i.severity,
  agent: i.agent,
  subject: i.subject,
  description: i.description,
  pod: typeof i.context.pod === 'string' ? i.context.pod : null,
  source: 'healer',
});

/** A fix being made: waits for the Play's remediations to land, up to `syncTimeoutSecs`. */
async function waitForFixes(
  h: InProcessHealer,
  playId: string,
  syncTimeoutSecs: number,
  report: () => Promise<void>,
  printer: Printer,
): Promise<void> {
  const until = Date.now() + syncTimeoutSecs * 1000;
  for (;;) {
    await report();
    const open = (await h.store.listIncidents({ playId, limit: 500 })).filter(
      (i) => i.state === 'remediating',
    );
    if (open.length === 0 || Date.now() > until) break;
    printer.progress(`waiting for ${open.length} remediation(s) to land`);
    await sleep(1000);
  }
  printer.endProgress();
}

/** The closing table: every alert of the Play, its issue, attempts and outcome. */
async function summarise(
  h: InProcessHealer,
  playId: string,
  phase: string,
  printer: Printer,
): Promise<void> {
  const incidents = await h.store.listIncidents({ playId, limit: 500 });
  const rows = incidents.map((i) => ({
    alert: i.alert,
    severity: i.severity,
    agent: i.agent,
    issue: i.githubIssue?.number ?? null,
    attempts: i.attempts?.length ?? 0,
    outcome: i.state,
  }));
  const table = [
    `Summary of ${playId}: Play ${phase}, ${rows.length} alert(s), ${rows.filter((r) => r.issue).length} issue(s), ${rows.reduce((n, r) => n + r.attempts, 0)} remediation attempt(s)`,
    `${'ALERT'.padEnd(10)} ${'SEVERITY'.padEnd(9)} ${'AGENT'.padEnd(8)} ${'ISSUE'.padEnd(7)} ${'ATTEMPTS'.padEnd(9)} OUTCOME`,
    ...rows.map(
      (r) =>
        `${r.alert.padEnd(10)} ${r.severity.padEnd(9)} ${(r.agent ?? '-').padEnd(8)} ${(r.issue ? `#${r.issue}` : '-').padEnd(7)} ${String(r.attempts).padEnd(9)} ${r.outcome}`,
    ),
  ];
  printer.emit({ event: 'summary', play_id: playId, phase, incidents: rows }, table.join('\n'));
}

export async function full(
  opts: FullOptions,
  c: Command,
  io: Io,
  env: Record<string, string | undefined>,
): Promise<number> {
  const g = globalsOf(c);
  const printer = new Printer(io, resolveFormat(opts.format, io.out), g);
  const intervalMs = (intFlag(opts.interval, '--interval') ?? 2) * 1000;
  const timeoutMs = opts.timeout ? durationFlag(opts.timeout, '--timeout') : undefined;
  const kc = requireKube(env);
  // the in-process Healer is the one told about the Play: a running one must not act twice
  const runEnv = opts.selfHealing ? { ...env, HEALER_URL: undefined } : env;
  let healer: InProcessHealer | null = null;
  const config = opts.selfHealing ? cliConfig({ env }) : null;
  try {
    const submitted = await runPlay({ ...opts, env: runEnv, dryRun: false }, g, io, printer);
    if (!submitted) return EXIT.ok;
    const { playId, spec } = submitted;
    let feed: IncidentFeed | null = null;
    if (config) {
      printer.progress('starting detection and actions in process');
      healer = await startPipeline({
        config,
        verbose: g.verbose ?? false,
        maxIterations: spec.config.defaults.remediation.maxIterations,
        memoryStore: !env.HEALER_STORE,
      });
      await healer.sessions.start(sessionStartSchema.parse(sessionStart(spec, playId)));
      feed = new IncidentFeed(healer, playId);
    }
    const h = healer;
    const report = async () => {
      if (!feed) return;
      for (const row of await feed.changes())
        printer.emit(
          { event: 'incident-update', ...row },
          `${row.alert} ${row.state}${row.issue ? ` issue #${row.issue.number}` : ''}${row.attempts ? `, ${row.attempts} remediation attempt(s)` : ''}${row.decision ? ` — ${row.decision}` : ''}`,
        );
    };
    const view = await watchPlay(
      {
        kc,
        namespace: spec.namespace,
        playId,
        intervalMs,
        ...(timeoutMs !== undefined ? { timeoutMs } : {}),
        ...(!h && env.HEALER_URL ? { healerUrl: env.HEALER_URL } : {}),
        ...(h
          ? {
              incidents: async () =>
                (await h.store.listIncidents({ playId, limit: 500 })).map(asRow),
            }
          : {}),
        env,
        onView: report,
      },
      printer,
      io,
    );
    if (h && feed) {
      await waitForFixes(
        h,
        playId,
        spec.config.defaults.remediation.syncTimeoutSecs,
        report,
        printer,
      );
      await summarise(h, playId, view.phase, printer);
    }
    return view.phase === 'Succeeded' ? EXIT.ok : EXIT.failed;
  } finally {
    await healer?.stop();
  }
}

export function registerFull(
  program: Command,
  io: Io,
  run: (p: Promise<number>) => void,
  env: Record<string, string | undefined> = process.env,
): void {
  const cmd = program
    .command('full')
    .description(
      'run a Play and watch it until it ends; --self-healing also detects and remediates in process',
    );
  RUN_FLAGS(cmd)
    .option('--self-healing', "run Healer's detection and actions for this Play in process", false)
    .option('--interval <s>', 'seconds between looks', '2')
    .option('--timeout <duration>', 'give up (exit 1) when the Play has not ended by then, e.g. 2h')
    .option(...FORMAT_FLAG)
    .addHelpText(
      'after',
      `\nExample:\n  healer full --task-id 4 --config cto-config.json --self-healing\nExit 0 only when the Play succeeded; 1 when it failed or --timeout ran out; 2 usage or unreachable.`,
    )
    .action((opts: FullOptions, c: Command) => {
      if (opts.dryRun) throw new CliError('full has no --dry-run; use run --dry-run', EXIT.usage);
      run(full(opts, c, io, env));
    });
}
