// Core v1 Events the way the kubelet, the scheduler and controllers record them, and the
// scenario's own `event` steps.
import type { PlayContext } from './context.js';
import { kubeTime } from './context.js';
import { PATHS } from './kube-http.js';
import { hex } from './names.js';
import type { EventStep } from './schema-kube.js';

export interface EventInput {
  kind: 'Pod' | 'CodeRun' | 'Workflow';
  name: string;
  uid: string;
  reason: string;
  message: string;
  type: 'Normal' | 'Warning';
  component: string;
  host?: string;
  container?: string;
  count?: number;
}

const API_VERSION = { Pod: 'v1', CodeRun: 'agents.platform/v1', Workflow: 'argoproj.io/v1alpha1' };

export async function recordEvent(ctx: PlayContext, e: EventInput): Promise<void> {
  const ns = ctx.namespace;
  const seq = ctx.result.counts.events++;
  const time = kubeTime(ctx.now);
  await ctx.kube.create(PATHS.events(ns), {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: {
      name: `${e.name}.${hex(16, ctx.session.play_id, e.name, String(seq))}`,
      namespace: ns,
    },
    involvedObject: {
      apiVersion: API_VERSION[e.kind],
      kind: e.kind,
      namespace: ns,
      name: e.name,
      uid: e.uid,
      ...(e.container ? { fieldPath: `spec.containers{${e.container}}` } : {}),
    },
    reason: e.reason,
    message: e.message,
    type: e.type,
    count: e.count ?? 1,
    firstTimestamp: time,
    lastTimestamp: time,
    source: { component: e.component, ...(e.host ? { host: e.host } : {}) },
    reportingComponent: e.component,
    reportingInstance: e.host ?? '',
  });
  ctx.result.counts.kubeWrites++;
}

/** An `event` step: an event about one of the scenario's pods, CodeRuns or its Workflow. */
export async function eventStep(ctx: PlayContext, s: EventStep): Promise<void> {
  if (s.pod !== undefined) {
    const pod = ctx.pods.get(s.pod)!;
    await recordEvent(ctx, {
      kind: 'Pod',
      name: pod.name,
      uid: pod.uid,
      reason: s.reason,
      message: s.message,
      type: s.type,
      component: s.component ?? 'kubelet',
      ...(pod.node ? { host: pod.node } : {}),
      count: s.count,
    });
  } else if (s.coderun !== undefined) {
    const cr = ctx.coderuns.get(s.coderun)!;
    await recordEvent(ctx, {
      kind: 'CodeRun',
      name: cr.name,
      uid: cr.uid,
      reason: s.reason,
      message: s.message,
      type: s.type,
      component: s.component ?? 'coderun-controller',
      count: s.count,
    });
  } else {
    if (!ctx.workflow) throw new Error('an event about the workflow needs a workflow step first');
    await recordEvent(ctx, {
      kind: 'Workflow',
      name: ctx.workflow.name,
      uid: ctx.workflow.uid,
      reason: s.reason,
      message: s.message,
      type: s.type,
      component: s.component ?? 'workflow-controller',
      count: s.count,
    });
  }
}
