import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';

const SA_TOKEN = '/var/run/secrets/kubernetes.io/serviceaccount/token';

export type KubeAccess = { kc: KubeConfig; source: string } | { kc: null; reason: string };

/**
 * Finds cluster credentials the way kubectl does: KUBECONFIG, then ~/.kube/config, then the
 * in-cluster service account. Never throws: no credentials means watching is off.
 */
export function loadKubeAccess(env: {
  KUBECONFIG?: string | undefined;
  HOME?: string | undefined;
  KUBERNETES_SERVICE_HOST?: string | undefined;
}): KubeAccess {
  try {
    const files = (env.KUBECONFIG ?? '').split(':').filter((f) => f && existsSync(f));
    const home = env.HOME ? join(env.HOME, '.kube', 'config') : undefined;
    const file = files[0] ?? (home && existsSync(home) ? home : undefined);
    if (file) {
      const kc = new KubeConfig();
      kc.loadFromFile(file);
      if (!kc.getCurrentCluster())
        return { kc: null, reason: `kubeconfig ${file} has no current cluster` };
      return { kc, source: `kubeconfig ${file} (context ${kc.getCurrentContext()})` };
    }
    if (env.KUBERNETES_SERVICE_HOST && existsSync(SA_TOKEN)) {
      const kc = new KubeConfig();
      kc.loadFromCluster();
      return { kc, source: 'in-cluster service account' };
    }
    return { kc: null, reason: 'no kubeconfig and no in-cluster credentials' };
  } catch (err) {
    return {
      kc: null,
      reason: `cluster credentials unusable: ${err instanceof Error ? err.message : String(err)}`,
    };
  }
}
