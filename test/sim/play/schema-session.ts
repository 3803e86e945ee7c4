// The session start payload a Play begins with (api.md, POST /api/v1/session/start). Scenario
// files are strict (a misspelt key is an error); the parsed value is a valid request body.
import { z } from 'zod';
import { DNS_LABEL, DNS_SUBDOMAIN, taskIdSchema } from './schema-common.js';

const nullableString = z.string().nullable().default(null);

const localServerSchema = z.strictObject({
  enabled: z.boolean().default(false),
  tools: z.array(z.string()).default([]),
});

const toolsSchema = z.strictObject({
  remote: z.array(z.string()).max(1000).default([]),
  localServers: z.record(z.string(), localServerSchema).default({}),
});

export const agentConfigSchema = z.strictObject({
  githubApp: nullableString,
  cli: nullableString,
  model: nullableString,
  tools: toolsSchema.default({ remote: [], localServers: {} }),
});

const taskSchema = z.strictObject({
  id: taskIdSchema,
  title: z.string().min(1),
  agent_hint: nullableString,
  dependencies: z.array(taskIdSchema).default([]),
  priority: z.number().int().default(0),
});

export const sessionSchema = z.strictObject({
  play_id: z
    .string()
    .min(1)
    .max(253)
    .regex(
      DNS_SUBDOMAIN,
      'must match ^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$ (label selectors and LogQL)',
    ),
  repository: z.string().regex(/^[\w.-]+\/[\w.-]+$/, 'must be owner/repo'),
  service: z.string().max(253).nullable().default(null),
  namespace: z.string().max(63).regex(DNS_LABEL, 'must be a DNS-1123 label').default('cto'),
  cto_config: z
    .strictObject({
      agents: z.record(z.string(), agentConfigSchema).refine((a) => Object.keys(a).length <= 64, {
        message: 'at most 64 agents',
      }),
    })
    .default({ agents: {} }),
  tasks: z.array(taskSchema).min(1, 'a scenario needs at least one task'),
});

export type SessionStart = z.output<typeof sessionSchema>;
export type AgentConfig = z.output<typeof agentConfigSchema>;
