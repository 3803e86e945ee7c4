import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { notFound } from '../domain/errors.js';
import type { Session } from '../domain/session.js';
import { redact, redactLines } from '../domain/redact.js';
import {
  errorEnvelopeSchema,
  sessionStartSchema,
  startResponseSchema,
  startWarnings,
} from './schemas/session-start.js';
import {
  completeBodySchema,
  completeResponseSchema,
  listQuerySchema,
  listResponseSchema,
  playIdParamsSchema,
  sessionNotFoundSchema,
  sessionResponseSchema,
} from './schemas/session.js';
import type { RouteApp } from './schemas/common.js';

const warningsOf = new WeakMap<object, string[]>();

/** What leaves Healer is redacted: issue descriptions and evidence may quote log lines. */
const sessionView = (s: Session): Session => ({
  ...s,
  issues: s.issues.map((i) => ({
    ...i,
    description: redact(i.description),
    evidence: redactLines(i.evidence),
  })),
});

/** The compatibility routes the MCP server calls (api.md), plus `complete`. */
// eslint-disable-next-line @typescript-eslint/require-await
export const sessionRoutes: FastifyPluginAsyncZod = async (app) => {
  startSession(app);
  getSession(app);
  listSessions(app);
  completeSession(app);
};

function startSession(app: RouteApp): void {
  /** Owner given to a bare repository name (`cto` → `5dlabs/cto`). */
  const owner = app.settings.defaultRepoOwner;
  app.post(
    '/api/v1/session/start',
    {
      schema: {
        summary: 'Start watching a Play',
        description:
          'Called by the MCP server when it starts a Play. Replaces an ended session with the same play id; ' +
          'answers only after the session is durably stored.',
        operationId: 'startSession',
        tags: ['sessions'],
        body: sessionStartSchema,
        response: {
          200: startResponseSchema,
          400: errorEnvelopeSchema,
          401: errorEnvelopeSchema,
          409: errorEnvelopeSchema,
          413: errorEnvelopeSchema,
          422: errorEnvelopeSchema,
          415: errorEnvelopeSchema,
          503: errorEnvelopeSchema,
        },
      },
      // The body as sent, before validation turns its nulls and "" into defaults.
      preValidation: (req, _reply, done) => {
        warningsOf.set(req.raw, startWarnings(req.body, owner));
        done();
      },
    },
    async (req) => {
      const body = req.body;
      const repository =
        body.repository !== '' && !body.repository.includes('/')
          ? `${owner}/${body.repository}`
          : body.repository;
      const warnings = warningsOf.get(req.raw) ?? [];
      const s = await app.sessions.start({
        ...body,
        repository,
        ...(warnings.length ? { warnings } : {}),
      });
      if (warnings.length)
        req.log.warn({ play_id: s.play_id, warnings }, 'session started with tolerated input');
      const agents = Object.keys(s.cto_config.agents).length;
      return {
        status: 'ok' as const,
        session_id: s.play_id,
        // upstream's exact wording (no singular forms)
        message: `Session started with ${s.tasks.length} tasks and ${agents} agent configurations`,
      };
    },
  );
}

function getSession(app: RouteApp): void {
  app.get(
    '/api/v1/session/:play_id',
    {
      schema: {
        summary: 'One session',
        operationId: 'getSession',
        tags: ['sessions'],
        params: playIdParamsSchema,
        response: { 200: sessionResponseSchema, 404: sessionNotFoundSchema },
      },
    },
    async (req, reply) => {
      // the hot read path: the stored JSON (issues redacted when mirrored) goes out as is
      const json = await app.sessions.getJson(req.params.play_id);
      if (json === undefined) throw notFound('Session', req.params.play_id, { session: null });
      return reply
        .type('application/json; charset=utf-8')
        .serializer((body) => body as string)
        .send(`{"status":"ok","session":${json},"message":null}` as never);
    },
  );
}

function listSessions(app: RouteApp): void {
  const list = (active: boolean) =>
    ({
      schema: {
        summary: active ? 'Active sessions' : 'All sessions',
        description:
          'Newest started_at first. Page with ?limit= and the next_cursor of the previous page.',
        operationId: active ? 'listActiveSessions' : 'listSessions',
        tags: ['sessions'],
        querystring: listQuerySchema,
        response: { 200: listResponseSchema, 400: errorEnvelopeSchema },
      },
    }) as const;

  const listHandler =
    (active: boolean) => async (req: { query: { limit: number; cursor?: string | undefined } }) => {
      const page = await app.sessions.list({
        limit: req.query.limit,
        ...(req.query.cursor ? { cursor: req.query.cursor } : {}),
        ...(active ? { status: 'active' as const } : {}),
      });
      return {
        status: 'ok' as const,
        count: page.sessions.length,
        sessions: page.sessions,
        ...(page.nextCursor ? { next_cursor: page.nextCursor } : {}),
      };
    };
  app.get('/api/v1/sessions', list(false), listHandler(false));
  app.get('/api/v1/sessions/active', list(true), listHandler(true));
}

function completeSession(app: RouteApp): void {
  app.post(
    '/api/v1/session/:play_id/complete',
    {
      schema: {
        summary: 'End an active session',
        description: 'Marks the Play completed, failed or cancelled; Healer stops watching it.',
        operationId: 'completeSession',
        tags: ['sessions'],
        params: playIdParamsSchema,
        body: completeBodySchema,
        response: {
          200: completeResponseSchema,
          400: errorEnvelopeSchema,
          401: errorEnvelopeSchema,
          404: errorEnvelopeSchema,
          409: errorEnvelopeSchema,
          415: errorEnvelopeSchema,
        },
      },
    },
    async (req) => {
      const s = await app.sessions.end(
        req.params.play_id,
        req.body.status,
        req.body.reason ?? null,
      );
      return {
        status: 'ok' as const,
        session_id: s.play_id,
        message: `Session ${s.status}`,
        session: sessionView(s),
      };
    },
  );
}
