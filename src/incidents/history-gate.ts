// The history gate (issue #17 point 3): a decision that would start a remediation run for a class
// that failed again and again, and never succeeded, within the window goes to a person instead.
import type { PlannedAction } from '../domain/action.js';
import type { Incident } from '../domain/incident.js';
import { escalation } from './decide/escalation.js';
import { canOpenIssue, named } from './decide/facts.js';
import { result, type DecideInput, type DecideResult } from './decide/result.js';
import { historySaysNo } from './history.js';

const SPAWNS = (a: PlannedAction) =>
  a.kind === 'spawn-remediation' || a.kind === 'spawn-evaluation';

/**
 * Replaces a decision that plans a run with `history-says-no` when the class's history says so
 * (`historySaysNo`): the issue is still opened (the person needs it), the run is not planned, the
 * incident is escalated (label needs-human, a comment, a notification). Other decisions pass.
 */
export function refuseByHistory(x: DecideInput, r: DecideResult): DecideResult {
  if (!r.plan.some(SPAWNS)) return r;
  const why = historySaysNo(x.history, x.policy.historyFailures);
  if (!why) return r;
  const i: Incident = x.incident;
  const p = x.policy;
  const openIssue = r.plan.some((a) => a.kind === 'open-issue')
    ? [{ kind: 'open-issue' } as const]
    : i.githubIssue === null && canOpenIssue(i, p) && p.mode !== 'observe'
      ? [{ kind: 'open-issue' } as const]
      : [];
  const notified = (r.incidentChange.notified ?? i.notified ?? []).filter((n) => n !== 'escalated');
  const e = escalation(i, p, x.now, notified);
  // keep what the decision announced (the opened notification), drop the run and its bookkeeping
  const kept = r.plan.filter((a) => a.kind === 'notify' && a.event === 'opened');
  const change: Partial<Incident> = { ...r.incidentChange, ...e.change };
  // the runs the decision planned are not planned (a reopen's clean-up of unstarted runs stays)
  const spawned = new Set(
    r.plan.flatMap((a) => (a.kind === 'spawn-remediation' ? [a.attempt] : [])),
  );
  if (change.attempts) change.attempts = change.attempts.filter((a) => !spawned.has(a.attempt));
  if (r.plan.some((a) => a.kind === 'spawn-evaluation')) change.evaluation = null;
  delete change.remediationSpawned;
  const issue = openIssue.length
    ? 'issue opened and '
    : i.githubIssue
      ? `issue #${i.githubIssue.number} `
      : '';
  return result(
    'history-says-no',
    `${named(i)}: ${why}: ${issue}escalated to a person, no CodeRun`,
    [...openIssue, ...kept, ...e.plan],
    { ...change, state: 'escalated' },
  );
}
