/**
 * A7 Pod failure (detection.md §3): phase `Failed`/`Unknown`, a container waiting with a failure
 * reason, an OOM kill, a failed init container, or `Unschedulable` past the grace period.
 * One draft per pod: the most severe finding; the others are listed in the evidence.
 */
import type { AlertDraft, Severity } from '../../domain/alert.js';
import type { Pod } from '../../domain/kube.js';
import { secondsSince } from '../../domain/kube-time.js';
import {
  agentContainerName,
  containerStatuses,
  initContainerStatuses,
  nativeSidecarNames,
} from '../../domain/pod-containers.js';
import { workflowFamily } from '../../domain/workflow-family.js';
import type { Rule } from '../rule.js';
import type { RuleView } from '../../domain/signal.js';
import {
  draftBase,
  isIgnored,
  isTerminating,
  nameOf,
  namespaceOf,
  remediationContext,
  orEmpty,
} from './draft-base.js';
import { eventLines, podLines } from './evidence.js';
import { oomOnceStable, podStallFindings, type Finding } from './a7-pod-stalls.js';
import { evictionOf } from './resource-eviction.js';

export const FAILURE_WAITING_REASONS: readonly string[] = [
  'CrashLoopBackOff',
  'ImagePullBackOff',
  'ErrImagePull',
  'CreateContainerConfigError',
  'CreateContainerError',
  'InvalidImageName',
];

type ContainerStatus = ReturnType<typeof containerStatuses>[number];

/** Waiting reasons that mean the container's image could not be pulled. */
const PULL_FAILURES: readonly string[] = ['ImagePullBackOff', 'ErrImagePull', 'InvalidImageName'];

/**
 * The image a container failed to pull (its spec, else its status), so incidents of one broken
 * image share a cause (`patterns/grouping.yaml` image-pull-failing reads context `image`).
 */
function pulledImage(pod: Pod, f: Finding): string | null {
  if (!f.container || !PULL_FAILURES.includes(f.reason)) return null;
  const specs = [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])];
  const statuses = [...containerStatuses(pod), ...initContainerStatuses(pod)];
  return (
    specs.find((c) => c?.name === f.container)?.image ||
    statuses.find((s) => s.name === f.container)?.image ||
    null
  );
}

/** What one container's status says: OOM kills, a failure waiting reason, a failed init container. */
function containerFindings(s: ContainerStatus, init: boolean, view: RuleView): Finding[] {
  const out: Finding[] = [];
  const restartCount = s.restartCount ?? 0;
  const waiting = s.state?.waiting?.reason ?? '';
  const oom = [s.state?.terminated, s.lastState?.terminated].find((t) => t?.reason === 'OOMKilled');
  if (oom && oomOnceStable(s, view))
    out.push({
      reason: 'OOMKilledOnce',
      severity: 'low',
      container: s.name,
      exitCode: oom.exitCode ?? 137,
      restartCount,
      text: `container "${s.name}" was OOM-killed once and has run stably since: a resource warning (raise its memory limit), not a pod failure`,
    });
  else if (oom)
    out.push({
      reason: 'OOMKilled',
      severity: 'critical',
      container: s.name,
      exitCode: oom.exitCode ?? 137,
      restartCount,
      text: `container "${s.name}" was OOMKilled`,
    });
  if (FAILURE_WAITING_REASONS.includes(waiting)) {
    const loop = waiting === 'CrashLoopBackOff';
    const severity: Severity =
      loop && restartCount > view.config.alerts.restartThreshold ? 'critical' : 'high';
    out.push({
      reason: waiting,
      severity,
      container: s.name,
      exitCode: s.lastState?.terminated?.exitCode ?? null,
      restartCount,
      text: `container "${s.name}" is waiting in ${waiting}${loop ? ` after ${restartCount} restarts` : ''}${s.state?.waiting?.message ? `: ${s.state.waiting.message}` : ''}`,
    });
  }
  const code = s.state?.terminated?.exitCode;
  if (init && typeof code === 'number' && code !== 0)
    out.push({
      reason: 'InitContainerFailed',
      severity: 'high',
      container: s.name,
      exitCode: code,
      restartCount,
      text: `init container "${s.name}" exited with code ${code}`,
    });
  return out;
}

