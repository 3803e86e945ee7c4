import { isFinishedCodeRunPhase, PLANNED_PHASE } from '../../domain/coderun-phase.js';
import type { AlertDraft } from '../../domain/alert.js';
import type { RemediationAttempt } from '../../domain/action.js';
import type { Incident, IncidentState } from '../../domain/incident.js';
import type { Policy } from '../policy.js';

/*
 * What the decision reads off an incident, its runs and the policy: small pure predicates and the
 * phrases every decision's sentence is written with.
 */

export { PLANNED_PHASE };
export const NEEDS_HUMAN_LABEL = 'needs-human';
/** Severities that notify when an incident opens. */
export const LOUD: ReadonlySet<string> = new Set(['critical', 'high']);
export const MINUTE = 60_000;

export const isFinished = (a: RemediationAttempt): boolean =>
  a.finishedAt !== null || isFinishedCodeRunPhase(a.phase);

/** The served incident of a Healer run's alert: `inc-<fingerprint prefix>` from its label. */
export function servedIncidentId(draft: AlertDraft): string | null {
  const fp = draft.context.servesFingerprint;
  return typeof fp === 'string' && fp.length >= 16 ? `inc-${fp.slice(0, 16)}` : null;
}

export const remediates = (p: Policy): boolean =>
  p.mode === 'issue-and-fix' || p.mode === 'evaluate-then-fix';
/** Issues go to `issues.repository`, else the session's repository (only Plays have one). */
export const canOpenIssue = (i: Incident, p: Policy): boolean =>
  p.issueRepository !== null || i.playId !== null;
/** ` healer-a7-…-1` or '' while the CodeRun is not created yet. */
export const runRef = (a: RemediationAttempt): string => (a.coderun ? ` ${a.coderun}` : '');
/** `is Running`, or `is planned (its CodeRun is not created yet)`. */
export const runPhase = (a: RemediationAttempt): string =>
  a.phase === PLANNED_PHASE
    ? 'is planned (its CodeRun is not created yet)'
    : `is ${a.phase || 'starting'}`;
export const named = (i: Incident): string => `${i.alert} ${i.title}`;

/** Anything done for the incident so far (an issue, a run, a notification, an escalation). */
export const acted = (i: Incident): boolean =>
  i.githubIssue !== null ||
  i.attempts.length > 0 ||
  i.evaluation !== null ||
  i.escalatedAt !== null ||
  i.notified.length > 0 ||
  i.remediationSpawned;

/** The state an incident has between decisions (a reopen sets `open` whatever it was). */
export function steadyState(i: Incident): IncidentState {
  if (i.escalatedAt) return 'escalated';
  const last = i.attempts.at(-1) ?? i.evaluation ?? undefined;
  return last && !isFinished(last) ? 'remediating' : 'open';
}

/** A run decided but never created (e.g. its spawn was skipped because the incident resolved). */
export const unstarted = (a: RemediationAttempt | null | undefined): boolean =>
  !!a && a.phase === PLANNED_PHASE && a.coderun === '';
