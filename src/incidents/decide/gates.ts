import type { Incident } from '../../domain/incident.js';
import { describeMatchers, matchSilence } from '../silences.js';
import { acted, named, steadyState } from './facts.js';
import { remediatorFailed } from './remediator-failed.js';
import { groupedGate } from '../grouping-gate.js';
import { result, type DecideInput, type DecideResult, type Gate } from './result.js';

/*
 * The gates an alert passes before its incident's own history is read: each settles the decision
 * (excluded, silenced, a run of Healer's own, inhibited) or hands the alert on. One more gate is
 * one more function in GATES.
 */

/** `alerts.disabled` or an exclusion the rule wrote into the context: recorded only. */
export const excludedGate: Gate = (x) => {
  const d = x.draft;
  const ex = d.context.excluded;
  const why = x.policy.disabledAlerts.includes(d.alert)
    ? `${d.alert} is disabled in alerts.disabled`
    : typeof ex === 'string' && ex !== ''
      ? ex
      : null;
  return why ? result('excluded', `${d.alert} ${d.title}: excluded (${why}), recorded only`) : null;
};

/** An explicit silence wins over everything that would act, even attaching a run's failure. */
export const silencedGate: Gate = (x) => {
  const { incident: i, draft: d, now } = x;
  const silence = matchSilence(x.silences, d, now);
  if (!silence) return null;
  // Only an incident nothing was done for shows as silenced; one in progress keeps its state.
  const quiet = !acted(i) && (i.state === 'open' || i.state === 'silenced');
  return result(
    'silenced',
    `${named(i)}: silenced by ${silence.id} (${describeMatchers(silence.matchers)}) until ${silence.endsAt}, set by ${silence.createdBy}: ${silence.comment}`,
    [],
    quiet ? { state: 'silenced' } : x.outcome === 'reopened' ? { state: steadyState(i) } : {},
  );
};

/** An alert of one of Healer's own runs: attached to the incident the run serves. */
export const ownRunGate: Gate = (x) =>
  x.draft.context.remediation === true ? remediatorFailed(x) : null;

/** A symptom of an open incident on the same agent run: recorded as its child, not acted on. */
export const inhibitedGate: Gate = (x) => (x.inhibition ? inhibited(x, x.inhibition) : null);

function inhibited(x: DecideInput, by: { source: Incident; rule: string }): DecideResult {
  const { incident: i, now } = x;
  const s = by.source;
  const kept =
    i.inhibitedBy?.incidentId === s.id && i.inhibitedBy.rule === by.rule ? i.inhibitedBy : null;
  return result(
    'inhibited-by',
    `${named(i)}: inhibited by ${s.alert} incident ${s.id} (${s.title}) on the same agent run (rule ${by.rule}); recorded as its child, not acted on`,
    [],
    {
      inhibitedBy: kept ?? {
        incidentId: s.id,
        alert: s.alert,
        rule: by.rule,
        at: now.toISOString(),
      },
      ...(x.outcome === 'reopened' ? { state: steadyState(i) } : {}),
    },
  );
}

/** In order: the first gate that settles the alert decides it. */
export const GATES: readonly Gate[] = [
  excludedGate,
  silencedGate,
  ownRunGate,
  inhibitedGate,
  groupedGate,
];
