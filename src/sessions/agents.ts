import type { Correlation } from '../domain/signal.js';
import type { CodeRun, Pod } from '../domain/kube.js';
import { agentContainerName, statusOf } from '../domain/pod-containers.js';
import type { AgentThresholds, Session, SessionAgent } from '../domain/session.js';
import { normaliseAgent } from '../domain/stages.js';
import { emptyChecklist } from '../domain/preflight.js';

/** What a pod or CodeRun says about one agent of a Play. */
export interface AgentObservation {
  agent: string;
  pod?: string;
  coderun?: string;
  phase: string;
  startedAt: string | null;
  /** When the run finished (success or not), when known. */
  finishedAt?: string | null;
  /** A successful run (agent container exited 0, or the CodeRun Succeeded) and how long it took. */
  succeeded?: { run: string; seconds: number; finishedAt: string } | null;
}

const secondsBetween = (from: string | null, to: string | null): number | null => {
  const a = from ? Date.parse(from) : NaN;
  const b = to ? Date.parse(to) : NaN;
  return Number.isFinite(a) && Number.isFinite(b) && b > a ? (b - a) / 1000 : null;
};

const str = (v: unknown): string | null =>
  typeof v === 'string' && v ? v : v instanceof Date ? v.toISOString() : null;

export function observePod(pod: Pod, c: Correlation): AgentObservation | null {
  if (!c.agent || !c.playId || c.remediation) return null;
  const container = agentContainerName(pod, c.agent);
  const state = container ? statusOf(pod, container)?.state : undefined;
  const running = state?.running;
  const done = state?.terminated;
  const finishedAt = str(done?.finishedAt);
  const seconds = done?.exitCode === 0 ? secondsBetween(str(done.startedAt), finishedAt) : null;
  const name = pod.metadata?.name ?? '';
  return {
    agent: c.agent,
    pod: name,
    phase: pod.status?.phase ?? 'Unknown',
    startedAt: str(running?.startedAt) ?? str(pod.status?.startTime),
    finishedAt,
    succeeded: seconds !== null && finishedAt ? { run: `pod/${name}`, seconds, finishedAt } : null,
  };
}

export function observeCodeRun(cr: CodeRun, c: Correlation): AgentObservation | null {
  if (!c.agent || !c.playId || c.remediation) return null;
  const phase = cr.status?.phase || 'Pending';
  const finished = phase === 'Succeeded' || phase === 'Failed';
  const finishedAt = finished ? str(cr.status?.finishedAt) : null;
  const seconds =
    phase === 'Succeeded' ? secondsBetween(str(cr.status?.startedAt), finishedAt) : null;
  return {
    agent: c.agent,
    coderun: cr.metadata?.name ?? '',
    phase,
    startedAt: str(cr.status?.startedAt),
    finishedAt,
    // a CodeRun's own times count only when no pod of it was seen (the pod's are more precise)
    succeeded:
      seconds !== null && finishedAt
        ? { run: `coderun/${cr.metadata?.name ?? ''}`, seconds, finishedAt }
        : null,
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
  /** The thresholds to fix on an agent first seen (learned, pinned or configured). */
  thresholdsOf?: (agent: string, stage: string) => AgentThresholds,
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
  const finishedAt = o.finishedAt ?? current.finished_at;
  if (finishedAt) next.finished_at = finishedAt;
  const thresholds = current.thresholds ?? thresholdsOf?.(name, next.stage);
  if (thresholds) next.thresholds = thresholds;
  if (idx >= 0 && JSON.stringify(next) === JSON.stringify(current)) return undefined;
  const agents =
    idx >= 0 ? session.agents.map((a, i) => (i === idx ? next : a)) : [...session.agents, next];
  return { ...session, agents };
}
