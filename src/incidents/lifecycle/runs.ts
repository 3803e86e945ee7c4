import type { RemediationAttempt } from '../../domain/action.js';
import { isFinishedCodeRunPhase, PLANNED_PHASE } from '../../domain/coderun-phase.js';
import type { Incident, IncidentState } from '../../domain/incident.js';

/*
 * The remediation runs of an incident (attempts 1…n and the evaluation run of evaluate-then-fix):
 * planned by a decision, started (or adopted) by the spawn action, observed from the CodeRun's
 * phase, or given up when the spawn failed for good.
 */

/** Which run of an incident: the evaluation, or remediation attempt `n`. */
export type RunKind = 'evaluation' | 'remediation';

/** A remediation attempt (or, as attempt 0, the evaluation run) decided now, its CodeRun not created yet. */
export const plannedRun = (attempt: number, now: Date): RemediationAttempt => ({
  attempt,
  coderun: '',
  namespace: '',
  phase: PLANNED_PHASE,
  createdAt: now.toISOString(),
  finishedAt: null,
  pullRequestUrl: null,
});

const ACTIVE: ReadonlySet<IncidentState> = new Set(['open', 'remediating']);

/**
 * The run's CodeRun exists (created or adopted): its record replaces the planned one and an
 * active incident is `remediating` (an escalated, silenced or resolved one keeps its state).
 */
export function runStarted(i: Incident, kind: RunKind, record: RemediationAttempt): Incident {
  const state = ACTIVE.has(i.state) ? 'remediating' : i.state;
  if (kind === 'evaluation') return { ...i, evaluation: record, state };
  return {
    ...i,
    attempts: [...i.attempts.filter((a) => a.attempt !== record.attempt), record].sort(
      (a, b) => a.attempt - b.attempt,
    ),
    remediationSpawned: true,
    state,
  };
}

/**
 * A spawn that failed for good: the run the decision planned is marked Failed, so later alerts
 * are not told forever that a remediation is active (and the next decision can move on).
 * `attempt` names the remediation attempt; the evaluation run has none.
 */
export function runNeverStarted(
  i: Incident,
  run: { kind: 'evaluation' } | { kind: 'remediation'; attempt: number },
  at: string,
  why: string,
): Incident {
  const fail = (r: RemediationAttempt): RemediationAttempt =>
    r.finishedAt ? r : { ...r, phase: 'Failed', finishedAt: at, failure: `not started: ${why}` };
  if (run.kind === 'evaluation') return i.evaluation ? { ...i, evaluation: fail(i.evaluation) } : i;
  return { ...i, attempts: i.attempts.map((r) => (r.attempt === run.attempt ? fail(r) : r)) };
}

/** What a CodeRun says about its run: name and namespace (the key), phase, end, PR. */
export type RunUpdate = Partial<RemediationAttempt> &
  Pick<RemediationAttempt, 'coderun' | 'namespace'>;

/** Merges an update into a record; a terminal phase is not undone by a stale event. */
function merge(current: RemediationAttempt, u: RunUpdate): RemediationAttempt {
  const stale = isFinishedCodeRunPhase(current.phase) && !isFinishedCodeRunPhase(u.phase);
  return {
    ...current,
    phase: stale ? current.phase : (u.phase ?? current.phase),
    finishedAt: stale ? current.finishedAt : (u.finishedAt ?? current.finishedAt),
    pullRequestUrl: u.pullRequestUrl ?? current.pullRequestUrl,
  };
}

const same = (a: RemediationAttempt, b: RemediationAttempt): boolean =>
  a.phase === b.phase && a.finishedAt === b.finishedAt && a.pullRequestUrl === b.pullRequestUrl;

const matches = (a: RemediationAttempt, u: RunUpdate): boolean =>
  a.coderun === u.coderun && (!a.namespace || !u.namespace || a.namespace === u.namespace);

/**
 * The incident with the run's attempt (or evaluation) updated from its CodeRun, or undefined when
 * the run is not one of the incident's or nothing changed (so the caller writes nothing).
 */
export function runObserved(incident: Incident, update: RunUpdate): Incident | undefined {
  const attempts = incident.attempts;
  const idx = attempts.findIndex((a) => matches(a, update));
  if (idx >= 0) {
    const next = merge(attempts[idx], update);
    if (same(next, attempts[idx])) return undefined;
    return { ...incident, attempts: attempts.map((a, i) => (i === idx ? next : a)) };
  }
  const ev = incident.evaluation;
  if (ev && matches(ev, update)) {
    const next = merge(ev, update);
    return same(next, ev) ? undefined : { ...incident, evaluation: next };
  }
  return undefined;
}
