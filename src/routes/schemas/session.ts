import { z } from 'zod';
import { ALERT_IDS, ISSUE_TYPES, SEVERITIES } from '../../domain/alert.js';
import { SESSION_STATUSES } from '../../domain/session.js';
import { thresholdSchema } from '../thresholds.js';

/** Response shapes (api.md "Session object", list response). Used for the OpenAPI document. */

const iso = z.string().describe('RFC 3339 UTC');

const preflightItem = z.object({
  id: z.string(),
  label: z.string(),
  state: z.enum(['passed', 'failed', 'unknown']),
  evidence: z.string().nullable(),
});

const thresholdValue = thresholdSchema.omit({ description: true });

const sessionAgent = z.object({
  name: z.string(),
  stage: z.string(),
  github_app: z.string().nullable(),
  pod: z.string().nullable(),
  coderun: z.string().nullable(),
  phase: z.string(),
  started_at: iso.nullable(),
  finished_at: iso.nullable().optional(),
  thresholds: z
    .object({
      'step-timeout': thresholdValue.optional(),
      'stuck-coderun': thresholdValue.optional(),
      'stale-progress': thresholdValue.optional(),
    })
    .optional()
    .describe('A8, A9 and A3 thresholds fixed when the agent was first seen, with their basis'),
  preflight: z.object({
    state: z.enum(['pending', 'passed', 'failed', 'unknown']),
    items: z.array(preflightItem),
  }),
});

const sessionIssue = z.object({
  detected_at: iso,
  issue_type: z.enum(ISSUE_TYPES),
  severity: z.enum(SEVERITIES),
  description: z.string(),
  agent: z.string().nullable(),
  task_id: z.string().nullable(),
  remediation_spawned: z.boolean(),
  github_issue: z.string().nullable(),
  alert: z.enum(ALERT_IDS),
  incident_id: z.string(),
  occurrences: z.number().int(),
  last_seen: iso,
  evidence: z.array(z.string()),
  state: z.enum(['open', 'remediating', 'resolved', 'escalated', 'silenced']),
});

const agentConfig = z.object({
  githubApp: z.string().nullable(),
  cli: z.string().nullable(),
  model: z.string().nullable(),
  tools: z.object({
    remote: z.array(z.string()),
    localServers: z.record(
      z.string(),
      z.object({ enabled: z.boolean(), tools: z.array(z.string()) }),
    ),
  }),
});

export const sessionSchema = z.object({
  play_id: z.string(),
  repository: z.string(),
  service: z.string().nullable(),
  namespace: z.string(),
  cto_config: z.object({ agents: z.record(z.string(), agentConfig) }),
  tasks: z.array(
    z.object({
      id: z.string(),
      title: z.string(),
      agent_hint: z.string().nullable(),
      dependencies: z.array(z.string()),
      priority: z.number().int(),
    }),
  ),
  warnings: z
    .array(z.string())
    .optional()
    .describe(
      'What the start request carried that was tolerated: nulls, empty strings, a bare repository name',
    ),
  status: z.enum(SESSION_STATUSES),
  started_at: iso,
  last_updated: iso,
  ended_at: iso.nullable(),
  end_reason: z.string().nullable(),
  agents: z.array(sessionAgent),
  issues: z.array(sessionIssue),
  pr: z
    .object({
      number: z.number().int(),
      url: z.string(),
      state: z.string(),
      mergeable: z.boolean().nullable(),
      checks: z.object({
        passed: z.number().int(),
        failed: z.number().int(),
        pending: z.number().int(),
      }),
    })
    .nullable(),
});

export const sessionResponseSchema = z.object({
  status: z.literal('ok'),
  session: sessionSchema,
  message: z.null(),
});

export { sessionNotFoundSchema } from './common.js';

export const sessionSummarySchema = z.object({
  play_id: z.string(),
  repository: z.string(),
  status: z.enum(SESSION_STATUSES),
  task_count: z.number().int(),
  issue_count: z.number().int(),
  started_at: iso,
  last_updated: iso,
});

export const listResponseSchema = z.object({
  status: z.literal('ok'),
  count: z.number().int(),
  sessions: z.array(sessionSummarySchema),
  next_cursor: z
    .string()
    .optional()
    .describe('present when more sessions follow; pass it as ?cursor='),
});

export const listQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(5000).default(500),
  cursor: z.string().max(1024).optional(),
});

export const completeBodySchema = z.object({
  status: z.enum(['completed', 'failed', 'cancelled'], {
    error: 'must be one of completed, failed, cancelled',
  }),
  reason: z.string().max(1024).optional(),
});

export const completeResponseSchema = z.object({
  status: z.literal('ok'),
  session_id: z.string(),
  message: z.string(),
  session: sessionSchema,
});

export const playIdParamsSchema = z.object({ play_id: z.string().min(1).max(253) });
