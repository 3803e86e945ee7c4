import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any server, logger and type provider
type AnyFastify = FastifyInstance<any, any, any, any, any>;

const digest = (s: string) => createHash('sha256').update(s).digest();

/** Whether `authorization` carries `Bearer <token>`. */
export function bearerMatches(authorization: string | undefined, token: string): boolean {
  const m = /^Bearer\s+(.+)$/i.exec(authorization ?? '');
  return m !== null && timingSafeEqual(digest(m[1].trim()), digest(token));
}

/**
 * Routes that answer without the token even when reads need it: the dashboard's page shells,
 * script, stylesheet and icon. They carry no data without a valid token (the page asks for it).
 */
export const PUBLIC_ROUTE = { public: true } as const;

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
  // A callback hook (no promise per request); a refused request is answered here and goes no further.
  app.addHook('onRequest', (req: FastifyRequest, reply: FastifyReply, done: () => void) => {
    const write =
      req.method === 'POST' ||
      req.method === 'DELETE' ||
      req.method === 'PUT' ||
      req.method === 'PATCH';
    if (!write && (!opts.protectReads || req.url === '/health' || req.url === '/ready'))
      return done();
    if (!write && (req.routeOptions.config as { public?: boolean } | undefined)?.public === true)
      return done();
    if (bearerMatches(req.headers.authorization, token)) return done();
    reply.code(401).header('www-authenticate', 'Bearer').send({
      status: 'error',
      message: 'Missing or wrong bearer token (Authorization: Bearer <HEALER_API_TOKEN>)',
    });
  });
}
