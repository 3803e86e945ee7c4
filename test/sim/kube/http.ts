// The request pipeline: record, delay, auth, injected failures, routing, discovery, resources,
// and Status answers for every error.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  apiGroup,
  apiGroupList,
  apiResourceList,
  apiVersions,
  SERVER_VERSION,
} from './discovery.js';
import { KubeApiError, failure, unauthorized, unknownPath } from './errors.js';
import type { FaultState } from './faults.js';
import type { Answer, SimContext } from './context.js';
import { handleResource } from './handlers.js';
import { route } from './routing.js';

export interface RequestRecord {
  method: string;
  /** Path with query string, as sent. */
  url: string;
  status: number;
  at: Date;
}

export interface HttpOptions {
  token: string;
  requireAuth: boolean;
  serverAddress: () => string;
  record: (r: RequestRecord) => void;
  onRequest: () => void;
  isClosing: () => boolean;
}

const MAX_BODY = 3 * 1024 * 1024;

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size <= MAX_BODY) chunks.push(c);
    });
    req.on('end', () => {
      if (size > MAX_BODY)
        reject(
          new KubeApiError(
            failure(413, 'RequestEntityTooLarge', 'Request entity too large: limit is 3145728'),
          ),
        );
      else resolve(Buffer.concat(chunks));
    });
    req.on('error', reject);
  });
}

function send(res: ServerResponse, a: Answer, extraHeaders: Record<string, string> = {}): void {
  if (res.headersSent || res.destroyed) return;
  const text = typeof a.body === 'string' ? a.body : JSON.stringify(a.body);
  res.writeHead(a.status, {
    'Content-Type': typeof a.body === 'string' ? 'text/plain; charset=utf-8' : 'application/json',
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-cache, private',
    ...extraHeaders,
  });
  res.end(text);
}

function discovery(
  ctx: SimContext,
  rt: ReturnType<typeof route>,
  opts: HttpOptions,
): Answer | undefined {
  switch (rt.kind) {
    case 'version':
      return { status: 200, body: SERVER_VERSION };
    case 'health':
      return { status: 200, body: 'ok' };
    case 'api':
      return { status: 200, body: apiVersions(opts.serverAddress()) };
    case 'apis':
      return { status: 200, body: apiGroupList(ctx.registry) };
    case 'group':
      return { status: 200, body: apiGroup(ctx.registry, rt.group) };
    case 'resources': {
      const doc = apiResourceList(ctx.registry, rt.group, rt.version);
      if (!doc) throw unknownPath();
      return { status: 200, body: doc };
    }
    default:
      return undefined;
  }
}

export function requestHandler(ctx: SimContext, faults: FaultState, opts: HttpOptions) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    opts.onRequest();
    const method = req.method ?? 'GET';
    const rawUrl = req.url ?? '/';
    res.setHeader('Audit-Id', randomUUID());
    res.on('finish', () =>
      opts.record({ method, url: rawUrl, status: res.statusCode, at: new Date() }),
    );
    try {
      const body = await readBody(req);
      if (faults.delayMs > 0) await sleep(faults.delayMs);
      if (opts.isClosing() || res.destroyed) return;
      const auth = req.headers.authorization;
      if (auth !== undefined ? auth !== `Bearer ${opts.token}` : opts.requireAuth)
        throw unauthorized();
      const injected = faults.check(method, rawUrl);
      if (injected) throw injected;
      const url = new URL(rawUrl, 'http://sim.invalid');
      const rt = route(ctx.registry, url.pathname);
      const doc = discovery(ctx, rt, opts);
      if (doc) {
        if (method !== 'GET')
          throw new KubeApiError(
            failure(
              405,
              'MethodNotAllowed',
              'the server does not allow this method on the requested resource',
              {},
            ),
          );
        send(res, doc);
        return;
      }
      if (rt.kind !== 'resource') throw unknownPath();
      const answer = handleResource(ctx, rt, req, res, url.searchParams, body);
      if (answer) send(res, answer);
    } catch (e) {
      if (e instanceof KubeApiError) {
        send(res, { status: e.code, body: e.status }, e.headers);
        return;
      }
      const message = e instanceof Error ? e.message : String(e);
      send(res, {
        status: 500,
        body: failure(500, 'InternalError', `Internal error occurred: ${message}`, {
          causes: [{ reason: '', message }],
        }),
      });
    }
  };
}
