// Simulated Loki: a loopback HTTP server speaking Loki's push and query API (see README.md).
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FaultState } from './faults.js';
import type { LokiFaults } from './faults.js';
import { PushError, decodeBody, parsePushBody } from './push.js';
import type { PushStream } from './push.js';
import { instantQuery, labelNames, labelValues, queryRange } from './query-api.js';
import type { ApiAnswer, QueryContext } from './query-api.js';
import { LogStore } from './store.js';

export type { FailRequestsOptions, LokiFaults, OutageOptions } from './faults.js';
export type { PushStream } from './push.js';

export interface LokiSimOptions {
  port?: number; // default 0 (a free port)
  host?: string; // default 127.0.0.1
  clock?: () => number; // ms since epoch; default Date.now. Drives default query ranges and ingest delay.
  maxEntriesLimitPerQuery?: number; // Loki's max_entries_limit_per_query, default 5000
  discoverServiceName?: boolean; // add `service_name` like Loki 3 does, default true
  legacyInstantLogQueries?: boolean; // answer log queries on /query like Loki 2.x, default false
}

export interface LokiSimStats {
  queries: number; // query + query_range requests (also those that failed)
  queriesByPath: Record<string, number>;
  requestsByPath: Record<string, number>;
  /** Requests by `"<METHOD> <path>"`, e.g. `"POST /loki/api/v1/query_range"`. */
  requestsByMethod: Record<string, number>;
  pushes: number;
  linesPushed: number;
}

export interface LokiSim {
  url: string;
  push(streams: PushStream[]): void;
  faults: LokiFaults;
  stats: LokiSimStats;
  clearLogs(): void;
  close(): Promise<void>;
}

const QUERY_PATHS = new Set(['/loki/api/v1/query_range', '/loki/api/v1/query']);

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

function send(res: ServerResponse, a: ApiAnswer): void {
  if (a.json !== undefined) {
    res.writeHead(a.status, { 'content-type': 'application/json; charset=UTF-8' });
    res.end(JSON.stringify(a.json));
  } else if (a.text !== undefined) {
    res.writeHead(a.status, {
      'content-type': 'text/plain; charset=utf-8',
      'x-content-type-options': 'nosniff',
    });
    res.end(a.text.endsWith('\n') ? a.text : `${a.text}\n`);
  } else {
    res.writeHead(a.status);
    res.end();
  }
}

