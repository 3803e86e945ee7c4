import fp from 'fastify-plugin';
import { validatorCompiler } from 'fastify-type-provider-zod';
import { registerAuth } from '../routes/auth.js';
import { registerErrorHandling } from '../routes/errors.js';

/**
 * How every request is read and answered: JSON bodies only (validated by the routes' zod
 * schemas), one error handler and one not-found answer, the bearer token, request metrics.
 */
export const httpPlugin = fp(
  // eslint-disable-next-line @typescript-eslint/require-await
  async (app) => {
    // JSON only: a text/plain body answers 415 like every other non-JSON type.
    app.removeContentTypeParser('text/plain');
    app.setValidatorCompiler(validatorCompiler);
    // Response schemas document the API; bodies are built by typed code, so serialise without re-validating.
    app.setSerializerCompiler(() => (data) => JSON.stringify(data));
    registerErrorHandling(app);
    const { apiToken, protectReads } = app.settings;
    registerAuth(app, { token: apiToken, protectReads });
    const { metrics } = app;
    // A callback hook, not an async one: on the read path an async hook's promise and microtask
    // cost about a tenth of the request (docs/benchmarks.md).
    app.addHook('onResponse', (req, reply, done) => {
      const route = req.routeOptions.url ?? 'unmatched';
      metrics.httpRequests.inc({ route, method: req.method, status: String(reply.statusCode) });
      metrics.httpDuration.observe({ route, method: req.method }, reply.elapsedTime / 1000);
      done();
    });
  },
  { name: 'healer-http', fastify: '5.x', dependencies: ['healer-services'] },
);
