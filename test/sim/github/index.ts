// Simulated GitHub REST API on loopback (see README.md): the subset Healer uses, with GitHub's
// conditional requests, pagination, rate limits and error shapes.
import { createHash, randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FaultState } from './faults.js';
import type { GitHubFaults } from './faults.js';
import { HttpError, errorBody, notFound } from './http.js';
import type { Answer, Ctx } from './http.js';
import { World } from './model.js';
import { RateLimiter } from './rate-limit.js';
import type { RateLimitConfig, Resource } from './rate-limit.js';
import { matchRoute, route } from './router.js';
import type { Route } from './router.js';
import { checkRoutes } from './routes-checks.js';
import { issueRoutes } from './routes-issues.js';
import { pullRoutes } from './routes-pulls.js';
import { repoRoutes } from './routes-repos.js';
import { searchRoutes } from './routes-search.js';
import { simRoutes } from './routes-sim.js';

export type { FailOptions, GitHubFaults, SecondaryRateLimitOptions } from './faults.js';
export type { RateLimitConfig, Resource } from './rate-limit.js';
export type { World } from './model.js';

export interface GitHubSimOptions {
  port?: number; // default 0 (a free port)
  host?: string; // default 127.0.0.1
  clock?: () => Date; // timestamps of everything created; default () => new Date()
  htmlBaseUrl?: string; // base of html_url fields, default https://github.com
  autoCreateRepos?: boolean; // a repository route creates the repository on first use, default true
  rateLimits?: RateLimitConfig; // core per hour (5000), search per minute (30)
  tokens?: Record<string, string>; // token → login, checked before the `login:<name>` convention
  invalidTokens?: string[]; // tokens answered with 401 Bad credentials
  defaultLogin?: string; // login of any other token, default "healer"
}

export interface GitHubSimStats {
  total: number;
  requests: Record<string, number>; // "GET /repos/{owner}/{repo}/pulls/{pull_number}" → count
  byStatus: Record<string, number>; // "304" → count
  byRouteStatus: Record<string, Record<string, number>>;
  rateLimitUsed: Record<string, Record<Resource, number>>; // token → used per resource
}

export interface GitHubSim {
  url: string;
  faults: GitHubFaults;
  stats: GitHubSimStats;
  rateLimit: {
    set(
      token: string,
      o: { resource?: Resource; remaining?: number; limit?: number; resetInMs?: number },
    ): void;
    reset(): void;
  };
  world: World; // the in-memory state, for assertions that the API cannot express
  resetStats(): void;
  close(): Promise<void>;
}

