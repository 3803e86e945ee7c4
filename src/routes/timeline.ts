import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { redact } from '../domain/redact.js';
import type { Store } from '../domain/stores.js';
import type { SessionService } from '../sessions/service.js';
import { playIdParamsSchema, sessionNotFoundSchema } from './schemas/session.js';

const entrySchema = z.object({
  at: z.string(),
  type: z.enum(['session', 'agent', 'alert', 'decision', 'action', 'resolution', 'log-gap']),
  incident_id: z.string().nullable(),
  summary: z.string(),
  detail: z.record(z.string(), z.unknown()),
});
type Entry = z.infer<typeof entrySchema>;

/** `GET /api/v1/session/{play_id}/timeline`: what happened to a Play, and why Healer did what it did. */
export const timelineRoutes =
  (sessions: SessionService, store: Store): FastifyPluginAsyncZod =>
  // eslint-disable-next-line @typescript-eslint/require-await
  async (app) => {
    app.get(
      '/api/v1/session/:play_id/timeline',
      {
        schema: {
          summary: "A Play's timeline",
          description:
            'Session start and end, agents starting, every alert (incident first seen, repeats, resolution), every decision with its reason, and every action with its outcome, in time order.',
          operationId: 'sessionTimeline',
          tags: ['sessions'],
          params: playIdParamsSchema,
          response: {
            200: z.object({
              status: z.literal('ok'),
              play_id: z.string(),
              entries: z.array(entrySchema),
            }),
            404: sessionNotFoundSchema,
          },
        },
      },
      async (req, reply) => {
        const playId = req.params.play_id;
        const s = await sessions.get(playId);
        if (!s)
          return reply
            .code(404)
            .send({ status: 'error', session: null, message: `Session not found: ${playId}` });
        const entries: Entry[] = [];
        const add = (at: string | null | undefined, e: Omit<Entry, 'at'>) =>
          at && entries.push({ at, ...e });
        add(s.started_at, {
          type: 'session',
          incident_id: null,
          summary: 'session started',
          detail: { repository: s.repository, tasks: s.tasks.length },
        });
        for (const a of s.agents) {
          add(a.started_at, {
            type: 'agent',
            incident_id: null,
            summary: `${a.name} started (${a.stage})`,
            detail: { pod: a.pod, coderun: a.coderun, phase: a.phase },
          });
        }
        const incidents = await store.listIncidents({ playId, limit: 5000 });
        for (const i of incidents) {
          add(i.firstSeen, {
            type: 'alert',
            incident_id: i.id,
            summary: `${i.alert} ${redact(i.title)}`,
            detail: { severity: i.severity, occurrences: i.occurrences, last_seen: i.lastSeen },
          });
          add(i.resolvedAt, {
            type: 'resolution',
            incident_id: i.id,
            summary: `resolved: ${i.resolution ?? ''}`,
            detail: {},
          });
        }
        const { decisions, actions } = await store.timeline(playId);
        for (const d of decisions) {
          add(d.at, {
            type: 'decision',
            incident_id: d.incidentId,
            summary: `${d.reason}: ${redact(d.detail)}`,
            detail: { reason: d.reason, plan: d.plan.map((p) => p.kind) },
          });
        }
        for (const a of actions) {
          add(a.updatedAt, {
            type: 'action',
            incident_id: a.incidentId,
            summary: `${a.action.kind} → ${a.destination}: ${a.state}${a.lastError ? ` (${redact(a.lastError)})` : ''}`,
            detail: { state: a.state, attempts: a.attempts, result: a.result },
          });
        }
        for (const g of await store.logGaps(playId)) {
          add(g.from, {
            type: 'log-gap',
            incident_id: null,
            summary: `logs from ${g.from} to ${g.to} were never read (Loki catch-up limit)`,
            detail: { from: g.from, to: g.to },
          });
        }
        add(s.ended_at, {
          type: 'session',
          incident_id: null,
          summary: `session ${s.status}`,
          detail: { reason: s.end_reason },
        });
        entries.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
        return { status: 'ok' as const, play_id: playId, entries };
      },
    );
  };
