import { z } from 'zod';
import { causeOf } from '../incidents/grouping.js';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ALERT_IDS, ISSUE_TYPES, SEVERITIES } from '../domain/alert.js';
import { acknowledgement, type Incident } from '../domain/incident.js';
import { DECISION_REASONS, type RemediationAttempt } from '../domain/action.js';
import { redact, redactLines } from '../domain/redact.js';
import { errorEnvelopeSchema, idParamsSchema, type RouteApp } from './schemas/common.js';

const STATES = ['open', 'remediating', 'resolved', 'escalated', 'silenced'] as const;

const attemptSchema = z.object({
  attempt: z.number().int(),
  coderun: z.string(),
  namespace: z.string(),
  phase: z.string(),
  created_at: z.string(),
  finished_at: z.string().nullable(),
  pull_request_url: z.string().nullable(),
  failure: z.string().nullable(),
});

const attemptView = (a: RemediationAttempt): z.infer<typeof attemptSchema> => ({
  attempt: a.attempt,
  coderun: a.coderun,
  namespace: a.namespace,
  phase: a.phase,
  created_at: a.createdAt,
  finished_at: a.finishedAt,
  pull_request_url: a.pullRequestUrl,
  failure: a.failure ? redact(a.failure) : null,
});

export const incidentSchema = z.object({
  id: z.string(),
  fingerprint: z.string(),
  alert: z.enum(ALERT_IDS),
  severity: z.enum(SEVERITIES),
  issue_type: z.enum(ISSUE_TYPES),
  title: z.string(),
  description: z.string(),
  namespace: z.string(),
  play_id: z.string().nullable(),
  task_id: z.string().nullable(),
  agent: z.string().nullable(),
  subject: z.string(),
  state: z.enum(STATES),
  first_seen: z.string(),
  last_seen: z.string(),
  occurrences: z.number().int(),
  evidence: z.array(z.string()).describe('redacted'),
  context: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])),
  resolved_at: z.string().nullable(),
  resolution: z.string().nullable(),
  github_issue: z.object({ number: z.number().int(), url: z.string() }).nullable(),
  remediation_spawned: z.boolean(),
  reopened: z.number().int(),
  last_decision: z.string().nullable(),
  escalated_at: z.string().nullable(),
  acknowledged: z
    .object({ by: z.string(), at: z.string(), comment: z.string().nullable() })
    .nullable()
    .describe('who is on it; null once the incident changed (state, severity, reopened) since'),
  attempts: z.array(attemptSchema),
  evaluation: attemptSchema.nullable(),
  inhibited_by: z
    .object({ incident_id: z.string(), alert: z.string(), rule: z.string(), at: z.string() })
    .nullable()
    .describe(
      'a symptom of this open incident on the same agent run (patterns/inhibition.yaml): recorded as its child, not acted on',
    ),
  grouped_by: z
    .object({ incident_id: z.string(), rule: z.string(), key: z.string(), at: z.string() })
    .nullable()
    .describe(
      'shares its cause with other incidents (patterns/grouping.yaml): the child of the parent incident named by that cause, which alone gets the issue and the run',
    ),
  cause: z
    .object({ rule: z.string(), key: z.string() })
    .nullable()
    .describe('set on the parent of a cause group: the cause its children share'),
});

const decisionSchema = z.object({
  id: z.string(),
  at: z.string(),
  reason: z.enum(DECISION_REASONS),
  detail: z.string(),
  plan: z.array(z.string()),
});

const actionSchema = z.object({
  id: z.string(),
  action: z.string(),
  destination: z.string(),
  state: z.enum(['pending', 'done', 'failed']),
  attempts: z.number().int(),
  next_attempt_at: z.string(),
  last_error: z.string().nullable(),
  result: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])).nullable(),
  created_at: z.string(),
  updated_at: z.string(),
});

/** The API view of an incident: snake_case like the session object, evidence redacted. */
export function incidentView(i: Incident): z.infer<typeof incidentSchema> {
  return {
    id: i.id,
    fingerprint: i.fingerprint,
    alert: i.alert,
    severity: i.severity,
    issue_type: i.issueType,
    title: redact(i.title),
    description: redact(i.description),
    namespace: i.namespace,
    play_id: i.playId,
    task_id: i.taskId,
    agent: i.agent,
    subject: i.subject,
    state: i.state,
    first_seen: i.firstSeen,
    last_seen: i.lastSeen,
    occurrences: i.occurrences,
    evidence: redactLines(i.evidence),
    context: Object.fromEntries(
      Object.entries(i.context).map(([k, v]) => [k, typeof v === 'string' ? redact(v) : v]),
    ),
    resolved_at: i.resolvedAt,
    resolution: i.resolution,
    github_issue: i.githubIssue,
    remediation_spawned: i.remediationSpawned,
    reopened: i.reopened,
    last_decision: i.lastDecision ?? null,
    escalated_at: i.escalatedAt ?? null,
    acknowledged: ackView(i),
    attempts: (i.attempts ?? []).map(attemptView),
    evaluation: i.evaluation ? attemptView(i.evaluation) : null,
    inhibited_by: i.inhibitedBy
      ? {
          incident_id: i.inhibitedBy.incidentId,
          alert: i.inhibitedBy.alert,
          rule: i.inhibitedBy.rule,
          at: i.inhibitedBy.at,
        }
      : null,
    grouped_by: i.groupedBy
      ? {
          incident_id: i.groupedBy.incidentId,
          rule: i.groupedBy.rule,
          key: redact(i.groupedBy.key),
          at: i.groupedBy.at,
        }
      : null,
    cause: causeView(i),
  };
}

