// `open-issue`: adopt the incident's issue when it exists anywhere GitHub can show it, create it
// otherwise. Never two issues for one fingerprint.
import type { Severity } from '../../domain/alert.js';
import { issueRecorded } from '../../incidents/lifecycle.js';
import { renderIssue } from '../../templates/index.js';
import { incidentView, type ActionContext, type ActionOutcome } from '../handler.js';
import {
  fullName,
  issueRepository,
  recordedIssue,
  type GitHubIssueDeps,
  type IssueRef,
} from './context.js';
import { bodyChildren } from './children.js';
import { githubActionError } from './errors.js';
import { findIssueByMarker, markerText } from './find.js';
import { swapSeverityLabel } from './update.js';

type Via = 'incident' | 'search' | 'list' | 'created';

function outcome(issue: IssueRef, via: Via, labelled?: Severity): ActionOutcome {
  const githubIssue = { number: issue.number, url: issue.url };
  return {
    result: {
      number: issue.number,
      url: issue.url,
      repository: fullName(issue),
      adopted: via !== 'created',
      via,
    },
    // an adopted issue's labels are unknown (a person or an older Healer wrote them): the next
    // decision sees no labelled severity and swaps the label
    incident: (i) =>
      issueRecorded(i, githubIssue, labelled ?? (via === 'incident' ? i.labelledSeverity : null)),
  };
}

/** Whether the issue recorded on the incident is still open (a closed one is not reused). */
async function stillOpen(
  deps: GitHubIssueDeps,
  issue: IssueRef,
  signal: AbortSignal,
): Promise<boolean> {
  try {
    const { data } = await deps.client.octokit.rest.issues.get({
      owner: issue.owner,
      repo: issue.repo,
      issue_number: issue.number,
      request: { signal },
    });
    return data.state === 'open';
  } catch (err) {
    const status = (err as { status?: number }).status;
    if (status === 404 || status === 410) return false; // deleted or transferred
    throw githubActionError(`reading issue #${issue.number}`, err);
  }
}

export async function openIssue(ctx: ActionContext, deps: GitHubIssueDeps): Promise<ActionOutcome> {
  const { incident, signal } = ctx;
  const repo = issueRepository(ctx, deps.repository);
  const fp = incident.fingerprint;

  const recorded = recordedIssue(incident, repo);
  if (recorded && (await stillOpen(deps, recorded, signal))) return outcome(recorded, 'incident');

  const hit = await findIssueByMarker(deps.client.octokit, repo, {
    fingerprint: fp,
    alertLabel: incident.alert.toLowerCase(),
    signal,
  });
  if (hit) return outcome({ ...repo, number: hit.number, url: hit.url }, hit.via);

  const view = {
    ...incidentView({ ...incident, githubIssue: null }, deps.view, { repository: fullName(repo) }),
    children: await bodyChildren(deps.incidents, incident, deps.view.dashboardUrl),
  };
  const rendered = renderIssue(deps.templates, view);
  // The marker is the dedup record: an operator's template must not be able to drop it.
  const body = rendered.body.includes(markerText(fp))
    ? rendered.body
    : `${rendered.body}\n\n<!-- ${markerText(fp)} -->\n`;
  try {
    const { data } = await deps.client.octokit.rest.issues.create({
      ...repo,
      title: rendered.title,
      body,
      labels: rendered.labels,
      // No blind retry of the write: a lost answer is retried by the outbox, which searches first.
      request: { signal, retries: 0 },
    });
    const created = { ...repo, number: data.number, url: data.html_url };
    return outcome(
      created,
      'created',
      await severityNow(deps, incident, created, view.severity, signal),
    );
  } catch (err) {
    throw githubActionError(`creating the issue in ${fullName(repo)}`, err);
  }
}

/**
 * The severity label of an issue just written. A decision that raised the incident's severity
 * while the issue was being written saw no issue to relabel (a crash loop opens as high and turns
 * critical within seconds), and no later decision may come: the label follows here, read from the
 * store after the write. Returns the severity the issue is labelled with. A failed swap leaves the
 * written label (the write itself succeeded; retrying it would adopt the issue, not relabel it).
 */
async function severityNow(
  deps: GitHubIssueDeps,
  incident: ActionContext['incident'],
  issue: IssueRef,
  written: Severity,
  signal: AbortSignal,
): Promise<Severity> {
  const current = await deps.incidents?.getIncident(incident.id).catch(() => undefined);
  if (!current || current.severity === written) return written;
  try {
    await swapSeverityLabel(deps, issue, current.severity, signal);
    return current.severity;
  } catch {
    return written;
  }
}
