// Following remediation runs (remediation.md §2.2): every change of a CodeRun labelled
// `healer.platform/remediation=true` becomes an update of its attempt on the incident (the
// lifecycle's `runObserved`). Pure.
import type { CodeRun } from '../../domain/kube.js';
import { FINGERPRINT_LABEL, FINGERPRINT_LABEL_CHARS } from './labels.js';
import { isFinishedCodeRunPhase } from '../../domain/coderun-phase.js';
import { runObserved, type RunUpdate } from '../../incidents/lifecycle.js';

/** What a CodeRun says about its attempt: name and namespace (the key), phase, end, PR. */
export type AttemptUpdate = RunUpdate;

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

/**
 * The incident with the run's attempt (or evaluation) updated, or undefined when the run is not
 * one of the incident's or nothing changed: the lifecycle's `runObserved`.
 */
export const applyAttemptUpdate = runObserved;

/**
 * The incident a remediation run serves, from its `healer.platform/fingerprint` label (a prefix of
 * the fingerprint; incident ids are `inc-` + its first 16 hex), or null when the label is too short.
 */
export function incidentIdOfCodeRun(cr: CodeRun): string | null {
  const fp = cr.metadata?.labels?.[FINGERPRINT_LABEL] ?? '';
  return new RegExp(`^[0-9a-f]{${FINGERPRINT_LABEL_CHARS}}$`).test(fp) ? `inc-${fp}` : null;
}
