/** A8's last resort: running Pod nodes of a Play's Workflow, for agents with no pod or CodeRun seen. */
import type { Workflow, WorkflowNode } from '../../domain/kube.js';
import { millis } from '../../domain/kube-time.js';
import { agentInName, rosterOf } from '../../domain/roster.js';
import type { Session } from '../../domain/session.js';
import { normaliseAgent } from '../../domain/stages.js';

export interface NodeStart {
  agent: string;
  startedAt: string;
  node: string;
  pod: string | null;
}

/** One start per agent (its earliest running node), skipping agents the session tracks a pod or CodeRun of. */
export function workflowNodeStarts(wf: Workflow, session: Session | null): NodeStart[] {
  const nodes = wf?.status?.nodes;
  if (!nodes || typeof nodes !== 'object') return [];
  const roster = rosterOf(session);
  const seen = new Set(
    (session?.agents ?? [])
      .filter((a) => a && (a.pod || a.coderun))
      .map((a) => normaliseAgent(a.name ?? '')),
  );
  const byAgent = new Map<string, NodeStart>();
  for (const [id, n] of Object.entries(nodes) as [string, WorkflowNode | null][]) {
    if (!n || n.type !== 'Pod' || n.phase !== 'Running' || millis(n.startedAt) === null) continue;
    const label = [n.displayName, n.templateName, n.name]
      .filter((x) => typeof x === 'string')
      .join('-');
    const agent = agentInName(label, roster);
    if (!agent || seen.has(agent)) continue;
    const prev = byAgent.get(agent);
    if (prev && (millis(prev.startedAt) ?? 0) <= (millis(n.startedAt) ?? 0)) continue;
    byAgent.set(agent, {
      agent,
      startedAt: n.startedAt ?? '',
      node: n.displayName ?? n.name ?? id,
      pod: n.podName ?? null,
    });
  }
  return [...byAgent.values()].sort((a, b) => a.agent.localeCompare(b.agent));
}
