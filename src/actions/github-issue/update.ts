// `comment-issue`, `label-issue`, `relabel-severity`, `close-issue` on the incident's issue. Each is
// idempotent: a comment carries a hidden key and is not posted twice, labels are added (a set), the
// severity label is swapped only when it differs, closing a closed issue is a no-op.
import type { Severity } from '../../domain/alert.js';
import type { Incident } from '../../domain/incident.js';
import { issueRecorded, severityLabelled } from '../../incidents/lifecycle.js';
import { renderComment, type CommentKind } from '../../templates/index.js';
import { incidentView, type ActionContext, type ActionOutcome } from '../handler.js';
import {
  fullName,
  issueRepository,
  recordedIssue,
  type GitHubIssueDeps,
  type IssueRef,
} from './context.js';
import { childrenDigest, childViews } from './children.js';
import { githubActionError } from './errors.js';
import { findIssueByMarker } from './find.js';

type Result = ActionOutcome['result'];

/** The incident's issue: recorded on it, else found by its marker; null when there is none. */
async function targetIssue(
  ctx: ActionContext,
  deps: GitHubIssueDeps,
): Promise<{ issue: IssueRef; found: boolean } | null> {
  let repo = null;
  try {
    repo = issueRepository(ctx, deps.repository);
  } catch {
    // No repository to search: only a recorded issue can be acted on.
  }
  const recorded = recordedIssue(ctx.incident, repo);
  if (recorded) return { issue: recorded, found: false };
  if (!repo) return null;
  const hit = await findIssueByMarker(deps.client.octokit, repo, {
    fingerprint: ctx.incident.fingerprint,
    alertLabel: ctx.incident.alert.toLowerCase(),
    signal: ctx.signal,
  });
  return hit ? { issue: { ...repo, number: hit.number, url: hit.url }, found: true } : null;
}

/** Runs `op` on the incident's issue; records an issue found by its marker on the incident. */
async function onIssue(
  ctx: ActionContext,
  deps: GitHubIssueDeps,
  op: (issue: IssueRef) => Promise<Result>,
): Promise<ActionOutcome> {
  const target = await targetIssue(ctx, deps);
  if (!target) return { result: { skipped: 'the incident has no GitHub issue' } };
  const result = {
    number: target.issue.number,
    url: target.issue.url,
    ...(await op(target.issue)),
  };
  if (!target.found) return { result };
  const githubIssue = { number: target.issue.number, url: target.issue.url };
  return {
    result,
    incident: (i) => (i.githubIssue ? i : issueRecorded(i, githubIssue, i.labelledSeverity)),
  };
}

/**
 * Distinguishes one comment from another of the same incident: what it is about (the attempt, or
 * the children a `children` comment names).
 */
export function commentKey(
  kind: CommentKind,
  incident: Incident,
  children: readonly string[] = [],
): string {
  const round = incident.reopened ?? 0;
  if (kind === 'attempt') return `attempt-${incident.attempts.at(-1)?.attempt ?? 1}-r${round}`;
  if (kind === 'children') return `children-${childrenDigest(children)}-r${round}`;
  return `${kind}-r${round}`;
}

const commentMarker = (fingerprint: string, key: string): string =>
  `<!-- healer:comment=${fingerprint.slice(0, 16)}:${key} -->`;

function escalationReason(incident: Incident, maxAttempts: number): string {
  const attempts = incident.attempts;
  const failed = attempts.filter((a) => a.phase === 'Failed').length;
  if (attempts.length >= maxAttempts)
    return `All ${maxAttempts} remediation attempts were used and the alert keeps recurring.`;
  if (failed >= 2) return `The remediation run failed ${failed} times.`;
  return `This ${incident.severity} incident cannot be remediated automatically.`;
}

async function hasComment(
  deps: GitHubIssueDeps,
  issue: IssueRef,
  marker: string,
  signal: AbortSignal,
) {
  for (let page = 1; page <= 10; page++) {
    const { data } = await deps.client.octokit.rest.issues.listComments({
      owner: issue.owner,
      repo: issue.repo,
      issue_number: issue.number,
      per_page: 100,
      page,
      request: { signal },
    });
    if (data.some((c) => (c.body ?? '').includes(marker))) return true;
    if (data.length < 100) return false;
  }
  return false;
}

/** The comment's view: the incident's, or for `children` the joined children and their evidence. */
async function commentView(
  ctx: ActionContext,
  deps: GitHubIssueDeps,
  issue: IssueRef,
  kind: CommentKind,
  children: readonly string[],
) {
  const view = {
    ...incidentView(ctx.incident, deps.view, { repository: fullName(issue) }),
    escalationReason:
      kind === 'escalation' ? escalationReason(ctx.incident, deps.view.maxAttempts) : null,
  };
  if (kind !== 'children') return view;
  const joined = await childViews(deps.incidents, children, deps.view.dashboardUrl);
  return { ...view, children: joined.children, evidence: joined.evidence, events: [] };
}

