/**
 * Eviction for a resource (issue #18, point 1): the kubelet evicted the pod because it, or its
 * node, ran out of ephemeral storage (or memory, or PIDs). The pod ends `Failed` with reason
 * `Evicted` and the kubelet's message names the resource; the cause is the resource, so this is a
 * `resource` incident (A7 leaves these pods to it: one incident per eviction, not two).
 *
 * The kubelet's messages (pkg/kubelet/eviction/helpers.go):
 *   `Pod ephemeral local storage usage exceeds the total limit of containers 2Gi. `
 *   `Container agent exceeded its local ephemeral storage limit "1Gi". `
 *   `Usage of EmptyDir volume "workspace" exceeds the limit "10Gi". `
 *   `The node was low on resource: ephemeral-storage. Threshold quantity: …, available: …. `
 * and, when the kubelet refuses a pod at admission: `The node had condition: [DiskPressure]. `
 */
import type { AlertDraft } from '../../domain/alert.js';
import type { Pod } from '../../domain/kube.js';
import { workflowFamily } from '../../domain/workflow-family.js';
import type { Rule } from '../rule.js';
import { draftBase, isIgnored, isTerminating, nameOf, namespaceOf, orEmpty } from './draft-base.js';
import { eventLines, podLines } from './evidence.js';

export interface Eviction {
  /** The resource the kubelet ran out of: `ephemeral-storage`, `memory`, `pid`, … */
  resource: string;
  /** Whether the pod's own limit was exceeded (else the node ran low). */
  overLimit: boolean;
  message: string;
}

const LIMIT_PATTERNS: readonly RegExp[] = [
  /ephemeral local storage usage exceeds the total limit/i,
  /exceeded its local ephemeral storage limit/i,
  /Usage of EmptyDir volume .* exceeds the limit/i,
];

const CONDITION_RESOURCE: Record<string, string> = {
  DiskPressure: 'ephemeral-storage',
  MemoryPressure: 'memory',
  PIDPressure: 'pid',
};

/** The eviction of a `Failed`/`Evicted` pod for a resource, or null (any other failure). */
export function evictionOf(pod: Pod): Eviction | null {
  const s = pod.status;
  if (s?.phase !== 'Failed' || s.reason !== 'Evicted') return null;
  const message = typeof s.message === 'string' ? s.message.trim() : '';
  if (LIMIT_PATTERNS.some((p) => p.test(message)))
    return { resource: 'ephemeral-storage', overLimit: true, message };
  const low = /low on resource: ([a-z-]+)/i.exec(message);
  if (low) return { resource: low[1], overLimit: false, message };
  const condition = /node had condition: \[(\w+)\]/i.exec(message);
  const resource = condition && CONDITION_RESOURCE[condition[1]];
  return resource ? { resource, overLimit: false, message } : null;
}

export const resourceEviction: Rule = {
  id: 'resource',
  name: 'Evicted for a resource',
  kinds: ['pod'],
  timeBased: false,
  evaluate(signal, view): AlertDraft[] {
    if (signal.kind !== 'pod' || isIgnored(signal.correlation)) return [];
    const pod = orEmpty(signal.pod);
    const eviction = evictionOf(pod);
    if (!eviction || isTerminating(pod) || !nameOf(pod)) return [];
    const name = nameOf(pod);
    const ns = namespaceOf(pod);
    const why = eviction.overLimit
      ? `it went over its ${eviction.resource} limit`
      : `its node ran low on ${eviction.resource}`;
    return [
      {
        ...draftBase(signal.correlation, ns, workflowFamily(name), view.now),
        alert: 'resource',
        severity: 'high',
        issueType: 'agent_error',
        title: `Evicted: ${name} (${eviction.resource})`,
        description: `Pod ${name} was evicted by the kubelet: ${why}.`,
        evidence: [
          `kubelet: ${eviction.message}`,
          ...podLines(pod),
          ...eventLines(view, 'Pod', ns, name),
        ],
        context: {
          kind: 'eviction',
          pod: name,
          resource: eviction.resource,
          overLimit: eviction.overLimit,
          node: pod.spec?.nodeName ?? null,
        },
      },
    ];
  },
};
