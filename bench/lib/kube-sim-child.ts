// The simulated API server in a process of its own, for `bench/detection-latency.ts --sim process`:
// Healer's process then holds only Healer (and the benchmark's bookkeeping), and the simulator's
// serialising runs on the other core. Driven over the IPC channel (see `ToSim` / `FromSim`).
import { startKubeSim } from '../../test/sim/kube/index.js';
import { epochNow, failPod, seedPods, type FromSim, type ToSim } from './pod-world.js';

const send = (m: FromSim) => process.send?.(m);
const historyLimit = Number(process.env.BENCH_SIM_HISTORY ?? 50_000);
const sim = await startKubeSim({ bookmarkIntervalMs: 30_000, historyLimit });
let sessions = 1;
let t0 = new Date().toISOString();

process.on('message', (m: ToSim) => {
  switch (m.type) {
    case 'seed':
      ({ sessions, t0 } = m);
      seedPods(sim, m.sessions, m.pods, m.t0);
      send({ type: 'seeded' });
      break;
    case 'fail': {
      const at = epochNow();
      failPod(sim, m.i, sessions, t0);
      send({ type: 'failed', i: m.i, at });
      break;
    }
    case 'memory': {
      const mem = process.memoryUsage();
      send({
        type: 'memory',
        rssMb: Math.round(mem.rss / 2 ** 20),
        heapMb: Math.round(mem.heapUsed / 2 ** 20),
      });
      break;
    }
    case 'close':
      void sim.close().then(() => {
        send({ type: 'closed' });
        process.disconnect();
      });
      break;
  }
});
send({ type: 'ready', kubeconfig: sim.kubeconfigYaml() });
