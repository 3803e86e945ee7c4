// Running the `healer` command line in process against the simulated world.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { main } from '../../src/cli/index.js';
import { containerStatus } from '../helpers/pods.js';
import type { KubeSim } from '../sim/kube/index.js';

export interface CliRun {
  code: number;
  out: string;
  err: string;
  /** stdout as JSON lines. */
  json: Array<Record<string, unknown>>;
}

export async function cli(
  argv: string[],
  env: Record<string, string | undefined>,
): Promise<CliRun> {
  const out = new PassThrough();
  const err = new PassThrough();
  let o = '';
  let e = '';
  out.on('data', (d: Buffer) => (o += d.toString()));
  err.on('data', (d: Buffer) => (e += d.toString()));
  const code = await main(argv, { out, err }, env);
  return {
    code,
    out: o,
    err: e,
    get json() {
      return o
        .split('\n')
        .filter((l) => l.trim())
        .map((l) => JSON.parse(l) as Record<string, unknown>);
    },
  };
}

export const tempDir = (prefix = 'healer-cli-') => mkdtempSync(join(tmpdir(), prefix));

/** An agent pod of a Play whose `claude` container crash-loops (A7), with current and previous logs. */
export function crashLoopPod(
  kube: KubeSim,
  o: { name: string; playId: string; agent?: string; taskId?: string; namespace?: string },
): void {
  const ns = o.namespace ?? 'cto';
  const agent = o.agent ?? 'rex';
  const started = new Date(Date.now() - 10 * 60_000).toISOString();
  kube.create({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: o.name,
      namespace: ns,
      labels: {
        'agents.platform/agent': agent,
        'task-id': o.taskId ?? '4',
        'workflows.argoproj.io/workflow': o.playId,
      },
    },
    spec: { containers: [{ name: 'claude', image: 'claude:1' }], restartPolicy: 'Always' },
  });
  kube.appendLog(ns, o.name, 'claude', 'starting agent', new Date(Date.now() - 120_000));
  kube.appendLog(
    ns,
    o.name,
    'claude',
    'fatal: Authentication failed for repository',
    new Date(Date.now() - 110_000),
  );
  kube.restartContainer(ns, o.name, 'claude');
  kube.appendLog(ns, o.name, 'claude', 'starting agent again', new Date(Date.now() - 60_000));
  kube.patchStatus('v1', 'Pod', ns, o.name, {
    status: {
      phase: 'Running',
      startTime: started,
      containerStatuses: [
        containerStatus(
          'claude',
          {
            waiting: {
              reason: 'CrashLoopBackOff',
              message: 'back-off 40s restarting failed container=claude',
            },
          },
          {
            restartCount: 5,
            lastState: {
              terminated: { exitCode: 1, reason: 'Error', startedAt: started, finishedAt: started },
            },
          },
        ),
      ],
    },
  });
  kube.create({
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { name: `${o.name}.backoff`, namespace: ns },
    involvedObject: { kind: 'Pod', name: o.name, namespace: ns, apiVersion: 'v1' },
    reason: 'BackOff',
    message: 'Back-off restarting failed container claude',
    type: 'Warning',
    source: { component: 'kubelet' },
    count: 5,
    firstTimestamp: started,
    lastTimestamp: new Date().toISOString(),
  });
}

/** Writes a Workflow's phase (and status) as Argo's controller does. */
export function setWorkflowPhase(
  kube: KubeSim,
  ns: string,
  name: string,
  phase: string,
  message?: string,
): void {
  kube.patchMerge('argoproj.io/v1alpha1', 'workflows', ns, name, {
    metadata: { labels: { 'workflows.argoproj.io/phase': phase } },
    status: { phase, startedAt: new Date().toISOString(), ...(message ? { message } : {}) },
  });
}
