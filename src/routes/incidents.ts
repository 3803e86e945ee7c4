import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ALERT_IDS, ISSUE_TYPES, SEVERITIES } from '../domain/alert.js';
import type { Incident } from '../domain/incident.js';
import { redact } from '../domain/redact.js';
import type { Store } from '../sessions/store.js';
import { errorEnvelopeSchema } from './schemas/session-start.js';

const STATES = ['open', 'remediating', 'resolved', 'escalated', 'silenced'] as const;

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
    evidence: i.evidence.map(redact),
    context: Object.fromEntries(
      Object.entries(i.context).map(([k, v]) => [k, typeof v === 'string' ? redact(v) : v]),
    ),
    resolved_at: i.resolvedAt,
    resolution: i.resolution,
    github_issue: i.githubIssue,
    remediation_spawned: i.remediationSpawned,
    reopened: i.reopened,
  };
}

/** Incidents: what Healer found, deduplicated by fingerprint. */
export const incidentRoutes =
  (store: Store): FastifyPluginAsyncZod =>
  // eslint-disable-next-line @typescript-eslint/require-await
  async (app) => {
    app.get(
      '/api/v1/incidents',
      {
        schema: {
          summary: 'List incidents',
          description: 'Newest last_seen first. Filter by state, play and alert.',
          operationId: 'listIncidents',
          tags: ['incidents'],
          querystring: z.object({
            state: z.enum(STATES).optional(),
            play_id: z.string().max(253).optional(),
            alert: z.enum(ALERT_IDS).optional(),
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
        const rows = await store.listIncidents({
          limit: q.limit,
          ...(q.state ? { state: q.state } : {}),
          ...(q.play_id ? { playId: q.play_id } : {}),
          ...(q.alert ? { alert: q.alert } : {}),
        });
        return { status: 'ok' as const, count: rows.length, incidents: rows.map(incidentView) };
      },
    );

    app.get(
      '/api/v1/incidents/:id',
      {
        schema: {
          summary: 'One incident',
          operationId: 'getIncident',
          tags: ['incidents'],
          params: z.object({ id: z.string().max(100) }),
          response: {
            200: z.object({ status: z.literal('ok'), incident: incidentSchema }),
            404: errorEnvelopeSchema,
          },
        },
      },
      async (req, reply) => {
        const i = await store.getIncident(req.params.id);
        if (!i)
          return reply
            .code(404)
            .send({ status: 'error', message: `Incident not found: ${req.params.id}` });
        return { status: 'ok' as const, incident: incidentView(i) };
      },
    );
  };
