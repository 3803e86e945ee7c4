// The simulated world on loopback: Kubernetes API server, Loki and GitHub, sharing one clock
// that the Play simulator pins while a step runs, plus a small control server so a player in
// another process (`npm run sim -- --scenario …`) can do the same. See README.md.
import { mkdtemp, mkdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { startGitHubSim } from './github/index.js';
import type { GitHubSim } from './github/index.js';
import { startKubeSim } from './kube/index.js';
import type { KubeSim } from './kube/index.js';
import { startLokiSim } from './loki/index.js';
import type { LokiSim } from './loki/index.js';
import { WorldClock } from './play/clock.js';
import { inProcessControl, startControlServer } from './play/control.js';
import type { ControlServer, WorldControl } from './play/control.js';
import type { PlayTarget } from './play/runner.js';

export interface SimWorldOptions {
  host?: string;
  /** Ports (0 = a free one, the default). */
  kubePort?: number;
  lokiPort?: number;
  githubPort?: number;
  /** The control server's port; false = no control server (in-process players need none). */
  controlPort?: number | false;
  /** Where to write the kubeconfig; default a temporary file removed by close(). */
  kubeconfigPath?: string;
  /** Namespaces besides the simulator's defaults (which include `cto`). */
  namespaces?: string[];
}

export interface SimWorld extends PlayTarget {
  kube: KubeSim;
  loki: LokiSim;
  github: GitHubSim;
  /** Real time, pinned to a step's time while the step runs. */
  clock: WorldClock;
  control: WorldControl;
  urls: { kube: string; loki: string; github: string; control: string | null };
  kubeconfigPath: string;
  close(): Promise<void>;
}

export async function startSimWorld(opts: SimWorldOptions = {}): Promise<SimWorld> {
  const host = opts.host ?? '127.0.0.1';
  const clock = new WorldClock();
  const now = () => clock.now();
  const [kube, loki, github] = await Promise.all([
    startKubeSim({ host, port: opts.kubePort ?? 0, now, namespaces: opts.namespaces }),
    startLokiSim({ host, port: opts.lokiPort ?? 0 }),
    startGitHubSim({ host, port: opts.githubPort ?? 0, clock: now }),
  ]);
  const control = inProcessControl(kube, clock);
  let tmp: string | null = null;
  let kubeconfigPath: string;
  if (opts.kubeconfigPath) {
    kubeconfigPath = resolve(opts.kubeconfigPath);
    await mkdir(dirname(kubeconfigPath), { recursive: true });
  } else {
    tmp = await mkdtemp(join(tmpdir(), 'sim-world-'));
    kubeconfigPath = join(tmp, 'kubeconfig');
  }
  await kube.writeKubeconfig(kubeconfigPath);
  let server: ControlServer | null = null;
  if (opts.controlPort !== false) {
    server = await startControlServer(
      control,
      { kube: kube.url, loki: loki.url, github: github.url, kubeconfig: kubeconfigPath },
      { host, port: opts.controlPort ?? 0 },
    );
  }
  let closed: Promise<void> | null = null;
  return {
    kube,
    loki,
    github,
    clock,
    control,
    urls: { kube: kube.url, loki: loki.url, github: github.url, control: server?.url ?? null },
    kubeconfigPath,
    close() {
      closed ??= (async () => {
        await server?.close();
        await Promise.all([kube.close(), loki.close(), github.close()]);
        if (tmp) await rm(tmp, { recursive: true, force: true });
      })();
      return closed;
    },
  };
}
