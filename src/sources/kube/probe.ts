import { VersionApi, type KubeConfig } from '@kubernetes/client-node';

/** Asks the API server for its version, with a deadline; resolves to a readable outcome. */
export async function probeApiServer(
  kc: KubeConfig,
  timeoutMs = 3000,
): Promise<{ ok: boolean; detail: string }> {
  const server = kc.getCurrentCluster()?.server ?? 'unknown server';
  let timer: NodeJS.Timeout | undefined;
  try {
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
    });
    const v = await Promise.race([kc.makeApiClient(VersionApi).getCode(), deadline]);
    return { ok: true, detail: `API server ${server} reachable (Kubernetes ${v.gitVersion})` };
  } catch (err) {
    return {
      ok: false,
      detail: `cannot reach API server ${server}: ${err instanceof Error ? err.message : String(err)}`,
    };
  } finally {
    clearTimeout(timer);
  }
}
