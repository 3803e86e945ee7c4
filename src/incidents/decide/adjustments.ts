import type { DecisionReason } from '../../domain/action.js';
import { acknowledgement, type Incident } from '../../domain/incident.js';
import { NEEDS_HUMAN_LABEL } from './facts.js';
import type { DecideResult } from './result.js';

/*
 * What every decision passes through once it is made: the issue's severity label follows the
 * incident, and an acknowledged incident is not announced or escalated.
 */

/** Decisions that leave the incident's issue alone (recorded only, or about another incident). */
export const HANDS_OFF: ReadonlySet<DecisionReason> = new Set([
  'silenced',
  'excluded',
  'remediator-failed',
  'inhibited-by',
  'grouped',
]);

/**
 * The issue's `severity:*` label follows the incident: when the incident became more severe than
 * its issue says (a crash loop opens as high and turns critical), the plan swaps the label. An
 * issue still to be opened is labelled with the severity current when it is written.
 */
export function withSeverityLabel(i: Incident, r: DecideResult): DecideResult {
  const labelled = i.labelledSeverity;
  if (
    i.githubIssue === null ||
    labelled === i.severity ||
    HANDS_OFF.has(r.reason) ||
    r.plan.some((a) => a.kind === 'open-issue')
  )
    return r;
  return {
    ...r,
    plan: [...r.plan, { kind: 'relabel-severity', severity: i.severity }],
    detail: `${r.detail}; issue #${i.githubIssue.number} relabelled severity:${i.severity}${labelled ? ` (was ${labelled})` : ''}`,
  };
}

/** Planned steps a person who acknowledged the incident is not bothered with. */
const BOTHERS = (a: DecideResult['plan'][number]): boolean =>
  a.kind === 'notify' ||
  (a.kind === 'label-issue' && a.label === NEEDS_HUMAN_LABEL) ||
  (a.kind === 'comment-issue' && a.comment === 'escalation');

/**
 * An acknowledged incident (a person is on it) gets no notification and no escalation until it
 * changes (state, severity or a reopen): those steps are dropped from the plan and the reason says so.
 */
export function quietWhenAcknowledged(before: Incident, r: DecideResult): DecideResult {
  const ack = acknowledgement(before);
  if (!ack || !r.plan.some(BOTHERS)) return r;
  const change: Partial<Incident> = { ...r.incidentChange };
  delete change.notified; // nothing was announced
  if (change.state === 'escalated') {
    delete change.state;
    delete change.escalatedAt;
  }
  return {
    ...r,
    plan: r.plan.filter((a) => !BOTHERS(a)),
    detail: `${r.detail}; acknowledged by ${ack.by} at ${ack.at}: no notification or escalation`,
    incidentChange: change,
  };
}