function emptyStats(): GitHubSimStats {
  return { total: 0, requests: {}, byStatus: {}, byRouteStatus: {}, rateLimitUsed: {} };
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

function etagMatches(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  const strip = (s: string) => s.trim().replace(/^W\//, '');
  return header.split(',').some((t) => t.trim() === '*' || strip(t) === strip(etag));
}

export async function startGitHubSim(opts: GitHubSimOptions = {}): Promise<GitHubSim> {
  const world = new World(opts.clock ?? (() => new Date()));
  const faults = new FaultState();
  const limiter = new RateLimiter(opts.rateLimits ?? {});
  let stats = emptyStats();
  const snapshotStats = (): GitHubSimStats => {
    stats.rateLimitUsed = limiter.usedByToken();
    return stats;
  };
  const routes: Route[] = [
    ...repoRoutes,
    ...pullRoutes,
    ...issueRoutes,
    ...checkRoutes,
    ...searchRoutes,
    route(
      'GET',
      '/rate_limit',
      (ctx) => ({ status: 200, body: limiter.overview(tokenKeyOf(ctx)) }),
      'free',
    ),
    ...simRoutes({
      faults,
      limiter,
      stats: snapshotStats,
      resetStats: () => (stats = emptyStats()),
    }),
  ];
  const tokenKeys = new WeakMap<Ctx, string>();
  const tokenKeyOf = (ctx: Ctx) => tokenKeys.get(ctx) ?? '';
  const htmlBase = (opts.htmlBaseUrl ?? 'https://github.com').replace(/\/$/, '');
  let apiBase = '';

  function loginFor(token: string): string {
    return (
      opts.tokens?.[token] ??
      (token.startsWith('login:') ? token.slice(6) : (opts.defaultLogin ?? 'healer'))
    );
  }

  function tokenOf(header: string | undefined): string | null | HttpError {
    if (!header) return null;
    const m = /^(token|bearer)\s+(\S+)$/i.exec(header.trim());
    let token = m?.[2];
    const basic = /^basic\s+(\S+)$/i.exec(header.trim());
    if (basic)
      token = Buffer.from(basic[1], 'base64').toString('utf8').split(':').slice(1).join(':');
    if (!token || opts.invalidTokens?.includes(token))
      return new HttpError(401, errorBody(401, 'Bad credentials'));
    return token;
  }

  function count(key: string, status: number): void {
    stats.total++;
    stats.requests[key] = (stats.requests[key] ?? 0) + 1;
    stats.byStatus[String(status)] = (stats.byStatus[String(status)] ?? 0) + 1;
    const per = (stats.byRouteStatus[key] ??= {});
    per[String(status)] = (per[String(status)] ?? 0) + 1;
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://github.sim');
    const method = (req.method ?? 'GET').toUpperCase();
    const path = url.pathname.length > 1 ? url.pathname.replace(/\/+$/, '') : url.pathname;
    const raw = await readBody(req);
    const requestId = randomBytes(8)
      .toString('hex')
      .toUpperCase()
      .replace(/(.{4})(.{4})(.{4})(.{4})/, '$1:$2:$3:$4');
    const isSim = path.startsWith('/_sim/');
    const headers: Record<string, string> = {
      server: 'github.com',
      'x-github-request-id': requestId,
      'x-github-media-type': 'github.v3; format=json',
      'x-github-api-version-selected': String(req.headers['x-github-api-version'] ?? '2022-11-28'),
      vary: 'Accept, Authorization, Cookie, X-GitHub-OTP, Accept-Encoding',
    };
    const write = (a: Answer, key?: string): void => {
      if (key) count(key, a.status);
      const out = { ...headers, ...a.headers };
      if (a.body === undefined) {
        res.writeHead(a.status, out);
        res.end();
        return;
      }
      const text = typeof a.body === 'string' ? a.body : JSON.stringify(a.body);
      out['content-type'] ??= 'application/json; charset=utf-8';
      out['content-length'] = String(Buffer.byteLength(text));
      res.writeHead(a.status, out);
      res.end(text);
    };

    if (!isSim && !req.headers['user-agent']) {
      res.writeHead(403, { 'content-type': 'text/plain; charset=utf-8' });
      res.end(
        'Request forbidden by administrative rules. Please make sure your request has a User-Agent header ' +
          '(https://docs.github.com/en/rest/overview/resources-in-the-rest-api#user-agent-required). ' +
          'Check https://developer.github.com for other possible causes.\n',
      );
      return;
    }
    const match = matchRoute(routes, method, path);
    const key = isSim ? undefined : `${method} ${match?.template ?? '(unmatched)'}`;
    const token = tokenOf(req.headers.authorization);
    if (token instanceof HttpError) return write({ status: token.status, body: token.body }, key);
    const tokenKey = token ?? '';
    const resource: Resource | 'free' = match?.route?.resource ?? 'core';
    const bucket: Resource = resource === 'free' ? 'core' : resource;
    if (!isSim) Object.assign(headers, limiter.headers(tokenKey, bucket));

    if (!isSim && faults.delayMs > 0) await new Promise((r) => setTimeout(r, faults.delayMs));
    if (!isSim) {
      const injected = faults.take(method, path, requestId);
      if (injected) return write(injected, key);
      if (resource !== 'free' && limiter.exhausted(tokenKey, bucket)) {
        const user = token === null ? null : world.user(loginFor(token));
        return write(
          {
            status: 403,
            body: {
              message: `API rate limit exceeded for ${user ? `user ID ${user.id}` : '127.0.0.1'}.`,
              documentation_url:
                'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api',
              status: '403',
            },
          },
          key,
        );
      }
    }

    let answer: Answer;
    try {
      if (!match?.route) throw notFound();
      let body: unknown;
      if (raw.length > 0) {
        try {
          body = JSON.parse(raw.toString('utf8'));
        } catch {
          throw new HttpError(400, errorBody(400, 'Problems parsing JSON'));
        }
      }
      const ctx: Ctx = {
        method,
        path,
        route: match.template,
        params: match.params,
        query: url.searchParams,
        body,
        user: token === null ? null : world.user(loginFor(token)),
        world,
        r: { api: apiBase, html: htmlBase, world },
        autoCreateRepos: opts.autoCreateRepos ?? true,
        searchLagMs: faults.searchLagMs,
      };
      tokenKeys.set(ctx, tokenKey);
      answer = match.route.handler(ctx);
    } catch (e) {
      if (!(e instanceof HttpError)) throw e;
      answer = { status: e.status, body: e.body, headers: e.headers };
    }

    if (method === 'GET' && answer.status === 200 && answer.body !== undefined) {
      const etag = `W/"${createHash('sha256').update(JSON.stringify(answer.body)).digest('hex')}"`;
      answer.headers = {
        ...answer.headers,
        etag,
        'cache-control': 'private, max-age=60, s-maxage=60',
      };
      if (etagMatches(req.headers['if-none-match'], etag)) {
        // A 304 costs no rate limit on GitHub.
        return write(
          { status: 304, headers: { etag, 'cache-control': answer.headers['cache-control'] } },
          key,
        );
      }
    }
    if (!isSim && resource !== 'free') {
      limiter.consume(tokenKey, bucket);
      Object.assign(headers, limiter.headers(tokenKey, bucket));
    }
    write(answer, key);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      if (!res.headersSent)
        res.writeHead(500, { 'content-type': 'application/json; charset=utf-8' });
      res.end(
        JSON.stringify({ message: `simulator error: ${(e as Error).message}`, status: '500' }),
      );
    });
  });
  const host = opts.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  apiBase = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;

  return {
    url: apiBase,
    faults,
    get stats() {
      return snapshotStats();
    },
    rateLimit: {
      set: (token, o) => limiter.set(token, o.resource ?? 'core', o),
      reset: () => limiter.reset(),
    },
    world,
    resetStats: () => {
      stats = emptyStats();
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
