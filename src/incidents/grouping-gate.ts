// The grouping gate (issue #17 point 1): an incident that shares its cause with others is
// recorded as the child of the parent incident named by that cause, with the reason `grouped`;
// the parent alone gets the issue and the remediation run.
import { named, steadyState } from './decide/facts.js';
import { result, type Gate } from './decide/result.js';

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
