// Following remediation runs (remediation.md §2.2): every change of a CodeRun labelled
// `healer.platform/remediation=true` becomes an update of its attempt on the incident. Pure.
import type { RemediationAttempt } from '../../domain/action.js';
import type { Incident } from '../../domain/incident.js';
import type { CodeRun } from '../../domain/kube.js';
import { FINGERPRINT_LABEL, FINGERPRINT_LABEL_CHARS } from './labels.js';
import { isFinishedCodeRunPhase } from '../../domain/coderun-phase.js';

/** What a CodeRun says about its attempt: name and namespace (the key), phase, end, PR. */
export type AttemptUpdate = Partial<RemediationAttempt> &
  Pick<RemediationAttempt, 'coderun' | 'namespace'>;

const str = (v: unknown): string | null =>
  typeof v === 'string' && v !== '' ? v : v instanceof Date ? v.toISOString() : null;

export function attemptFromCodeRun(cr: CodeRun): AttemptUpdate {
  const s = cr.status ?? {};
  const phase = str(s.phase) ?? 'Pending';
  const finishedAt = isFinishedCodeRunPhase(phase)
    ? (str(s.finishedAt) ?? str(s.completionTime) ?? str(s.lastTransitionTime))
    : null;
  return {
    coderun: cr.metadata?.name ?? '',
    namespace: cr.metadata?.namespace ?? '',
    phase,
    finishedAt,
    pullRequestUrl: str(s.pullRequestUrl),
  };
}

/** Merges an update into a record; a terminal phase is not undone by a stale event. */
function merge(current: RemediationAttempt, u: AttemptUpdate): RemediationAttempt {
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

const matches = (a: RemediationAttempt, u: AttemptUpdate): boolean =>
  a.coderun === u.coderun && (!a.namespace || !u.namespace || a.namespace === u.namespace);

/**
 * The incident with the run's attempt (or evaluation) updated, or undefined when the run is not
 * one of the incident's or nothing changed (so the caller writes nothing).
 */
export function applyAttemptUpdate(
  incident: Incident,
  update: AttemptUpdate,
): Incident | undefined {
  const attempts = incident.attempts ?? [];
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

/**
 * The incident a remediation run serves, from its `healer.platform/fingerprint` label (a prefix of
 * the fingerprint; incident ids are `inc-` + its first 16 hex), or null when the label is too short.
 */
export function incidentIdOfCodeRun(cr: CodeRun): string | null {
  const fp = cr.metadata?.labels?.[FINGERPRINT_LABEL] ?? '';
  return new RegExp(`^[0-9a-f]{${FINGERPRINT_LABEL_CHARS}}$`).test(fp) ? `inc-${fp}` : null;
}
