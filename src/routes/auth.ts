import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any server, logger and type provider
type AnyFastify = FastifyInstance<any, any, any, any, any>;

const digest = (s: string) => createHash('sha256').update(s).digest();

/**
 * Bearer-token check (api.md "Authentication"): every POST/DELETE when a token is configured,
 * and GETs too when `protectReads`. `/health` stays open for probes.
 */

export function registerAuth(
  app: AnyFastify,
  opts: { token: string | undefined; protectReads: boolean },
): void {
  const { token } = opts;
  if (!token) return;
  const expected = digest(token);
  app.addHook('onRequest', async (req: FastifyRequest, reply: FastifyReply) => {
    const write =
      req.method === 'POST' ||
      req.method === 'DELETE' ||
      req.method === 'PUT' ||
      req.method === 'PATCH';
    if (!write && (!opts.protectReads || req.url === '/health' || req.url === '/ready')) return;
    const header = req.headers.authorization ?? '';
    const m = /^Bearer\s+(.+)$/i.exec(header);
    if (m && timingSafeEqual(digest(m[1].trim()), expected)) return;
    return reply.code(401).header('www-authenticate', 'Bearer').send({
      status: 'error',
      message: 'Missing or wrong bearer token (Authorization: Bearer <HEALER_API_TOKEN>)',
    });
  });
}
