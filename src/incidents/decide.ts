import type { Incident } from '../domain/incident.js';
import { quietWhenAcknowledged, withSeverityLabel } from './decide/adjustments.js';
import { acted, unstarted } from './decide/facts.js';
import { decideNew } from './decide/first-occurrence.js';
import { GATES } from './decide/gates.js';
import { withJoinedChildren } from './grouping-gate.js';
import { refuseByHistory } from './history-gate.js';
import { decideRecurrence } from './decide/recurrence.js';
import type { DecideInput, DecideResult } from './decide/result.js';

/**
 * The decision for one recorded alert (remediation.md §1–§2.3): a plan of outbox actions and a
 * reason from the closed set, so "why did Healer (not) act?" always has an answer. Pure: the
 * caller passes the incident after recording the alert, the clock, silences and capacity.
 *
 * The flow, one module per step (`decide/`): forget runs planned but never created (a reopen) →
 * the gates (`gates.ts`: excluded, silenced, Healer's own run, inhibited) → a first occurrence
 * (`first-occurrence.ts`) or a recurrence (`recurrence.ts`, `evaluation.ts`) → the adjustments every
 * decision passes through (`adjustments.ts`: severity label, acknowledgement; `grouping-gate.ts`: a
 * cause group's issue told of the children that joined since it was written). The resolve path is
 * `resolution.ts`.
 */

export { decideAfterEvaluation } from './decide/evaluation.js';
export { isFinished, NEEDS_HUMAN_LABEL, PLANNED_PHASE, servedIncidentId } from './decide/facts.js';
export { GATES } from './decide/gates.js';
export { decideResolution } from './decide/resolution.js';
export type { DecideInput, DecideResult, Decided, Gate } from './decide/result.js';

/**
 * The decision for one recorded alert. On a reopen, runs that were planned but never created are
 * forgotten first (re-planning them is safe: CodeRun names are deterministic).
 */
export function decide(x: DecideInput): DecideResult {
  return withSeverityLabel(
    x.incident,
    withJoinedChildren(
      x.incident,
      quietWhenAcknowledged(x.incident, refuseByHistory(x, decideUnacknowledged(x))),
    ),
  );
}

function decideUnacknowledged(x: DecideInput): DecideResult {
  const before = x.incident;
  const stale =
    x.outcome === 'reopened' &&
    (before.attempts.some((a) => unstarted(a)) || unstarted(before.evaluation));
  if (!stale) return route(x);
  const cleaned: Partial<Incident> = {
    attempts: before.attempts.filter((a) => !unstarted(a)),
    evaluation: unstarted(before.evaluation) ? null : before.evaluation,
  };
  const r = route({ ...x, incident: { ...before, ...cleaned } });
  return { ...r, incidentChange: { ...cleaned, ...r.incidentChange } };
}

function route(x: DecideInput): DecideResult {
  for (const gate of GATES) {
    const settled = gate(x);
    if (settled) return settled;
  }
  const i = x.incident;
  const fresh =
    x.outcome === 'created' ||
    i.state === 'silenced' ||
    (i.inhibitedBy != null && !acted(i)) ||
    (x.outcome === 'reopened' && i.attempts.length === 0 && !i.evaluation && !i.escalatedAt);
  const r = fresh ? decideNew(x) : decideRecurrence(x);
  if (!i.inhibitedBy) return r;
  // its source resolved (or was ruled out) and this one still fires: it is decided on its own now
  return {
    ...r,
    detail: `${r.detail}; no longer inhibited (${i.inhibitedBy.alert} incident ${i.inhibitedBy.incidentId} is not open)`,
    incidentChange: { ...r.incidentChange, inhibitedBy: null },
  };
}
