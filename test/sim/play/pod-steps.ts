// An agent's pod: created by its CodeRun's Job (labels, owner, containers and sidecars), then
// moved along by the kubelet's status writes through `pods/{name}/status`, with its events.
import type { ContainerRuntime, PlayContext, PodRuntime } from './context.js';
import { kubeTime } from './context.js';
import { recordEvent } from './kube-events.js';
import { PATHS } from './kube-http.js';
import { patchCodeRunStatus } from './coderun-steps.js';
import { platformLabels } from './labels.js';
import {
  containersOf,
  imageOf,
  isSingleState,
  jobName,
  podName,
  suffix,
  taskOf,
  uuid,
} from './names.js';
import { applyContainerState, podStatus } from './pod-status.js';
import type { KubeletEvent } from './pod-status.js';
import type { PodStep } from './schema-kube.js';

function codeRunFor(ctx: PlayContext, ref: string, agent: string) {
  const own = ctx.coderuns.get(ref);
  if (own && !own.deleted) return own;
  return [...ctx.coderuns.values()].filter((c) => c.agent === agent && !c.deleted).at(-1);
}

function containerSpec(ctx: PlayContext, s: PodStep, name: string, task: string, work: boolean) {
  const cfg = ctx.session.cto_config.agents[s.agent];
  return {
    name,
    image: imageOf(name, s.images),
    imagePullPolicy: 'IfNotPresent',
    ...(name === 'docker-daemon' ? { securityContext: { privileged: true } } : {}),
    ...(work
      ? {
          env: [
            { name: 'TASK_ID', value: task },
            { name: 'GITHUB_APP', value: cfg.githubApp ?? s.agent },
            { name: 'CLI_TYPE', value: cfg.cli ?? 'claude' },
            { name: 'MODEL', value: cfg.model ?? '' },
            { name: 'PLAY_ID', value: ctx.session.play_id },
          ],
          resources: { requests: { cpu: '1', memory: '2Gi' }, limits: { memory: '8Gi' } },
        }
      : { resources: { requests: { cpu: '100m', memory: '256Mi' } } }),
  };
}

async function createPod(ctx: PlayContext, s: PodStep, ref: string): Promise<PodRuntime> {
  const ns = ctx.namespace;
  const cfg = ctx.session.cto_config.agents[s.agent];
  const cr = codeRunFor(ctx, ref, s.agent);
  const task = s.task ?? cr?.task ?? taskOf(ctx.session, s.agent);
  const name = s.name ?? podName(ctx.session.play_id, ref, task, s.agent);
  const job = jobName(task, s.agent);
  const jobUid = uuid(ctx.session.play_id, 'job', ref);
  const containers = containersOf(s, cfg);
  const work = new Set(s.containers ?? [containers[0]]);
  const node =
    s.unschedulable !== undefined
      ? null
      : (s.node ?? `talos-worker-${suffix(ctx.session.play_id, 'node').slice(0, 3)}`);
  const labels: Record<string, string> = {
    ...platformLabels(ctx, s.agent, task),
    'job-name': job,
    'batch.kubernetes.io/job-name': job,
    'controller-uid': jobUid,
    'batch.kubernetes.io/controller-uid': jobUid,
    ...(cr ? { 'agents.platform/coderun': cr.name } : {}),
  };
  for (const [k, v] of Object.entries(s.labels ?? {})) {
    if (v === null) delete labels[k];
    else labels[k] = v;
  }
  const created = await ctx.kube.create(PATHS.pods(ns), {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: ns,
      labels,
      ownerReferences: [
        {
          apiVersion: 'batch/v1',
          kind: 'Job',
          name: job,
          uid: jobUid,
          controller: true,
          blockOwnerDeletion: true,
        },
      ],
    },
    spec: {
      restartPolicy: s.restartPolicy ?? 'Never',
      serviceAccountName: 'cto-agent',
      serviceAccount: 'cto-agent', // the API server derives it; the simulator would say default
      terminationGracePeriodSeconds: 30,
      ...(node ? { nodeName: node } : {}),
      containers: containers.map((c) => containerSpec(ctx, s, c, task, work.has(c))),
    },
  });
  ctx.result.counts.kubeWrites++;
  const statuses = new Map<string, ContainerRuntime>(
    containers.map((c) => [
      c,
      {
        name: c,
        image: imageOf(c, s.images),
        state: { waiting: { reason: 'ContainerCreating' } },
        lastState: {},
        restartCount: 0,
        instance: 0,
        pendingRotation: false,
      },
    ]),
  );
  const pod: PodRuntime = {
    ref,
    name,
    uid: String(created.metadata?.uid),
    agent: s.agent,
    task,
    job,
    node,
    containers,
    agentContainer: containers[0],
    phase: 'Pending',
    ...(s.unschedulable !== undefined ? { unschedulable: s.unschedulable } : {}),
    ...(node ? { startTime: kubeTime(ctx.now) } : {}),
    statuses,
    conditions: new Map(),
    deleted: false,
  };
  ctx.pods.set(ref, pod);
  ctx.result.pods[ref] = { name, agent: s.agent, task, containers, agentContainer: containers[0] };
  await recordEvent(ctx, {
    kind: 'Pod',
    name,
    uid: pod.uid,
    component: 'default-scheduler',
    ...(node
      ? {
          reason: 'Scheduled',
          message: `Successfully assigned ${ns}/${name} to ${node}`,
          type: 'Normal' as const,
        }
      : { reason: 'FailedScheduling', message: s.unschedulable!, type: 'Warning' as const }),
  });
  if (cr) {
    cr.podName = name;
    await patchCodeRunStatus(ctx, cr);
  }
  return pod;
}

export async function podStep(ctx: PlayContext, s: PodStep): Promise<void> {
  const ns = ctx.namespace;
  const ref = s.id ?? s.agent;
  let pod = ctx.pods.get(ref);
  if (!pod) pod = await createPod(ctx, s, ref);
  else if (s.labels) {
    await ctx.kube.patch(`${PATHS.pods(ns)}/${pod.name}`, { metadata: { labels: s.labels } });
    ctx.result.counts.kubeWrites++;
  }
  if (s.delete) {
    await ctx.kube.delete(`${PATHS.pods(ns)}/${pod.name}`);
    pod.deleted = true;
    ctx.result.counts.kubeWrites++;
    return;
  }
  const events: KubeletEvent[] = [];
  const rotate: string[] = [];
  if (s.states) {
    for (const c of pod.containers) {
      const spec = isSingleState(s.states) ? s.states : s.states[c];
      if (!spec) continue;
      const at = (ms: number) => ctx.timeline.at(ms);
      const t = applyContainerState(pod, pod.statuses.get(c)!, spec, ctx.now, at, ns);
      events.push(...t.events);
      if (t.rotate) rotate.push(c);
    }
  }
  if (s.phase) pod.phase = s.phase;
  if (s.reason !== undefined) pod.reason = s.reason;
  if (s.message !== undefined) pod.message = s.message;
  await ctx.kube.patch(`${PATHS.pods(ns)}/${pod.name}/status`, { status: podStatus(pod, ctx.now) });
  ctx.result.counts.kubeWrites++;
  for (const c of rotate) {
    if (ctx.control) await ctx.control.restartContainer(ns, pod.name, c);
  }
  for (const e of events) {
    await recordEvent(ctx, {
      kind: 'Pod',
      name: pod.name,
      uid: pod.uid,
      reason: e.reason,
      message: e.message,
      type: e.type,
      component: 'kubelet',
      container: e.container,
      ...(pod.node ? { host: pod.node } : {}),
    });
  }
}
