// `healer insights show|failures|export`: remediation outcomes per alert and agent from a running
// Healer's `GET /api/v1/insights` (read from its store, so they survive restarts; the original's
// `insights` command counted in memory). `--since 7d` narrows the range (default: the history window).
import { Option, type Command } from 'commander';
import { connection, api, parseDuration } from './alerts.js';
import { CliError, println, type Io } from './io.js';
import { outputOption, printOutput, type Column } from './table.js';

interface SignatureRow {
  signature: string;
  incidents: number;
  attempts: number;
  successes: number;
  failures: number;
}

interface InsightRow {
  alert: string;
  agent: string | null;
  incidents: number;
  resolved: number;
  attempts: number;
  successes: number;
  failures: number;
  /** Absent from a Healer older than this CLI. */
  merged?: number;
  success_rate: number | null;
  median_time_to_resolve_seconds: number | null;
  top_signatures: SignatureRow[];
}

interface FailingRow {
  alert: string;
  agent: string | null;
  signature: string;
  failures: number;
  successes: number;
  last_failure_at: string;
  refused: boolean;
  last_summary: string;
}

interface InsightsBody {
  since: string;
  until: string;
  truncated: boolean;
  totals: { incidents: number; attempts: number; success_rate: number | null };
  insights: InsightRow[];
  failing: FailingRow[];
}

const percent = (r: number | null) => (r === null ? null : `${Math.round(r * 100)}%`);

/** Seconds as `45s`, `12m`, `3h10m`, `2d4h`. */
export function humanSeconds(s: number | null): string | null {
  if (s === null) return null;
  const m = Math.round(s / 60);
  if (s < 60) return `${Math.round(s)}s`;
  if (m < 60) return `${m}m`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${h}h${m % 60 ? `${m % 60}m` : ''}`;
  return `${Math.floor(h / 24)}d${h % 24 ? `${h % 24}h` : ''}`;
}

const ROW_COLUMNS: Column<InsightRow>[] = [
  { header: 'ALERT', value: (r) => r.alert },
  { header: 'AGENT', value: (r) => r.agent },
  { header: 'INCIDENTS', value: (r) => r.incidents },
  { header: 'RESOLVED', value: (r) => r.resolved },
  { header: 'ATTEMPTS', value: (r) => r.attempts },
  { header: 'SUCCESS', value: (r) => percent(r.success_rate) },
  { header: 'MEDIAN TTR', value: (r) => humanSeconds(r.median_time_to_resolve_seconds) },
  { header: 'TOP SIGNATURE', value: (r) => r.top_signatures[0]?.signature },
];

const FAILING_COLUMNS: Column<FailingRow>[] = [
  { header: 'ALERT', value: (r) => r.alert },
  { header: 'AGENT', value: (r) => r.agent },
  { header: 'FAILURES', value: (r) => r.failures },
  { header: 'SUCCESSES', value: (r) => r.successes },
  { header: 'LAST FAILURE', value: (r) => r.last_failure_at },
  { header: 'TO A PERSON', value: (r) => (r.refused ? 'yes' : 'no') },
  { header: 'SIGNATURE', value: (r) => r.signature },
];

/** One CSV field: quoted when it holds a comma, quote or line break (RFC 4180). */
export const csvField = (v: string | number | boolean | null): string => {
  const s = v === null ? '' : String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

/** The per alert and agent rows as CSV, header first, CRLF line ends (RFC 4180). */
export function insightsCsv(rows: readonly InsightRow[]): string {
  const header = [
    'alert',
    'agent',
    'incidents',
    'resolved',
    'attempts',
    'successes',
    'failures',
    'merged',
    'success_rate',
    'median_time_to_resolve_seconds',
    'top_signatures',
  ];
  const lines = rows.map((r) =>
    [
      r.alert,
      r.agent,
      r.incidents,
      r.resolved,
      r.attempts,
      r.successes,
      r.failures,
      r.merged ?? null,
      r.success_rate,
      r.median_time_to_resolve_seconds,
      r.top_signatures.map((s) => s.signature).join(' | '),
    ]
      .map(csvField)
      .join(','),
  );
  return [header.join(','), ...lines].map((l) => `${l}\r\n`).join('');
}

type Flags = { url: string; token?: string; since?: string; alert?: string; agent?: string };

function sinceMs(text: string): number {
  try {
    return parseDuration(text);
  } catch {
    throw new CliError(`--since must look like 7d, 24h, 30m or 1h30m, got "${text}"`, 2);
  }
}

function query(f: Flags, now = Date.now()): string {
  const q = new URLSearchParams();
  if (f.since) q.set('since', new Date(now - sinceMs(f.since)).toISOString());
  if (f.alert) q.set('alert', f.alert.toUpperCase());
  if (f.agent) q.set('agent', f.agent);
  const s = q.toString();
  return `api/v1/insights${s ? `?${s}` : ''}`;
}

function filters(cmd: Command, env: Record<string, string | undefined>): Command {
  return connection(
    cmd
      .option('--since <duration>', 'only the last 7d, 24h, … (default: the history window)')
      .option('--alert <id>', 'one alert, e.g. A7')
      .option('--agent <agent>', 'one agent, e.g. rex'),
    env,
  );
}

export function registerInsights(
  program: Command,
  io: Io,
  run: (p: Promise<number>) => void,
  env: Record<string, string | undefined>,
): void {
  const insights = program
    .command('insights')
    .description('remediation outcomes per alert and agent (show, failures, export)');
  filters(
    insights
      .command('show')
      .description(
        'per alert and agent: incidents, attempts, success rate, median time to resolve, top signature',
      ),
    env,
  )
    .addOption(outputOption())
    .action((f: Flags & { output: string }) =>
      run(
        (async () => {
          const r = await api<InsightsBody>(f, 'GET', query(f));
          printOutput(io, f.output, r, {
            rows: r.insights,
            columns: ROW_COLUMNS,
            empty: `no incidents since ${r.since}`,
          });
          if (f.output === 'table' && r.insights.length)
            println(
              io.out,
              `\n${r.totals.incidents} incidents, ${r.totals.attempts} attempts, success ${percent(r.totals.success_rate) ?? '-'} since ${r.since}${r.truncated ? ' (truncated: narrow --since)' : ''}`,
            );
          return 0;
        })(),
      ),
    );
  filters(
    insights
      .command('failures')
      .description(
        'classes (alert, agent, signature) whose remediation failed, and whether their next incident goes straight to a person',
      ),
    env,
  )
    .addOption(outputOption())
    .action((f: Flags & { output: string }) =>
      run(
        (async () => {
          const r = await api<InsightsBody>(f, 'GET', query(f));
          printOutput(io, f.output, r.failing, {
            rows: r.failing,
            columns: FAILING_COLUMNS,
            empty: `no failed remediation since ${r.since}`,
          });
          return 0;
        })(),
      ),
    );
  filters(
    insights
      .command('export')
      .description('the per alert and agent rows as JSON or CSV, for a spreadsheet or a script'),
    env,
  )
    .addOption(
      new Option('--format <format>', 'json or csv').choices(['json', 'csv']).default('json'),
    )
    .action((f: Flags & { format: 'json' | 'csv' }) =>
      run(
        (async () => {
          const r = await api<InsightsBody>(f, 'GET', query(f));
          if (f.format === 'csv') io.out.write(insightsCsv(r.insights));
          else println(io.out, JSON.stringify(r, null, 2));
          return 0;
        })(),
      ),
    );
}
