import { z } from 'zod';
import type { AgentConfig, LocalServerConfig, SessionStart } from '../../domain/session.js';

/** Request body of POST /api/v1/session/start (api.md). Unknown keys are stripped. */

/** Play ids as the platform names them: DNS-1123 (kept for the silences API and the simulator). */
export const PLAY_ID_RE = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;
const DNS_LABEL_RE = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
// eslint-disable-next-line no-control-regex -- the point is to find control characters
const CONTROL_RE = /[\u0000-\u001f\u007f-\u009f]/;

/** Error option telling a missing value ("is required") from a wrong type ("must be …"). */
const expected = (what: string) => ({
  error: (iss: { input?: unknown }) =>
    iss.input === undefined ? 'is required' : `must be ${what}`,
});

/**
 * Any non-empty play id of at most 253 characters without control characters, kept exactly as sent
 * (upstream takes any string: `Play-ABC`, `play_task_4`). Where it meets Kubernetes names, label
 * values or selectors it is used in its normalised form ({@link playIdKey}).
 */
export const playIdSchema = z
  .string(expected('a string'))
  .min(1, 'must not be empty')
  .max(253, 'must be at most 253 characters')
  .refine((v) => !CONTROL_RE.test(v), 'must not contain control characters')
  // invalid UTF-8 in the body decodes to U+FFFD: upstream's JSON parser refuses such a body
  .refine((v) => !v.includes('\uFFFD'), 'must be valid UTF-8')
  .refine((v) => v.trim() !== '', 'must not be blank');

/**
 * Where the repository lives: `owner/name` for GitHub (github.com or a GitHub Enterprise host whose
 * URL says so), the full path with subgroups for any other host. `null` when it is not a
 * repository reference at all.
 */
export interface RepositoryRef {
  /** `owner/name`, or `group/sub/name` off GitHub; a bare name stays bare (the route adds the owner). */
  path: string;
  host: string | null;
  bare: boolean;
}

const SEGMENT = /^[A-Za-z0-9_.][A-Za-z0-9_.-]*$/;

