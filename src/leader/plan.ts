// How this replica decides who runs the background work: alone (one replica, or no shared store),
// or by electing a leader on a Lease. A combination that could let two replicas act at once is
// refused with a one-line reason before anything starts.
import { readFileSync } from 'node:fs';
import type { KubeConfig } from '@kubernetes/client-node';
import type { KubeAccess } from '../sources/kube/kubeconfig.js';
import { replicaIdentity } from './identity.js';

export const DEFAULT_LEASE_NAME = 'healer-leader';
const SA_NAMESPACE_FILE = '/var/run/secrets/kubernetes.io/serviceaccount/namespace';

export type LeadershipPlan =
  | { mode: 'alone'; identity: string; why: string }
  | {
      mode: 'lease';
      identity: string;
      kc: KubeConfig;
      lease: { name: string; namespace: string };
    }
  | { mode: 'refuse'; reason: string };

/** What the plan reads of the configuration. */
export interface LeadershipConfig {
  env: {
    HEALER_REPLICAS: number;
    HEALER_LEADER_LEASE?: string | undefined;
    HEALER_LEADER_NAMESPACE?: string | undefined;
    POD_NAME?: string | undefined;
    HOSTNAME?: string | undefined;
  };
  store: { kind: string };
  namespaces: readonly string[];
}

/** The namespace of the Lease: HEALER_LEADER_NAMESPACE, else the pod's own, else the first watched. */
function leaseNamespace(config: LeadershipConfig, podNamespace: () => string | undefined): string {
  return config.env.HEALER_LEADER_NAMESPACE ?? podNamespace() ?? config.namespaces[0] ?? 'default';
}

function readPodNamespace(): string | undefined {
  try {
    return readFileSync(SA_NAMESPACE_FILE, 'utf8').trim() || undefined;
  } catch {
    return undefined;
  }
}

/**
 * - more than one replica needs PostgreSQL (checked with the configuration) and a cluster for the
 *   Lease: without one, refused;
 * - a Lease named explicitly (HEALER_LEADER_LEASE) without a cluster: refused;
 * - PostgreSQL with a cluster: elect on the Lease (also with one replica: a rolling update runs two);
 * - otherwise (SQLite, memory, or PostgreSQL on a machine without a cluster): this one process leads.
 */
export function planLeadership(
  config: LeadershipConfig,
  kube: KubeAccess,
  podNamespace: () => string | undefined = readPodNamespace,
): LeadershipPlan {
  const { env } = config;
  const identity = replicaIdentity(env);
  const replicas = env.HEALER_REPLICAS;
  if (config.store.kind !== 'postgres') {
    if (replicas > 1)
      return {
        mode: 'refuse',
        reason: `HEALER_REPLICAS=${replicas} needs the PostgreSQL store (HEALER_STORE=postgres://…); ${config.store.kind} is one process's store`,
      };
    return { mode: 'alone', identity, why: `${config.store.kind} store: one replica` };
  }
  if (!kube.kc) {
    if (replicas > 1)
      return {
        mode: 'refuse',
        reason: `HEALER_REPLICAS=${replicas} needs a Kubernetes cluster for the leader Lease, and there is none (${kube.reason})`,
      };
    if (env.HEALER_LEADER_LEASE)
      return {
        mode: 'refuse',
        reason: `HEALER_LEADER_LEASE=${env.HEALER_LEADER_LEASE} asks for leader election, but there is no Kubernetes cluster (${kube.reason})`,
      };
    return { mode: 'alone', identity, why: 'no cluster: one replica leads alone' };
  }
  return {
    mode: 'lease',
    identity,
    kc: kube.kc,
    lease: {
      name: env.HEALER_LEADER_LEASE ?? DEFAULT_LEASE_NAME,
      namespace: leaseNamespace(config, podNamespace),
    },
  };
}
