import type { Incident } from '../../domain/incident.js';
import { plannedRun } from '../lifecycle.js';
import type { Policy } from '../policy.js';
import { capacity, deferredIf } from './escalation.js';
import { isFinished, runRef } from './facts.js';
import { result, type DecideResult } from './result.js';

/**
 * `evaluate-then-fix`, once the evaluation run ended (or its issue appeared): the remediation
 * CodeRun (attempt 1), after the issue — which the open-issue handler adopts by its marker when
 * the evaluation wrote it, or writes itself when the run ended without one. Null when nothing is
 * left to do (already remediating, escalated, or another mode).
 */
export function decideAfterEvaluation(
  incident: Incident,
  now: Date,
  policy: Policy,
  runningRemediations: number,
): DecideResult | null {
  const i = incident;
  const ev = i.evaluation;
  if (
    policy.mode !== 'evaluate-then-fix' ||
    ev === null ||
    i.attempts.length > 0 ||
    i.escalatedAt ||
    i.state === 'resolved'
  )
    return null;
  const cap = capacity(runningRemediations, policy);
  const ended = isFinished(ev)
    ? `ended (${ev.phase || 'phase unknown'})`
    : `is ${ev.phase || 'not started'}`;
  const issue = i.githubIssue
    ? `its issue #${i.githubIssue.number} exists`
    : 'no issue recorded yet: Healer adopts the one carrying the fingerprint marker or writes it itself';
  return deferredIf(
    cap.deferred,
    result(
      'new',
      `evaluation run${runRef(ev)} ${ended}; ${issue}; remediation attempt 1 of ${policy.maxAttempts}${cap.note}`,
      [
        ...(i.githubIssue ? [] : [{ kind: 'open-issue' } as const]),
        { kind: 'spawn-remediation', attempt: 1 },
      ],
      { state: 'remediating', remediationSpawned: true, attempts: [plannedRun(1, now)] },
    ),
  );
}
