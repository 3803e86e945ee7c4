import type { FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { jsonSchemaTransform } from 'fastify-type-provider-zod';

/** The OpenAPI document generated from the routes' zod schemas, `/openapi.json` and `/docs`. */
export const openapiPlugin = fp(
  async (app) => {
    await app.register(swagger, {
      openapi: {
        openapi: '3.1.0',
        info: {
          title: 'Healer',
          version: app.settings.version,
          description:
            'Self-healing watchdog of the CTO platform: session API for the MCP server, incidents, silences.',
        },
        servers: [{ url: 'http://localhost:8083' }],
        tags: [
          { name: 'sessions', description: 'Plays Healer watches' },
          { name: 'incidents', description: 'What Healer found, one per fingerprint' },
          { name: 'silences', description: 'Stop acting on matching alerts for a while' },
          { name: 'operations', description: 'Health, readiness, metrics' },
        ],
      },
      transform: jsonSchemaTransform,
    });
    // The committed document names localhost:8083; served, "Try it out" targets the host that asked.
    const forRequest = (doc: Readonly<Record<string, unknown>>, req: FastifyRequest) => ({
      ...doc,
      servers: [{ url: `${req.protocol}://${req.host}` }],
    });
    await app.register(swaggerUi, {
      routePrefix: '/docs',
      transformSpecification: forRequest,
      transformSpecificationClone: false,
    });
    app.get('/openapi.json', { schema: { hide: true } }, (req) =>
      forRequest(app.swagger() as unknown as Record<string, unknown>, req),
    );
  },
  { name: 'healer-openapi', fastify: '5.x', dependencies: ['healer-services'] },
);
