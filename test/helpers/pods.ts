import type { KubeSim } from '../sim/kube/index.js';

/** A container status the way the kubelet writes it. */
export const containerStatus = (
  name: string,
  state: Record<string, unknown>,
  extra: Record<string, unknown> = {},
) => ({
  name,
  image: `${name}:1`,
  imageID: '',
  ready: 'running' in state,
  restartCount: 0,
  started: 'running' in state,
  state,
  ...extra,
});

/** The platform's labels on an agent pod of a Play. */
export const agentLabels = (playId: string, agent: string, taskId: string) => ({
  'agents.platform/agent': agent,
  'task-id': taskId,
  'workflows.argoproj.io/workflow': playId,
});

/**
 * An agent pod whose agent container (`claude`) exited 1 while its `docker-daemon` sidecar keeps
 * the pod Running — the A2 silent failure. Status is written through the status subresource.
 */
export function silentFailurePod(
  kube: KubeSim,
  opts: { name?: string; playId?: string; agent?: string; taskId?: string; at?: string } = {},
): void {
  const name = opts.name ?? 'play-task-4-rex-x7k2p';
  const at = opts.at ?? new Date().toISOString();
  kube.create({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: 'cto',
      labels: agentLabels(opts.playId ?? 'play-task-4', opts.agent ?? 'rex', opts.taskId ?? '4'),
    },
    spec: {
      containers: [
        { name: 'claude', image: 'claude:1' },
        { name: 'docker-daemon', image: 'dind:1' },
      ],
    },
  });
  kube.patchStatus('v1', 'Pod', 'cto', name, {
    status: {
      phase: 'Running',
      startTime: at,
      containerStatuses: [
        containerStatus('claude', {
          terminated: { exitCode: 1, reason: 'Error', startedAt: at, finishedAt: at },
        }),
        containerStatus('docker-daemon', { running: { startedAt: at } }),
      ],
    },
  });
}

/**
 * A pod whose container waits in ImagePullBackOff on `image`, with the kubelet's message naming it
 * (`message` by default a 401 from the registry). Status is written through the status subresource.
 */
export function imagePullPod(
  kube: KubeSim,
  opts: {
    namespace: string;
    name: string;
    container: string;
    image: string;
    labels?: Record<string, string>;
    message?: string;
    at?: string;
  },
): void {
  const { namespace, name, container, image } = opts;
  kube.create({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace, ...(opts.labels ? { labels: opts.labels } : {}) },
    spec: { containers: [{ name: container, image }] },
  });
  const message =
    opts.message ??
    `Back-off pulling image "${image}": ErrImagePull: failed to pull and unpack image "${image}": failed to resolve reference "${image}": unexpected status from HEAD request: 401 Unauthorized`;
  kube.patchStatus('v1', 'Pod', namespace, name, {
    status: {
      phase: 'Pending',
      ...(opts.at ? { startTime: opts.at } : {}),
      containerStatuses: [
        containerStatus(container, { waiting: { reason: 'ImagePullBackOff', message } }, { image }),
      ],
    },
  });
}
