import type { RemediationAttempt } from '../../domain/action.js';
import type { Incident } from '../../domain/incident.js';
import { plannedRun } from '../lifecycle.js';
import { capacity, deferredIf, escalation } from './escalation.js';
import { decideAfterEvaluation } from './evaluation.js';
import { isFinished, MINUTE, named, remediates, runPhase, runRef, steadyState } from './facts.js';
import { result, type DecideInput, type DecideResult } from './result.js';

/** How a recurrence is told and what it keeps of the incident. */
interface Again {
  /** `reopened` or `occurrence N`. */
  again: string;
  /** recordAlert reopens as `open`; a reopen keeps what the incident really is. */
  keep: Partial<Incident>;
}

/** A repeat or a reopen of an incident something was already done for. */
export function decideRecurrence(x: DecideInput): DecideResult {
  const { incident: i, policy: p } = x;
  const a: Again = {
    keep: x.outcome === 'reopened' ? { state: steadyState(i) } : {},
    again: x.outcome === 'reopened' ? 'reopened' : `occurrence ${i.occurrences}`,
  };
  if (i.escalatedAt)
    return result(
      'repeat',
      `${a.again} of ${named(i)}: escalated to a person at ${i.escalatedAt}, counted only`,
      [],
      a.keep,
    );
  const last = i.attempts.at(-1);
  if (!last) return withoutAttempts(x, a);
  if (!isFinished(last))
    return result(
      'remediation-active',
      `${a.again}: remediation attempt ${last.attempt}${runRef(last)} ${runPhase(last)}; a new attempt only after it finished`,
      [],
      a.keep,
    );
  if (!remediates(p))
    return result(
      'repeat',
      `${a.again} of ${named(i)}: counted (${p.mode} mode, no further remediation)`,
      [],
      a.keep,
    );
  return nextAttempt(x, a, last);
}

/** No remediation attempt yet: the evaluation run is active or ended, or nothing runs in this mode. */
function withoutAttempts(x: DecideInput, a: Again): DecideResult {
  const { incident: i, policy: p, now } = x;
  const ev = i.evaluation;
  if (ev && !isFinished(ev))
    return result(
      'remediation-active',
      `${a.again}: evaluation run${runRef(ev)} ${runPhase(ev)}`,
      [],
      a.keep,
    );
  if (ev) {
    const after = decideAfterEvaluation(i, now, p, x.runningRemediations);
    if (after) return after;
  }
  return result(
    'repeat',
    `${a.again} of ${named(i)}: counted (${p.mode} mode, no remediation run)`,
    [],
    a.keep,
  );
}

/** The last attempt finished and the alert fires again: escalate, wait out the cooldown, or retry. */
function nextAttempt(x: DecideInput, a: Again, last: RemediationAttempt): DecideResult {
  const { incident: i, policy: p, now } = x;
  const attempts = i.attempts;
  if (attempts.length >= p.maxAttempts) {
    const history = attempts.map((r) => `${r.attempt} ${r.phase || 'unknown'}`).join(', ');
    const e = escalation(i, p, now, i.notified);
    return result(
      'attempts-exhausted',
      `${named(i)} recurred after ${attempts.length} of ${p.maxAttempts} remediation attempts (${history}): escalated to a person, no further CodeRun`,
      e.plan,
      e.change,
    );
  }
  const since = Date.parse(last.finishedAt ?? last.createdAt);
  const until = since + p.cooldownMinutes * MINUTE;
  if (now.getTime() < until) {
    const at = new Date(until).toISOString();
    return {
      ...result(
        'cooldown',
        `${a.again}: attempt ${last.attempt} ended${last.phase ? ` ${last.phase}` : ''} at ${new Date(since).toISOString()}; attempt ${last.attempt + 1} not before ${at} (cooldown ${p.cooldownMinutes} min)`,
        [],
        a.keep,
      ),
      recheckAt: at,
    };
  }
  const next = last.attempt + 1;
  const cap = capacity(x.runningRemediations, p);
  return deferredIf(
    cap.deferred,
    result(
      'recurred-after-fix',
      `${named(i)} recurred after remediation attempt ${last.attempt}${runRef(last)} ended ${last.phase || 'finished'}: attempt ${next} of ${p.maxAttempts}${cap.note}`,
      [
        { kind: 'comment-issue', comment: 'attempt' },
        { kind: 'spawn-remediation', attempt: next },
      ],
      {
        state: 'remediating',
        remediationSpawned: true,
        attempts: [...attempts, plannedRun(next, now)],
      },
    ),
  );
}