const causeView = (i: Incident) => {
  const c = causeOf(i);
  return c ? { rule: c.rule, key: redact(c.key) } : null;
};

const ackView = (i: Incident) => {
  const a = acknowledgement(i);
  return a ? { by: a.by, at: a.at, comment: a.comment === null ? null : redact(a.comment) } : null;
};

const ackBodySchema = z
  .object({
    by: z.string().trim().min(1).max(128).describe('who is on it'),
    comment: z.string().max(1000).optional(),
  })
  .strict();

/** Incidents: what Healer found, deduplicated by fingerprint. */
// eslint-disable-next-line @typescript-eslint/require-await
export const incidentRoutes: FastifyPluginAsyncZod = async (app) => {
  listIncidents(app);
  getIncident(app);
  acknowledgeIncident(app);
};

function listIncidents(app: RouteApp): void {
  app.get(
    '/api/v1/incidents',
    {
      schema: {
        summary: 'List incidents',
        description:
          'Newest last_seen first. Filter by state, play, alert and a last_seen range (since inclusive, until exclusive).',
        operationId: 'listIncidents',
        tags: ['incidents'],
        querystring: z.object({
          state: z.enum(STATES).optional(),
          play_id: z.string().max(253).optional(),
          alert: z.enum(ALERT_IDS).optional(),
          since: z.iso
            .datetime({ offset: true })
            .optional()
            .describe('last_seen at or after this (RFC 3339)'),
          until: z.iso
            .datetime({ offset: true })
            .optional()
            .describe('last_seen before this (RFC 3339)'),
          limit: z.coerce.number().int().min(1).max(5000).default(500),
        }),
        response: {
          200: z.object({
            status: z.literal('ok'),
            count: z.number().int(),
            incidents: z.array(incidentSchema),
          }),
          400: errorEnvelopeSchema,
        },
      },
    },
    async (req) => {
      const q = req.query;
      const rows = await app.incidents.list({
        limit: q.limit,
        ...(q.state ? { state: q.state } : {}),
        ...(q.play_id ? { playId: q.play_id } : {}),
        ...(q.alert ? { alert: q.alert } : {}),
        ...(q.since ? { lastSeenFrom: new Date(q.since).toISOString() } : {}),
        ...(q.until ? { lastSeenTo: new Date(q.until).toISOString() } : {}),
      });
      return { status: 'ok' as const, count: rows.length, incidents: rows.map(incidentView) };
    },
  );
}

function getIncident(app: RouteApp): void {
  app.get(
    '/api/v1/incidents/:id',
    {
      schema: {
        summary: 'One incident',
        description:
          'The incident with every decision taken on it (and why), its outbox actions and their outcomes, the GitHub issue and the remediation runs.',
        operationId: 'getIncident',
        tags: ['incidents'],
        params: idParamsSchema,
        response: {
          200: z.object({
            status: z.literal('ok'),
            incident: incidentSchema,
            decisions: z.array(decisionSchema),
            actions: z.array(actionSchema),
            children: z
              .array(
                z.object({
                  id: z.string(),
                  alert: z.string(),
                  title: z.string(),
                  state: z.string(),
                  relation: z
                    .enum(['inhibited', 'grouped'])
                    .describe('a symptom it inhibits, or an incident of the cause it names'),
                }),
              )
              .describe(
                'open incidents inhibited by this one (its symptoms) and, for a cause group, every incident of its cause (resolved ones too)',
              ),
          }),
          404: errorEnvelopeSchema,
        },
      },
    },
    async (req) => {
      const {
        incident: i,
        decisions,
        actions,
        children,
      } = await app.incidents.detail(req.params.id);
      return {
        status: 'ok' as const,
        incident: incidentView(i),
        decisions: decisions.map((d) => ({
          id: d.id,
          at: d.at,
          reason: d.reason,
          detail: redact(d.detail),
          plan: d.plan.map((p) => p.kind),
        })),
        actions: actions.map((a) => ({
          id: a.id,
          action: a.action.kind,
          destination: a.destination,
          state: a.state,
          attempts: a.attempts,
          next_attempt_at: a.nextAttemptAt,
          last_error: a.lastError ? redact(a.lastError) : null,
          result: a.result,
          created_at: a.createdAt,
          updated_at: a.updatedAt,
        })),
        children: children.map(({ incident: c, relation }) => ({
          id: c.id,
          alert: c.alert,
          title: redact(c.title),
          state: c.state,
          relation,
        })),
      };
    },
  );
}

function acknowledgeIncident(app: RouteApp): void {
  app.post(
    '/api/v1/incidents/:id/ack',
    {
      schema: {
        summary: 'Acknowledge an incident',
        description:
          'A person is on it: no more notifications or escalation for it until it changes (state, severity or a reopen). Recorded with who and when.',
        operationId: 'acknowledgeIncident',
        tags: ['incidents'],
        params: idParamsSchema,
        body: ackBodySchema,
        response: {
          200: z.object({ status: z.literal('ok'), incident: incidentSchema }),
          400: errorEnvelopeSchema,
          401: errorEnvelopeSchema,
          404: errorEnvelopeSchema,
          409: errorEnvelopeSchema,
          415: errorEnvelopeSchema,
        },
      },
    },
    async (req) => {
      const { by, comment } = req.body;
      const updated = await app.incidents.acknowledge(req.params.id, by, comment ?? null);
      return { status: 'ok' as const, incident: incidentView(updated) };
    },
  );
}
