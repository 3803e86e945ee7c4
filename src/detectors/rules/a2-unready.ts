/** A2 methods 2 (`ready_status`) and 3 (`pod_condition`): readiness of the work containers. */
import type { V1ContainerStatus } from '@kubernetes/client-node';
import type { Pod } from '../../domain/kube.js';
import { secondsSince } from '../../domain/kube-time.js';

export type Method =
  'exit_code' | 'ready_status' | 'pod_condition' | 'restart_count' | 'terminated_duration';

export interface Candidate {
  name: string;
  status: V1ContainerStatus | undefined;
}

export interface Finding extends Candidate {
  method: Method;
  /** The condition that fired (`pod_condition`). */
  detail?: string;
}

const exitedZero = (s: V1ContainerStatus | undefined): boolean =>
  s?.state?.terminated?.exitCode === 0;

/** Started less than `grace` seconds ago (unknown start: the pod's start). */
function inGrace(s: V1ContainerStatus | undefined, pod: Pod, now: Date, grace: number): boolean {
  const started =
    s?.state?.running?.startedAt ?? s?.state?.terminated?.startedAt ?? pod.status?.startTime;
  const age = secondsSince(started, now);
  return age !== null && age < grace;
}

/** `containers with unready status: [agent tools]` → `['agent', 'tools']`, or null. */
export function unreadyNames(message: unknown): string[] | null {
  if (typeof message !== 'string') return null;
  const m = /containers with (?:unready|incomplete) status: \[([^\]]*)\]/.exec(message);
  return m ? (m[1] ?? '').split(/[\s,]+/).filter(Boolean) : null;
}

export function unreadyFinding(
  pod: Pod,
  candidates: Candidate[],
  now: Date,
  grace: number,
): Finding | null {
  const ready = candidates.find(
    ({ status: s }) =>
      s?.ready === false && !s.state?.waiting && !exitedZero(s) && !inGrace(s, pod, now, grace),
  );
  if (ready) return { method: 'ready_status', ...ready };

  const conditions = Array.isArray(pod.status?.conditions) ? pod.status.conditions : [];
  const cond =
    conditions.find((c) => c?.type === 'ContainersReady' && c.status === 'False') ??
    conditions.find((c) => c?.type === 'Ready' && c.status === 'False');
  if (!cond) return null;
  const condAge = secondsSince(cond.lastTransitionTime, now);
  const podAge = secondsSince(pod.status?.startTime, now);
  if ((condAge !== null && condAge < grace) || (podAge !== null && podAge < grace)) return null;
  const names = unreadyNames(cond.message);
  const failing = candidates
    .filter((c) => names === null || names.includes(c.name))
    .find(({ status: s }) => s?.ready !== true && !exitedZero(s) && !inGrace(s, pod, now, grace));
  if (!failing) return null;
  const detail = `${cond.type}=False${cond.message ? ` (${cond.message})` : ''}`;
  return { method: 'pod_condition', ...failing, detail };
}
