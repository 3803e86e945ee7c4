// A kubeconfig pointing at the simulator: cluster `sim`, a token user, context `sim` in namespace cto.
import { stringify } from 'yaml';

export function kubeconfigYaml(url: string, token: string, namespace = 'cto'): string {
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'sim', cluster: { server: url, 'insecure-skip-tls-verify': true } }],
    users: [{ name: 'sim-user', user: { token } }],
    contexts: [{ name: 'sim', context: { cluster: 'sim', user: 'sim-user', namespace } }],
    'current-context': 'sim',
    preferences: {},
  });
}
