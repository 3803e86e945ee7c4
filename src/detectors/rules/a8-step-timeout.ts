/**
 * A8 Step timeout (detection.md §3): an agent of a session has been running longer than its
 * stage's timeout. Start: agent container `startedAt` (pod signal), else CodeRun
 * `status.startedAt` (CodeRun signal, when no cached pod has a started agent container), else the
 * Workflow node's `startedAt` (workflow signal, for agents the session saw no pod or CodeRun of).
 */
import type { AlertDraft } from '../../domain/alert.js';
import type { Pod } from '../../domain/kube.js';
import { iso, secondsSince } from '../../domain/kube-time.js';
import { agentContainerName, statusOf } from '../../domain/pod-containers.js';
import { normaliseAgent } from '../../domain/stages.js';
import { workflowFamily } from '../../domain/workflow-family.js';
import type { Rule } from '../rule.js';
import type { Correlation, RuleView } from '../../domain/signal.js';
import {
  draftBase,
  isIgnored,
  nameOf,
  namespaceOf,
  phaseOf,
  remediationContext,
  orEmpty,
} from './draft-base.js';
import { eventLines } from './evidence.js';
import { workflowNodeStarts } from './a8-workflow-nodes.js';
import { describeThreshold, thresholdContext, thresholdIn } from '../thresholds/adaptive.js';
import type { Threshold } from '../../domain/threshold.js';

interface Start {
  agent: string;
  startedAt: unknown;
  source: 'container' | 'coderun' | 'workflow-node';
  object: string;
  kind: 'Pod' | 'CodeRun' | 'Workflow';
  extra: Record<string, string | null>;
}

/**
 * Stage of an agent (the session's record, then the configured map), its configured timeout in
 * minutes, and the threshold in force (learned from the agent's runs, pinned, or the configured).
 */
function timeoutOf(
  agent: string,
  view: RuleView,
): { stage: string; minutes: number; threshold: Threshold } {
  const own = view.session?.agents?.find((a) => normaliseAgent(a?.name ?? '') === agent)?.stage;
  const stage = own || view.config.stages.agents[agent] || 'other';
  const minutes =
    view.config.alerts.stepTimeoutMinutes[stage] ?? view.config.alerts.defaultStepTimeoutMinutes;
  return {
    stage,
    minutes,
    threshold: thresholdIn(view, 'step-timeout', agent, stage, minutes * 60),
  };
}

/** The agent container's running start, or null. */
function containerStart(pod: Pod, agent: string | null): { container: string; at: unknown } | null {
  const container = agentContainerName(pod, agent);
  const at = container ? statusOf(pod, container)?.state?.running?.startedAt : undefined;
  return container && at ? { container, at } : null;
}

function startsOf(
  signal: Parameters<Rule['evaluate']>[0],
  c: Correlation,
  view: RuleView,
): Start[] {
  if (signal.kind === 'pod') {
    const pod = orEmpty(signal.pod);
    const s = pod.status?.phase === 'Running' ? containerStart(pod, c.agent) : null;
    if (!s || !c.agent) return [];
    return [
      {
        agent: c.agent,
        startedAt: s.at,
        source: 'container',
        object: nameOf(pod),
        kind: 'Pod',
        extra: { pod: nameOf(pod), container: s.container },
      },
    ];
  }
  if (signal.kind === 'coderun') {
    const cr = orEmpty(signal.coderun);
    if (phaseOf(cr) !== 'Running' || !c.agent) return [];
    const pods = view.podsOfCodeRun(cr) ?? [];
    if (pods.some((p) => p?.status?.phase === 'Running' && containerStart(p, c.agent))) return [];
    return [
      {
        agent: c.agent,
        startedAt: cr.status?.startedAt,
        source: 'coderun',
        object: nameOf(cr),
        kind: 'CodeRun',
        extra: { coderun: nameOf(cr) },
      },
    ];
  }
  if (signal.kind === 'workflow') {
    const wf = orEmpty(signal.workflow);
    return workflowNodeStarts(wf, view.session).map((n) => ({
      ...n,
      source: 'workflow-node',
      object: nameOf(wf),
      kind: 'Workflow',
      extra: { workflow: nameOf(wf), node: n.node, pod: n.pod },
    }));
  }
  return [];
}

export const a8StepTimeout: Rule = {
  id: 'A8',
  name: 'Step timeout',
  kinds: ['pod', 'coderun', 'workflow'],
  timeBased: true,
  evaluate(signal, view): AlertDraft[] {
    if (!['pod', 'coderun', 'workflow'].includes(signal.kind)) return [];
    const c = signal.correlation;
    if (isIgnored(c) || c.playId === null) return [];
    const obj =
      signal.kind === 'pod'
        ? signal.pod
        : signal.kind === 'coderun'
          ? signal.coderun
          : signal.kind === 'workflow'
            ? signal.workflow
            : null;
    const ns = namespaceOf(obj);
    return startsOf(signal, c, view).flatMap((s) => {
      if (!s.object) return [];
      const elapsed = secondsSince(s.startedAt, view.now);
      const { stage, minutes, threshold } = timeoutOf(s.agent, view);
      if (elapsed === null || elapsed <= threshold.seconds) return [];
      const learned = threshold.basis.kind !== 'static';
      const running = Math.floor(elapsed / 60);
      const subject = workflowFamily(s.extra.pod ?? s.object);
      return [
        {
          ...draftBase({ ...c, agent: s.agent }, ns, subject, view.now),
          alert: 'A8',
          severity: 'medium',
          issueType: 'stuck',
          title: `Step Timeout: ${s.agent} running ${running}m`,
          description: learned
            ? `${s.agent} (${stage}) has been running for ${running} minutes on ${c.playId}; its threshold is ${describeThreshold(threshold)}, below the ${stage} stage timeout of ${minutes} minutes.`
            : `${s.agent} (${stage}) has been running for ${running} minutes on ${c.playId}; the ${stage} stage timeout is ${minutes} minutes.`,
          evidence: [
            `${s.source} ${s.object} startedAt=${iso(s.startedAt) ?? '?'}`,
            ...eventLines(view, s.kind, ns, s.object),
            `threshold ${describeThreshold(threshold)}`,
          ],
          context: {
            stage,
            runningMinutes: running,
            timeoutMinutes: minutes,
            ...thresholdContext(threshold),
            startedAt: iso(s.startedAt),
            source: s.source,
            phase: 'Running',
            ...s.extra,
            ...remediationContext(c),
          },
        },
      ];
    });
  },
};
