import type { AlertDraft } from '../../domain/alert.js';
import type { RemediationAttempt } from '../../domain/action.js';
import type { Incident } from '../../domain/incident.js';
import { escalation } from './escalation.js';
import { isFinished, runRef, servedIncidentId } from './facts.js';
import { result, type DecideInput, type DecideResult } from './result.js';

/** The run of the served incident the failing alert is about: named by it, else the active or last one. */
function failedAttempt(d: AlertDraft, attempts: RemediationAttempt[]): RemediationAttempt | undefined {
  const mentions = (a: RemediationAttempt) =>
    a.coderun !== '' &&
    [d.subject, String(d.context.pod ?? ''), String(d.context.coderun ?? '')].some((s) =>
      s.startsWith(a.coderun),
    );
  return (
    attempts.find(mentions) ??
    [...attempts].reverse().find((a) => !isFinished(a)) ??
    attempts.at(-1)
  );
}

/** An alert raised by one of Healer's own runs: never remediated, attached to the incident it serves. */
export function remediatorFailed(x: DecideInput): DecideResult {
  const { draft: d } = x;
  const served = x.served ?? null;
  const own = `${d.alert} from Healer's own run ${d.subject}: never remediated`;
  if (!served)
    return result(
      'remediator-failed',
      `${own}; the incident it serves (${servedIncidentId(d) ?? 'no fingerprint label'}) is unknown`,
    );
  return {
    ...result('remediator-failed', `${own}; attached to ${served.id}`),
    attached: attachFailure(x, served),
  };
}

/** The failure recorded on the served incident's run, escalated after `maxRunFailures` failed runs. */
function attachFailure(x: DecideInput, served: Incident): DecideResult['attached'] {
  const { draft: d, policy: p, now } = x;
  const why = `${d.alert} ${d.title}`;
  const attempts = served.attempts;
  const target = failedAttempt(d, attempts);
  const change: Partial<Incident> = { lastDecision: 'remediator-failed' };
  let runText: string;
  if (target) {
    runText = `remediation attempt ${target.attempt}${runRef(target)}`;
    if (!target.failure)
      change.attempts = attempts.map((a) => (a === target ? { ...a, failure: why } : a));
  } else if (served.evaluation) {
    runText = `evaluation run${runRef(served.evaluation)}`;
    if (!served.evaluation.failure) change.evaluation = { ...served.evaluation, failure: why };
  } else runText = 'a run it has no record of';
  const failed = (change.attempts ?? attempts).filter((a) => a.failure).length;
  if (target && failed >= p.maxRunFailures && !served.escalatedAt && served.state !== 'resolved') {
    const e = escalation(served, p, now, served.notified);
    return {
      incidentId: served.id,
      reason: 'remediator-failed',
      detail: `${runText} failed itself (${why}); ${failed} remediation runs failed: escalated to a person, no further CodeRun`,
      plan: e.plan,
      incidentChange: { ...change, ...e.change },
    };
  }
  return {
    incidentId: served.id,
    reason: 'remediator-failed',
    detail: `${runText} failed itself (${why})${target ? `; ${failed} of ${p.maxRunFailures} run failures before escalation` : ''}`,
    plan: [],
    incidentChange: change,
  };
}
