// Check runs and commit statuses of a ref.
import {
  HttpError,
  errorBody,
  intParam,
  notFound,
  obj,
  paginate,
  requireUser,
  str,
  validationFailed,
} from './http.js';
import type { Ctx } from './http.js';
import type { CheckRun, CommitStatus, Repo, User } from './model.js';
import { checkRunJson, combinedStatusJson, statusJson } from './render-checks.js';
import { repoOf, route } from './router.js';
import type { Route } from './router.js';

const STATUSES = ['queued', 'in_progress', 'completed', 'waiting', 'requested', 'pending'];
const CONCLUSIONS = [
  'action_required',
  'cancelled',
  'failure',
  'neutral',
  'success',
  'skipped',
  'stale',
  'timed_out',
];
const STATE_VALUES = ['error', 'failure', 'pending', 'success'];

function noCommit(ref: string): HttpError {
  return new HttpError(422, errorBody(422, `No commit found for SHA: ${ref}`));
}

function refSha(ctx: Ctx, repo: Repo): string {
  const ref = ctx.params.ref;
  const sha = ctx.world.resolveRef(repo, ref);
  if (!sha) throw noCommit(ref);
  return sha;
}

// The GitHub App behind a check run: a `[bot]` caller is its own app; anyone else is shown as
// the simulator's CI app (real GitHub only lets apps write check runs).
function appUser(ctx: Ctx, user: User): User {
  return user.type === 'Bot' ? user : ctx.world.user('sim-ci[bot]');
}

function applyCheckFields(ctx: Ctx, cr: CheckRun, b: Record<string, unknown>): void {
  const status = str(b.status, 'CheckRun', 'status', false);
  if (status !== undefined && !STATUSES.includes(status)) {
    throw validationFailed([
      { resource: 'CheckRun', code: 'invalid', field: 'status', value: status },
    ]);
  }
  const conclusion = str(b.conclusion, 'CheckRun', 'conclusion', false);
  if (conclusion !== undefined && !CONCLUSIONS.includes(conclusion)) {
    throw validationFailed([
      { resource: 'CheckRun', code: 'invalid', field: 'conclusion', value: conclusion },
    ]);
  }
  if (b.name !== undefined) cr.name = str(b.name, 'CheckRun', 'name', true)!;
  if (b.details_url !== undefined)
    cr.detailsUrl = str(b.details_url, 'CheckRun', 'details_url', false) ?? null;
  if (b.external_id !== undefined)
    cr.externalId = str(b.external_id, 'CheckRun', 'external_id', false) ?? '';
  if (b.started_at !== undefined)
    cr.startedAt = str(b.started_at, 'CheckRun', 'started_at', false) ?? null;
  if (b.completed_at !== undefined)
    cr.completedAt = str(b.completed_at, 'CheckRun', 'completed_at', false) ?? null;
  if (b.output !== undefined) {
    const o = (b.output ?? {}) as Record<string, unknown>;
    cr.output = {
      title: str(o.title, 'CheckRun', 'output.title', false) ?? cr.output.title,
      summary: str(o.summary, 'CheckRun', 'output.summary', false) ?? cr.output.summary,
      text: str(o.text, 'CheckRun', 'output.text', false) ?? cr.output.text,
    };
  }
  if (status !== undefined) cr.status = status;
  if (conclusion !== undefined) {
    cr.conclusion = conclusion;
    cr.status = 'completed';
  }
  if (cr.status === 'completed') {
    if (!cr.conclusion) {
      throw validationFailed([
        { resource: 'CheckRun', code: 'missing_field', field: 'conclusion' },
      ]);
    }
    cr.completedAt ??= ctx.world.timestamp();
  }
  if (cr.status === 'in_progress') cr.startedAt ??= ctx.world.timestamp();
}

function listCheckRuns(ctx: Ctx) {
  const repo = repoOf(ctx);
  const sha = refSha(ctx, repo);
  const q = ctx.query;
  let runs = repo.checkRuns.filter((cr) => cr.headSha === sha).sort((a, b) => b.id - a.id);
  const name = q.get('check_name');
  if (name) runs = runs.filter((cr) => cr.name === name);
  const status = q.get('status');
  if (status) runs = runs.filter((cr) => cr.status === status);
  if ((q.get('filter') ?? 'latest') === 'latest') {
    const seen = new Set<string>();
    runs = runs.filter((cr) => !seen.has(cr.name) && seen.add(cr.name));
  }
  const page = paginate(ctx, runs);
  return {
    status: 200,
    body: {
      total_count: runs.length,
      check_runs: page.items.map((cr) => checkRunJson(ctx.r, repo, cr)),
    },
    headers: page.headers,
  };
}

