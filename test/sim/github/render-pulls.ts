// JSON shapes of pull requests (full and simple), reviews and commits.
import { stableSha } from './model.js';
import type { Commit, Issue, Repo, Review } from './model.js';
import {
  authorAssociation,
  labelJson,
  nodeId,
  repoJson,
  repoPath,
  userJson,
} from './render-core.js';
import type { RenderCtx } from './render-core.js';
import { issueLabels } from './render-issues.js';
import { combinedState } from './render-checks.js';

const FAILED = new Set(['failure', 'timed_out', 'cancelled', 'action_required', 'error']);

export function mergeability(
  c: RenderCtx,
  r: Repo,
  i: Issue,
): { mergeable: boolean | null; state: string } {
  const p = i.pull!;
  if (p.merged || i.state === 'closed') return { mergeable: null, state: 'unknown' };
  if (!p.mergeableComputed) return { mergeable: null, state: 'unknown' };
  const mergeable = p.mergeableOverride === undefined ? true : p.mergeableOverride;
  if (p.mergeableStateOverride !== undefined) return { mergeable, state: p.mergeableStateOverride };
  if (mergeable === false) return { mergeable, state: 'dirty' };
  if (mergeable === null) return { mergeable, state: 'unknown' };
  if (p.draft) return { mergeable, state: 'draft' };
  const sha = c.world.headSha(r, p.headRef);
  const runs = r.checkRuns.filter((cr) => cr.headSha === sha);
  const failing = runs.some((cr) => cr.conclusion !== null && FAILED.has(cr.conclusion));
  const statusState = combinedState(r.statuses.filter((s) => s.sha === sha));
  const hasStatuses = r.statuses.some((s) => s.sha === sha);
  if (failing || (hasStatuses && statusState !== 'success'))
    return { mergeable, state: 'unstable' };
  return { mergeable, state: 'clean' };
}

function branchJson(c: RenderCtx, r: Repo, ref: string) {
  return {
    label: `${r.owner.login}:${ref}`,
    ref,
    sha: c.world.headSha(r, ref) ?? '',
    user: userJson(c, r.owner),
    repo: repoJson(c, r),
  };
}

function pullUrls(c: RenderCtx, r: Repo, i: Issue) {
  const full = repoPath(r);
  const api = `${c.api}/repos/${full}/pulls/${i.number}`;
  const issue = `${c.api}/repos/${full}/issues/${i.number}`;
  const html = `${c.html}/${full}/pull/${i.number}`;
  const sha = c.world.headSha(r, i.pull!.headRef) ?? '';
  const urls = {
    url: api,
    id: i.pull!.id,
    node_id: nodeId('PR', i.pull!.id),
    html_url: html,
    diff_url: `${html}.diff`,
    patch_url: `${html}.patch`,
    issue_url: issue,
    commits_url: `${api}/commits`,
    review_comments_url: `${api}/comments`,
    review_comment_url: `${c.api}/repos/${full}/pulls/comments{/number}`,
    comments_url: `${issue}/comments`,
    statuses_url: `${c.api}/repos/${full}/statuses/${sha}`,
  };
  const links = {
    self: { href: api },
    html: { href: html },
    issue: { href: issue },
    comments: { href: `${issue}/comments` },
    review_comments: { href: `${api}/comments` },
    review_comment: { href: urls.review_comment_url },
    commits: { href: `${api}/commits` },
    statuses: { href: urls.statuses_url },
  };
  return { urls, links };
}

