import type { PlannedAction } from '../../domain/action.js';
import { plannedRun } from '../lifecycle.js';
import { capacity, deferredIf, escalation } from './escalation.js';
import { canOpenIssue, LOUD, named, remediates } from './facts.js';
import { result, type DecideInput, type DecideResult } from './result.js';

/** What a first occurrence announces: its issue, its notification and who was told. */
interface Opening {
  issue: boolean;
  notify: boolean;
  openIssue: PlannedAction[];
  opened: PlannedAction[];
  /** Who was told before this decision, and after it. */
  notified: string[];
  notifiedNow: string[];
}

function opening(x: DecideInput): Opening {
  const { incident: i, policy: p } = x;
  // A reopened incident starts a new round of notifications (one per state change).
  const notified = x.outcome === 'reopened' ? [] : i.notified;
  const issue = canOpenIssue(i, p);
  const notify = LOUD.has(i.severity) && !notified.includes('open');
  return {
    issue,
    notify,
    openIssue: issue ? [{ kind: 'open-issue' }] : [],
    opened: notify ? [{ kind: 'notify', event: 'opened' }] : [],
    notified,
    notifiedNow: notify ? [...notified, 'open'] : notified,
  };
}

/** A new incident (or a new episode of one nothing was done for), per mode. */
export function decideNew(x: DecideInput): DecideResult {
  const { incident: i, policy: p, now } = x;
  if (x.outcome === 'created' && x.recentIssueForFamily)
    return result(
      'repeat',
      `an issue for ${i.alert} in ${i.subject} was opened within the last ${p.issueWindowMinutes} min before the store was fresh: counted, no second issue`,
    );
  if (p.mode === 'observe')
    return result(
      'new',
      `observe mode: ${named(i)} recorded only (no issue, no CodeRun, no notification)`,
    );
  const o = opening(x);
  if (!remediates(p) || !o.issue) return withoutRemediation(x, o);

  const cap = capacity(x.runningRemediations, p);
  const told = o.notify ? ', notified' : '';
  if (p.mode === 'evaluate-then-fix')
    return deferredIf(
      cap.deferred,
      result(
        'new',
        `${named(i)}: evaluation CodeRun started for root-cause analysis and the issue; remediation attempt 1 follows it${told}${cap.note}`,
        [{ kind: 'spawn-evaluation' }, ...o.opened],
        { state: 'remediating', evaluation: plannedRun(0, now), notified: o.notifiedNow },
      ),
    );
  const attempt = i.attempts.length + 1;
  return deferredIf(
    cap.deferred,
    result(
      'new',
      `${named(i)}: issue opened, remediation attempt ${attempt} of ${p.maxAttempts}${told}${cap.note}`,
      [...o.openIssue, { kind: 'spawn-remediation', attempt }, ...o.opened],
      {
        state: 'remediating',
        remediationSpawned: true,
        attempts: [...i.attempts, plannedRun(attempt, now)],
        notified: o.notifiedNow,
      },
    ),
  );
}

/** issue-only mode, or no repository for the issue: an issue at most, escalated when critical. */
function withoutRemediation(x: DecideInput, o: Opening): DecideResult {
  const { incident: i, policy: p, now } = x;
  const why = !o.issue
    ? 'no repository for its issue (a platform incident and issues.repository is unset)'
    : 'issue-only mode';
  if (i.severity === 'critical') {
    const e = escalation(i, p, now, o.notified);
    return result(
      'new',
      `${named(i)} is critical and nothing can be automated (${why}): ${o.issue ? 'issue opened and ' : ''}escalated to a person`,
      [...o.openIssue, ...e.plan],
      e.change,
    );
  }
  const what = o.issue ? 'issue opened, no remediation' : 'recorded without an issue';
  return result(
    'new',
    `${named(i)}: ${what} (${why})${o.notify ? ', notified' : ''}`,
    [...o.openIssue, ...o.opened],
    { notified: o.notifiedNow },
  );
}
