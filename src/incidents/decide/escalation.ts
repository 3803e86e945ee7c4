import type { PlannedAction } from '../../domain/action.js';
import type { Incident } from '../../domain/incident.js';
import type { Policy } from '../policy.js';
import { canOpenIssue, NEEDS_HUMAN_LABEL } from './facts.js';
import type { DecideResult } from './result.js';

/** needs-human on the issue, a comment saying what was tried, a notification: once. */
export function escalation(
  i: Incident,
  p: Policy,
  now: Date,
  notified: string[],
): { plan: PlannedAction[]; change: Partial<Incident> } {
  const issue = i.githubIssue !== null || canOpenIssue(i, p);
  const plan: PlannedAction[] = [
    ...(issue
      ? [
          { kind: 'label-issue', label: NEEDS_HUMAN_LABEL } as const,
          { kind: 'comment-issue', comment: 'escalation' } as const,
        ]
      : []),
    { kind: 'notify', event: 'escalated' },
  ];
  const change: Partial<Incident> = {
    state: 'escalated',
    escalatedAt: now.toISOString(),
    notified: [...new Set([...notified, 'escalated'])],
  };
  return { plan, change };
}

/** The platform cap on Healer CodeRuns: whether a planned run waits, and the sentence saying so. */
export function capacity(n: number, p: Policy): { deferred: boolean; note: string } {
  return n >= p.maxConcurrent
    ? {
        deferred: true,
        note: `; the CodeRun waits: ${n} of ${p.maxConcurrent} Healer CodeRuns already run platform-wide, it is created when one finishes`,
      }
    : { deferred: false, note: '' };
}

/** A result whose planned CodeRun waits for capacity says so. */
export const deferredIf = (deferred: boolean, r: DecideResult): DecideResult =>
  deferred ? { ...r, capacityDeferred: true } : r;
