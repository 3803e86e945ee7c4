// An agent's CodeRun: created by the Play's workflow with every field the CRD requires, its
// status written by the controller through `coderuns/{name}/status`.
import type { CodeRunRuntime, PlayContext } from './context.js';
import { kubeTime } from './context.js';
import { PATHS } from './kube-http.js';
import type { Obj } from './kube-http.js';
import { platformLabels, serviceOf, withLabels } from './labels.js';
import { STAGES, codeRunName, hex, jobName, taskOf } from './names.js';
import type { CodeRunStep } from './schema-kube.js';
import { updateNode } from './workflow-steps.js';

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
