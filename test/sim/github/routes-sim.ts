// Test-only endpoints under /_sim: things tests need that GitHub's API cannot do (set
// mergeability, push commits, backdate comments and reviews, inject faults, read stats).
import { HttpError, errorBody, obj, requireUser, str } from './http.js';
import type { Ctx } from './http.js';
import type { FaultState } from './faults.js';
import type { GitPerson, User } from './model.js';
import type { RateLimiter, Resource } from './rate-limit.js';
import { commitJson, mergeability } from './render-pulls.js';
import { addComment, issueOf } from './routes-issues.js';
import { addReview, pullOf } from './routes-pulls.js';
import { repoOf, route } from './router.js';
import type { Route } from './router.js';

export interface SimDeps {
  faults: FaultState;
  limiter: RateLimiter;
  stats: () => unknown;
  resetStats: () => void;
}

function at(v: unknown, field: string): string | undefined {
  const s = str(v, 'Sim', field, false);
  if (s === undefined) return undefined;
  const ms = Date.parse(s);
  if (Number.isNaN(ms))
    throw new HttpError(422, errorBody(422, `${field} must be an ISO 8601 timestamp`));
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function actor(ctx: Ctx, b: Record<string, unknown>): User {
  const login = str(b.login, 'Sim', 'login', false);
  return login ? ctx.world.user(login) : requireUser(ctx);
}

function commitAuthor(ctx: Ctx, v: unknown): User | GitPerson | undefined {
  if (typeof v === 'string') return ctx.world.user(v);
  if (v && typeof v === 'object') {
    const a = v as { login?: string; name?: string; email?: string };
    if (a.login) return ctx.world.user(a.login);
    return { name: a.name ?? 'Sim Author', email: a.email ?? 'sim@example.com', date: '' };
  }
  return undefined;
}

function pushCommit(ctx: Ctx, branch: string) {
  const repo = repoOf(ctx);
  const b = obj(ctx);
  const message = str(b.message, 'Commit', 'message', true)!;
  const author = commitAuthor(ctx, b.author) ?? requireUser(ctx);
  const c = ctx.world.commitToBranch(repo, branch, { message, author, date: at(b.date, 'date') });
  return { status: 201, body: commitJson(ctx.r, repo, c) };
}

export function simRoutes(d: SimDeps): Route[] {
  const free = (method: string, template: string, h: Route['handler']) =>
    route(method, template, h, 'free');
  return [
    free('PATCH', '/_sim/repos/{owner}/{repo}/pulls/{pull_number}', (ctx) => {
      const repo = repoOf(ctx);
      const issue = pullOf(ctx, repo);
      const b = obj(ctx);
      const p = issue.pull!;
      if ('mergeable' in b) p.mergeableOverride = b.mergeable as boolean | null;
      if ('mergeable_state' in b)
        p.mergeableStateOverride = str(b.mergeable_state, 'Sim', 'mergeable_state', false);
      p.mergeableComputed = true;
      const m = mergeability(ctx.r, repo, issue);
      return { status: 200, body: { mergeable: m.mergeable, mergeable_state: m.state } };
    }),
    free('POST', '/_sim/repos/{owner}/{repo}/pulls/{pull_number}/commits', (ctx) => {
      const issue = pullOf(ctx, repoOf(ctx));
      return pushCommit(ctx, issue.pull!.headRef);
    }),
    free('POST', '/_sim/repos/{owner}/{repo}/branches/{branch}/commits', (ctx) =>
      pushCommit(ctx, ctx.params.branch),
    ),
    free('POST', '/_sim/repos/{owner}/{repo}/issues/{issue_number}/comments', (ctx) => {
      const repo = repoOf(ctx);
      const issue = issueOf(ctx, repo);
      const b = obj(ctx);
      const body = str(b.body, 'IssueComment', 'body', true)!;
      return addComment(ctx, repo, issue, actor(ctx, b), body, at(b.created_at, 'created_at'));
    }),
    free('POST', '/_sim/repos/{owner}/{repo}/pulls/{pull_number}/reviews', (ctx) => {
      const repo = repoOf(ctx);
      const issue = pullOf(ctx, repo);
      const b = obj(ctx);
      return addReview(
        ctx,
        repo,
        issue,
        actor(ctx, b),
        b,
        at(b.submitted_at ?? b.created_at, 'submitted_at'),
      );
    }),
    free('POST', '/_sim/faults/secondary-rate-limit', (ctx) => {
      const b = obj(ctx) as { count?: number; retryAfter?: number; status?: 403 | 429 };
      d.faults.secondaryRateLimit(b);
      return { status: 204 };
    }),
    free('POST', '/_sim/faults/fail', (ctx) => {
      d.faults.failRequests(obj(ctx));
      return { status: 204 };
    }),
    free('POST', '/_sim/faults/delay', (ctx) => {
      d.faults.delay(Number(obj(ctx).ms ?? 0));
      return { status: 204 };
    }),
    free('POST', '/_sim/faults/search-lag', (ctx) => {
      d.faults.searchLagMs = Number(obj(ctx).ms ?? 0);
      return { status: 204 };
    }),
    free('POST', '/_sim/faults/clear', () => {
      d.faults.clear();
      return { status: 204 };
    }),
    free('POST', '/_sim/rate-limit', (ctx) => {
      const b = obj(ctx) as {
        token?: string;
        resource?: Resource;
        remaining?: number;
        limit?: number;
        resetInMs?: number;
      };
      d.limiter.set(b.token ?? '', b.resource ?? 'core', b);
      return { status: 204 };
    }),
    free('GET', '/_sim/stats', () => ({ status: 200, body: d.stats() })),
    free('POST', '/_sim/stats/reset', () => {
      d.resetStats();
      return { status: 204 };
    }),
  ];
}
