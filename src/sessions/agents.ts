import type { Correlation } from '../domain/signal.js';
import type { CodeRun, Pod } from '../domain/kube.js';
import { agentContainerName, statusOf } from '../domain/pod-containers.js';
import type { Session, SessionAgent } from '../domain/session.js';
import { normaliseAgent } from '../domain/stages.js';
import { emptyChecklist } from '../domain/preflight.js';

/** What a pod or CodeRun says about one agent of a Play. */
export interface AgentObservation {
  agent: string;
  pod?: string;
  coderun?: string;
  phase: string;
  startedAt: string | null;
}

const str = (v: unknown): string | null =>
  typeof v === 'string' && v ? v : v instanceof Date ? v.toISOString() : null;

export function observePod(pod: Pod, c: Correlation): AgentObservation | null {
  if (!c.agent || !c.playId || c.remediation) return null;
  const container = agentContainerName(pod, c.agent);
  const running = container ? statusOf(pod, container)?.state?.running : undefined;
  return {
    agent: c.agent,
    pod: pod.metadata?.name ?? '',
    phase: pod.status?.phase ?? 'Unknown',
    startedAt: str(running?.startedAt) ?? str(pod.status?.startTime),
  };
}

export function observeCodeRun(cr: CodeRun, c: Correlation): AgentObservation | null {
  if (!c.agent || !c.playId || c.remediation) return null;
  return {
    agent: c.agent,
    coderun: cr.metadata?.name ?? '',
    phase: cr.status?.phase || 'Pending',
    startedAt: str(cr.status?.startedAt),
  };
}

/**
 * Applies an observation to the session's `agents` (matching names case-insensitively);
 * returns undefined when nothing changed, so no write happens.
 */
export function applyAgentObservation(
  session: Session,
  o: AgentObservation,
  stageOf: (agent: string) => string,
): Session | undefined {
  const name = normaliseAgent(o.agent);
  const idx = session.agents.findIndex((a) => normaliseAgent(a.name) === name);
  const current: SessionAgent =
    idx >= 0
      ? session.agents[idx]
      : {
          name,
          stage: stageOf(name),
          github_app: null,
          pod: null,
          coderun: null,
          phase: 'Waiting',
          started_at: null,
          preflight: { state: 'pending', items: emptyChecklist() },
        };
  const next: SessionAgent = {
    ...current,
    pod: o.pod ?? current.pod,
    coderun: o.coderun ?? current.coderun,
    // a pod's phase is more precise than its CodeRun's once the pod exists
    phase: o.pod !== undefined || !current.pod ? o.phase : current.phase,
    started_at: current.started_at ?? o.startedAt,
  };
  if (idx >= 0 && JSON.stringify(next) === JSON.stringify(current)) return undefined;
  const agents =
    idx >= 0 ? session.agents.map((a, i) => (i === idx ? next : a)) : [...session.agents, next];
  return { ...session, agents };
}
