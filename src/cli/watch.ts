// `healer watch` (a live view of one Play until it ends: redrawn in place on a terminal, JSON
// events otherwise) and `healer loop` (the same view, reported every --interval seconds).
import { resolve } from 'node:path';
import type { KubeConfig } from '@kubernetes/client-node';
import type { Command } from 'commander';
import { githubClientFromEnv, type HealerOctokitInstance } from '../sources/github/index.js';
import { cliConfig } from './test-alert.js';
import { CliError, type Io } from './io.js';
import { fetchPodLogs } from './logs.js';
import {
  EXIT,
  EXIT_CODES_HELP,
  FORMAT_FLAG,
  Printer,
  durationFlag,
  globalsOf,
  intFlag,
  k8sName,
  requireKube,
  resolveFormat,
  sleep,
} from './output.js';
import {
  TERMINAL,
  buildView,
  diffViews,
  eventText,
  findWorkflow,
  healerIncidents,
  localIncidents,
  prOf,
  readPlay,
  viewLines,
  type IncidentRow,
  type PlayView,
} from './play-view.js';

const silent = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};

export interface WatchSettings {
  kc: KubeConfig;
  namespace: string;
  playId: string;
  intervalMs: number;
  /** Stop (exit 1) when the Play has not ended by then. */
  timeoutMs?: number;
  /** `loop`: report the whole view every interval instead of the changes. */
  report?: boolean;
  fetchLogsDir?: string;
  healerUrl?: string;
  env: Record<string, string | undefined>;
  signal?: AbortSignal;
  /** Where incidents come from instead of the running Healer or the local rules (full). */
  incidents?: () => Promise<IncidentRow[]>;
  /** Called after every look (full --self-healing reports the pipeline's actions from here). */
  onView?: (view: PlayView) => Promise<void>;
}

/** --fetch-logs: saves the logs of every failing pod of the view once. */
async function saveFailingLogs(
  s: WatchSettings,
  dir: string,
  view: PlayView,
  saved: Set<string>,
  printer: Printer,
): Promise<void> {
  const failing = new Set<string>();
  for (const a of view.agents)
    if (a.pod && (a.podPhase === 'Failed' || a.restarts > 0 || a.reason)) failing.add(a.pod);
  for (const i of view.incidents) if (i.pod) failing.add(i.pod);
  for (const pod of failing) {
    if (saved.has(pod)) continue;
    saved.add(pod);
    const r = await fetchPodLogs(s.kc, s.namespace, pod, dir, 10_000).catch((err: unknown) => {
      printer.emit(
        { event: 'fetch-logs-failed', pod, error: (err as Error).message },
        `cannot save the logs of ${pod}: ${(err as Error).message}`,
      );
      return null;
    });
    if (r)
      printer.emit(
        { event: 'logs-saved', pod, files: r.files },
        `saved the logs of ${pod} in ${dir}`,
      );
  }
}

/** Follows a Play until its Workflow ends; resolves with the last view. */
export async function watchPlay(s: WatchSettings, printer: Printer, io: Io): Promise<PlayView> {
  const heal = cliConfig({ env: s.env }).heal;
  const gh: HealerOctokitInstance | null =
    githubClientFromEnv(
      { ...s.env, GITHUB_API_URL: s.env.GITHUB_API_URL ?? 'https://api.github.com' },
      { logger: silent },
    ).client?.octokit ?? null;
  const deadline = s.timeoutMs === undefined ? Infinity : Date.now() + s.timeoutMs;
  const tty = printer.format === 'text' && (io.out as { isTTY?: boolean }).isTTY === true;
  const saved = new Set<string>();
  let prev: PlayView | null = null;
  let drawn = 0;
  for (let n = 0; ; n++) {
    const objects = await readPlay(s.kc, s.namespace, s.playId);
    const fromHealer = s.incidents
      ? await s.incidents()
      : s.healerUrl
        ? await healerIncidents(s.healerUrl, s.playId)
        : null;
    const incidents = fromHealer ?? localIncidents(objects, heal, new Date());
    const view = buildView(
      objects,
      s.namespace,
      incidents,
      gh ? await prOf(gh, objects.coderuns) : null,
    );
    const events = diffViews(prev, view);
    if (tty) {
      if (drawn > 0) io.out.write(`\x1b[${drawn}F\x1b[J`);
      const lines = viewLines(view);
      io.out.write(`${lines.join('\n')}\n`);
      drawn = lines.length;
      for (const e of events) printer.emit(e); // the --output-file copy
    } else if (s.report) {
      printer.emit(
        { event: 'status', ...view },
        `--- ${new Date().toISOString()}\n${viewLines(view).join('\n')}`,
      );
    } else for (const e of events) printer.emit(e, eventText(e));
    if (s.fetchLogsDir) await saveFailingLogs(s, s.fetchLogsDir, view, saved, printer);
    await s.onView?.(view);
    prev = view;
    if (TERMINAL.includes(view.phase)) {
      printer.endProgress();
      printer.emit(
        { event: 'end', play_id: s.playId, phase: view.phase, incidents: view.incidents.length },
        `Play ${s.playId} ended: ${view.phase}`,
      );
      return view;
    }
    if (Date.now() > deadline) {
      printer.endProgress();
      throw new CliError(
        `Play ${s.playId} still ${view.phase} when the --timeout ran out`,
        EXIT.failed,
      );
    }
    if (!tty) printer.progress(`watching ${s.playId}: ${view.phase} (look ${n + 1})`);
    await sleep(s.intervalMs, s.signal);
    if (s.signal?.aborted) throw new CliError('interrupted', EXIT.failed);
  }
}