/** owner/name, a bare name, or an HTTPS / SSH (scp-like or ssh://) URL with subgroups and `.git`. */
export function parseRepository(input: string): RepositoryRef | null {
  const v = input.trim();
  let host: string | null = null;
  let path = v;
  const url = /^(?:https?|ssh|git):\/\/(?:[^@/]+@)?([^/:]+)(?::\d+)?\/(.+)$/i.exec(v);
  const scp = url ? null : /^[^@\s/]+@([^:/\s]+):(.+)$/.exec(v);
  if (url) [host, path] = [url[1].toLowerCase(), url[2]];
  else if (scp) [host, path] = [scp[1].toLowerCase(), scp[2]];
  path = path
    .replace(/[?#].*$/, '')
    .replace(/\/+$/, '')
    .replace(/\.git$/i, '');
  const parts = path.split('/');
  if (parts.some((p) => !SEGMENT.test(p) || p === '.' || p === '..')) return null;
  if (host === null && parts.length > 2) return null;
  if (host !== null && parts.length < 2) return null;
  return { path: parts.join('/'), host, bare: parts.length === 1 };
}

/** `owner/repo`, or a GitHub URL normalised to it (bare names and other hosts are kept as parsed). */
export function normaliseRepository(input: string): string {
  return parseRepository(input)?.path ?? input.trim();
}

const repositorySchema = z
  .string(expected('a string'))
  .max(512, 'must be at most 512 characters')
  .refine(
    (v) => v.trim() === '' || parseRepository(v) !== null,
    'must be owner/name, a bare name, or a GitHub or GitLab HTTPS or SSH URL',
  );

// The schema below only validates; one transform at the end (normaliseStart) turns what upstream
// may send as unset (`null`, missing, `""`) into the session's values. A transform per field
// would cost a pipe per leaf on every request (the start route's largest CPU cost, issue #11).

/** An optional name: `null`, missing and `""` all mean unset (upstream takes them all). */
const optName = (max: number) => z.string(expected('a string or null')).max(max).nullish();
const name = (v: string | null | undefined): string | null =>
  v == null || v.trim() === '' ? null : v;

/** A list where `null` means empty and empty strings are dropped. */
const toolList = z
  .array(z.string(expected('a string')).max(256).nullable(), expected('an array of strings'))
  .max(1000, 'at most 1000 tools')
  .nullish();
const tools = (v: (string | null)[] | null | undefined): string[] =>
  (v ?? []).filter((x): x is string => typeof x === 'string' && x.trim() !== '');

const localServerSchema = z
  .object({ enabled: z.boolean(expected('true, false or null')).nullish(), tools: toolList })
  .nullable();

const agentSchema = z
  .object({
    githubApp: optName(253),
    cli: optName(253),
    model: optName(253),
    tools: z
      .object({
        remote: toolList,
        localServers: z
          .record(z.string().min(1).max(253), localServerSchema, expected('an object of servers'))
          .nullish(),
      })
      .nullish(),
  })
  .nullable();

const agentName = z
  .string()
  .min(1)
  .max(63, 'agent name must be at most 63 characters')
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, 'agent name must be letters, digits, "-", "_" or "."');

const ctoConfigSchema = z
  .object({
    agents: z
      .record(agentName, agentSchema, expected('an object of agents'))
      .refine((a) => Object.keys(a).length <= 64, 'at most 64 agents')
      .nullish(),
  })
  .nullish();

const taskSchema = z.object({
  id: z.union(
    [z.string().max(253), z.number().int().nonnegative()],
    expected('a string or a non-negative integer'),
  ),
  title: z.string(expected('a string')).max(4096),
  agent_hint: optName(253),
  dependencies: z
    .array(z.union([z.string().min(1).max(253), z.number().int()]))
    .max(1000)
    .nullish(),
  priority: z.number(expected('an integer')).int('must be an integer').nullish(),
});

type RawStart = z.output<typeof rawStartSchema>;
type RawAgent = NonNullable<z.output<typeof agentSchema>>;

const rawStartSchema = z.object(
  {
    play_id: playIdSchema,
    repository: repositorySchema,
    service: optName(253),
    namespace: z
      .string(expected('a string'))
      .max(63)
      .refine((v) => v === '' || DNS_LABEL_RE.test(v), 'must be a DNS-1123 label')
      .nullish(),
    cto_config: ctoConfigSchema,
    tasks: z.array(taskSchema, expected('an array')).max(1000, 'at most 1000 tasks').nullish(),
  },
  expected('a JSON object'),
);

function normaliseAgent(a: RawAgent | null): AgentConfig {
  const servers: Record<string, LocalServerConfig> = {};
  for (const [k, v] of Object.entries(a?.tools?.localServers ?? {}))
    servers[k] = { enabled: v?.enabled ?? false, tools: tools(v?.tools) };
  return {
    githubApp: name(a?.githubApp),
    cli: name(a?.cli),
    model: name(a?.model),
    tools: { remote: tools(a?.tools?.remote), localServers: servers },
  };
}

/** The session's values for what was sent: unset fields get their defaults (api.md). */
function normaliseStart(v: RawStart): Omit<SessionStart, 'warnings'> {
  const agents: Record<string, AgentConfig> = {};
  for (const [k, a] of Object.entries(v.cto_config?.agents ?? {})) agents[k] = normaliseAgent(a);
  return {
    play_id: v.play_id,
    repository: v.repository.trim() === '' ? '' : normaliseRepository(v.repository),
    service: name(v.service),
    namespace: v.namespace == null || v.namespace === '' ? 'cto' : v.namespace,
    cto_config: { agents },
    tasks: (v.tasks ?? []).map((t) => ({
      id: String(t.id),
      title: t.title,
      agent_hint: name(t.agent_hint),
      dependencies: (t.dependencies ?? []).map(String),
      priority: t.priority ?? 0,
    })),
  };
}

export const sessionStartSchema = rawStartSchema.transform(normaliseStart) satisfies z.ZodType<
  Omit<SessionStart, 'warnings'>,
  unknown
>;

/** Keys whose `null` or `""` the start route tolerates (upstream's optional or defaulted fields). */
const TOLERATED = new Set([
  'repository',
  'service',
  'namespace',
  'cto_config',
  'agents',
  'githubApp',
  'cli',
  'model',
  'tools',
  'remote',
  'localServers',
  'enabled',
  'agent_hint',
  'dependencies',
  'priority',
  'tasks',
]);

/**
 * What the start route accepted but a person should know (kept on the session as `warnings`):
 * every `null` or empty string it treated as unset, empty tool names it dropped, a bare
 * repository name given an owner, a repository off GitHub. Reads the body as sent.
 */
export function startWarnings(body: unknown, defaultOwner: string): string[] {
  const out: string[] = [];
  const path: string[] = []; // one stack for the whole walk: the request path allocates nothing
  const walk = (v: unknown) => {
    if (path.length > 8 || out.length >= 50) return; // the shapes upstream sends are 6 deep
    const depth = path.length;
    const key = path[depth - 1] ?? '';
    if (v === null && depth > 0) {
      const parent = path[depth - 2] ?? '';
      const tolerated = TOLERATED.has(key) || parent === 'remote' || parent === 'tools';
      const grand = path[depth - 3];
      if (tolerated || grand === 'agents' || grand === 'localServers')
        out.push(`${path.join('.')} was null; treated as unset`);
    } else if (typeof v === 'string') {
      if (depth > 0 && key !== 'play_id' && v.trim() === '')
        out.push(`${path.join('.')} was empty; treated as unset`);
    } else if (Array.isArray(v))
      v.forEach((x, i) => {
        path.push(String(i));
        walk(x);
        path.pop();
      });
    else if (v && typeof v === 'object')
      for (const k in v as Record<string, unknown>) {
        if (!Object.hasOwn(v, k)) continue;
        path.push(k);
        walk((v as Record<string, unknown>)[k]);
        path.pop();
      }
  };
  walk(body);
  const repo = (body as { repository?: unknown } | null)?.repository;
  if (typeof repo === 'string') {
    const ref = parseRepository(repo);
    if (ref?.bare)
      out.push(`repository "${repo}" has no owner; taken as ${defaultOwner}/${ref.path}`);
    if (ref?.host && ref.host !== 'github.com' && !ref.host.startsWith('github.'))
      out.push(
        `repository is on ${ref.host}, not GitHub: the PR rules and GitHub issues do not apply to it`,
      );
  }
  return out.slice(0, 50);
}

export const startResponseSchema = z.object({
  status: z.literal('ok'),
  session_id: z.string(),
  message: z.string(),
});

export { errorEnvelopeSchema } from './common.js';
