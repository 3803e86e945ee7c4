// The Play's Workflow (Argo writes its status with the object: no status subresource) and the
// agents' CodeRuns (the controller writes status through `coderuns/{name}/status`).
import type { CodeRunRuntime, PlayContext } from './context.js';
import { kubeTime } from './context.js';
import { PATHS } from './kube-http.js';
import type { Obj } from './kube-http.js';
import { STAGES, codeRunName, hex, jobName, taskOf } from './names.js';
import type { CodeRunStep, WorkflowStep } from './schema-kube.js';

const withLabels = (base: Record<string, string>, extra?: Record<string, string | null>) => {
  const out: Record<string, string> = { ...base };
  for (const [k, v] of Object.entries(extra ?? {})) {
    if (v === null) delete out[k];
    else out[k] = v;
  }
  return out;
};

/** A label value the API server accepts: `5dlabs/cto` → `5dlabs-cto`. */
const labelValue = (v: string) =>
  v
    .replace(/[^A-Za-z0-9_.-]/g, '-')
    .slice(0, 63)
    .replace(/[-_.]+$/, '');

function serviceOf(ctx: PlayContext): string {
  return ctx.session.service ?? ctx.session.repository.split('/')[1];
}

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
async function updateNode(ctx: PlayContext, cr: CodeRunRuntime): Promise<void> {
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

function codeRunSpec(ctx: PlayContext, agent: string, task: string): Record<string, unknown> {
  const cfg = ctx.session.cto_config.agents[agent];
  const local = Object.values(cfg.tools.localServers)
    .filter((srv) => srv.enabled)
    .flatMap((srv) => srv.tools);
  const url = `https://github.com/${ctx.session.repository}`;
  return {
    taskId: /^\d+$/.test(task) ? Number(task) : parseInt(hex(7, task), 16),
    service: serviceOf(ctx),
    repositoryUrl: url,
    docsRepositoryUrl: url,
    docsProjectDirectory: 'docs',
    docsBranch: 'main',
    workingDirectory: '.',
    model: cfg.model ?? 'claude-sonnet-4-5-20250929',
    githubApp: cfg.githubApp ?? `5DLabs-${agent[0].toUpperCase()}${agent.slice(1)}`,
    runType: STAGES[agent] ?? 'implementation',
    enableDocker: true,
    remoteTools: cfg.tools.remote.join(','),
    localTools: local.join(','),
    cliConfig: { cliType: cfg.cli ?? 'claude', model: cfg.model ?? 'claude-sonnet-4-5-20250929' },
  };
}

export function platformLabels(ctx: PlayContext, agent: string, task: string) {
  const cfg = ctx.session.cto_config.agents[agent];
  return {
    'workflows.argoproj.io/workflow': ctx.session.play_id,
    'agents.platform/agent': agent,
    'agents.platform/service': labelValue(serviceOf(ctx)),
    'task-id': labelValue(task),
    'github-app': labelValue(cfg.githubApp ?? agent),
  };
}

/** The status the controller reports for a CodeRun now. */
export function codeRunStatus(ctx: PlayContext, cr: CodeRunRuntime, message?: string) {
  return {
    status: {
      phase: cr.phase === '' ? null : cr.phase,
      lastTransitionTime: cr.lastTransitionTime ?? null,
      startedAt: cr.startedAt ?? null,
      finishedAt: cr.finishedAt ?? null,
      jobName: cr.startedAt ? jobName(cr.task, cr.agent) : null,
      podName: cr.podName ?? null,
      pullRequestUrl: ctx.pr?.htmlUrl ?? null,
      ...(message !== undefined ? { message } : {}),
    },
  };
}

export async function patchCodeRunStatus(ctx: PlayContext, cr: CodeRunRuntime, message?: string) {
  await ctx.kube.patch(
    `${PATHS.coderuns(ctx.namespace)}/${cr.name}/status`,
    codeRunStatus(ctx, cr, message),
  );
  ctx.result.counts.kubeWrites++;
}

export async function codeRunStep(ctx: PlayContext, s: CodeRunStep): Promise<void> {
  const ns = ctx.namespace;
  const ref = s.id ?? s.agent;
  let cr = ctx.coderuns.get(ref);
  if (!cr) {
    const task = taskOf(ctx.session, s.agent, s.task);
    const name = s.name ?? codeRunName(ctx.session.play_id, ref, task, s.agent);
    const wf = ctx.workflow;
    const created: Obj = await ctx.kube.create(PATHS.coderuns(ns), {
      apiVersion: 'agents.platform/v1',
      kind: 'CodeRun',
      metadata: {
        name,
        namespace: ns,
        labels: withLabels(
          {
            ...platformLabels(ctx, s.agent, task),
            ...(ctx.pr ? { 'pr-number': String(ctx.pr.number) } : {}),
          },
          s.labels,
        ),
        ...(wf
          ? {
              ownerReferences: [
                {
                  apiVersion: 'argoproj.io/v1alpha1',
                  kind: 'Workflow',
                  name: wf.name,
                  uid: wf.uid,
                  blockOwnerDeletion: true,
                },
              ],
            }
          : {}),
      },
      spec: { ...codeRunSpec(ctx, s.agent, task), ...s.spec },
    });
    cr = {
      ref,
      name,
      uid: String(created.metadata?.uid),
      agent: s.agent,
      task,
      phase: '',
      deleted: false,
    };
    ctx.coderuns.set(ref, cr);
    ctx.result.coderuns[ref] = { name, agent: s.agent, task };
    ctx.result.counts.kubeWrites++;
  } else if (s.labels) {
    await ctx.kube.patch(`${PATHS.coderuns(ns)}/${cr.name}`, { metadata: { labels: s.labels } });
    ctx.result.counts.kubeWrites++;
  }
  if (s.delete) {
    await ctx.kube.delete(`${PATHS.coderuns(ns)}/${cr.name}`);
    cr.deleted = true;
    ctx.result.counts.kubeWrites++;
    return;
  }
  const now = kubeTime(ctx.now);
  const changed = s.phase !== undefined && s.phase !== cr.phase;
  if (changed) {
    cr.phase = s.phase!;
    cr.lastTransitionTime = now;
    if (cr.phase === 'Running') cr.startedAt ??= now;
    if (cr.phase === 'Succeeded' || cr.phase === 'Failed') cr.finishedAt = now;
  }
  if (changed || s.message !== undefined) await patchCodeRunStatus(ctx, cr, s.message);
  await updateNode(ctx, cr);
}
