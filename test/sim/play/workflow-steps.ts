// The Play's Argo Workflow: created under the play id, its status (phase, times, a node per
// CodeRun) written with the object, as Argo's CRD has no status subresource.
import type { CodeRunRuntime, PlayContext } from './context.js';
import { kubeTime } from './context.js';
import { PATHS } from './kube-http.js';
import { labelValue, serviceOf, withLabels } from './labels.js';
import { STAGES, hex } from './names.js';
import type { WorkflowStep } from './schema-kube.js';

function workflowStatus(ctx: PlayContext) {
  const wf = ctx.workflow!;
  const nodes = Object.values(wf.nodes);
  const done = nodes.filter((n) => n.phase === 'Succeeded').length;
  return {
    phase: wf.phase,
    startedAt: wf.startedAt ?? null,
    finishedAt: wf.finishedAt ?? null,
    progress: `${done}/${Math.max(nodes.length, 1)}`,
    nodes: {
      [wf.name]: {
        id: wf.name,
        name: wf.name,
        displayName: wf.name,
        type: 'Steps',
        templateName: 'play',
        phase: wf.phase,
        startedAt: wf.startedAt ?? null,
        finishedAt: wf.finishedAt ?? null,
        children: Object.keys(wf.nodes),
      },
      ...wf.nodes,
    },
  };
}

export async function workflowStep(ctx: PlayContext, s: WorkflowStep): Promise<void> {
  const ns = ctx.namespace;
  const now = kubeTime(ctx.now);
  const created = !ctx.workflow;
  if (!ctx.workflow) {
    const name = ctx.session.play_id;
    const params = [
      { name: 'task-id', value: ctx.session.tasks.map((t) => t.id).join(',') },
      { name: 'repository', value: ctx.session.repository },
      { name: 'service', value: serviceOf(ctx) },
      ...Object.keys(ctx.session.cto_config.agents).map((a) => ({
        name: `${STAGES[a] ?? a}-agent`,
        value: ctx.session.cto_config.agents[a].githubApp ?? a,
      })),
    ];
    const obj = await ctx.kube.create(PATHS.workflows(ns), {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Workflow',
      metadata: {
        name,
        namespace: ns,
        labels: withLabels(
          {
            'workflows.argoproj.io/workflow-template': 'play-workflow-template',
            'workflows.argoproj.io/phase': 'Pending',
            'workflows.argoproj.io/completed': 'false',
            'task-id': labelValue(ctx.session.tasks[0].id),
            repository: labelValue(ctx.session.repository),
          },
          s.labels,
        ),
      },
      spec: {
        workflowTemplateRef: { name: 'play-workflow-template' },
        arguments: { parameters: params },
        serviceAccountName: 'argo-workflow',
      },
    });
    ctx.workflow = { name, uid: String(obj.metadata?.uid), phase: 'Pending', nodes: {} };
    ctx.result.workflow = name;
    ctx.result.counts.kubeWrites++;
  }
  const wf = ctx.workflow;
  if (s.phase && s.phase !== wf.phase) {
    wf.phase = s.phase;
    if (s.phase !== 'Pending') wf.startedAt ??= now;
    if (['Succeeded', 'Failed', 'Error'].includes(s.phase)) wf.finishedAt = now;
  }
  await patchWorkflow(ctx, {
    ...(s.labels && !created ? { labels: s.labels } : {}),
    message: s.message,
  });
}

async function patchWorkflow(
  ctx: PlayContext,
  o: { labels?: Record<string, string | null>; message?: string } = {},
): Promise<void> {
  const wf = ctx.workflow!;
  const completed = ['Succeeded', 'Failed', 'Error'].includes(wf.phase);
  await ctx.kube.patch(`${PATHS.workflows(ctx.namespace)}/${wf.name}`, {
    metadata: {
      labels: {
        ...o.labels,
        'workflows.argoproj.io/phase': wf.phase,
        'workflows.argoproj.io/completed': String(completed),
      },
    },
    status: { ...workflowStatus(ctx), ...(o.message !== undefined ? { message: o.message } : {}) },
  });
  ctx.result.counts.kubeWrites++;
}

/** The Workflow's node for a CodeRun (the step that created it and waits for it). */
export async function updateNode(ctx: PlayContext, cr: CodeRunRuntime): Promise<void> {
  const wf = ctx.workflow;
  if (!wf) return;
  const id = `${wf.name}-${parseInt(hex(8, cr.name), 16)}`;
  const stage = STAGES[cr.agent] ?? 'agent';
  const phase = cr.phase === 'Succeeded' || cr.phase === 'Failed' ? cr.phase : 'Running';
  const prev = wf.nodes[id];
  wf.nodes[id] = {
    id,
    name: `${wf.name}[0].${stage}-${cr.agent}`,
    displayName: `${stage}-${cr.agent}`,
    type: 'Pod',
    templateName: 'agent-coderun',
    boundaryID: wf.name,
    phase,
    startedAt: prev?.startedAt ?? kubeTime(ctx.now),
    finishedAt: phase === 'Running' ? null : kubeTime(ctx.now),
  };
  if (JSON.stringify(prev) !== JSON.stringify(wf.nodes[id])) await patchWorkflow(ctx);
}
