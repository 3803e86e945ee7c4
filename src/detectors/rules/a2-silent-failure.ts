/**
 * A2 Silent agent failure (detection.md §3.1): the pod is `Running` but a work container is dead.
 * Five methods, lowest number wins. Loud failures (a waiting container, an OOM kill) are A7's.
 */
import type { V1ContainerStatus } from '@kubernetes/client-node';
import type { AlertDraft } from '../../domain/alert.js';
import type { Pod } from '../../domain/kube.js';
import { secondsSince } from '../../domain/kube-time.js';
import { sidecarNames, statusOf, workContainerNames } from '../../domain/pod-containers.js';
import { workflowFamily } from '../../domain/workflow-family.js';
import type { Rule } from '../rule.js';
import type { Correlation, RuleView } from '../../domain/signal.js';
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
import { unreadyFinding, type Candidate, type Finding } from './a2-unready.js';

const exitOf = (s: V1ContainerStatus | undefined): number | null =>
  typeof s?.state?.terminated?.exitCode === 'number' ? s.state.terminated.exitCode : null;
const oom = (s: V1ContainerStatus | undefined): boolean =>
  s?.state?.terminated?.reason === 'OOMKilled' || s?.lastState?.terminated?.reason === 'OOMKilled';

function findSilentFailure(pod: Pod, c: Correlation, view: RuleView): Finding | null {
  const {
    startupGraceSeconds: grace,
    restartThreshold,
    terminatedTooLongSeconds,
  } = view.config.alerts;
  const work = workContainerNames(pod, c.agent);
  const candidates: Candidate[] = work
    .map((name) => ({ name, status: statusOf(pod, name) }))
    .filter(({ status }) => !status?.state?.waiting && !oom(status));
  const dead = candidates.filter(({ status }) => (exitOf(status) ?? 0) !== 0);
  // Method 1 reads the agent container; methods 2–5 every work container.
  const m1 = dead.find(({ name }) => name === work[0]);
  if (m1) return { method: 'exit_code', ...m1 };
  const m23 = unreadyFinding(pod, candidates, view.now, grace);
  if (m23) return m23;
  const m4 = candidates.find(({ status }) => (status?.restartCount ?? 0) >= restartThreshold);
  if (m4) return { method: 'restart_count', ...m4 };
  const m5 = dead.find(({ status }) => {
    const age = secondsSince(status?.state?.terminated?.finishedAt, view.now);
    return age !== null && age > terminatedTooLongSeconds;
  });
  return m5 ? { method: 'terminated_duration', ...m5 } : null;
}

function describe(f: Finding, pod: string, sidecars: string[]): string {
  const code = exitOf(f.status);
  const alive =
    sidecars.length > 0
      ? ` (sidecar ${sidecars.map((s) => `"${s}"`).join(', ')} keeps it alive)`
      : '';
  switch (f.method) {
    case 'exit_code':
    case 'terminated_duration':
      return `Container "${f.name}" of ${pod} exited with code ${code} while the pod stays Running${alive}.`;
    case 'ready_status':
      return code !== null
        ? `Container "${f.name}" of ${pod} exited with code ${code} and is not ready while the pod stays Running${alive}.`
        : `Container "${f.name}" of ${pod} has been running unready past its start-up grace while the pod stays Running${alive}.`;
    case 'pod_condition':
      return `Pod ${pod} is Running but reports ${f.detail ?? 'unready containers'}; container "${f.name}" is not working.`;
    case 'restart_count':
      return `Container "${f.name}" of ${pod} restarted ${f.status?.restartCount ?? 0} times while the pod stays Running.`;
  }
}

export const a2SilentFailure: Rule = {
  id: 'A2',
  name: 'Silent agent failure',
  kinds: ['pod'],
  timeBased: true,
  evaluate(signal, view): AlertDraft[] {
    if (signal.kind !== 'pod' || isIgnored(signal.correlation)) return [];
    const pod = orEmpty(signal.pod);
    if (pod.status?.phase !== 'Running' || isTerminating(pod) || !nameOf(pod)) return [];
    const c = signal.correlation;
    const f = findSilentFailure(pod, c, view);
    if (!f) return [];
    const name = nameOf(pod);
    const ns = namespaceOf(pod);
    const running = sidecarNames(pod, c.agent).filter((s) => statusOf(pod, s)?.state?.running);
    const term = f.status?.state?.terminated;
    return [
      {
        ...draftBase(c, ns, workflowFamily(name), view.now),
        alert: 'A2',
        severity: 'critical',
        issueType: 'agent_failure',
        title: `Silent Failure: ${name}`,
        description: describe(f, name, running),
        evidence: [...podLines(pod), ...eventLines(view, 'Pod', ns, name)],
        context: {
          method: f.method,
          pod: name,
          container: f.name,
          phase: 'Running',
          exitCode: exitOf(f.status),
          reason: term?.reason ?? null,
          restartCount: f.status?.restartCount ?? 0,
          terminatedSeconds: term ? secondsSince(term.finishedAt, view.now) : null,
          sidecars: running.join(', ') || null,
          ...remediationContext(c),
        },
      },
    ];
  },
};
