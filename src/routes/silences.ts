import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Clock } from '../domain/clock.js';
import type { Silence } from '../domain/action.js';
import type { Store } from '../domain/stores.js';
import { silenceBodySchema, silenceFromBody } from '../incidents/silences.js';
import { errorEnvelopeSchema } from './schemas/session-start.js';

const silenceSchema = z.object({
  id: z.string(),
  matchers: z.object({
    alert: z.string().optional(),
    play_id: z.string().optional(),
    agent: z.string().optional(),
    namespace: z.string().optional(),
  }),
  starts_at: z.string(),
  ends_at: z.string(),
  comment: z.string(),
  created_by: z.string(),
  expired_at: z.string().nullable(),
  expired_by: z.string().nullable().describe('who expired it, when they said'),
  active: z.boolean(),
});

const view = (s: Silence, now: Date): z.infer<typeof silenceSchema> => ({
  id: s.id,
  matchers: s.matchers,
  starts_at: s.startsAt,
  ends_at: s.endsAt,
  comment: s.comment,
  created_by: s.createdBy,
  expired_at: s.expiredAt,
  expired_by: s.expiredBy ?? null,
  active: !s.expiredAt && s.endsAt > now.toISOString() && s.startsAt <= now.toISOString(),
});

/** Silences (api.md): matching alerts are recorded but not acted on until they end or expire. */
export const silenceRoutes =
  (store: Store, clock: Clock, onChange: () => void = () => {}): FastifyPluginAsyncZod =>
  // eslint-disable-next-line @typescript-eslint/require-await
  async (app) => {
    app.post(
      '/api/v1/silences',
      {
        schema: {
          summary: 'Create a silence',
          description: 'At least one matcher; ends_at in the future, at most 30 days away.',
          operationId: 'createSilence',
          tags: ['silences'],
          body: silenceBodySchema(() => clock.now()),
          response: {
            201: z.object({ status: z.literal('ok'), silence: silenceSchema }),
            400: errorEnvelopeSchema,
            401: errorEnvelopeSchema,
            415: errorEnvelopeSchema,
          },
        },
      },
      async (req, reply) => {
        const now = clock.now();
        const s = await store.createSilence(silenceFromBody(req.body, `sil-${randomUUID()}`, now));
        onChange();
        return reply.code(201).send({ status: 'ok' as const, silence: view(s, now) });
      },
    );

    app.get(
      '/api/v1/silences',
      {
        schema: {
          summary: 'List silences',
          description: 'Active silences; `?all=true` includes expired and ended ones.',
          operationId: 'listSilences',
          tags: ['silences'],
          querystring: z.object({ all: z.enum(['true', 'false']).default('false') }),
          response: {
            200: z.object({
              status: z.literal('ok'),
              count: z.number().int(),
              silences: z.array(silenceSchema),
            }),
            400: errorEnvelopeSchema,
          },
        },
      },
      async (req) => {
        const now = clock.now();
        const rows = await store.listSilences(req.query.all === 'true' ? undefined : now);
        return {
          status: 'ok' as const,
          count: rows.length,
          silences: rows.map((s) => view(s, now)),
        };
      },
    );

    app.get(
      '/api/v1/silences/:id',
      {
        schema: {
          summary: 'One silence',
          operationId: 'getSilence',
          tags: ['silences'],
          params: z.object({ id: z.string().max(100) }),
          response: {
            200: z.object({ status: z.literal('ok'), silence: silenceSchema }),
            404: errorEnvelopeSchema,
          },
        },
      },
      async (req, reply) => {
        const s = await store.getSilence(req.params.id);
        if (!s)
          return reply
            .code(404)
            .send({ status: 'error', message: `Silence not found: ${req.params.id}` });
        return { status: 'ok' as const, silence: view(s, clock.now()) };
      },
    );

    app.delete(
      '/api/v1/silences/:id',
      {
        schema: {
          summary: 'Expire a silence',
          operationId: 'expireSilence',
          tags: ['silences'],
          params: z.object({ id: z.string().max(100) }),
          querystring: z.object({
            expired_by: z
              .string()
              .min(1)
              .max(128)
              .regex(/^[^\p{Cc}]*$/u, 'must not contain control characters')
              .optional()
              .describe('who is expiring it (recorded with the time)'),
          }),
          response: {
            200: z.object({ status: z.literal('ok'), silence: silenceSchema }),
            401: errorEnvelopeSchema,
            404: errorEnvelopeSchema,
          },
        },
      },
      async (req, reply) => {
        const now = clock.now();
        const s = await store.expireSilence(req.params.id, now, req.query.expired_by ?? null);
        if (!s)
          return reply
            .code(404)
            .send({ status: 'error', message: `Silence not found: ${req.params.id}` });
        onChange();
        return { status: 'ok' as const, silence: view(s, now) };
      },
    );
  };