export function commentIssue(
  ctx: ActionContext,
  deps: GitHubIssueDeps,
  kind: CommentKind,
  children: readonly string[] = [],
): Promise<ActionOutcome> {
  return onIssue(ctx, deps, async (issue): Promise<Result> => {
    const what = `commenting on ${fullName(issue)}#${issue.number}`;
    const key = commentKey(kind, ctx.incident, children);
    const marker = commentMarker(ctx.incident.fingerprint, key);
    try {
      if (await hasComment(deps, issue, marker, ctx.signal))
        return { comment: kind, skipped: 'already commented' };
      const view = await commentView(ctx, deps, issue, kind, children);
      const body = `${renderComment(deps.templates, kind, view)}\n${marker}\n`;
      const { data } = await deps.client.octokit.rest.issues.createComment({
        owner: issue.owner,
        repo: issue.repo,
        issue_number: issue.number,
        body,
        request: { signal: ctx.signal, retries: 0 },
      });
      return { comment: kind, commentId: data.id, commentUrl: data.html_url };
    } catch (err) {
      throw githubActionError(what, err);
    }
  });
}

export function labelIssue(
  ctx: ActionContext,
  deps: GitHubIssueDeps,
  label: string,
): Promise<ActionOutcome> {
  return onIssue(ctx, deps, async (issue) => {
    try {
      await deps.client.octokit.rest.issues.addLabels({
        owner: issue.owner,
        repo: issue.repo,
        issue_number: issue.number,
        labels: [label],
        request: { signal: ctx.signal },
      });
      return { label };
    } catch (err) {
      throw githubActionError(`labelling ${fullName(issue)}#${issue.number} ${label}`, err);
    }
  });
}

const SEVERITY_PREFIX = 'severity:';

/**
 * Swaps the issue's `severity:*` labels for `severity:<severity>`: stale severity labels removed,
 * the wanted one added when missing. Idempotent.
 */
export async function swapSeverityLabel(
  deps: GitHubIssueDeps,
  issue: IssueRef,
  severity: Severity,
  signal: AbortSignal,
): Promise<{ label: string; removed: string | null; added: boolean }> {
  const wanted = `${SEVERITY_PREFIX}${severity}`;
  const ref = { owner: issue.owner, repo: issue.repo, issue_number: issue.number };
  try {
    const { data } = await deps.client.octokit.rest.issues.listLabelsOnIssue({
      ...ref,
      per_page: 100,
      request: { signal },
    });
    const names = data.map((l) => l.name);
    const stale = names.filter(
      (n) => n.toLowerCase().startsWith(SEVERITY_PREFIX) && n.toLowerCase() !== wanted,
    );
    for (const name of stale) {
      try {
        await deps.client.octokit.rest.issues.removeLabel({ ...ref, name, request: { signal } });
      } catch (err) {
        // already gone (a person or an earlier try removed it): that is the goal
        if ((err as { status?: number }).status !== 404) throw err;
      }
    }
    const present = names.some((n) => n.toLowerCase() === wanted);
    if (!present)
      await deps.client.octokit.rest.issues.addLabels({
        ...ref,
        labels: [wanted],
        request: { signal },
      });
    return { label: wanted, removed: stale.join(',') || null, added: !present };
  } catch (err) {
    throw githubActionError(`relabelling ${fullName(issue)}#${issue.number} ${wanted}`, err);
  }
}

/**
 * The issue's `severity:*` label becomes the incident's current severity (read at run time, so a
 * queued swap never writes an older level).
 */
export function relabelSeverity(ctx: ActionContext, deps: GitHubIssueDeps): Promise<ActionOutcome> {
  const severity = ctx.incident.severity;
  return onIssue(ctx, deps, (issue) => swapSeverityLabel(deps, issue, severity, ctx.signal)).then(
    (out) =>
      'skipped' in out.result
        ? out
        : {
            result: out.result,
            incident: (i) => severityLabelled(out.incident ? out.incident(i) : i, severity),
          },
  );
}

export function closeIssue(ctx: ActionContext, deps: GitHubIssueDeps): Promise<ActionOutcome> {
  return onIssue(ctx, deps, async (issue) => {
    const ref = { owner: issue.owner, repo: issue.repo, issue_number: issue.number };
    try {
      const { data } = await deps.client.octokit.rest.issues.get({
        ...ref,
        request: { signal: ctx.signal },
      });
      if (data.state === 'closed') return { state: 'closed', alreadyClosed: true };
      await deps.client.octokit.rest.issues.update({
        ...ref,
        state: 'closed',
        state_reason: 'completed',
        request: { signal: ctx.signal },
      });
      return { state: 'closed', alreadyClosed: false };
    } catch (err) {
      throw githubActionError(`closing ${fullName(issue)}#${issue.number}`, err);
    }
  });
}