export const checkRoutes: Route[] = [
  route('POST', '/repos/{owner}/{repo}/check-runs', (ctx) => {
    const user = requireUser(ctx);
    const repo = repoOf(ctx);
    const b = obj(ctx);
    const name = str(b.name, 'CheckRun', 'name', true)!;
    const headSha = str(b.head_sha, 'CheckRun', 'head_sha', true)!;
    if (!repo.commits.has(headSha)) throw noCommit(headSha);
    const cr: CheckRun = {
      id: ctx.world.id(),
      name,
      headSha,
      status: 'queued',
      conclusion: null,
      startedAt: ctx.world.timestamp(),
      completedAt: null,
      detailsUrl: null,
      externalId: '',
      output: { title: null, summary: null, text: null },
      app: appUser(ctx, user),
      checkSuiteId: ctx.world.id(),
    };
    applyCheckFields(ctx, cr, b);
    repo.checkRuns.push(cr);
    return { status: 201, body: checkRunJson(ctx.r, repo, cr) };
  }),
  route('PATCH', '/repos/{owner}/{repo}/check-runs/{check_run_id}', (ctx) => {
    requireUser(ctx);
    const repo = repoOf(ctx);
    const cr = repo.checkRuns.find((c) => c.id === intParam(ctx, 'check_run_id'));
    if (!cr) throw notFound();
    applyCheckFields(ctx, cr, obj(ctx));
    return { status: 200, body: checkRunJson(ctx.r, repo, cr) };
  }),
  route('GET', '/repos/{owner}/{repo}/check-runs/{check_run_id}', (ctx) => {
    const repo = repoOf(ctx);
    const cr = repo.checkRuns.find((c) => c.id === intParam(ctx, 'check_run_id'));
    if (!cr) throw notFound();
    return { status: 200, body: checkRunJson(ctx.r, repo, cr) };
  }),
  route('GET', '/repos/{owner}/{repo}/commits/{ref}/check-runs', listCheckRuns),
  route('POST', '/repos/{owner}/{repo}/statuses/{sha}', (ctx) => {
    const user = requireUser(ctx);
    const repo = repoOf(ctx);
    const sha = ctx.params.sha;
    if (!repo.commits.has(sha)) throw noCommit(sha);
    const b = obj(ctx);
    const state = str(b.state, 'Status', 'state', true)!;
    if (!STATE_VALUES.includes(state)) {
      throw validationFailed([
        {
          resource: 'Status',
          code: 'custom',
          field: 'state',
          message: `state is not included in the list`,
        },
      ]);
    }
    const at = ctx.world.timestamp();
    const s: CommitStatus = {
      id: ctx.world.id(),
      sha,
      state: state as CommitStatus['state'],
      description: str(b.description, 'Status', 'description', false) ?? null,
      targetUrl: str(b.target_url, 'Status', 'target_url', false) ?? null,
      context: str(b.context, 'Status', 'context', false) ?? 'default',
      createdAt: at,
      updatedAt: at,
      creator: user,
    };
    repo.statuses.push(s);
    return { status: 201, body: statusJson(ctx.r, repo, s) };
  }),
  route('GET', '/repos/{owner}/{repo}/commits/{ref}/status', (ctx) => {
    const repo = repoOf(ctx);
    return { status: 200, body: combinedStatusJson(ctx.r, repo, refSha(ctx, repo)) };
  }),
  route('GET', '/repos/{owner}/{repo}/commits/{ref}/statuses', (ctx) => {
    const repo = repoOf(ctx);
    const sha = refSha(ctx, repo);
    const all = repo.statuses.filter((s) => s.sha === sha).sort((a, b) => b.id - a.id);
    const page = paginate(ctx, all);
    return {
      status: 200,
      body: page.items.map((s) => statusJson(ctx.r, repo, s)),
      headers: page.headers,
    };
  }),
];
