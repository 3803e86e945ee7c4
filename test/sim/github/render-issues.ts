// JSON shapes of issues (pull requests included, with their `pull_request` key) and comments.
import type { Comment, Issue, Repo } from './model.js';
import { authorAssociation, labelJson, nodeId, repoPath, userJson } from './render-core.js';
import type { RenderCtx } from './render-core.js';

function reactions(url: string) {
  return {
    url,
    total_count: 0,
    '+1': 0,
    '-1': 0,
    laugh: 0,
    hooray: 0,
    confused: 0,
    heart: 0,
    rocket: 0,
    eyes: 0,
  };
}

export function issueHtmlUrl(c: RenderCtx, r: Repo, i: Issue): string {
  return `${c.html}/${repoPath(r)}/${i.pull ? 'pull' : 'issues'}/${i.number}`;
}

export function issueLabels(c: RenderCtx, r: Repo, i: Issue) {
  return i.labels
    .map((k) => r.labels.get(k))
    .filter((l) => l !== undefined)
    .map((l) => labelJson(c, r, l));
}

export function issueJson(c: RenderCtx, r: Repo, i: Issue) {
  const api = `${c.api}/repos/${repoPath(r)}/issues/${i.number}`;
  const html = issueHtmlUrl(c, r, i);
  return {
    url: api,
    repository_url: `${c.api}/repos/${repoPath(r)}`,
    labels_url: `${api}/labels{/name}`,
    comments_url: `${api}/comments`,
    events_url: `${api}/events`,
    html_url: html,
    id: i.id,
    node_id: nodeId(i.pull ? 'PR' : 'I', i.id),
    number: i.number,
    title: i.title,
    user: userJson(c, i.user),
    labels: issueLabels(c, r, i),
    state: i.state,
    locked: i.locked,
    assignee: i.assignees[0] ? userJson(c, i.assignees[0]) : null,
    assignees: i.assignees.map((u) => userJson(c, u)),
    milestone: null,
    comments: i.comments.length,
    created_at: i.createdAt,
    updated_at: i.updatedAt,
    closed_at: i.closedAt,
    author_association: authorAssociation(r, i.user),
    type: null,
    active_lock_reason: null,
    ...(i.pull
      ? {
          draft: i.pull.draft,
          pull_request: {
            url: `${c.api}/repos/${repoPath(r)}/pulls/${i.number}`,
            html_url: html,
            diff_url: `${html}.diff`,
            patch_url: `${html}.patch`,
            merged_at: i.pull.mergedAt,
          },
        }
      : {}),
    body: i.body,
    closed_by: i.closedBy ? userJson(c, i.closedBy) : null,
    reactions: reactions(`${api}/reactions`),
    timeline_url: `${api}/timeline`,
    performed_via_github_app: null,
    state_reason: i.stateReason,
  };
}

export function searchItemJson(c: RenderCtx, r: Repo, i: Issue) {
  const { closed_by: _closedBy, body, ...rest } = issueJson(c, r, i);
  // GitHub's description types a search item's body as a non-null string: an empty body is left out.
  return { ...rest, ...(body === null ? {} : { body }), score: 1.0 };
}

export function commentJson(c: RenderCtx, r: Repo, i: Issue, cm: Comment) {
  const api = `${c.api}/repos/${repoPath(r)}/issues/comments/${cm.id}`;
  return {
    url: api,
    html_url: `${issueHtmlUrl(c, r, i)}#issuecomment-${cm.id}`,
    issue_url: `${c.api}/repos/${repoPath(r)}/issues/${i.number}`,
    id: cm.id,
    node_id: nodeId('IC', cm.id),
    user: userJson(c, cm.user),
    created_at: cm.createdAt,
    updated_at: cm.updatedAt,
    author_association: authorAssociation(r, cm.user),
    body: cm.body,
    reactions: reactions(`${api}/reactions`),
    performed_via_github_app: null,
  };
}
