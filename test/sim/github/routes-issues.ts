// Issues (pull requests included), issue comments and the labels of an issue.
import {
  HttpError,
  errorBody,
  intParam,
  notFound,
  obj,
  paginate,
  requireUser,
  sortBy,
  str,
  validationFailed,
} from './http.js';
import type { Ctx } from './http.js';
import type { Issue, Repo, User } from './model.js';
import { labelJson } from './render-core.js';
import { commentJson, issueJson } from './render-issues.js';
import { repoOf, route } from './router.js';
import type { Route } from './router.js';

export function issueOf(ctx: Ctx, repo: Repo): Issue {
  const issue = repo.issues.get(intParam(ctx, 'issue_number'));
  if (!issue) throw notFound();
  return issue;
}

// Label names from `["a", {name: "b"}]`; missing repository labels are created, as GitHub does
// for users with push access.
function labelNames(ctx: Ctx, repo: Repo, v: unknown, field = 'labels'): string[] {
  if (!Array.isArray(v)) {
    throw new HttpError(
      422,
      errorBody(422, `Invalid request.\n\nFor '${field}', ${JSON.stringify(v)} is not an array.`),
    );
  }
  return v.map((x) => {
    const name =
      typeof x === 'string'
        ? x
        : typeof x === 'object' && x !== null
          ? (x as { name?: unknown }).name
          : undefined;
    if (typeof name !== 'string' || name.trim() === '') {
      throw validationFailed([{ resource: 'Label', code: 'invalid', field: 'name', value: x }]);
    }
    return ctx.world.label(repo, name.trim()).name.toLowerCase();
  });
}

function assigneesOf(ctx: Ctx, v: unknown): User[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) {
    throw validationFailed([{ resource: 'Issue', code: 'invalid', field: 'assignees' }]);
  }
  return (v as string[]).map((login) => ctx.world.user(login));
}

function touch(ctx: Ctx, issue: Issue): void {
  issue.updatedAt = ctx.world.timestamp();
}

export function closeIssue(ctx: Ctx, issue: Issue, by: User, reason: string | null): void {
  if (issue.state === 'closed') {
    if (reason) issue.stateReason = reason;
    return;
  }
  issue.state = 'closed';
  issue.stateReason = issue.pull ? null : (reason ?? 'completed');
  issue.closedAt = ctx.world.timestamp();
  issue.closedBy = by;
}

export function reopenIssue(issue: Issue): void {
  if (issue.state === 'open') return;
  issue.state = 'open';
  issue.stateReason = issue.pull ? null : 'reopened';
  issue.closedAt = null;
  issue.closedBy = null;
  if (issue.pull) issue.pull.mergeableComputed = false;
}

const STATE_REASONS = ['completed', 'not_planned', 'duplicate', 'reopened'];

function updateIssue(ctx: Ctx) {
  const user = requireUser(ctx);
  const repo = repoOf(ctx);
  const issue = issueOf(ctx, repo);
  const b = obj(ctx);
  if ('title' in b) issue.title = str(b.title, 'Issue', 'title', true)!;
  if ('body' in b) issue.body = b.body === null ? null : str(b.body, 'Issue', 'body', false)!;
  if ('labels' in b) issue.labels = [...new Set(labelNames(ctx, repo, b.labels))];
  if ('assignees' in b) issue.assignees = assigneesOf(ctx, b.assignees);
  const reason = b.state_reason;
  if (
    reason !== undefined &&
    reason !== null &&
    (typeof reason !== 'string' || !STATE_REASONS.includes(reason))
  ) {
    throw validationFailed([
      { resource: 'Issue', code: 'invalid', field: 'state_reason', value: reason },
    ]);
  }
  if ('state' in b) {
    if (b.state === 'closed') closeIssue(ctx, issue, user, reason ?? null);
    else if (b.state === 'open') reopenIssue(issue);
    else
      throw validationFailed([
        { resource: 'Issue', code: 'invalid', field: 'state', value: b.state },
      ]);
  } else if (typeof reason === 'string' && issue.state === 'closed') {
    issue.stateReason = reason;
  }
  touch(ctx, issue);
  return { status: 200, body: issueJson(ctx.r, repo, issue) };
}

function listIssues(ctx: Ctx) {
  const repo = repoOf(ctx);
  const q = ctx.query;
  const state = q.get('state') ?? 'open';
  if (!['open', 'closed', 'all'].includes(state)) {
    throw validationFailed([{ resource: 'Issue', code: 'invalid', field: 'state', value: state }]);
  }
  const wanted = (q.get('labels') ?? '')
    .split(',')
    .map((s) => s.trim().toLowerCase())
    .filter(Boolean);
  const creator = q.get('creator')?.toLowerCase();
  const assignee = q.get('assignee')?.toLowerCase();
  const since = q.get('since');
  let items = [...repo.issues.values()].filter(
    (i) =>
      (state === 'all' || i.state === state) &&
      wanted.every((l) => i.labels.includes(l)) &&
      (!creator || i.user.login.toLowerCase() === creator) &&
      (!assignee ||
        (assignee === 'none'
          ? i.assignees.length === 0
          : assignee === '*'
            ? i.assignees.length > 0
            : i.assignees.some((u) => u.login.toLowerCase() === assignee))) &&
      (!since || i.updatedAt >= since.replace(/\.\d+Z$/, 'Z')),
  );
  const sort = q.get('sort') ?? 'created';
  const dir = q.get('direction') === 'asc' ? 'asc' : 'desc';
  const key = (i: Issue) =>
    sort === 'updated'
      ? i.updatedAt
      : sort === 'comments'
        ? String(i.comments.length).padStart(9, '0')
        : i.createdAt;
  items = sortBy(items, (i) => `${key(i)}|${String(i.number).padStart(9, '0')}`, dir);
  const page = paginate(ctx, items);
  return {
    status: 200,
    body: page.items.map((i) => issueJson(ctx.r, repo, i)),
    headers: page.headers,
  };
}

