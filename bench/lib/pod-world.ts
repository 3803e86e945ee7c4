// The detection-latency world, shared by the in-process run and the simulator child process:
// healthy agent pods (an agent container and a docker-daemon sidecar, 20 per Play by default)
// and the silent failure that turns one of them (agent exits 1, the sidecar keeps it Running).
import type { KubeSim } from '../../test/sim/kube/index.js';

type Sim = Pick<KubeSim, 'create' | 'patchStatus'>;

const running = (t0: string) => ({ running: { startedAt: t0 } });

export function podStatus(t0: string, state: Record<string, unknown>) {
  return {
    phase: 'Running',
    startTime: t0,
    containerStatuses: [
      {
        name: 'claude',
        image: 'claude:1',
        imageID: '',
        ready: 'running' in state,
        restartCount: 0,
        started: true,
        state,
      },
      {
        name: 'docker-daemon',
        image: 'dind:1',
        imageID: '',
        ready: true,
        restartCount: 0,
        started: true,
        state: running(t0),
      },
    ],
  };
}

export const playOf = (i: number, sessions: number): string => `play-${i % sessions}`;
export const podName = (i: number, sessions: number): string => `${playOf(i, sessions)}-rex-p${i}`;

/** `pods` healthy agent pods spread over `sessions` Plays, their containers started at `t0`. */
export function seedPods(sim: Sim, sessions: number, pods: number, t0: string): void {
  for (let i = 0; i < pods; i++) {
    const play = playOf(i, sessions);
    sim.create(
      {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: {
          name: podName(i, sessions),
          namespace: 'cto',
          labels: {
            'agents.platform/agent': 'rex',
            'task-id': String(i % sessions),
            'workflows.argoproj.io/workflow': play,
          },
        },
        spec: {
          containers: [
            { name: 'claude', image: 'claude:1' },
            { name: 'docker-daemon', image: 'dind:1' },
          ],
        },
        status: podStatus(t0, running(t0)),
      },
      { keepStatus: true },
    );
  }
}

/** The agent container of pod `i` exits 1; the sidecar keeps the pod Running (a silent failure). */
export function failPod(sim: Sim, i: number, sessions: number, t0: string): void {
  sim.patchStatus('v1', 'Pod', 'cto', podName(i, sessions), {
    status: podStatus(t0, {
      terminated: {
        exitCode: 1,
        reason: 'Error',
        startedAt: t0,
        finishedAt: new Date().toISOString(),
      },
    }),
  });
}

/** A wall-clock time in ms with sub-millisecond resolution, comparable across processes. */
export const epochNow = (): number => performance.timeOrigin + performance.now();

/** Messages between the benchmark and its simulator child (`--sim process`). */
export type ToSim =
  | { type: 'seed'; sessions: number; pods: number; t0: string }
  | { type: 'fail'; i: number }
  | { type: 'memory' }
  | { type: 'close' };
export type FromSim =
  | { type: 'ready'; kubeconfig: string }
  | { type: 'seeded' }
  | { type: 'failed'; i: number; at: number }
  | { type: 'memory'; rssMb: number; heapMb: number }
  | { type: 'closed' };
