// Pull requests, their commits and reviews.
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
  unprocessable,
  validationFailed,
} from './http.js';
import type { Ctx } from './http.js';
import type { Issue, Repo, Review, ReviewState, User } from './model.js';
import { commitJson, pullJson, pullSimpleJson, reviewJson } from './render-pulls.js';
import { closeIssue, reopenIssue } from './routes-issues.js';
import { repoOf, route } from './router.js';
import type { Route } from './router.js';

const PULLS_DOCS = 'https://docs.github.com/rest/pulls/pulls#create-a-pull-request';

export function pullOf(ctx: Ctx, repo: Repo): Issue {
  const issue = repo.issues.get(intParam(ctx, 'pull_number'));
  if (!issue?.pull) throw notFound();
  return issue;
}

function branchName(head: string): string {
  const i = head.indexOf(':');
  return i >= 0 ? head.slice(i + 1) : head;
}

function createPull(ctx: Ctx) {
  const user = requireUser(ctx);
  const repo = repoOf(ctx);
  const b = obj(ctx);
  const head = str(b.head, 'PullRequest', 'head', true)!;
  const base = str(b.base, 'PullRequest', 'base', true)!;
  const title = str(b.title, 'PullRequest', 'title', b.issue === undefined)!;
  const headRef = branchName(head);
  const w = ctx.world;
  w.ensureBranch(repo, base);
  if (!repo.branches.has(headRef)) {
    // The simulator creates a missing head branch with one commit so the PR has something to show.
    w.commitToBranch(repo, headRef, { message: title ?? `Changes on ${headRef}`, author: user });
  }
  if (headRef === base || w.pullCommits(repo, { baseRef: base, headRef }).length === 0) {
    throw validationFailed(
      [
        {
          resource: 'PullRequest',
          code: 'custom',
          message: `No commits between ${base} and ${headRef}`,
        },
      ],
      PULLS_DOCS,
    );
  }
  for (const i of repo.issues.values()) {
    if (i.pull && i.state === 'open' && i.pull.headRef === headRef && i.pull.baseRef === base) {
      throw validationFailed(
        [
          {
            resource: 'PullRequest',
            code: 'custom',
            message: `A pull request already exists for ${repo.owner.login}:${headRef}.`,
          },
        ],
        PULLS_DOCS,
      );
    }
  }
  const issue = w.newIssue(repo, {
    title,
    body: str(b.body, 'PullRequest', 'body', false) ?? null,
    user,
  });
  issue.pull = {
    id: w.id(),
    headRef,
    baseRef: base,
    draft: b.draft === true,
    merged: false,
    mergedAt: null,
    maintainerCanModify: b.maintainer_can_modify !== false,
    mergeableComputed: false,
    mergeableOverride: undefined,
    mergeableStateOverride: undefined,
    reviews: [],
  };
  return { status: 201, body: pullJson(ctx.r, repo, issue) };
}

function listPulls(ctx: Ctx) {
  const repo = repoOf(ctx);
  const q = ctx.query;
  const state = q.get('state') ?? 'open';
  if (!['open', 'closed', 'all'].includes(state)) {
    throw validationFailed([
      { resource: 'PullRequest', code: 'invalid', field: 'state', value: state },
    ]);
  }
  // Like GitHub, `head` filters only in the `user:ref-name` form; a bare branch name is ignored.
  const head = q.get('head');
  const headFilter = head?.includes(':') ? head.split(':') : undefined;
  const base = q.get('base');
  let items = [...repo.issues.values()].filter(
    (i) =>
      i.pull &&
      (state === 'all' || i.state === state) &&
      (!headFilter ||
        (headFilter[0].toLowerCase() === repo.owner.login.toLowerCase() &&
          i.pull.headRef === headFilter.slice(1).join(':'))) &&
      (!base || i.pull.baseRef === base),
  );
  const sort = q.get('sort') ?? 'created';
  const dir = q.get('direction') ?? (sort === 'created' ? 'desc' : 'desc');
  const key = (i: Issue) =>
    sort === 'updated' ? i.updatedAt : sort === 'long-running' ? i.createdAt : i.createdAt;
  items = sortBy(
    items,
    (i) => `${key(i)}|${String(i.number).padStart(9, '0')}`,
    dir === 'asc' ? 'asc' : 'desc',
  );
  const page = paginate(ctx, items);
  return {
    status: 200,
    body: page.items.map((i) => pullSimpleJson(ctx.r, repo, i)),
    headers: page.headers,
  };
}

function getPull(ctx: Ctx) {
  const repo = repoOf(ctx);
  const issue = pullOf(ctx, repo);
  const body = pullJson(ctx.r, repo, issue);
  // This GET starts GitHub's background mergeability job: the next GET sees the result.
  issue.pull!.mergeableComputed = true;
  return { status: 200, body };
}

function updatePull(ctx: Ctx) {
  const user = requireUser(ctx);
  const repo = repoOf(ctx);
  const issue = pullOf(ctx, repo);
  const b = obj(ctx);
  if ('title' in b) issue.title = str(b.title, 'PullRequest', 'title', true)!;
  if ('body' in b) issue.body = b.body === null ? null : str(b.body, 'PullRequest', 'body', false)!;
  if ('base' in b) {
    const base = str(b.base, 'PullRequest', 'base', true)!;
    if (!repo.branches.has(base))
      throw validationFailed([{ resource: 'PullRequest', code: 'invalid', field: 'base' }]);
    issue.pull!.baseRef = base;
    issue.pull!.mergeableComputed = false;
  }
  if (b.state === 'closed') closeIssue(ctx, issue, user, null);
  else if (b.state === 'open') reopenIssue(issue);
  else if (b.state !== undefined)
    throw validationFailed([{ resource: 'PullRequest', code: 'invalid', field: 'state' }]);
  issue.updatedAt = ctx.world.timestamp();
  return { status: 200, body: pullJson(ctx.r, repo, issue) };
}

