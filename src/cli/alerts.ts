// The amtool-like commands against a running Healer: `incidents`, `incident ID`, `silence
// add|list|expire`, `ack ID`, and `completion bash|zsh`. `--url`/`--token` default to HEALER_URL and
// HEALER_API_TOKEN; every read command takes `--output table|json|yaml`.
import { Option, type Command } from 'commander';
import { fetch } from 'undici';
import { CliError, println, type Io } from './io.js';
import { outputOption, printOutput, type Column } from './table.js';

const DEFAULT_URL = 'http://127.0.0.1:8083';

interface Target {
  url: string;
  token?: string | undefined;
}

/** One API call; a non-2xx answer becomes a one-line CliError (exit 1; unreachable: exit 2). */
export async function api<T>(
  t: Target,
  method: 'GET' | 'POST' | 'DELETE',
  path: string,
  body?: unknown,
): Promise<T> {
  const url = new URL(path, t.url.endsWith('/') ? t.url : `${t.url}/`);
  let res;
  try {
    res = await fetch(url, {
      method,
      signal: AbortSignal.timeout(10_000),
      headers: {
        accept: 'application/json',
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(t.token ? { authorization: `Bearer ${t.token}` } : {}),
      },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
  } catch (err) {
    const cause = err instanceof Error && err.cause instanceof Error ? err.cause.message : '';
    throw new CliError(`cannot reach Healer at ${t.url}${cause ? `: ${cause}` : ''}`, 2);
  }
  const text = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new CliError(`Healer at ${t.url} answered ${res.status} with a body that is not JSON`);
  }
  if (!res.ok) {
    const m = (json as { message?: unknown }).message;
    const hint = res.status === 401 ? ' (set HEALER_API_TOKEN or --token)' : '';
    throw new CliError(`${res.status}: ${typeof m === 'string' ? m : text.slice(0, 200)}${hint}`);
  }
  return json as T;
}

/** `2h`, `30m`, `1d`, `1h30m`, `90s` in milliseconds; a clear error otherwise. */
export function parseDuration(text: string): number {
  const unit: Record<string, number> = { s: 1e3, m: 60e3, h: 3600e3, d: 86_400e3, w: 604_800e3 };
  const parts = [...text.matchAll(/(\d+)([smhdw])/g)];
  if (!text || parts.map((p) => p[0]).join('') !== text)
    throw new CliError(`--duration must look like 2h, 30m, 1d or 1h30m, got "${text}"`, 2);
  return parts.reduce((ms, [, n, u]) => ms + Number(n) * unit[u], 0);
}

interface IncidentRow {
  id: string;
  state: string;
  severity: string;
  alert: string;
  play_id: string | null;
  agent: string | null;
  occurrences: number;
  last_seen: string;
  github_issue: { number: number; url: string } | null;
  acknowledged?: { by: string; at: string } | null;
  [k: string]: unknown;
}

const INCIDENT_COLUMNS: Column<IncidentRow>[] = [
  { header: 'ID', value: (i) => i.id },
  { header: 'STATE', value: (i) => (i.acknowledged ? `${i.state} (ack)` : i.state) },
  { header: 'SEVERITY', value: (i) => i.severity },
  { header: 'ALERT', value: (i) => i.alert },
  { header: 'PLAY', value: (i) => i.play_id },
  { header: 'AGENT', value: (i) => i.agent },
  { header: 'COUNT', value: (i) => i.occurrences },
  { header: 'LAST SEEN', value: (i) => i.last_seen },
  { header: 'ISSUE', value: (i) => i.github_issue?.url },
];

interface SilenceRow {
  id: string;
  matchers: Record<string, string>;
  ends_at: string;
  comment: string;
  created_by: string;
  active: boolean;
}

const SILENCE_COLUMNS: Column<SilenceRow>[] = [
  { header: 'ID', value: (s) => s.id },
  {
    header: 'MATCHERS',
    value: (s) =>
      Object.entries(s.matchers)
        .map(([k, v]) => `${k}=${v}`)
        .join(','),
  },
  { header: 'ENDS AT', value: (s) => s.ends_at },
  { header: 'ACTIVE', value: (s) => (s.active ? 'yes' : 'no') },
  { header: 'CREATED BY', value: (s) => s.created_by },
  { header: 'COMMENT', value: (s) => s.comment },
];

interface FieldRow {
  field: string;
  value: string | number | null;
}
const FIELD_COLUMNS: Column<FieldRow>[] = [
  { header: 'FIELD', value: (r) => r.field },
  { header: 'VALUE', value: (r) => r.value },
];

type Flags = { url: string; token?: string; output: string };

export function connection(cmd: Command, env: Record<string, string | undefined>): Command {
  return cmd
    .addOption(
      new Option('--url <url>', 'Healer base URL (HEALER_URL)').default(
        env.HEALER_URL || DEFAULT_URL,
      ),
    )
    .addOption(
      new Option('--token <token>', 'API token (default HEALER_API_TOKEN)').default(
        env.HEALER_API_TOKEN || undefined,
        env.HEALER_API_TOKEN ? 'HEALER_API_TOKEN' : undefined,
      ),
    );
}

async function listIncidents(
  io: Io,
  f: Flags & { state?: string; alert?: string; play?: string; limit?: string },
) {
  const q = new URLSearchParams();
  if (f.state) q.set('state', f.state);
  if (f.alert) q.set('alert', f.alert.toUpperCase());
  if (f.play) q.set('play_id', f.play);
  if (f.limit) q.set('limit', f.limit);
  const r = await api<{ incidents: IncidentRow[] }>(f, 'GET', `api/v1/incidents?${q.toString()}`);
  printOutput(io, f.output, r.incidents, {
    rows: r.incidents,
    columns: INCIDENT_COLUMNS,
    empty: 'no incidents',
  });
  return 0;
}

async function showIncident(io: Io, id: string, f: Flags) {
  const r = await api<{
    incident: IncidentRow & { title: string; description: string; first_seen: string };
    decisions: { at: string; reason: string; detail: string }[];
  }>(f, 'GET', `api/v1/incidents/${encodeURIComponent(id)}`);
  const i = r.incident;
  const rows: FieldRow[] = [
    { field: 'id', value: i.id },
    { field: 'title', value: i.title },
    { field: 'state', value: i.state },
    { field: 'severity', value: i.severity },
    { field: 'alert', value: i.alert },
    { field: 'play', value: i.play_id },
    { field: 'agent', value: i.agent },
    { field: 'occurrences', value: i.occurrences },
    { field: 'first seen', value: i.first_seen },
    { field: 'last seen', value: i.last_seen },
    { field: 'issue', value: i.github_issue?.url ?? null },
    {
      field: 'acknowledged',
      value: i.acknowledged ? `${i.acknowledged.by} at ${i.acknowledged.at}` : null,
    },
    { field: 'description', value: i.description },
    ...r.decisions.map((d) => ({ field: `decision ${d.at}`, value: `${d.reason}: ${d.detail}` })),
  ];
  printOutput(io, f.output, r, { rows, columns: FIELD_COLUMNS });
  return 0;
}

type SilenceAddFlags = Flags & {
  alert?: string;
  play?: string;
  agent?: string;
  namespace?: string;
  duration: string;
  comment: string;
  author: string;
};

/** `healer silence add`: POST /api/v1/silences, prints the new silence's id. */
async function silenceAdd(f: SilenceAddFlags, io: Io): Promise<number> {
  const endsAt = new Date(Date.now() + parseDuration(f.duration)).toISOString();
  const matchers = {
    ...(f.alert ? { alert: f.alert } : {}),
    ...(f.play ? { play_id: f.play } : {}),
    ...(f.agent ? { agent: f.agent } : {}),
    ...(f.namespace ? { namespace: f.namespace } : {}),
  };
  const r = await api<{ silence: SilenceRow }>(f, 'POST', 'api/v1/silences', {
    matchers,
    ends_at: endsAt,
    comment: f.comment,
    created_by: f.author,
  });
  if (f.output === 'table') println(io.out, r.silence.id);
  else printOutput(io, f.output, r.silence, { rows: [], columns: [] });
  return 0;
}

function registerSilence(
  program: Command,
  io: Io,
  run: (p: Promise<number>) => void,
  env: Record<string, string | undefined>,
) {
  const silence = program.command('silence').description('add, list or expire silences');
  connection(
    silence
      .command('add')
      .description('silence matching alerts for a while (at least one matcher)')
      .option('--alert <id>', 'alert id, e.g. A7')
      .option('--play <play_id>', 'Play id')
      .option('--agent <agent>', 'agent, e.g. rex')
      .option('--namespace <ns>', 'namespace')
      .requiredOption('--duration <d>', 'how long, e.g. 2h, 30m, 1d')
      .requiredOption('--comment <text>', 'why')
      .option('--author <name>', 'who (default $USER)', env.USER || 'healer-cli'),
    env,
  )
    .addOption(outputOption())
    .action((f: SilenceAddFlags) => run(silenceAdd(f, io)));
  connection(
    silence
      .command('list')
      .description('active silences (--all: expired ones too)')
      .option('--all', 'include expired and ended silences'),
    env,
  )
    .addOption(outputOption())
    .action((f: Flags & { all?: boolean }) =>
      run(
        (async () => {
          const r = await api<{ silences: SilenceRow[] }>(
            f,
            'GET',
            `api/v1/silences${f.all ? '?all=true' : ''}`,
          );
          printOutput(io, f.output, r.silences, {
            rows: r.silences,
            columns: SILENCE_COLUMNS,
            empty: 'no silences',
          });
          return 0;
        })(),
      ),
    );
  connection(
    silence
      .command('expire')
      .description('end a silence now')
      .argument('<id>')
      .option('--author <name>', 'who (default $USER)', env.USER || 'healer-cli'),
    env,
  ).action((id: string, f: Flags & { author: string }) =>
    run(
      (async () => {
        await api(
          f,
          'DELETE',
          `api/v1/silences/${encodeURIComponent(id)}?expired_by=${encodeURIComponent(f.author)}`,
        );
        println(io.out, `expired ${id} (by ${f.author})`);
        return 0;
      })(),
    ),
  );
}

export function registerAlertCommands(
  program: Command,
  io: Io,
  run: (p: Promise<number>) => void,
  env: Record<string, string | undefined>,
): void {
  connection(
    program
      .command('incidents')
      .description('list incidents of a running Healer')
      .option('--state <state>', 'open, remediating, escalated or resolved')
      .option('--alert <id>', 'alert id, e.g. A7')
      .option('--play <play_id>', 'Play id')
      .option('--limit <n>', 'at most this many'),
    env,
  )
    .addOption(outputOption())
    .action((f: Flags & { state?: string; alert?: string; play?: string; limit?: string }) =>
      run(listIncidents(io, f)),
    );
  connection(
    program.command('incident').description('one incident with its decisions').argument('<id>'),
    env,
  )
    .addOption(outputOption())
    .action((id: string, f: Flags) => run(showIncident(io, id, f)));
  registerSilence(program, io, run, env);
  connection(
    program
      .command('ack')
      .description(
        'acknowledge an incident: a person is on it (no more notifications or escalation until it changes)',
      )
      .argument('<id>')
      .option('--comment <text>', 'a note')
      .option('--author <name>', 'who (default $USER)', env.USER || 'healer-cli'),
    env,
  ).action((id: string, f: Flags & { comment?: string; author: string }) =>
    run(
      (async () => {
        const r = await api<{ incident: IncidentRow }>(
          f,
          'POST',
          `api/v1/incidents/${encodeURIComponent(id)}/ack`,
          {
            by: f.author,
            ...(f.comment ? { comment: f.comment } : {}),
          },
        );
        println(
          io.out,
          `acknowledged ${r.incident.id} by ${r.incident.acknowledged?.by ?? f.author}`,
        );
        return 0;
      })(),
    ),
  );
  program
    .command('completion')
    .description('print a shell completion script: healer completion bash >> ~/.bashrc')
    .argument('<shell>', 'bash or zsh')
    .action((shell: string) =>
      run(
        Promise.resolve().then(() => {
          if (shell !== 'bash' && shell !== 'zsh')
            throw new CliError(`completion: shell must be bash or zsh, got "${shell}"`, 2);
          io.out.write(completionScript(program, shell));
          return 0;
        }),
      ),
    );
}

/** Commands, subcommands and long options of `program`, as a bash or zsh completion script. */
export function completionScript(program: Command, shell: 'bash' | 'zsh'): string {
  const words = (c: Command) => [
    ...c.commands.map((s) => s.name()),
    ...c.options.map((o) => o.long).filter((l): l is string => Boolean(l)),
  ];
  const cases = program.commands
    .map((c) => {
      const subs = c.commands
        .map((s) => `    ${c.name()}:${s.name()}) echo "${words(s).join(' ')}" ;;`)
        .join('\n');
      return `${subs ? `${subs}\n` : ''}    ${c.name()}) echo "${words(c).join(' ')}" ;;`;
    })
    .join('\n');
  const bash = `# healer completion (bash)
_healer_opts() {
  case "$1" in
${cases}
  esac
}
_healer() {
  local cur opts
  cur="\${COMP_WORDS[COMP_CWORD]}"
  if [ "$COMP_CWORD" -eq 1 ]; then
    COMPREPLY=( $(compgen -W "${words(program).join(' ')}" -- "$cur") )
    return
  fi
  opts=""
  [ "$COMP_CWORD" -gt 2 ] && opts="$(_healer_opts "\${COMP_WORDS[1]}:\${COMP_WORDS[2]}")"
  [ -z "$opts" ] && opts="$(_healer_opts "\${COMP_WORDS[1]}")"
  COMPREPLY=( $(compgen -W "$opts" -- "$cur") )
}
complete -F _healer healer
`;
  if (shell === 'bash') return bash;
  return `#compdef healer
# healer completion (zsh, through bash completion)
autoload -U +X bashcompinit && bashcompinit
${bash}`;
}
