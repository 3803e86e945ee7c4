// `healer scan-logs`: a platform-wide Loki scan (every pod of the given namespaces, not only the
// sessions' pods) with the pattern catalogue, grouped by namespace, pod and category with counts
// and first/last seen. Its JSON lines feed `healer spawn-remediation --from-scan -`.
import type { Command } from 'commander';
import {
  Classifier,
  DEFAULT_CATALOGUE_PATH,
  loadCatalogue,
  StreamWindow,
} from '../detectors/patterns/index.js';
import type { Finding } from '../detectors/patterns/index.js';
import { LokiClient, LokiError, namespaceSelector } from '../sources/logs/index.js';
import { msToNs, nsToMs } from '../sources/logs/timestamps.js';
import { redact } from '../domain/redact.js';
import { CliError, type Io } from './io.js';
import {
  EXIT,
  EXIT_CODES_HELP,
  FORMAT_FLAG,
  Printer,
  durationFlag,
  globalsOf,
  intFlag,
  k8sName,
  resolveFormat,
} from './output.js';

export interface ScanGroup {
  namespace: string;
  pod: string;
  container: string | null;
  alert: string;
  category: string;
  severity: string;
  count: number;
  first_seen: string;
  last_seen: string;
  sample: string;
  /** The count reached its severity's threshold (--error-threshold / --warn-threshold). */
  flagged: boolean;
}

const ERROR_SEVERITIES = ['critical', 'high'];
const LINES_PER_NAMESPACE = 5000;

interface ScanLogsOptions {
  window: string;
  namespaces: string;
  errorThreshold: string;
  warnThreshold: string;
  json?: boolean;
  format?: string;
}

/**
 * Classifies Loki streams of one namespace into `groups` (namespace, pod, alert, family); returns
 * how many lines were read. One Loki stream is one container's log: classified oldest first as
 * one stream (the structural rules see the lines before), whatever order Loki returned it in.
 */
function groupStreams(
  classifier: Classifier,
  namespace: string,
  streams: Awaited<ReturnType<LokiClient['queryRange']>>,
  groups: Map<string, ScanGroup>,
): number {
  let lines = 0;
  for (const s of streams) {
    const pod = s.labels.pod ?? '(no pod label)';
    const window = new StreamWindow();
    const order = s.values.map((_, k) => k);
    order.sort((a, b) => (BigInt(s.values[a][0]) < BigInt(s.values[b][0]) ? -1 : 1));
    const found = new Map<number, Finding>();
    for (const k of order) {
      const f = classifier.classifyChunk(s.values[k][1], 1, window)[0];
      if (f) found.set(k, f);
    }
    for (const [k, [ts, text]] of s.values.entries()) {
      lines++;
      const f = found.get(k);
      if (!f) continue;
      const at = new Date(nsToMs(BigInt(ts))).toISOString();
      const key = `${namespace}\u0000${pod}\u0000${f.alert}\u0000${f.family}`;
      const g = groups.get(key);
      if (!g) {
        groups.set(key, {
          namespace,
          pod,
          container: s.labels.container ?? null,
          alert: f.alert,
          category: f.family,
          severity: f.severity,
          count: 1,
          first_seen: at,
          last_seen: at,
          sample: redact(text).slice(0, 300),
          flagged: false,
        });
        continue;
      }
      g.count++;
      if (at < g.first_seen) g.first_seen = at;
      if (at > g.last_seen) {
        g.last_seen = at;
        g.sample = redact(text).slice(0, 300);
      }
    }
  }
  return lines;
}

export async function scanLogs(
  opts: ScanLogsOptions,
  env: Record<string, string | undefined>,
  printer: Printer,
  now = Date.now(),
): Promise<number> {
  const windowMs = durationFlag(opts.window, '--window');
  const namespaces = opts.namespaces.split(',').map((n) => k8sName(n.trim(), '--namespaces'));
  const errorAt = intFlag(opts.errorThreshold, '--error-threshold') ?? 5;
  const warnAt = intFlag(opts.warnThreshold, '--warn-threshold') ?? 20;
  if (!env.LOKI_URL) throw new CliError('LOKI_URL is not set: scan-logs reads Loki', EXIT.usage);
  const loki = new LokiClient({ url: env.LOKI_URL, timeoutMs: 30_000 });
  const classifier = new Classifier(loadCatalogue(DEFAULT_CATALOGUE_PATH));
  const groups = new Map<string, ScanGroup>();
  for (const [i, namespace] of namespaces.entries()) {
    printer.progress(`scanning ${namespace} (${i + 1}/${namespaces.length})`);
    let streams;
    try {
      streams = await loki.queryRange({
        query: namespaceSelector(namespace),
        start: msToNs(now - windowMs),
        end: msToNs(now + 1),
        limit: LINES_PER_NAMESPACE,
        direction: 'backward',
      });
    } catch (err) {
      printer.endProgress();
      if (err instanceof LokiError)
        throw new CliError(
          `Loki (${namespace}): ${err.message}`,
          err.reason === 'http_4xx' ? EXIT.failed : EXIT.unreachable,
        );
      throw err;
    }
    const lines = groupStreams(classifier, namespace, streams, groups);
    if (lines >= LINES_PER_NAMESPACE)
      printer.emit(
        { event: 'truncated', namespace, lines },
        `note: ${namespace} has more than ${LINES_PER_NAMESPACE} lines in the window; the newest were scanned`,
      );
  }
  printer.endProgress();
  const all = [...groups.values()].map((g) => ({
    ...g,
    flagged: g.count >= (ERROR_SEVERITIES.includes(g.severity) ? errorAt : warnAt),
  }));
  all.sort((a, b) => Number(b.flagged) - Number(a.flagged) || b.count - a.count);
  for (const g of all)
    printer.emit(
      { ...g },
      `${g.flagged ? '!' : ' '} ${g.namespace}/${g.pod} ${g.alert} ${g.category} [${g.severity}] x${g.count} ${g.first_seen} … ${g.last_seen}\n    ${g.sample}`,
    );
  const flagged = all.filter((g) => g.flagged).length;
  printer.say(
    `${all.length} group(s), ${flagged} over threshold (errors ≥ ${errorAt}, warnings ≥ ${warnAt})`,
  );
  return flagged > 0 ? EXIT.found : EXIT.ok;
}

export function registerScanLogs(
  program: Command,
  io: Io,
  run: (p: Promise<number>) => void,
  env: Record<string, string | undefined> = process.env,
): void {
  program
    .command('scan-logs')
    .description(
      "scan the platform's namespaces in Loki with the pattern catalogue, grouped by pod and category",
    )
    .option('--window <duration>', 'how far back, e.g. 30m, 1h, 1d', '1h')
    .option('--namespaces <list>', 'comma-separated', 'cto,automation,argocd,infra,observability')
    .option(
      '--error-threshold <n>',
      'flag a critical/high group with at least this many lines',
      '5',
    )
    .option('--warn-threshold <n>', 'flag a medium/low group with at least this many lines', '20')
    .option('--json', 'JSON lines (same as --format json)', false)
    .option(...FORMAT_FLAG)
    .addHelpText(
      'after',
      `\nExample:\n  healer scan-logs --window 1h --namespaces cto,automation --json | healer spawn-remediation --from-scan - --max-coderuns 3 --dry-run\nExit 1 when a group is over its threshold.${EXIT_CODES_HELP}`,
    )
    .action((opts: ScanLogsOptions, c: Command) =>
      run(
        scanLogs(
          opts,
          env,
          new Printer(io, opts.json ? 'json' : resolveFormat(opts.format, io.out), globalsOf(c)),
        ),
      ),
    );
}
