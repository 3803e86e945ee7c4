// The grouping gate (issue #17 point 1): an incident that shares its cause with others is
// recorded as the child of the parent incident named by that cause, with the reason `grouped`;
// the parent alone gets the issue and the remediation run — and its issue learns of every child
// that joins the cause after it was written.
import type { Incident } from '../domain/incident.js';
import { HANDS_OFF } from './decide/adjustments.js';
import { named, steadyState } from './decide/facts.js';
import { result, type DecideResult, type Gate } from './decide/result.js';
import { causeOf, childIds } from './grouping.js';

export const groupedGate: Gate = (x) => {
  const g = x.group;
  if (!g) return null;
  const { incident: i, now } = x;
  const kept =
    i.groupedBy?.incidentId === g.parent.id && i.groupedBy.rule === g.rule ? i.groupedBy : null;
  return result(
    'grouped',
    `${named(i)}: shares its cause with incident ${g.parent.id} (${g.parent.title}; rule ${g.rule}): recorded as its child, no issue or run of its own; the parent's issue and remediation address the cause`,
    [],
    {
      groupedBy: kept ?? {
        incidentId: g.parent.id,
        rule: g.rule,
        key: g.key,
        at: now.toISOString(),
      },
      ...(x.outcome === 'reopened' ? { state: steadyState(i) } : {}),
    },
  );
};

/**
 * A cause group's parent, re-recorded because incidents joined its cause: the issue lists the
 * children it was planned with (`issueChildren`), and each decision after that finds children it
 * does not name yet plans a `children` comment naming them. An issue from before this was tracked
 * is taken to name the children the parent has now. Decisions that leave the issue alone (a
 * silence) plan nothing; the next one tells the issue.
 */
export function withJoinedChildren(i: Incident, r: DecideResult): DecideResult {
  if (!causeOf(i)) return r;
  const now = childIds(i);
  const record = (issueChildren: string[]): DecideResult => ({
    ...r,
    incidentChange: { ...r.incidentChange, issueChildren },
  });
  if (r.plan.some((a) => a.kind === 'open-issue')) return record(now);
  if (HANDS_OFF.has(r.reason)) return r;
  const told = i.issueChildren;
  if (!told) return i.githubIssue ? record(now) : r;
  const joined = now.filter((c) => !told.includes(c));
  if (joined.length === 0) return r;
  const issue = i.githubIssue ? `issue #${i.githubIssue.number}` : 'its issue';
  return {
    ...record([...told, ...joined]),
    plan: [...r.plan, { kind: 'comment-issue', comment: 'children', children: joined }],
    detail: `${r.detail}; ${joined.length} incident${joined.length === 1 ? '' : 's'} joined the cause since ${issue} was written (${joined.join(', ')}): a comment names ${joined.length === 1 ? 'it' : 'them'}`,
  };
}
