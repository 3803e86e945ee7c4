import { z } from 'zod';
import type { SessionStart } from '../../domain/session.js';

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
  )
  .transform((v) => (v.trim() === '' ? '' : normaliseRepository(v)));

/** An optional name: `null`, missing and `""` all mean unset (upstream takes them all). */
const optName = (max: number) =>
  z
    .string(expected('a string or null'))
    .max(max)
    .nullable()
    .optional()
    .transform((v) => (v == null || v.trim() === '' ? null : v));

/** A list where `null` means empty and empty strings are dropped. */
const toolList = z
  .array(z.string(expected('a string')).max(256).nullable(), expected('an array of strings'))
  .max(1000, 'at most 1000 tools')
  .nullable()
  .optional()
  .transform((v) => (v ?? []).filter((x): x is string => typeof x === 'string' && x.trim() !== ''));

const localServerSchema = z
  .object({
    enabled: z
      .boolean(expected('true, false or null'))
      .nullable()
      .optional()
      .transform((v) => v ?? false),
    tools: toolList,
  })
  .nullable()
  .transform((v) => v ?? { enabled: false, tools: [] });

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
          .nullable()
          .optional()
          .transform((v) => v ?? {}),
      })
      .nullable()
      .optional()
      .transform((v) => v ?? { remote: [], localServers: {} }),
  })
  .nullable()
  .transform(
    (v) =>
      v ?? { githubApp: null, cli: null, model: null, tools: { remote: [], localServers: {} } },
  );

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
      .nullable()
      .optional()
      .transform((v) => v ?? {}),
  })
  .nullable()
  .optional()
  .transform((v) => v ?? { agents: {} });

const taskSchema = z.object({
  id: z
    .union(
      [z.string().max(253), z.number().int().nonnegative()],
      expected('a string or a non-negative integer'),
    )
    .transform(String),
  title: z.string(expected('a string')).max(4096),
  agent_hint: optName(253),
  dependencies: z
    .array(z.union([z.string().min(1).max(253), z.number().int()]).transform(String))
    .max(1000)
    .nullable()
    .optional()
    .transform((v) => v ?? []),
  priority: z
    .number(expected('an integer'))
    .int('must be an integer')
    .nullable()
    .optional()
    .transform((v) => v ?? 0),
});

export const sessionStartSchema = z.object(
  {
    play_id: playIdSchema,
    repository: repositorySchema,
    service: optName(253),
    namespace: z
      .string(expected('a string'))
      .max(63)
      .refine((v) => v === '' || DNS_LABEL_RE.test(v), 'must be a DNS-1123 label')
      .nullable()
      .optional()
      .transform((v) => (v == null || v === '' ? 'cto' : v)),
    cto_config: ctoConfigSchema,
    tasks: z
      .array(taskSchema, expected('an array'))
      .max(1000, 'at most 1000 tasks')
      .nullable()
      .optional()
      .transform((v) => v ?? []),
  },
  expected('a JSON object'),
) satisfies z.ZodType<Omit<SessionStart, 'warnings'>, unknown>;

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
  const walk = (v: unknown, path: string[]) => {
    if (path.length > 8 || out.length >= 50) return; // the shapes upstream sends are 6 deep
    const key = path.at(-1) ?? '';
    const where = path.join('.');
    const parent = path.at(-2) ?? '';
    const tolerated = TOLERATED.has(key) || parent === 'remote' || parent === 'tools';
    if (
      v === null &&
      path.length > 0 &&
      (tolerated || path.at(-3) === 'agents' || path.at(-3) === 'localServers')
    )
      out.push(`${where} was null; treated as unset`);
    else if (typeof v === 'string' && v.trim() === '' && path.length > 0 && key !== 'play_id')
      out.push(`${where} was empty; treated as unset`);
    else if (Array.isArray(v)) v.forEach((x, i) => walk(x, [...path, String(i)]));
    else if (v && typeof v === 'object')
      for (const [k, x] of Object.entries(v as Record<string, unknown>)) walk(x, [...path, k]);
  };
  walk(body, []);
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
