import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';

const check = z.object({ ok: z.boolean(), detail: z.string() });
const readySchema = z.object({
  status: z.enum(['ready', 'not_ready']),
  checks: z.record(z.string(), check),
  reasons: z.array(z.string()),
});

/** `/health` (liveness, the MCP server's probe), `/ready` (readiness), `/metrics`. */
// eslint-disable-next-line @typescript-eslint/require-await
export const healthRoutes: FastifyPluginAsyncZod = async (app) => {
  const opts = { version: app.settings.version, readiness: app.readiness, metrics: app.metrics };
  opts.metrics.observeReadiness(opts.readiness);
  app.get(
    '/health',
    {
      schema: {
        summary: 'Liveness',
        operationId: 'health',
        tags: ['operations'],
        response: {
          200: z.object({
            status: z.literal('healthy'),
            version: z.string(),
            service: z.literal('healer'),
          }),
        },
      },
    },
    () => ({ status: 'healthy' as const, version: opts.version, service: 'healer' as const }),
  );

  app.get(
    '/ready',
    {
      schema: {
        summary: 'Readiness',
        description:
          '200 when the store is open and every watch has listed; 503 with the reasons otherwise.',
        operationId: 'ready',
        tags: ['operations'],
        response: { 200: readySchema, 503: readySchema },
      },
    },
    async (_req, reply) => {
      const { ready, checks } = await opts.readiness.evaluate();
      const reasons = Object.entries(checks)
        .filter(([, c]) => !c.ok)
        .map(([name, c]) => `${name}: ${c.detail}`);
      return reply
        .code(ready ? 200 : 503)
        .send({ status: ready ? 'ready' : 'not_ready', checks, reasons });
    },
  );

  app.get(
    '/metrics',
    {
      schema: {
        summary: 'Prometheus metrics',
        operationId: 'metrics',
        tags: ['operations'],
        produces: ['text/plain'],
        response: {
          200: z.string().describe('Prometheus text exposition format'),
          401: z
            .object({ status: z.literal('error'), message: z.string() })
            .describe('HEALER_API_TOKEN_READS=true and no or a wrong bearer token'),
        },
      },
    },
    async (_req, reply) => {
      const body = await opts.metrics.registry.metrics();
      return reply.type(opts.metrics.registry.contentType).send(body);
    },
  );
};
