import type { Command } from 'commander';
import type { Session, SessionSummary } from '../domain/session.js';
import { getJson } from './client.js';
import { CliError, println, type Io } from './io.js';

const DEFAULT_URL = 'http://localhost:8083';

interface ListBody {
  status: string;
  count: number;
  sessions: SessionSummary[];
  message?: string;
}

const pad = (s: string, n: number) => (s.length >= n ? s : s + ' '.repeat(n - s.length));

/** `healer sessions [--active] [--json]`. */
export async function listSessions(
  opts: { url: string; active: boolean; json: boolean },
  io: Io,
): Promise<number> {
  const { status, body } = await getJson<ListBody>(
    opts.url,
    opts.active ? 'api/v1/sessions/active' : 'api/v1/sessions',
  );
  if (status !== 200)
    throw new CliError(`Healer answered ${status}: ${body.message ?? 'no message'}`);
  if (opts.json) {
    println(io.out, JSON.stringify(body, null, 2));
    return 0;
  }
  if (body.sessions.length === 0) {
    println(io.out, opts.active ? 'no active sessions' : 'no sessions');
    return 0;
  }
  const cols = [28, 32, 10, 6, 7, 24];
  println(
    io.out,
    ['PLAY', 'REPOSITORY', 'STATUS', 'TASKS', 'ISSUES', 'STARTED']
      .map((h, i) => pad(h, cols[i]))
      .join(' '),
  );
  for (const s of body.sessions) {
    const row = [
      s.play_id,
      s.repository,
      s.status,
      String(s.task_count),
      String(s.issue_count),
      s.started_at,
    ];
    println(io.out, row.map((c, i) => pad(c, cols[i])).join(' '));
  }
  return 0;
}

/** `healer status --play-id X [--json]`. */
export async function sessionStatus(
  opts: { url: string; playId: string; json: boolean },
  io: Io,
): Promise<number> {
  const { status, body } = await getJson<{ session: Session | null; message: string | null }>(
    opts.url,
    `api/v1/session/${encodeURIComponent(opts.playId)}`,
  );
  if (status === 404) throw new CliError(`no session for play ${opts.playId}`);
  if (status !== 200 || !body.session)
    throw new CliError(`Healer answered ${status}: ${body.message ?? 'no message'}`);
  const s = body.session;
  if (opts.json) {
    println(io.out, JSON.stringify(s, null, 2));
    return 0;
  }
  println(io.out, `${s.play_id}  ${s.status}  ${s.repository}  (namespace ${s.namespace})`);
  println(
    io.out,
    `started ${s.started_at}, last update ${s.last_updated}${s.ended_at ? `, ended ${s.ended_at} (${s.end_reason ?? 'no reason'})` : ''}`,
  );
  println(io.out, `tasks: ${s.tasks.map((t) => `${t.id} ${t.title}`).join('; ') || 'none'}`);
  println(io.out, 'agents:');
  for (const a of s.agents) {
    println(
      io.out,
      `  ${pad(a.name, 10)} ${pad(a.stage, 15)} ${pad(a.phase, 10)} pod=${a.pod ?? '-'} preflight=${a.preflight.state}`,
    );
  }
  if (s.pr)
    println(
      io.out,
      `pr: #${s.pr.number} ${s.pr.state} mergeable=${String(s.pr.mergeable)} ${s.pr.url}`,
    );
  println(io.out, `issues: ${s.issues.length}`);
  for (const i of s.issues) {
    println(
      io.out,
      `  [${i.severity}] ${i.alert} ${i.state} x${i.occurrences} ${i.agent ?? ''} ${i.description}`,
    );
  }
  return 0;
}

export function registerSessionCommands(
  program: Command,
  io: Io,
  run: (p: Promise<number>) => void,
): void {
  program
    .command('sessions')
    .description('list the sessions of a running Healer')
    .option('--active', 'only active sessions', false)
    .option('--json', 'print the JSON answer', false)
    .option('--url <url>', 'Healer base URL', DEFAULT_URL)
    .action((opts: { url: string; active: boolean; json: boolean }) => run(listSessions(opts, io)));

  program
    .command('status')
    .description("show one Play's session: agents, pre-flight, PR and issues")
    .requiredOption('--play-id <id>', 'the play id')
    .option('--json', 'print the session as JSON', false)
    .option('--url <url>', 'Healer base URL', DEFAULT_URL)
    .action((opts: { url: string; playId: string; json: boolean }) => run(sessionStatus(opts, io)));
}