export async function startLokiSim(opts: LokiSimOptions = {}): Promise<LokiSim> {
  const clock = opts.clock ?? Date.now;
  const store = new LogStore(opts.discoverServiceName ?? true);
  const faultState = new FaultState(Date.now);
  const stats: LokiSimStats = {
    queries: 0,
    queriesByPath: {},
    requestsByPath: {},
    requestsByMethod: {},
    pushes: 0,
    linesPushed: 0,
  };
  const ctx: QueryContext = {
    store,
    now: clock,
    maxEntriesLimit: opts.maxEntriesLimitPerQuery ?? 5000,
    legacyInstantLogQueries: opts.legacyInstantLogQueries ?? false,
  };

  const ingest = (streams: PushStream[]): void => {
    const visibleAt = clock() + faultState.ingestDelayMs;
    stats.pushes++;
    for (const s of streams) {
      for (const [ts, line] of s.values) {
        store.append(s.stream, BigInt(ts), line, visibleAt);
        stats.linesPushed++;
      }
    }
  };

  async function route(req: IncomingMessage, url: URL): Promise<ApiAnswer> {
    const path = url.pathname;
    const method = req.method ?? 'GET';
    if (path === '/ready' && (method === 'GET' || method === 'HEAD'))
      return { status: 200, text: 'ready' };
    if (path === '/loki/api/v1/push') {
      if (method !== 'POST') return { status: 405, text: 'method not allowed' };
      try {
        const body = decodeBody(await readBody(req), req.headers['content-encoding']);
        ingest(parsePushBody(req.headers['content-type'], body));
        return { status: 204 };
      } catch (e) {
        if (e instanceof PushError) return { status: e.status, text: e.message };
        throw e;
      }
    }
    let params = url.searchParams;
    if (method === 'POST') {
      const ct = (req.headers['content-type'] ?? '').split(';')[0].trim();
      const raw = (await readBody(req)).toString('utf8');
      if (ct === 'application/x-www-form-urlencoded') {
        params = new URLSearchParams(url.searchParams);
        for (const [k, v] of new URLSearchParams(raw)) params.set(k, v);
      }
    } else if (method !== 'GET') {
      return { status: 405, text: 'method not allowed' };
    }
    if (path === '/loki/api/v1/query_range') return queryRange(ctx, params);
    if (path === '/loki/api/v1/query') return instantQuery(ctx, params);
    if (path === '/loki/api/v1/labels' || path === '/loki/api/v1/label')
      return labelNames(ctx, params);
    const m = /^\/loki\/api\/v1\/label\/([^/]+)\/values$/.exec(path);
    if (m) return labelValues(ctx, decodeURIComponent(m[1]), params);
    return { status: 404, text: '404 page not found' };
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://loki.sim');
    const path = url.pathname;
    stats.requestsByPath[path] = (stats.requestsByPath[path] ?? 0) + 1;
    const byMethod = `${req.method ?? 'GET'} ${path}`;
    stats.requestsByMethod[byMethod] = (stats.requestsByMethod[byMethod] ?? 0) + 1;
    if (QUERY_PATHS.has(path)) {
      stats.queries++;
      stats.queriesByPath[path] = (stats.queriesByPath[path] ?? 0) + 1;
    }
    if (faultState.delayMs > 0) await new Promise((r) => setTimeout(r, faultState.delayMs));
    const failure = faultState.take(path);
    if (failure) {
      await readBody(req);
      return send(res, { status: failure.status, text: failure.body });
    }
    try {
      send(res, await route(req, url));
    } catch (e) {
      send(res, { status: 500, text: `internal simulator error: ${(e as Error).message}` });
    }
  }

  const server: Server = createServer((req, res) => void handle(req, res));
  server.keepAliveTimeout = 5000;
  const host = opts.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;

  let closed = false;
  let outageTimer: NodeJS.Timeout | undefined;
  let outageDone: Promise<void> = Promise.resolve();
  let endOutage: () => void = () => undefined;

  const relisten = (): Promise<void> =>
    new Promise((resolve) => {
      if (closed) return resolve();
      server.once('error', () => resolve()); // port taken meanwhile: stay down rather than crash
      server.listen(port, host, () => resolve());
    });

  const faults: LokiFaults = {
    failRequests: (o) => faultState.addRule(o),
    outage(forMs, o = {}) {
      if ((o.mode ?? 'refuse') === '503') {
        faultState.outage503Until = Date.now() + forMs;
        return;
      }
      if (outageTimer) return; // already down; the running outage decides when it ends
      server.close();
      server.closeAllConnections();
      outageDone = new Promise((resolve) => {
        endOutage = resolve;
        outageTimer = setTimeout(() => {
          outageTimer = undefined;
          void relisten().then(resolve);
        }, forMs);
      });
    },
    outageOver: () => outageDone,
    delay(ms) {
      faultState.delayMs = ms;
    },
    get ingestDelayMs() {
      return faultState.ingestDelayMs;
    },
    set ingestDelayMs(ms: number) {
      faultState.ingestDelayMs = ms;
    },
    clear() {
      faultState.clear();
    },
  };

  return {
    url,
    push: ingest,
    faults,
    stats,
    clearLogs: () => store.clear(),
    async close() {
      closed = true;
      if (outageTimer) {
        clearTimeout(outageTimer);
        outageTimer = undefined;
        endOutage();
        return;
      }
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
