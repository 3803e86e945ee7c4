// The kubelet's side of a pod: container state transitions (restarts count up, the dead
// instance becomes lastState, its log rotates on the next start), the status it reports
// (conditions follow the containers), and the events it records along the way.
import type { ContainerRuntime, PodRuntime, TerminatedState } from './context.js';
import { kubeTime } from './context.js';
import { hex } from './names.js';
import type { ContainerStateSpec } from './schema-kube.js';

export interface KubeletEvent {
  reason: string;
  message: string;
  type: 'Normal' | 'Warning';
  container: string;
}

export interface Transition {
  events: KubeletEvent[];
  /** The container started a new instance: rotate its log (current → previous). */
  rotate: boolean;
}

const containerId = (pod: PodRuntime, c: ContainerRuntime): string =>
  `containerd://${hex(64, pod.uid, c.name, String(c.instance))}`;

/** CrashLoopBackOff's delay after n restarts: 10s doubling, capped at 5m (`5m0s`). */
function backoff(restarts: number): string {
  const s = Math.min(10 * 2 ** Math.max(restarts - 1, 0), 300);
  return s >= 60 ? `${Math.floor(s / 60)}m${s % 60}s` : `${s}s`;
}

function waitingMessage(pod: PodRuntime, c: ContainerRuntime, ns: string, reason: string) {
  switch (reason) {
    case 'CrashLoopBackOff':
      return `back-off ${backoff(c.restartCount)} restarting failed container=${c.name} pod=${pod.name}_${ns}(${pod.uid})`;
    case 'ImagePullBackOff':
      return `Back-off pulling image "${c.image}"`;
    case 'ErrImagePull':
      return `rpc error: code = NotFound desc = failed to pull and unpack image "${c.image}": failed to resolve reference "${c.image}": ${c.image}: not found`;
    default:
      return undefined;
  }
}

function eventsOnWaiting(pod: PodRuntime, c: ContainerRuntime, ns: string, reason: string) {
  const w = (r: string, message: string): KubeletEvent => ({
    reason: r,
    message,
    type: 'Warning',
    container: c.name,
  });
  switch (reason) {
    case 'CrashLoopBackOff':
      return [
        w(
          'BackOff',
          `Back-off restarting failed container ${c.name} in pod ${pod.name}_${ns}(${pod.uid})`,
        ),
      ];
    case 'ErrImagePull':
      return [
        w('Failed', `Failed to pull image "${c.image}": ${waitingMessage(pod, c, ns, reason)}`),
        w('Failed', 'Error: ErrImagePull'),
      ];
    case 'ImagePullBackOff':
      return [
        w('BackOff', `Back-off pulling image "${c.image}"`),
        w('Failed', 'Error: ImagePullBackOff'),
      ];
    default:
      return [];
  }
}

function terminated(
  t: {
    exitCode: number;
    reason?: string;
    message?: string;
    startedAt?: number;
    finishedAt?: number;
  },
  defaults: { startedAt: string; finishedAt: string; containerID: string },
  at: (offsetMs: number) => Date,
): TerminatedState {
  return {
    exitCode: t.exitCode,
    reason: t.reason ?? (t.exitCode === 0 ? 'Completed' : 'Error'),
    ...(t.message ? { message: t.message } : {}),
    startedAt: t.startedAt !== undefined ? kubeTime(at(t.startedAt)) : defaults.startedAt,
    finishedAt: t.finishedAt !== undefined ? kubeTime(at(t.finishedAt)) : defaults.finishedAt,
    containerID: defaults.containerID,
  };
}

/**
 * Applies a scenario's container state to the kubelet's record of that container, the way the
 * kubelet reports it: a new instance after a dead one counts a restart (restartCount is the
 * number of instances started after the first) and moves the dead one to lastState; its log
 * becomes the `previous` log. A running container that is next reported in CrashLoopBackOff
 * died in between (exit 1 unless lastState says otherwise). An explicit higher restartCount
 * means instances started (and died) unseen: the log rotates too.
 */
