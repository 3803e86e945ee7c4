import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Silence } from '../domain/action.js';
import { silenceBodySchema } from '../incidents/silences.js';
import { errorEnvelopeSchema, idParamsSchema, type RouteApp } from './schemas/common.js';

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
// eslint-disable-next-line @typescript-eslint/require-await
export const silenceRoutes: FastifyPluginAsyncZod = async (app) => {
  createSilence(app);
  listSilences(app);
  getSilence(app);
  expireSilence(app);
};

function createSilence(app: RouteApp): void {
  app.post(
    '/api/v1/silences',
    {
      schema: {
        summary: 'Create a silence',
        description: 'At least one matcher; ends_at in the future, at most 30 days away.',
        operationId: 'createSilence',
        tags: ['silences'],
        body: silenceBodySchema(() => app.clock.now()),
        response: {
          201: z.object({ status: z.literal('ok'), silence: silenceSchema }),
          400: errorEnvelopeSchema,
          401: errorEnvelopeSchema,
          415: errorEnvelopeSchema,
        },
      },
    },
    async (req, reply) => {
      const s = await app.silences.create(req.body);
      return reply.code(201).send({ status: 'ok' as const, silence: view(s, app.clock.now()) });
    },
  );
}

function listSilences(app: RouteApp): void {
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
      const now = app.clock.now();
      const rows = await app.silences.list(req.query.all === 'true');
      return {
        status: 'ok' as const,
        count: rows.length,
        silences: rows.map((s) => view(s, now)),
      };
    },
  );
}

function getSilence(app: RouteApp): void {
  app.get(
    '/api/v1/silences/:id',
    {
      schema: {
        summary: 'One silence',
        operationId: 'getSilence',
        tags: ['silences'],
        params: idParamsSchema,
        response: {
          200: z.object({ status: z.literal('ok'), silence: silenceSchema }),
          404: errorEnvelopeSchema,
        },
      },
    },
    async (req) => {
      const s = await app.silences.get(req.params.id);
      return { status: 'ok' as const, silence: view(s, app.clock.now()) };
    },
  );
}

function expireSilence(app: RouteApp): void {
  app.delete(
    '/api/v1/silences/:id',
    {
      schema: {
        summary: 'Expire a silence',
        operationId: 'expireSilence',
        tags: ['silences'],
        params: idParamsSchema,
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
    async (req) => {
      const s = await app.silences.expire(req.params.id, req.query.expired_by ?? null);
      return { status: 'ok' as const, silence: view(s, app.clock.now()) };
    },
  );
}
