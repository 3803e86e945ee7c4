// `healer logs` (a Play's pod logs from Loki, else the pod log API; `--errors-only` keeps the
// catalogue's findings) and `healer fetch-logs` (one pod's current and previous logs, events and a
// describe-like summary, into four files).
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { CoreV1Api, type KubeConfig, type V1Pod, type CoreV1Event } from '@kubernetes/client-node';
import type { Command } from 'commander';
import { stringify } from 'yaml';
import {
  Classifier,
  DEFAULT_CATALOGUE_PATH,
  loadCatalogue,
  StreamWindow,
} from '../detectors/patterns/index.js';
import { LokiClient, LokiError } from '../sources/logs/index.js';
import { logqlEscape } from '../detectors/patterns/index.js';
import { msToNs } from '../sources/logs/timestamps.js';
import { CliError, type Io } from './io.js';
import {
  EXIT,
  EXIT_CODES_HELP,
  FORMAT_FLAG,
  Printer,
  apiError,
  globalsOf,
  intFlag,
  k8sName,
  requireKube,
  resolveFormat,
} from './output.js';
import { PLAY_LABEL } from './play-view.js';

const containersOf = (pod: V1Pod): string[] => [
  ...(pod.spec?.initContainers ?? []).map((c) => c.name),
  ...(pod.spec?.containers ?? []).map((c) => c.name),
];

const statusCode = (err: unknown): number | undefined => (err as { code?: number }).code;

async function podLog(
  core: CoreV1Api,
  namespace: string,
  pod: string,
  container: string,
  tail: number,
  previous: boolean,
): Promise<string | null> {
  try {
    return await core.readNamespacedPodLog({
      name: pod,
      namespace,
      container,
      tailLines: tail,
      previous,
      timestamps: true,
    });
  } catch (err) {
    const code = statusCode(err);
    if (code === 400 || code === 404) return null; // no previous instance, or not started
    throw err;
  }
}

/** A `kubectl describe pod`-like summary: status, containers with their states, and events. */
export function describePod(pod: V1Pod, events: CoreV1Event[]): string {
  const m = pod.metadata ?? {};
  const lines = [
    `Name:         ${m.name ?? ''}`,
    `Namespace:    ${m.namespace ?? ''}`,
    `Node:         ${pod.spec?.nodeName ?? '<none>'}`,
    `Start Time:   ${pod.status?.startTime ? new Date(pod.status.startTime).toISOString() : '<none>'}`,
    `Labels:       ${
      Object.entries(m.labels ?? {})
        .map(([k, v]) => `${k}=${v}`)
        .join('\n              ') || '<none>'
    }`,
    `Status:       ${pod.status?.phase ?? 'Unknown'}${pod.status?.reason ? ` (${pod.status.reason})` : ''}`,
    `Controlled By: ${(m.ownerReferences ?? []).map((o) => `${o.kind}/${o.name}`).join(', ') || '<none>'}`,
    'Containers:',
  ];
  for (const c of pod.spec?.containers ?? []) {
    const s = [...(pod.status?.containerStatuses ?? [])].find((x) => x.name === c.name);
    lines.push(`  ${c.name}:`, `    Image:          ${c.image ?? ''}`);
    const st = s?.state;
    if (st?.running)
      lines.push(`    State:          Running (started ${String(st.running.startedAt ?? '')})`);
    else if (st?.waiting)
      lines.push(
        `    State:          Waiting (${st.waiting.reason ?? ''}) ${st.waiting.message ?? ''}`.trimEnd(),
      );
    else if (st?.terminated)
      lines.push(
        `    State:          Terminated (${st.terminated.reason ?? ''}, exit code ${st.terminated.exitCode})`,
      );
    const last = s?.lastState?.terminated;
    if (last)
      lines.push(
        `    Last State:     Terminated (${last.reason ?? ''}, exit code ${last.exitCode})`,
      );
    lines.push(
      `    Ready:          ${String(s?.ready ?? false)}`,
      `    Restart Count:  ${s?.restartCount ?? 0}`,
    );
  }
  lines.push('Conditions:');
  for (const c of pod.status?.conditions ?? []) lines.push(`  ${c.type.padEnd(16)} ${c.status}`);
  lines.push('Events:');
  if (events.length === 0) lines.push('  <none>');
  for (const e of events)
    lines.push(
      `  ${(e.type ?? '').padEnd(8)} ${(e.reason ?? '').padEnd(16)} ${e.source?.component ?? ''}  ${e.message ?? ''}`,
    );
  return `${lines.join('\n')}\n`;
}

export interface FetchLogsResult {
  pod: string;
  files: string[];
}

