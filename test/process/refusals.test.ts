// `healer serve` refuses, with one line and exit 1, a configuration that could let two replicas
// act at once, before it opens anything.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { kubeconfigYaml } from '../sim/kube/kubeconfig.js';
import { PROMPTS_DIR, tmpDir } from '../helpers/healer.js';
import { runHealer } from '../helpers/process.js';

function kubeconfigFile(url: string): string {
  const file = join(tmpDir(), 'kubeconfig');
  writeFileSync(file, kubeconfigYaml(url, 'sim-token'));
  return file;
}

void t.test('healer serve refuses, in one line, what could let two replicas act', async (t) => {
  const env = { HEALER_PROMPTS_DIR: PROMPTS_DIR, HEALER_PORT: '0', HEALER_HOST: '127.0.0.1' };
  const cases: [Record<string, string>, RegExp][] = [
    [
      { HEALER_STORE: 'sqlite:/tmp/never.db', HEALER_REPLICAS: '2' },
      /HEALER_REPLICAS: 2 replicas need the PostgreSQL store/,
    ],
    [
      { HEALER_STORE: 'postgres://healer@127.0.0.1:1/healer', HEALER_REPLICAS: '2' },
      /cannot start: HEALER_REPLICAS=2 needs a Kubernetes cluster for the leader Lease/,
    ],
    [
      {
        HEALER_STORE: 'postgres://healer@127.0.0.1:1/healer',
        KUBECONFIG: kubeconfigFile('http://127.0.0.1:1'),
      },
      /cannot start: leader election cannot reach the cluster for the Lease cto\/healer-leader/,
    ],
  ];
  // in parallel: each is a whole `healer serve` start
  const results = await Promise.all(
    cases.map(([extra]) => runHealer(['serve'], { ...env, ...extra })),
  );
  for (const [i, [extra, why]] of cases.entries()) {
    const r = results[i];
    t.equal(r.code, 1, `exit 1: ${Object.values(extra).join(' ')}`);
    const lines = r.stderr.trim().split('\n');
    t.equal(lines.length, 1, `one line: ${r.stderr}`);
    t.match(lines[0], why);
  }
});
