// `healer memory list|query|stats|get`: what the agents (and Healer's remediations) remembered,
// from OpenMemory's REST API at OPENMEMORY_URL. `--agent` is OpenMemory's user_id.
import type { Command } from 'commander';
import {
  OpenMemoryClient,
  OpenMemoryError,
  type MemoryItem,
} from '../sources/memory/openmemory.js';
import { CliError, type Io } from './io.js';
import {
  EXIT,
  EXIT_CODES_HELP,
  FORMAT_FLAG,
  Printer,
  globalsOf,
  intFlag,
  resolveFormat,
} from './output.js';

interface MemoryOptions {
  agent?: string;
  taskId?: string;
  text?: string;
  limit?: string;
  id?: string;
  format?: string;
}

const AGENT = /^[A-Za-z0-9._-]{1,64}$/;

function clientFrom(env: Record<string, string | undefined>): OpenMemoryClient {
  const url = env.OPENMEMORY_URL;
  if (!url) throw new CliError('OPENMEMORY_URL is not set', EXIT.usage);
  try {
    new URL(url);
  } catch {
    throw new CliError(`OPENMEMORY_URL "${url}" is not a URL`, EXIT.usage);
  }
  return new OpenMemoryClient({ url, apiKey: env.OPENMEMORY_API_KEY });
}

const taskOf = (m: { metadata?: Record<string, unknown> }) => {
  const t = m.metadata?.task_id ?? m.metadata?.taskId;
  return typeof t === 'string' || typeof t === 'number' ? String(t) : null;
};

const when = (ms: number) => (Number.isFinite(ms) ? new Date(ms).toISOString() : '-');
const oneLine = (s: string, n = 120) => {
  const flat = s.replace(/\s+/g, ' ').trim();
  return flat.length > n ? `${flat.slice(0, n - 1)}…` : flat;
};

/** Every memory of an agent (pages of 100), newest first. */
async function allOf(
  client: OpenMemoryClient,
  agent: string | undefined,
  max = 10_000,
): Promise<MemoryItem[]> {
  const out: MemoryItem[] = [];
  for (let offset = 0; offset < max; offset += 100) {
    const page = await client.all({ limit: 100, offset, ...(agent ? { userId: agent } : {}) });
    out.push(...page);
    if (page.length < 100) break;
  }
  return out;
}

type Client = ReturnType<typeof clientFrom>;
type Memory = Awaited<ReturnType<typeof allOf>>[number];

async function memoryGet(client: Client, opts: MemoryOptions, printer: Printer): Promise<number> {
  if (!opts.id) throw new CliError('memory get needs --id', EXIT.usage);
  const m = await client.get(opts.id);
  if (!m) throw new CliError(`no memory ${opts.id}`, EXIT.found);
  printer.emit(
    { ...m },
    `${m.id} [${m.primary_sector}] ${when(m.created_at)} tags=${m.tags.join(',') || '-'}\n${m.content}`,
  );
  return EXIT.ok;
}

async function memoryQuery(
  client: Client,
  opts: MemoryOptions,
  limit: number,
  userId: string | undefined,
  printer: Printer,
): Promise<number> {
  if (!opts.text) throw new CliError('memory query needs --text', EXIT.usage);
  // ask for more when filtering by task afterwards
  const matches = await client.query(opts.text, {
    k: opts.taskId ? limit * 5 : limit,
    ...(userId ? { userId } : {}),
  });
  let shown = 0;
  for (const m of matches) {
    if (opts.taskId) {
      const full = await client.get(m.id);
      if (!full || taskOf(full) !== opts.taskId) continue;
    }
    if (shown++ >= limit) break;
    printer.emit(
      { ...m },
      `${m.score.toFixed(2)} ${m.id} [${m.primary_sector}] ${oneLine(m.content)}`,
    );
  }
  if (shown === 0) printer.say('no matching memories');
  return EXIT.ok;
}

const counts = (o: Record<string, number>): string =>
  Object.entries(o)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ') || '-';

