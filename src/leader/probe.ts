import { ApiException, CoordinationV1Api, type KubeConfig } from '@kubernetes/client-node';

/**
 * One read of the leader Lease before the replica starts: null when the API server answers
 * (a missing Lease is fine: the first candidate creates it), else a one-line reason — the cluster
 * cannot be reached, or this service account may not read Leases — so a replica that could never
 * lead says so at once instead of following forever.
 */
export async function probeLease(
  kc: KubeConfig,
  lease: { name: string; namespace: string },
  timeoutMs = 10_000,
): Promise<string | null> {
  const api = kc.makeApiClient(CoordinationV1Api);
  const where = `Lease ${lease.namespace}/${lease.name} on ${kc.getCurrentCluster()?.server ?? 'the cluster'}`;
  try {
    await Promise.race([
      api.readNamespacedLease(lease),
      new Promise((_, reject) =>
        setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs).unref(),
      ),
    ]);
    return null;
  } catch (err) {
    if (err instanceof ApiException) {
      if (err.code === 404) return null;
      if (err.code === 401 || err.code === 403)
        return `leader election needs to read and write the ${where}, and the API server answered ${err.code} (RBAC for leases missing?)`;
      return `leader election cannot read the ${where}: HTTP ${err.code}`;
    }
    const msg = err instanceof Error ? err.message : String(err);
    return `leader election cannot reach the cluster for the ${where}: ${msg}`;
  }
}