/** `PUT /pulls/{n}/merge`: a merge commit on the base branch, the pull request closed and merged. */
function mergePull(ctx: Ctx) {
  const user = requireUser(ctx);
  const repo = repoOf(ctx);
  const issue = pullOf(ctx, repo);
  const p = issue.pull!;
  if (p.merged || issue.state === 'closed')
    throw new HttpError(
      405,
      errorBody(
        405,
        issue.state === 'closed' && !p.merged
          ? 'Pull Request is not mergeable'
          : 'Pull Request is already merged',
      ),
    );
  const b = obj(ctx);
  const sha = str(b.sha, 'PullRequest', 'sha', false);
  const head = ctx.world.headSha(repo, p.headRef);
  if (sha !== undefined && sha !== head)
    throw new HttpError(
      409,
      errorBody(409, 'Head branch was modified. Review and try the merge again.'),
    );
  p.merged = true;
  p.mergedAt = ctx.world.timestamp();
  closeIssue(ctx, issue, user, null);
  issue.updatedAt = p.mergedAt;
  return {
    status: 200,
    body: { sha: head ?? '', merged: true, message: 'Pull Request successfully merged' },
  };
}

const EVENTS: Record<string, ReviewState> = {
  APPROVE: 'APPROVED',
  REQUEST_CHANGES: 'CHANGES_REQUESTED',
  COMMENT: 'COMMENTED',
};

export function addReview(
  ctx: Ctx,
  repo: Repo,
  issue: Issue,
  user: User,
  b: Record<string, unknown>,
  submittedAt?: string,
) {
  const event = str(b.event, 'PullRequestReview', 'event', false);
  const body = str(b.body, 'PullRequestReview', 'body', false) ?? '';
  if (event !== undefined && !(event in EVENTS)) {
    throw unprocessable('Unprocessable Entity', [
      `Invalid event: ${event}. Use APPROVE, REQUEST_CHANGES or COMMENT.`,
    ]);
  }
  const state: ReviewState = event ? EVENTS[event] : 'PENDING';
  if (state !== 'PENDING' && user.login.toLowerCase() === issue.user.login.toLowerCase()) {
    if (state === 'APPROVED')
      throw unprocessable('Unprocessable Entity', ['Review Can not approve your own pull request']);
    if (state === 'CHANGES_REQUESTED') {
      throw unprocessable('Unprocessable Entity', [
        'Review Can not request changes on your own pull request',
      ]);
    }
  }
  if (
    (state === 'CHANGES_REQUESTED' || state === 'COMMENTED') &&
    body.trim() === '' &&
    !Array.isArray(b.comments)
  ) {
    throw unprocessable('Unprocessable Entity', [`Review body is required for ${event} events`]);
  }
  const headSha = ctx.world.headSha(repo, issue.pull!.headRef)!;
  const commitId = str(b.commit_id, 'PullRequestReview', 'commit_id', false) ?? headSha;
  if (!repo.commits.has(commitId))
    throw unprocessable('Unprocessable Entity', ['Commit not found']);
  const rv: Review = {
    id: ctx.world.id(),
    user,
    body,
    state,
    commitId,
    submittedAt: state === 'PENDING' ? null : (submittedAt ?? ctx.world.timestamp()),
  };
  issue.pull!.reviews.push(rv);
  if (rv.submittedAt && rv.submittedAt > issue.updatedAt) issue.updatedAt = rv.submittedAt;
  return { status: 200, body: reviewJson(ctx.r, repo, issue, rv) };
}

export const pullRoutes: Route[] = [
  route('POST', '/repos/{owner}/{repo}/pulls', createPull),
  route('GET', '/repos/{owner}/{repo}/pulls', listPulls),
  route('GET', '/repos/{owner}/{repo}/pulls/{pull_number}', getPull),
  route('PATCH', '/repos/{owner}/{repo}/pulls/{pull_number}', updatePull),
  route('PUT', '/repos/{owner}/{repo}/pulls/{pull_number}/merge', mergePull),
  route('GET', '/repos/{owner}/{repo}/pulls/{pull_number}/commits', (ctx) => {
    const repo = repoOf(ctx);
    const issue = pullOf(ctx, repo);
    const page = paginate(ctx, ctx.world.pullCommits(repo, issue.pull!).slice(0, 250));
    return {
      status: 200,
      body: page.items.map((c) => commitJson(ctx.r, repo, c)),
      headers: page.headers,
    };
  }),
  route('GET', '/repos/{owner}/{repo}/pulls/{pull_number}/reviews', (ctx) => {
    const repo = repoOf(ctx);
    const issue = pullOf(ctx, repo);
    // Pending reviews are visible only to their author.
    const visible = issue.pull!.reviews.filter((r) => r.state !== 'PENDING' || r.user === ctx.user);
    const page = paginate(ctx, visible);
    return {
      status: 200,
      body: page.items.map((r) => reviewJson(ctx.r, repo, issue, r)),
      headers: page.headers,
    };
  }),
  route('POST', '/repos/{owner}/{repo}/pulls/{pull_number}/reviews', (ctx) => {
    const user = requireUser(ctx);
    const repo = repoOf(ctx);
    const issue = pullOf(ctx, repo);
    if (issue.state === 'closed' && !issue.pull!.merged) {
      throw new HttpError(
        422,
        errorBody(422, 'Unprocessable Entity', undefined, { errors: ['Pull request is closed'] }),
      );
    }
    return addReview(ctx, repo, issue, user, obj(ctx));
  }),
];