/** Writes `{pod}-current.log`, `-previous.log`, `-events.yaml`, `-describe.txt` into `dir`. */
export async function fetchPodLogs(
  kc: KubeConfig,
  namespace: string,
  podName: string,
  dir: string,
  tail: number,
): Promise<FetchLogsResult> {
  const core = kc.makeApiClient(CoreV1Api);
  let pod: V1Pod;
  let events: CoreV1Event[];
  try {
    pod = await core.readNamespacedPod({ name: podName, namespace });
  } catch (err) {
    if (statusCode(err) === 404)
      throw new CliError(`no pod ${podName} in ${namespace}`, EXIT.found);
    throw apiError(`cannot read pod ${namespace}/${podName}`, err);
  }
  const sections = async (previous: boolean) => {
    const parts: string[] = [];
    const names = containersOf(pod);
    for (const c of names) {
      const text = await podLog(core, namespace, podName, c, tail, previous);
      if (text === null) continue;
      parts.push(names.length > 1 ? `==> container ${c} <==\n${text}` : text);
    }
    return parts.join(parts.length > 1 ? '\n' : '');
  };
  let current: string;
  let previous: string;
  try {
    events = (
      await core.listNamespacedEvent({ namespace, fieldSelector: `involvedObject.name=${podName}` })
    ).items;
    current = await sections(false);
    previous = await sections(true);
  } catch (err) {
    throw apiError(`cannot read the logs of ${namespace}/${podName}`, err);
  }
  await mkdir(dir, { recursive: true });
  const files = [
    [`${podName}-current.log`, current],
    [`${podName}-previous.log`, previous],
    [`${podName}-events.yaml`, stringify(events.map(plainEvent))],
    [`${podName}-describe.txt`, describePod(pod, events)],
  ] as const;
  for (const [name, text] of files) await writeFile(join(dir, name), text);
  return { pod: podName, files: files.map(([n]) => join(dir, n)) };
}

const plainEvent = (e: CoreV1Event) => ({
  type: e.type,
  reason: e.reason,
  message: e.message,
  count: e.count,
  firstTimestamp: e.firstTimestamp ? new Date(e.firstTimestamp).toISOString() : null,
  lastTimestamp: e.lastTimestamp ? new Date(e.lastTimestamp).toISOString() : null,
  source: e.source?.component ?? null,
  involvedObject: { kind: e.involvedObject.kind, name: e.involvedObject.name },
});

interface LogLine {
  pod: string;
  container: string;
  time: string | null;
  text: string;
}

/** One pod's lines: Loki when configured, else the pod log API (timestamps split off). */
async function linesOf(
  kc: KubeConfig,
  loki: LokiClient | null,
  namespace: string,
  pod: V1Pod,
  tail: number,
): Promise<LogLine[]> {
  const name = pod.metadata?.name ?? '';
  const out: LogLine[] = [];
  if (loki) {
    const start = pod.metadata?.creationTimestamp
      ? new Date(pod.metadata.creationTimestamp).getTime()
      : Date.now() - 86_400_000;
    const streams = await loki.queryRange({
      query: `{namespace="${logqlEscape(namespace)}", pod="${logqlEscape(name)}"}`,
      start: msToNs(start - 60_000),
      end: msToNs(Date.now() + 1_000),
      limit: tail,
      direction: 'backward',
    });
    for (const s of streams)
      for (const [ns, text] of s.values)
        out.push({
          pod: name,
          container: s.labels.container ?? '',
          time: new Date(Number(BigInt(ns) / 1_000_000n)).toISOString(),
          text,
        });
    return out.sort((a, b) => String(a.time).localeCompare(String(b.time))).slice(-tail);
  }
  const core = kc.makeApiClient(CoreV1Api);
  for (const c of containersOf(pod)) {
    const text = await podLog(core, namespace, name, c, tail, false);
    for (const line of (text ?? '').split('\n')) {
      if (!line) continue;
      const sp = line.indexOf(' ');
      const ts = sp > 0 && /^\d{4}-\d\d-\d\dT/.test(line) ? line.slice(0, sp) : null;
      out.push({ pod: name, container: c, time: ts, text: ts ? line.slice(sp + 1) : line });
    }
  }
  return out;
}

interface LogsOptions {
  playId: string;
  step?: string;
  tail: string;
  errorsOnly?: boolean;
  format?: string;
}

