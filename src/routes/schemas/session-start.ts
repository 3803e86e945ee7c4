import { z } from 'zod';
import type { SessionStart } from '../../domain/session.js';

/** Request body of POST /api/v1/session/start (api.md). Unknown keys are stripped. */

export const PLAY_ID_RE = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;
const DNS_LABEL_RE = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const REPO_RE = /^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/;

/** Error option telling a missing value ("is required") from a wrong type ("must be …"). */
const expected = (what: string) => ({
  error: (iss: { input?: unknown }) =>
    iss.input === undefined ? 'is required' : `must be ${what}`,
});

export const playIdSchema = z
  .string(expected('a string'))
  .min(1, 'must not be empty')
  .max(253, 'must be at most 253 characters')
  .regex(
    PLAY_ID_RE,
    'must be lower-case letters, digits, "-" and ".", starting and ending alphanumeric',
  );

/** `owner/repo`, or a GitHub URL normalised to it. */
export function normaliseRepository(input: string): string {
  const url = /^https?:\/\/[^/]+\/([^/]+)\/([^/?#]+?)(?:\.git)?\/?$/.exec(input.trim());
  return url ? `${url[1]}/${url[2]}` : input.trim();
}

const repositorySchema = z
  .string(expected('a string'))
  .max(512, 'must be at most 512 characters')
  .transform(normaliseRepository)
  .pipe(z.string().regex(REPO_RE, 'must be owner/repo or a https://github.com/owner/repo URL'));

const name = (max: number) => z.string(expected('a string')).min(1, 'must not be empty').max(max);
const toolList = z
  .array(name(256), expected('an array of strings'))
  .max(1000, 'at most 1000 tools')
  .default([]);

const localServerSchema = z.object({
  enabled: z.boolean(expected('true or false')).default(false),
  tools: toolList,
});

const agentSchema = z.object({
  githubApp: name(253).nullable().default(null),
  cli: name(253).nullable().default(null),
  model: name(253).nullable().default(null),
  tools: z
    .object({
      remote: toolList,
      localServers: z
        .record(name(253), localServerSchema, expected('an object of servers'))
        .default({}),
    })
    .prefault({}),
});

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
      .default({}),
  })
  .prefault({});

const taskSchema = z.object({
  id: z
    .union(
      [z.string().min(1).max(253), z.number().int().nonnegative()],
      expected('a string or a non-negative integer'),
    )
    .transform(String),
  title: name(4096),
  agent_hint: name(253).nullable().default(null),
  dependencies: z
    .array(z.union([z.string().min(1).max(253), z.number().int()]).transform(String))
    .max(1000)
    .default([]),
  priority: z.number(expected('an integer')).int('must be an integer').default(0),
});

export const sessionStartSchema = z.object(
  {
    play_id: playIdSchema,
    repository: repositorySchema,
    service: name(253).nullable().default(null),
    namespace: z
      .string(expected('a string'))
      .max(63)
      .regex(DNS_LABEL_RE, 'must be a DNS-1123 label')
      .default('cto'),
    cto_config: ctoConfigSchema,
    tasks: z.array(taskSchema, expected('an array')).max(1000, 'at most 1000 tasks').default([]),
  },
  expected('a JSON object'),
) satisfies z.ZodType<SessionStart, unknown>;

export const startResponseSchema = z.object({
  status: z.literal('ok'),
  session_id: z.string(),
  message: z.string(),
});

export const errorEnvelopeSchema = z.object({
  status: z.literal('error'),
  session_id: z.string().nullable().optional(),
  message: z.string(),
  errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
});
