import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { HealerError } from '../domain/errors.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any server, logger and type provider
type AnyFastify = FastifyInstance<any, any, any, any, any>;

export interface FieldError {
  path: string;
  message: string;
}

/** `/tasks/0/id` → `tasks.0.id`; the body root → `(body)`. */
const toPath = (instancePath: string, part: string): string => {
  const p = instancePath.replace(/^\//, '').replace(/\//g, '.');
  return p || (part === 'body' ? '(body)' : part);
};

/** One readable sentence from the field errors, e.g. `play_id is required; tasks.0.id must be …`. */
export function summarise(errors: FieldError[]): string {
  const shown = errors.slice(0, 3).map((e) => `${e.path} ${e.message}`);
  const more = errors.length > 3 ? ` (and ${errors.length - 3} more)` : '';
  return `Invalid request: ${shown.join('; ')}${more}`;
}

/** The play id of a start request, for the envelope's `session_id`, when it is a string. */
function sessionIdOf(req: FastifyRequest): string | null {
  const body = req.body as { play_id?: unknown } | null | undefined;
  if (
    body &&
    typeof body === 'object' &&
    typeof body.play_id === 'string' &&
    body.play_id.length <= 253
  ) {
    return body.play_id;
  }
  const params = req.params as { play_id?: unknown } | undefined;
  return typeof params?.play_id === 'string' ? params.play_id : null;
}

const isStartRoute = (req: FastifyRequest): boolean =>
  req.routeOptions.url === '/api/v1/session/start';

/** Fastify's own client errors, mapped to messages a person can act on. */
const FASTIFY_CLIENT_ERRORS: Record<
  string,
  { status: number; message: (e: FastifyError) => string }
> = {
  FST_ERR_CTP_INVALID_MEDIA_TYPE: {
    status: 415,
    message: () => 'Unsupported Content-Type: send the body as application/json',
  },
  FST_ERR_CTP_BODY_TOO_LARGE: { status: 413, message: () => 'Request body is larger than 1 MiB' },
  FST_ERR_CTP_EMPTY_JSON_BODY: {
    status: 400,
    message: () => 'Request body is empty but Content-Type is application/json',
  },
  FST_ERR_CTP_INVALID_JSON_BODY: {
    status: 400,
    message: (e) => `Request body is not valid JSON: ${e.message}`,
  },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: {
    status: 400,
    message: () => 'Content-Length does not match the body sent',
  },
};

export function registerErrorHandling(app: AnyFastify): void {
  app.setNotFoundHandler((req, reply) => {
    void reply.code(404).send({
      status: 'error',
      message: `Route not found: ${req.method} ${req.url.split('?')[0]}`,
    });
  });

  app.setErrorHandler((err: FastifyError, req: FastifyRequest, reply: FastifyReply) => {
    const envelope = (status: number, message: string, extra: Record<string, unknown> = {}) => {
      const base = isStartRoute(req)
        ? { status: 'error', session_id: sessionIdOf(req), message }
        : { status: 'error', message };
      return reply.code(status).send({ ...base, ...extra });
    };

    if (hasZodFastifySchemaValidationErrors(err)) {
      const part = err.validationContext ?? 'body';
      const errors = err.validation.map((v) => ({
        path: toPath(v.instancePath, part),
        message: v.message ?? 'is invalid',
      }));
      // A start body that parses but does not fit answers 422, as upstream's JSON extractor does
      // (400 only for malformed JSON); Healer's own routes keep 400 for every invalid request.
      const status = isStartRoute(req) && part === 'body' ? 422 : 400;
      return envelope(status, summarise(errors), { errors });
    }
    if (err instanceof HealerError) {
      if (err.statusCode >= 500) req.log.error({ err }, 'request failed');
      const message = err.expose ? err.message : 'Internal error; see the Healer logs';
      const extra =
        isStartRoute(req) && err.details?.session_id ? { session_id: err.details.session_id } : {};
      // fields a route's error body carries besides the message (a session read: `session: null`)
      const fields = err.expose
        ? (err.details?.envelope as Record<string, unknown> | undefined)
        : undefined;
      return envelope(err.statusCode, message, { ...fields, ...extra });
    }
    const known = err.code ? FASTIFY_CLIENT_ERRORS[err.code] : undefined;
    if (known) return envelope(known.status, known.message(err));
    if (
      err instanceof SyntaxError ||
      (err.statusCode === 400 && /__proto__|constructor/.test(err.message))
    ) {
      return envelope(400, `Request body is not acceptable JSON: ${err.message}`);
    }
    if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) {
      return envelope(err.statusCode, err.message);
    }
    req.log.error({ err }, 'unhandled error while serving a request');
    return envelope(500, 'Internal error; see the Healer logs');
  });
}