/** What the pod as a whole says: phase Failed (not an eviction) or Unknown, unschedulable too long. */
function podFindings(pod: Pod, view: RuleView, agent: string | null): Finding[] {
  const out: Finding[] = [];
  const phase = pod.status?.phase;
  const main = agentContainerName(pod, agent);
  // an eviction for a resource is the `resource` rule's incident (one incident per cause)
  if (phase === 'Failed' && !evictionOf(pod)) {
    const reason = pod.status?.reason || 'Failed';
    const code = containerStatuses(pod).find((s) => s.name === main)?.state?.terminated?.exitCode;
    out.push({
      reason,
      severity: 'high',
      container: main,
      exitCode: code ?? null,
      text: `pod phase Failed${pod.status?.reason ? ` (${reason})` : ''}${pod.status?.message ? `: ${pod.status.message}` : ''}`,
    });
  }
  if (phase === 'Unknown')
    out.push({
      reason: 'Unknown',
      severity: 'high',
      container: main,
      text: 'pod phase Unknown (node lost contact)',
    });
  const sched = (Array.isArray(pod.status?.conditions) ? pod.status.conditions : []).find(
    (c) => c?.type === 'PodScheduled' && c.status === 'False' && c.reason === 'Unschedulable',
  );
  const since = secondsSince(
    sched?.lastTransitionTime ?? pod.metadata?.creationTimestamp,
    view.now,
  );
  if (sched && since !== null && since > view.config.alerts.startupGraceSeconds)
    out.push({
      reason: 'Unschedulable',
      severity: 'high',
      container: null,
      text: `unschedulable for ${Math.floor(since)}s${sched.message ? `: ${sched.message}` : ''}`,
    });
  return out;
}

function findings(pod: Pod, view: RuleView, agent: string | null): Finding[] {
  const sidecars = nativeSidecarNames(pod);
  const all = [
    ...initContainerStatuses(pod).map((s) => ({ s, init: !sidecars.has(s.name) })),
    ...containerStatuses(pod).map((s) => ({ s, init: false })),
  ];
  return [
    ...all.flatMap(({ s, init }) => containerFindings(s, init, view)),
    ...podFindings(pod, view, agent),
    ...podStallFindings(pod, view, agent),
  ];
}

export const a7PodFailure: Rule = {
  id: 'A7',
  name: 'Pod failure',
  kinds: ['pod'],
  timeBased: true,
  evaluate(signal, view): AlertDraft[] {
    if (signal.kind !== 'pod' || isIgnored(signal.correlation)) return [];
    const pod = orEmpty(signal.pod);
    if (pod.status?.phase === 'Succeeded' || isTerminating(pod) || !nameOf(pod)) return [];
    const c = signal.correlation;
    const all = findings(pod, view, c.agent);
    const top =
      all.find((f) => f.severity === 'critical') ?? all.find((f) => f.severity !== 'low') ?? all[0];
    if (!top) return [];
    const name = nameOf(pod);
    const ns = namespaceOf(pod);
    const others = all.filter((f) => f !== top).map((f) => `also: ${f.text}`);
    const image = pulledImage(pod, top);
    return [
      {
        ...draftBase(c, ns, workflowFamily(name), view.now),
        alert: 'A7',
        severity: top.severity,
        issueType: 'agent_failure',
        title: top.severity === 'low' ? `Resource Warning: ${name}` : `Pod Failure: ${name}`,
        description: `Pod ${name}: ${top.text}.`,
        evidence: [...podLines(pod), ...others, ...eventLines(view, 'Pod', ns, name)],
        context: {
          reason: top.reason,
          pod: name,
          container: top.container,
          phase: pod.status?.phase ?? null,
          exitCode: top.exitCode ?? null,
          restartCount: top.restartCount ?? null,
          ...(image ? { image } : {}),
          ...remediationContext(c),
        },
      },
    ];
  },
};