function pullCommon(c: RenderCtx, r: Repo, i: Issue) {
  const p = i.pull!;
  const { urls, links } = pullUrls(c, r, i);
  return {
    ...urls,
    number: i.number,
    state: i.state,
    locked: i.locked,
    title: i.title,
    user: userJson(c, i.user),
    body: i.body,
    created_at: i.createdAt,
    updated_at: i.updatedAt,
    closed_at: i.closedAt,
    merged_at: p.mergedAt,
    merge_commit_sha: null as string | null,
    assignee: i.assignees[0] ? userJson(c, i.assignees[0]) : null,
    assignees: i.assignees.map((u) => userJson(c, u)),
    requested_reviewers: [],
    requested_teams: [],
    milestone: null,
    draft: p.draft,
    head: branchJson(c, r, p.headRef),
    base: branchJson(c, r, p.baseRef),
    _links: links,
    author_association: authorAssociation(r, i.user),
    auto_merge: null,
    active_lock_reason: null,
  };
}

export function pullJson(c: RenderCtx, r: Repo, i: Issue) {
  const p = i.pull!;
  const m = mergeability(c, r, i);
  const commits = c.world.pullCommits(r, p).length;
  const common = pullCommon(c, r, i);
  return {
    ...common,
    labels: issueLabels(c, r, i),
    merge_commit_sha: m.mergeable ? stableSha(`merge:${common.head.sha}:${common.base.sha}`) : null,
    merged: p.merged,
    mergeable: m.mergeable,
    rebaseable: m.mergeable,
    mergeable_state: m.state,
    merged_by: null,
    comments: i.comments.length,
    review_comments: 0,
    maintainer_can_modify: p.maintainerCanModify,
    commits,
    additions: commits * 12,
    deletions: commits * 3,
    changed_files: commits,
  };
}

export function pullSimpleJson(c: RenderCtx, r: Repo, i: Issue) {
  // GitHub's description declares a label's description as a non-null string in this shape.
  const labels = i.labels
    .map((k) => r.labels.get(k))
    .filter((l) => l !== undefined)
    .map((l) => ({ ...labelJson(c, r, l), description: l.description ?? '' }));
  return { ...pullCommon(c, r, i), labels };
}

export function reviewJson(c: RenderCtx, r: Repo, i: Issue, rv: Review) {
  const full = repoPath(r);
  const html = `${c.html}/${full}/pull/${i.number}#pullrequestreview-${rv.id}`;
  const pr = `${c.api}/repos/${full}/pulls/${i.number}`;
  return {
    id: rv.id,
    node_id: nodeId('PRR', rv.id),
    user: userJson(c, rv.user),
    body: rv.body,
    state: rv.state,
    html_url: html,
    pull_request_url: pr,
    author_association: authorAssociation(r, rv.user),
    _links: { html: { href: html }, pull_request: { href: pr } },
    ...(rv.submittedAt ? { submitted_at: rv.submittedAt } : {}),
    commit_id: rv.commitId,
  };
}

export function commitJson(c: RenderCtx, r: Repo, cm: Commit) {
  const full = repoPath(r);
  const api = `${c.api}/repos/${full}`;
  const author = cm.authorLogin ? c.world.users.get(cm.authorLogin.toLowerCase()) : undefined;
  return {
    sha: cm.sha,
    node_id: `C_kwDO${Buffer.from(cm.sha.slice(0, 20), 'hex').toString('base64url')}`,
    commit: {
      author: cm.author,
      committer: cm.committer,
      message: cm.message,
      tree: { sha: cm.tree, url: `${api}/git/trees/${cm.tree}` },
      url: `${api}/git/commits/${cm.sha}`,
      comment_count: 0,
      verification: {
        verified: false,
        reason: 'unsigned',
        signature: null,
        payload: null,
        verified_at: null,
      },
    },
    url: `${api}/commits/${cm.sha}`,
    html_url: `${c.html}/${full}/commit/${cm.sha}`,
    comments_url: `${api}/commits/${cm.sha}/comments`,
    author: author ? userJson(c, author) : null,
    committer: author ? userJson(c, author) : null,
    parents: cm.parents.map((p) => ({
      sha: p,
      url: `${api}/commits/${p}`,
      html_url: `${c.html}/${full}/commit/${p}`,
    })),
  };
}