export function addComment(
  ctx: Ctx,
  repo: Repo,
  issue: Issue,
  user: User,
  body: string,
  at?: string,
) {
  const createdAt = at ?? ctx.world.timestamp();
  const cm = { id: ctx.world.id(), body, user, createdAt, updatedAt: createdAt };
  issue.comments.push(cm);
  issue.updatedAt = createdAt > issue.updatedAt ? createdAt : issue.updatedAt;
  return { status: 201, body: commentJson(ctx.r, repo, issue, cm) };
}

export const issueRoutes: Route[] = [
  route('POST', '/repos/{owner}/{repo}/issues', (ctx) => {
    const user = requireUser(ctx);
    const repo = repoOf(ctx);
    const b = obj(ctx);
    const title =
      typeof b.title === 'number' ? String(b.title) : str(b.title, 'Issue', 'title', true)!;
    const body = str(b.body, 'Issue', 'body', false) ?? null;
    const labels = b.labels === undefined ? [] : labelNames(ctx, repo, b.labels);
    const assignees = assigneesOf(
      ctx,
      b.assignees ?? (typeof b.assignee === 'string' ? [b.assignee] : undefined),
    );
    const issue = ctx.world.newIssue(repo, { title, body, user });
    issue.labels = [...new Set(labels)];
    issue.assignees = assignees;
    return { status: 201, body: issueJson(ctx.r, repo, issue) };
  }),
  route('GET', '/repos/{owner}/{repo}/issues', listIssues),
  route('GET', '/repos/{owner}/{repo}/issues/{issue_number}', (ctx) => {
    const repo = repoOf(ctx);
    return { status: 200, body: issueJson(ctx.r, repo, issueOf(ctx, repo)) };
  }),
  route('PATCH', '/repos/{owner}/{repo}/issues/{issue_number}', updateIssue),
  route('GET', '/repos/{owner}/{repo}/issues/{issue_number}/comments', (ctx) => {
    const repo = repoOf(ctx);
    const issue = issueOf(ctx, repo);
    const since = ctx.query.get('since');
    const items = issue.comments.filter(
      (c) => !since || c.updatedAt >= since.replace(/\.\d+Z$/, 'Z'),
    );
    const page = paginate(ctx, items);
    return {
      status: 200,
      body: page.items.map((c) => commentJson(ctx.r, repo, issue, c)),
      headers: page.headers,
    };
  }),
  route('POST', '/repos/{owner}/{repo}/issues/{issue_number}/comments', (ctx) => {
    const user = requireUser(ctx);
    const repo = repoOf(ctx);
    const issue = issueOf(ctx, repo);
    if (issue.locked)
      throw new HttpError(403, errorBody(403, 'Unable to create comment because issue is locked.'));
    const body = str(obj(ctx).body, 'IssueComment', 'body', true)!;
    return addComment(ctx, repo, issue, user, body);
  }),
  route('GET', '/repos/{owner}/{repo}/issues/{issue_number}/labels', (ctx) => {
    const repo = repoOf(ctx);
    const issue = issueOf(ctx, repo);
    const page = paginate(
      ctx,
      issue.labels.map((k) => repo.labels.get(k)!),
    );
    return {
      status: 200,
      body: page.items.map((l) => labelJson(ctx.r, repo, l)),
      headers: page.headers,
    };
  }),
  route('POST', '/repos/{owner}/{repo}/issues/{issue_number}/labels', (ctx) =>
    labelsWrite(ctx, 'add'),
  ),
  route('PUT', '/repos/{owner}/{repo}/issues/{issue_number}/labels', (ctx) =>
    labelsWrite(ctx, 'set'),
  ),
  route('DELETE', '/repos/{owner}/{repo}/issues/{issue_number}/labels/{name}', (ctx) => {
    requireUser(ctx);
    const repo = repoOf(ctx);
    const issue = issueOf(ctx, repo);
    const key = ctx.params.name.toLowerCase();
    if (!issue.labels.includes(key)) {
      throw new HttpError(404, errorBody(404, 'Label does not exist'));
    }
    issue.labels = issue.labels.filter((k) => k !== key);
    touch(ctx, issue);
    return {
      status: 200,
      body: issue.labels.map((k) => labelJson(ctx.r, repo, repo.labels.get(k)!)),
    };
  }),
];

function labelsWrite(ctx: Ctx, mode: 'add' | 'set') {
  requireUser(ctx);
  const repo = repoOf(ctx);
  const issue = issueOf(ctx, repo);
  const b = ctx.body;
  const raw = Array.isArray(b)
    ? b
    : b && typeof b === 'object'
      ? (b as { labels?: unknown }).labels
      : undefined;
  if (raw === undefined)
    throw validationFailed([{ resource: 'Label', code: 'missing_field', field: 'labels' }]);
  const names = labelNames(ctx, repo, raw);
  issue.labels = [...new Set(mode === 'add' ? [...issue.labels, ...names] : names)];
  touch(ctx, issue);
  return {
    status: 200,
    body: issue.labels.map((k) => labelJson(ctx.r, repo, repo.labels.get(k)!)),
  };
}