export async function playLogs(
  opts: LogsOptions,
  namespace: string,
  env: Record<string, string | undefined>,
  printer: Printer,
): Promise<number> {
  const tail = intFlag(opts.tail, '--tail') ?? 500;
  const kc = requireKube(env);
  const core = kc.makeApiClient(CoreV1Api);
  let pods: V1Pod[];
  try {
    pods = (
      await core.listNamespacedPod({ namespace, labelSelector: `${PLAY_LABEL}=${opts.playId}` })
    ).items;
  } catch (err) {
    throw apiError(`cannot list the pods of ${opts.playId}`, err);
  }
  if (opts.step) {
    const step = opts.step.toLowerCase().replace(/-step$/, '');
    pods = pods.filter(
      (p) =>
        p.metadata?.labels?.['agents.platform/agent'] === step ||
        (p.metadata?.name ?? '').split('-').includes(step),
    );
  }
  if (pods.length === 0)
    throw new CliError(
      `no pods for Play ${opts.playId}${opts.step ? ` step ${opts.step}` : ''} in ${namespace}`,
      EXIT.found,
    );
  const loki = env.LOKI_URL ? new LokiClient({ url: env.LOKI_URL }) : null;
  const classifier = opts.errorsOnly ? new Classifier(loadCatalogue(DEFAULT_CATALOGUE_PATH)) : null;
  let findings = 0;
  for (const pod of pods) {
    let lines: LogLine[];
    try {
      lines = await linesOf(kc, loki, namespace, pod, tail);
    } catch (err) {
      if (err instanceof LokiError)
        throw new CliError(
          `Loki: ${err.message}`,
          err.reason === 'http_4xx' ? EXIT.failed : EXIT.unreachable,
        );
      throw apiError(`cannot read the logs of ${pod.metadata?.name ?? ''}`, err);
    }
    // Each container's lines are one stream: the classifier's structural rules see the lines before.
    const windows = new Map<string, StreamWindow>();
    for (const l of lines) {
      let window = windows.get(l.container);
      if (!window) windows.set(l.container, (window = new StreamWindow()));
      const f = classifier?.classifyChunk(l.text, 1, window)[0] ?? null;
      if (classifier && !f) continue;
      if (f) findings++;
      printer.emit(
        { ...l, ...(f ? { alert: f.alert, severity: f.severity, pattern: f.patternId } : {}) },
        `${l.pod}/${l.container} ${l.time ?? ''} ${f ? `[${f.alert} ${f.severity}] ` : ''}${l.text}`,
      );
    }
  }
  return opts.errorsOnly && findings > 0 ? EXIT.found : EXIT.ok;
}

export function registerLogCommands(
  program: Command,
  io: Io,
  run: (p: Promise<number>) => void,
  env: Record<string, string | undefined> = process.env,
): void {
  program
    .command('logs')
    .description("a Play's pod logs (Loki when LOKI_URL is set, else the pod log API)")
    .requiredOption('--play-id <id>', 'the Play')
    .option('--step <agent>', 'only this step/agent, e.g. rex')
    .option('--tail <n>', 'last lines per pod', '500')
    .option(
      '--errors-only',
      'only lines the pattern catalogue classifies (exit 1 when there are any)',
      false,
    )
    .option(...FORMAT_FLAG)
    .addHelpText(
      'after',
      `\nExample:\n  healer logs --play-id play-task-4 --step rex --tail 500 --errors-only${EXIT_CODES_HELP}`,
    )
    .action((opts: LogsOptions, c: Command) => {
      const g = globalsOf(c);
      run(
        playLogs(
          opts,
          k8sName(g.namespace ?? 'cto', '--namespace'),
          env,
          new Printer(io, resolveFormat(opts.format, io.out), g),
        ),
      );
    });

  program
    .command('fetch-logs')
    .description("save a pod's current and previous logs, events and a describe-like summary")
    .requiredOption('--pod-name <pod>', 'the pod')
    .option('--output-dir <dir>', 'where the four files go', '.')
    .option('--tail <n>', 'last lines per container', '10000')
    .option(...FORMAT_FLAG)
    .addHelpText(
      'after',
      `\nWrites {pod}-current.log, {pod}-previous.log, {pod}-events.yaml and {pod}-describe.txt.\nExample:\n  healer fetch-logs --pod-name play-task-4-rex-x7k2p --namespace cto --output-dir /tmp/logs${EXIT_CODES_HELP}`,
    )
    .action(
      (opts: { podName: string; outputDir: string; tail: string; format?: string }, c: Command) => {
        const g = globalsOf(c);
        run(
          (async () => {
            const printer = new Printer(io, resolveFormat(opts.format, io.out), g);
            const namespace = k8sName(g.namespace ?? 'cto', '--namespace');
            const pod = k8sName(opts.podName, '--pod-name');
            const tail = intFlag(opts.tail, '--tail') ?? 10_000;
            const kc = requireKube(env);
            const r = await fetchPodLogs(kc, namespace, pod, resolve(opts.outputDir), tail);
            for (const f of r.files) printer.emit({ event: 'written', pod, file: f }, `wrote ${f}`);
            return EXIT.ok;
          })(),
        );
      },
    );
}