function memoryStats(items: Memory[], userId: string | undefined, printer: Printer): number {
  const bySector: Record<string, number> = {};
  const byTag: Record<string, number> = {};
  for (const m of items) {
    bySector[m.primary_sector] = (bySector[m.primary_sector] ?? 0) + 1;
    for (const t of m.tags) byTag[t] = (byTag[t] ?? 0) + 1;
  }
  const created = items.map((m) => m.created_at);
  const stats = {
    agent: userId ?? null,
    total: items.length,
    by_sector: bySector,
    by_tag: byTag,
    oldest: items.length ? when(Math.min(...created)) : null,
    newest: items.length ? when(Math.max(...created)) : null,
    mean_salience: items.length
      ? Number((items.reduce((s, m) => s + m.salience, 0) / items.length).toFixed(3))
      : null,
  };
  printer.emit(
    stats,
    [
      `memories${userId ? ` of ${userId}` : ''}: ${stats.total}`,
      `by sector: ${counts(bySector)}`,
      `by tag: ${counts(byTag)}`,
      `oldest ${stats.oldest ?? '-'}, newest ${stats.newest ?? '-'}, mean salience ${stats.mean_salience ?? '-'}`,
    ].join('\n'),
  );
  return EXIT.ok;
}

export async function memoryCommand(
  sub: 'list' | 'query' | 'stats' | 'get',
  opts: MemoryOptions,
  env: Record<string, string | undefined>,
  printer: Printer,
): Promise<number> {
  if (opts.agent !== undefined && !AGENT.test(opts.agent))
    throw new CliError(`--agent "${opts.agent}" is not an agent name`, EXIT.usage);
  const limit = intFlag(opts.limit, '--limit') ?? (sub === 'query' ? 10 : 20);
  const client = clientFrom(env);
  const userId = opts.agent?.toLowerCase();
  try {
    if (sub === 'get') return await memoryGet(client, opts, printer);
    if (sub === 'query') return await memoryQuery(client, opts, limit, userId, printer);
    const items = (
      sub === 'stats'
        ? await allOf(client, userId)
        : await allOf(client, userId, opts.taskId ? 10_000 : limit)
    ).filter((m) => !opts.taskId || taskOf(m) === opts.taskId);
    if (sub === 'stats') return memoryStats(items, userId, printer);
    for (const m of items.slice(0, limit))
      printer.emit(
        { ...m },
        `${when(m.created_at)} ${m.id} [${m.primary_sector}] ${oneLine(m.content)}`,
      );
    if (items.length === 0) printer.say('no memories');
    return EXIT.ok;
  } catch (err) {
    if (err instanceof OpenMemoryError)
      throw new CliError(err.message, err.unreachable ? EXIT.unreachable : EXIT.failed);
    throw err;
  }
}

export function registerMemory(
  program: Command,
  io: Io,
  run: (p: Promise<number>) => void,
  env: Record<string, string | undefined> = process.env,
): void {
  const memory = program
    .command('memory')
    .description('what agents and remediations remembered, from OpenMemory (OPENMEMORY_URL)');
  const sub = (name: 'list' | 'query' | 'stats' | 'get', description: string, example: string) =>
    memory
      .command(name)
      .description(description)
      .option(...FORMAT_FLAG)
      .addHelpText('after', `\nExample:\n  ${example}${EXIT_CODES_HELP}`)
      .action((opts: MemoryOptions, c: Command) =>
        run(
          memoryCommand(
            name,
            opts,
            env,
            new Printer(io, resolveFormat(opts.format, io.out), globalsOf(c)),
          ),
        ),
      );
  sub('list', 'recent memories, newest first', 'healer memory list --agent rex --limit 20')
    .option('--agent <name>', 'only this agent (OpenMemory user_id)')
    .option('--task-id <id>', 'only memories about this task (metadata.task_id)')
    .option('--limit <n>', 'how many', '20');
  sub(
    'query',
    'semantic search',
    'healer memory query --text "git authentication errors" --agent rex',
  )
    .option('--text <text>', 'what to look for')
    .option('--agent <name>', 'only this agent (OpenMemory user_id)')
    .option('--task-id <id>', 'only memories about this task (metadata.task_id)')
    .option('--limit <n>', 'how many', '10');
  sub('stats', 'counts by sector and tag, oldest and newest', 'healer memory stats --agent tess')
    .option('--agent <name>', 'only this agent (OpenMemory user_id)')
    .option('--task-id <id>', 'only memories about this task (metadata.task_id)');
  sub('get', 'one memory by id', 'healer memory get --id 3f1c…').option(
    '--id <id>',
    'the memory id',
  );
}
