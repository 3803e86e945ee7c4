import { hostname } from 'node:os';

/**
 * A replica's identity in the Lease: the pod name from the downward API, else HOSTNAME (a pod's
 * host name is its name), else the host name with the process id, so two replicas started on one
 * machine are distinct.
 */
export function replicaIdentity(
  env: { POD_NAME?: string | undefined; HOSTNAME?: string | undefined },
  host: string = hostname(),
  pid: number = process.pid,
): string {
  const pod = env.POD_NAME?.trim();
  if (pod) return pod;
  const name = env.HOSTNAME?.trim();
  if (name) return name;
  return `${host}-${pid}`;
}
