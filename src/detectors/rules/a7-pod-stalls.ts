/**
 * A7's quieter pod failures (issue #12): pods that never fail loudly but stop a Play all the same.
 *
 * - the work containers finished (exit 0) while a regular sidecar keeps the pod `Running` past
 *   `sidecarStallSeconds` — the Play's step never ends (istio/istio #11659, argo-workflows #7214);
 * - a sidecar that never becomes ready past `sidecarReadyGraceSeconds`;
 * - liveness-probe kills (kubelet `Killing` events "failed liveness probe, will be restarted"),
 *   visible even while the restarted container is momentarily ready;
 * - a `Pending` pod with no `PodScheduled` condition yet but `FailedScheduling` events past the
 *   start-up grace.
 *
 * Native sidecars (init containers with `restartPolicy: Always`) are stopped by the kubelet once the
 * main containers end, so a native sidecar still running is never a stall here.
 */
import type { V1ContainerStatus } from '@kubernetes/client-node';
import type { Severity } from '../../domain/alert.js';
import type { KubeEvent, Pod } from '../../domain/kube.js';
import { secondsSince } from '../../domain/kube-time.js';
import {
  nativeSidecarNames,
  sidecarNames,
  statusOf,
  workContainerNames,
} from '../../domain/pod-containers.js';
import type { RuleView } from '../../domain/signal.js';
import { nameOf, namespaceOf } from './draft-base.js';

export interface Finding {
  reason: string;
  severity: Severity;
  container: string | null;
  exitCode?: number | null;
  restartCount?: number;
  text: string;
}

/** Seconds since a container started running (null when unknown or not running). */
const runningFor = (s: V1ContainerStatus | undefined, now: Date): number | null =>
  secondsSince(s?.state?.running?.startedAt, now);

function sidecarStall(pod: Pod, view: RuleView, agent: string | null): Finding | null {
  const work = workContainerNames(pod, agent).map((n) => ({ n, s: statusOf(pod, n) }));
  const native = nativeSidecarNames(pod);
  const keeping = sidecarNames(pod, agent).filter(
    (n) => !native.has(n) && statusOf(pod, n)?.state?.running,
  );
  if (work.length === 0 || keeping.length === 0) return null;
  if (!work.every(({ s }) => s?.state?.terminated?.exitCode === 0)) return null;
  const ages = work.map(({ s }) => secondsSince(s?.state?.terminated?.finishedAt, view.now));
  if (ages.some((a) => a === null)) return null;
  const since = Math.min(...(ages as number[]));
  if (since <= view.config.alerts.sidecarStallSeconds) return null;
  const main = work[0]?.n ?? null;
  return {
    reason: 'SidecarKeepsPodRunning',
    severity: 'high',
    container: keeping[0] ?? null,
    exitCode: 0,
    text: `container "${main}" finished (exit 0) ${Math.floor(since)}s ago but sidecar ${keeping.map((k) => `"${k}"`).join(', ')} keeps the pod Running, so the step never ends`,
  };
}

function sidecarNotReady(pod: Pod, view: RuleView, agent: string | null): Finding | null {
  const workDone = workContainerNames(pod, agent).every((n) => statusOf(pod, n)?.state?.terminated);
  if (workDone) return null;
  for (const n of sidecarNames(pod, agent)) {
    const s = statusOf(pod, n);
    const age = runningFor(s, view.now);
    if (s?.ready !== false || age === null || age <= view.config.alerts.sidecarReadyGraceSeconds)
      continue;
    return {
      reason: 'SidecarNotReady',
      severity: 'high',
      container: n,
      restartCount: s.restartCount ?? 0,
      text: `sidecar "${n}" has been running for ${Math.floor(age)}s without becoming ready`,
    };
  }
  return null;
}

const eventCount = (e: KubeEvent): number => {
  const c = e.series?.count ?? e.count;
  return typeof c === 'number' && c > 0 ? c : 1;
};
const eventTime = (e: KubeEvent): unknown =>
  e.series?.lastObservedTime ?? e.lastTimestamp ?? e.eventTime ?? e.metadata?.creationTimestamp;
/** `spec.containers{agent}` → `agent`. */
const eventContainer = (e: KubeEvent): string | null =>
  /\{([^}]+)\}/.exec(e.involvedObject?.fieldPath ?? '')?.[1] ?? null;

/** Recent liveness-probe kills (within the resolve window, so an old kill does not linger). */
function livenessKills(pod: Pod, view: RuleView): Finding | null {
  const { livenessKillThreshold, resolveAfterSeconds } = view.config.alerts;
  const kills = view
    .eventsFor('Pod', namespaceOf(pod), nameOf(pod))
    .filter(
      (e) =>
        e?.reason === 'Killing' &&
        /failed liveness probe/i.test(e.message ?? '') &&
        (secondsSince(eventTime(e), view.now) ?? Infinity) <= Math.max(resolveAfterSeconds, 600),
    );
  const total = kills.reduce((n, e) => n + eventCount(e), 0);
  if (total < livenessKillThreshold) return null;
  const container = kills.map(eventContainer).find(Boolean) ?? null;
  return {
    reason: 'LivenessProbeKill',
    severity: 'high',
    container,
    restartCount: container ? (statusOf(pod, container)?.restartCount ?? total) : total,
    text: `the kubelet killed ${container ? `container "${container}"` : 'a container'} ${total} times for failing its liveness probe`,
  };
}

function schedulingEvents(pod: Pod, view: RuleView): Finding | null {
  if (pod.status?.phase !== 'Pending') return null;
  const conditions = Array.isArray(pod.status?.conditions) ? pod.status.conditions : [];
  if (conditions.some((c) => c?.type === 'PodScheduled')) return null; // A7's condition check
  const failed = view
    .eventsFor('Pod', namespaceOf(pod), nameOf(pod))
    .filter((e) => e?.reason === 'FailedScheduling');
  const first = failed
    .map((e) => secondsSince(e.firstTimestamp ?? e.eventTime ?? eventTime(e), view.now))
    .filter((s): s is number => s !== null);
  const since = first.length > 0 ? Math.max(...first) : null;
  if (since === null || since <= view.config.alerts.startupGraceSeconds) return null;
  const message = failed.at(-1)?.message;
  return {
    reason: 'Unschedulable',
    severity: 'high',
    container: null,
    text: `unschedulable for ${Math.floor(since)}s${message ? `: ${message}` : ''}`,
  };
}

/** The quiet pod findings, most telling first. */
export function podStallFindings(pod: Pod, view: RuleView, agent: string | null): Finding[] {
  const phase = pod.status?.phase;
  const running = phase === 'Running';
  return [
    running ? sidecarStall(pod, view, agent) : null,
    running ? sidecarNotReady(pod, view, agent) : null,
    running ? livenessKills(pod, view) : null,
    schedulingEvents(pod, view),
  ].filter((f): f is Finding => f !== null);
}

/**
 * An OOM kill in the last state of a container that has run stably since (no further restarts,
 * running longer than `oomStableSeconds`): a resource warning, not a pod failure.
 */
export function oomOnceStable(s: V1ContainerStatus, view: RuleView): boolean {
  const age = runningFor(s, view.now);
  return (
    s.state?.terminated?.reason !== 'OOMKilled' &&
    s.lastState?.terminated?.reason === 'OOMKilled' &&
    (s.restartCount ?? 0) <= 1 &&
    age !== null &&
    age > view.config.alerts.oomStableSeconds
  );
}
