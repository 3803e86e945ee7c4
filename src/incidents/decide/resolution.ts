import type { PlannedAction } from '../../domain/action.js';
import type { Incident } from '../../domain/incident.js';
import type { Policy } from '../policy.js';
import { acted, canOpenIssue, named } from './facts.js';
import { result, type DecideResult } from './result.js';

/**
 * The resolve path (reconciliation or the condition cleared): comment the reason and close the
 * issue, and tell whoever was told about it.
 */
export function decideResolution(incident: Incident, now: Date, policy: Policy): DecideResult {
  const i = incident;
  const why = i.resolution ?? 'condition cleared';
  const notified = i.notified;
  const told = notified.includes('open') || notified.includes('escalated');
  const notify = told && !notified.includes('resolved');
  const quiet =
    !acted(i) &&
    ['silenced', 'excluded', 'remediator-failed', 'inhibited-by', 'grouped'].includes(
      i.lastDecision ?? '',
    );
  // When unsure whether an issue was opened, plan the close anyway: its handler skips a missing issue.
  const issue =
    i.githubIssue !== null || (policy.mode !== 'observe' && canOpenIssue(i, policy) && !quiet);
  const plan: PlannedAction[] = [
    ...(issue
      ? [
          { kind: 'comment-issue', comment: 'resolution' } as const,
          { kind: 'close-issue' } as const,
        ]
      : []),
    ...(notify ? [{ kind: 'notify', event: 'resolved' } as const] : []),
    // what the remediation runs tried and how it ended, for the next remediation's prompt
    ...(i.attempts.some((a) => a.coderun !== '') ? [{ kind: 'remember' } as const] : []),
  ];
  const done = [
    issue ? `issue ${i.githubIssue ? `#${i.githubIssue.number} ` : ''}closed` : 'no issue to close',
    ...(notify ? ['notified'] : []),
  ].join(', ');
  return result('resolved', `${named(i)} resolved (${why}): ${done}`, plan, {
    state: 'resolved',
    resolvedAt: i.resolvedAt ?? now.toISOString(),
    resolution: why,
    ...(notify ? { notified: [...notified, 'resolved'] } : {}),
  });
}
