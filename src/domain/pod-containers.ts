/**
 * Which container of a pod does the work and which are sidecars (detection.md §3.1). Shared by
 * correlation and the pod rules. Tolerates odd objects: missing arrays read as empty.
 */
import type { V1Container, V1ContainerStatus } from '@kubernetes/client-node';
import type { Pod } from './kube.js';
import { normaliseAgent } from './stages.js';

/** Container names that are always helpers, never the agent. */
export const KNOWN_SIDECARS: readonly string[] = [
  'docker-daemon',
  'dind',
  'docker',
  'docker-dind',
  'buildkitd',
  'istio-proxy',
  'linkerd-proxy',
  'envoy',
  'tools',
  'tools-server',
  'cto-tools',
  'wait', // Argo's executor sidecar next to `main`
  'vault-agent',
  'cloud-sql-proxy',
  'oauth2-proxy',
  'fluent-bit',
  'fluentd',
  'promtail',
  'otel-collector',
];

/** Name shapes of helpers: `mcp-github`, `istio-…`, `linkerd-…`, `vault-agent-…`, `…-sidecar`. */
const SIDECAR_SHAPES: readonly RegExp[] = [
  /^mcp-/,
  /^istio-/,
  /^linkerd-/,
  /^vault-agent/,
  /^otel-/,
  /-sidecar$/,
];

export function isSidecarName(name: string): boolean {
  const n = name.toLowerCase();
  return KNOWN_SIDECARS.includes(n) || SIDECAR_SHAPES.some((r) => r.test(n));
}

const arr = <T>(v: unknown): T[] => (Array.isArray(v) ? (v as T[]) : []);
const nameOf = (c: unknown): string =>
  typeof (c as { name?: unknown } | null)?.name === 'string' ? (c as { name: string }).name : '';

export const specContainers = (pod: Pod): V1Container[] => arr<V1Container>(pod?.spec?.containers);
export const specInitContainers = (pod: Pod): V1Container[] =>
  arr<V1Container>(pod?.spec?.initContainers);
export const containerStatuses = (pod: Pod): V1ContainerStatus[] =>
  arr<V1ContainerStatus>(pod?.status?.containerStatuses).filter((s) => s != null);
export const initContainerStatuses = (pod: Pod): V1ContainerStatus[] =>
  arr<V1ContainerStatus>(pod?.status?.initContainerStatuses).filter((s) => s != null);

/** Init containers with `restartPolicy: Always`: Kubernetes' native sidecars. */
export function nativeSidecarNames(pod: Pod): Set<string> {
  return new Set(
    specInitContainers(pod)
      .filter((c) => c?.restartPolicy === 'Always')
      .map(nameOf),
  );
}

/** Names of the regular containers (spec first, else status). */
export function regularContainerNames(pod: Pod): string[] {
  const fromSpec = specContainers(pod).map(nameOf).filter(Boolean);
  return fromSpec.length > 0 ? fromSpec : containerStatuses(pod).map(nameOf).filter(Boolean);
}

/** A container named after the agent: `rex`, `5DLabs-Rex`, `rex-agent`. */
export function isNamedAfter(container: string, agent: string | null): boolean {
  if (!agent) return false;
  const a = normaliseAgent(agent);
  const c = normaliseAgent(container);
  return a !== '' && (c === a || c.split('-').includes(a));
}

/**
 * The containers that do the work, agent container first: the container named after the agent,
 * then the regular containers that are not sidecars. A pod whose containers all look like
 * sidecars has no sidecars (its containers are the workload).
 */
export function workContainerNames(pod: Pod, agent: string | null): string[] {
  const names = regularContainerNames(pod);
  const named = names.filter((n) => isNamedAfter(n, agent));
  const work = names.filter((n) => !isSidecarName(n) && !named.includes(n));
  const all = [...named, ...work];
  return all.length > 0 ? all : names;
}

/** The agent container: named after the agent, else the first non-sidecar container. */
export function agentContainerName(pod: Pod, agent: string | null): string | null {
  return workContainerNames(pod, agent)[0] ?? null;
}

/** Regular and native sidecars of the pod (everything that is not a work container). */
export function sidecarNames(pod: Pod, agent: string | null): string[] {
  const work = new Set(workContainerNames(pod, agent));
  return [...regularContainerNames(pod).filter((n) => !work.has(n)), ...nativeSidecarNames(pod)];
}

export function statusOf(pod: Pod, name: string): V1ContainerStatus | undefined {
  return [...containerStatuses(pod), ...initContainerStatuses(pod)].find((s) => s.name === name);
}