interface WatchOptions {
  taskId?: string;
  playId?: string;
  repository?: string;
  interval?: string;
  timeout?: string;
  fetchLogs?: boolean;
  outputDir?: string;
  url?: string;
  format?: string;
}

export async function watchCommand(
  opts: WatchOptions,
  c: Command,
  io: Io,
  env: Record<string, string | undefined>,
  report: boolean,
): Promise<number> {
  const g = globalsOf(c);
  if (!opts.playId && !opts.taskId) throw new CliError('give --play-id or --task-id', EXIT.usage);
  const printer = new Printer(io, resolveFormat(opts.format, io.out), g);
  const namespace = k8sName(g.namespace ?? 'cto', '--namespace');
  const intervalMs = (intFlag(opts.interval, '--interval') ?? (report ? 10 : 2)) * 1000;
  const timeoutMs = opts.timeout ? durationFlag(opts.timeout, '--timeout') : undefined;
  const kc = requireKube(env);
  const wf = await findWorkflow(kc, namespace, {
    ...(opts.playId ? { playId: opts.playId } : {}),
    ...(opts.taskId ? { taskId: opts.taskId } : {}),
  });
  const ac = new AbortController();
  const stop = () => ac.abort();
  process.once('SIGINT', stop);
  try {
    const view = await watchPlay(
      {
        kc,
        namespace,
        playId: wf.metadata.name ?? '',
        intervalMs,
        ...(timeoutMs !== undefined ? { timeoutMs } : {}),
        report,
        ...(opts.fetchLogs ? { fetchLogsDir: resolve(opts.outputDir ?? '.') } : {}),
        ...((opts.url ?? env.HEALER_URL) ? { healerUrl: opts.url ?? env.HEALER_URL } : {}),
        env,
        signal: ac.signal,
      },
      printer,
      io,
    );
    return view.phase === 'Succeeded' ? EXIT.ok : EXIT.failed;
  } finally {
    process.off('SIGINT', stop);
  }
}

export function registerWatch(
  program: Command,
  io: Io,
  run: (p: Promise<number>) => void,
  env: Record<string, string | undefined> = process.env,
): void {
  const common = (cmd: Command) =>
    cmd
      .option('--play-id <id>', 'the Play (its Workflow name)')
      .option(
        '--timeout <duration>',
        'give up (exit 1) when the Play has not ended by then, e.g. 30m',
      )
      .option('--url <url>', 'a running Healer to take incidents from (default HEALER_URL)')
      .option(...FORMAT_FLAG);
  common(
    program
      .command('watch')
      .description('a live view of one Play until it ends: workflow, agents, PR, incidents')
      .option('--task-id <id>', 'the newest Play of this task')
      .option('--repository <owner/repo>', 'the Play repository (informational)')
      .option('--fetch-logs', "save a failing pod's logs (see fetch-logs)", false)
      .option('--output-dir <dir>', 'where --fetch-logs writes', '.')
      .option('--interval <s>', 'seconds between looks', '2'),
  )
    .addHelpText(
      'after',
      `\nExample:\n  healer watch --task-id 4 --repository 5dlabs/cto-parallel-test --fetch-logs\nExit 0 when the Play succeeded, 1 when it failed or --timeout ran out, 2 usage or unreachable.`,
    )
    .action((opts: WatchOptions, c: Command) => run(watchCommand(opts, c, io, env, false)));
  common(
    program
      .command('loop')
      .description('the legacy polling monitor: the whole view of a Play every --interval seconds')
      .option('--interval <s>', 'seconds between reports', '10'),
  )
    .addHelpText(
      'after',
      `\nExample:\n  healer loop --play-id play-task-4 --interval 10${EXIT_CODES_HELP}`,
    )
    .action((opts: WatchOptions, c: Command) => run(watchCommand(opts, c, io, env, true)));
}