export function applyContainerState(
  pod: PodRuntime,
  c: ContainerRuntime,
  spec: ContainerStateSpec,
  now: Date,
  at: (offsetMs: number) => Date,
  ns: string,
): Transition {
  const events: KubeletEvent[] = [];
  let rotate = false;
  const prev = c.state;
  const nowTime = kubeTime(now);
  const newInstance = () => {
    if (c.instance > 0 && c.pendingRotation) {
      c.restartCount += 1;
      rotate = true;
    }
    c.pendingRotation = false;
    c.instance += 1;
  };
  if (spec.running && !('running' in prev && spec.running.startedAt === undefined)) {
    if ('terminated' in prev) c.lastState = { terminated: prev.terminated };
    newInstance();
    const startedAt =
      spec.running.startedAt !== undefined ? kubeTime(at(spec.running.startedAt)) : nowTime;
    c.state = { running: { startedAt } };
    const normal = (reason: string, message: string): KubeletEvent => ({
      reason,
      message,
      type: 'Normal',
      container: c.name,
    });
    events.push(
      normal('Pulled', `Container image "${c.image}" already present on machine`),
      normal('Created', `Created container: ${c.name}`),
      normal('Started', `Started container ${c.name}`),
    );
  } else if (spec.waiting) {
    if ('terminated' in prev) c.lastState = { terminated: prev.terminated };
    if ('running' in prev && spec.waiting.reason === 'CrashLoopBackOff') {
      c.lastState = {
        terminated: {
          exitCode: 1,
          reason: 'Error',
          startedAt: prev.running.startedAt,
          finishedAt: nowTime,
          containerID: containerId(pod, c),
        },
      };
      c.pendingRotation = true;
    }
    const message = spec.waiting.message ?? waitingMessage(pod, c, ns, spec.waiting.reason);
    const same = 'waiting' in prev && prev.waiting.reason === spec.waiting.reason;
    c.state = { waiting: { reason: spec.waiting.reason, ...(message ? { message } : {}) } };
    if (!same || spec.waiting.reason === 'CrashLoopBackOff')
      events.push(...eventsOnWaiting(pod, c, ns, spec.waiting.reason));
  } else if (spec.terminated) {
    // Reported dead without ever being seen running again: a new instance ran and died.
    if ('waiting' in prev && c.pendingRotation) newInstance();
    if (c.instance === 0) c.instance = 1;
    const started = 'running' in prev ? prev.running.startedAt : nowTime;
    c.state = {
      terminated: terminated(
        spec.terminated,
        { startedAt: started, finishedAt: nowTime, containerID: containerId(pod, c) },
        at,
      ),
    };
    c.pendingRotation = true;
  }
  if (c.state !== prev) c.readyOverride = undefined;
  if (spec.ready !== undefined) c.readyOverride = spec.ready;
  if (spec.restartCount !== undefined) {
    if (spec.restartCount > c.restartCount) {
      rotate = true;
      c.instance += spec.restartCount - c.restartCount;
    }
    c.restartCount = spec.restartCount;
  }
  if (spec.lastState) {
    c.lastState = {
      terminated: terminated(
        spec.lastState.terminated,
        {
          startedAt: nowTime,
          finishedAt: nowTime,
          containerID: `containerd://${hex(64, pod.uid, c.name, 'last', String(c.instance))}`,
        },
        at,
      ),
    };
  }
  return { events, rotate };
}

const isReady = (c: ContainerRuntime): boolean => 'running' in c.state && (c.readyOverride ?? true);

function setCondition(pod: PodRuntime, type: string, status: string, now: Date) {
  const prev = pod.conditions.get(type);
  if (prev?.status !== status)
    pod.conditions.set(type, { status, lastTransitionTime: kubeTime(now) });
}

/** The status the kubelet reports for the pod now (the whole object, for a merge patch). */
export function podStatus(pod: PodRuntime, now: Date): Record<string, unknown> {
  const scheduled = pod.node !== null;
  const unready = pod.containers.filter((n) => !isReady(pod.statuses.get(n)!));
  const done = pod.phase === 'Succeeded' || pod.phase === 'Failed';
  setCondition(pod, 'PodScheduled', scheduled ? 'True' : 'False', now);
  if (scheduled) {
    setCondition(pod, 'PodReadyToStartContainers', done ? 'False' : 'True', now);
    setCondition(pod, 'Initialized', 'True', now);
    setCondition(pod, 'ContainersReady', unready.length ? 'False' : 'True', now);
    setCondition(pod, 'Ready', unready.length ? 'False' : 'True', now);
  }
  const notReady = done
    ? { reason: pod.phase === 'Succeeded' ? 'PodCompleted' : 'PodFailed' }
    : {
        reason: 'ContainersNotReady',
        message: `containers with unready status: [${unready.join(' ')}]`,
      };
  const conditions = [...pod.conditions].map(([type, c]) => ({
    type,
    status: c.status,
    lastProbeTime: null,
    lastTransitionTime: c.lastTransitionTime,
    ...(type === 'PodScheduled' && !scheduled
      ? { reason: 'Unschedulable', message: pod.unschedulable }
      : (type === 'ContainersReady' || type === 'Ready') && c.status === 'False'
        ? notReady
        : {}),
  }));
  const ip = (n: number) => `10.244.${n % 250}.${(n * 7) % 250}`;
  const seed = parseInt(pod.uid.slice(0, 4), 16);
  return {
    phase: pod.phase,
    reason: pod.reason ?? null,
    message: pod.message ?? null,
    conditions,
    ...(scheduled
      ? {
          hostIP: `10.0.1.${seed % 200}`,
          hostIPs: [{ ip: `10.0.1.${seed % 200}` }],
          podIP: ip(seed),
          podIPs: [{ ip: ip(seed) }],
          startTime: pod.startTime ?? null,
          containerStatuses: pod.containers.map((n) => containerStatus(pod, pod.statuses.get(n)!)),
        }
      : {}),
  };
}

function containerStatus(pod: PodRuntime, c: ContainerRuntime) {
  const created = c.instance > 0;
  return {
    name: c.name,
    image: c.image,
    imageID: created ? `${c.image.split(':')[0]}@sha256:${hex(64, c.image)}` : '',
    ...(created ? { containerID: containerId(pod, c) } : {}),
    ready: isReady(c),
    started: 'running' in c.state,
    restartCount: c.restartCount,
    state: c.state,
    lastState: c.lastState,
  };
}
