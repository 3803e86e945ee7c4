// Reads a played scenario's Kubernetes objects back through @kubernetes/client-node and
// compares them with the expected world: phases, labels, container states, times, pod logs
// (current and previous instance) and events.
import { ApiException, CoreV1Api, CustomObjectsApi, KubeConfig } from '@kubernetes/client-node';
import type { ExpectedContainer, ExpectedWorld, Line } from './expected.js';

/** Kubernetes times have seconds: the expected time, truncated. */
const secs = (ms: number) => Math.floor(ms / 1000) * 1000;
const iso = (ms: number) => new Date(ms).toISOString();

async function orNotFound<T>(p: Promise<T>): Promise<T | null> {
  try {
    return await p;
  } catch (e) {
    if (e instanceof ApiException && e.code === 404) return null;
    throw e;
  }
}

/** `2025-01-01T00:00:00.123Z text` lines of `?timestamps=true`. */
function parseLog(text: string): Line[] {
  return text
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => {
      const i = l.indexOf(' ');
      return { time: Date.parse(l.slice(0, i)), text: l.slice(i + 1) };
    });
}

function sameLines(what: string, actual: Line[], expected: Line[], out: string[]) {
  const a = actual.map((l) => `${iso(l.time)} ${l.text}`);
  const e = expected.map((l) => `${iso(l.time)} ${l.text}`);
  if (JSON.stringify(a) !== JSON.stringify(e))
    out.push(
      `${what}: got ${a.length} lines ${JSON.stringify(a.slice(0, 3))}…, expected ${e.length} ${JSON.stringify(e.slice(0, 3))}…`,
    );
}

function checkTime(what: string, actual: unknown, expected: number | undefined, out: string[]) {
  if (expected === undefined) return;
  const got =
    actual instanceof Date
      ? actual.getTime()
      : typeof actual === 'string'
        ? Date.parse(actual)
        : NaN;
  if (got !== secs(expected))
    out.push(
      `${what}: ${String(actual instanceof Date ? actual.toISOString() : actual)}, expected ${iso(secs(expected))}`,
    );
}

function checkContainer(
  what: string,
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- typed V1ContainerStatus, read loosely
  status: any,
  c: ExpectedContainer,
  out: string[],
) {
  if (!status) return void out.push(`${what}: no container status`);
  const state = status.state ?? {};
  const kind = Object.keys(state).find((k) => state[k]);
  if (kind !== c.kind) out.push(`${what}: state ${kind}, expected ${c.kind}`);
  const detail = state[c.kind] ?? {};
  if (c.reason !== undefined && detail.reason !== c.reason)
    out.push(`${what}: reason ${detail.reason}, expected ${c.reason}`);
  if (c.exitCode !== undefined && detail.exitCode !== c.exitCode)
    out.push(`${what}: exitCode ${detail.exitCode}, expected ${c.exitCode}`);
  if (status.restartCount !== c.restartCount)
    out.push(`${what}: restartCount ${status.restartCount}, expected ${c.restartCount}`);
  if (c.kind === 'running') checkTime(`${what} startedAt`, detail.startedAt, c.startedAt, out);
}

export async function verifyKube(kubeconfigPath: string, w: ExpectedWorld): Promise<string[]> {
  const kc = new KubeConfig();
  kc.loadFromFile(kubeconfigPath);
  const core = kc.makeApiClient(CoreV1Api);
  const custom = kc.makeApiClient(CustomObjectsApi);
  const namespace = w.namespace;
  const out: string[] = [];

  if (w.workflow) {
    const wf = (await orNotFound(
      custom.getNamespacedCustomObject({
        group: 'argoproj.io',
        version: 'v1alpha1',
        namespace,
        plural: 'workflows',
        name: w.workflow.name,
      }),
    )) as { metadata: { creationTimestamp: string }; status?: { phase?: string } } | null;
    if (!wf) out.push(`workflow ${w.workflow.name}: not found`);
    else {
      if ((wf.status?.phase ?? 'Pending') !== w.workflow.phase)
        out.push(
          `workflow ${w.workflow.name}: phase ${wf.status?.phase}, expected ${w.workflow.phase}`,
        );
      checkTime(
        `workflow ${w.workflow.name} creationTimestamp`,
        wf.metadata.creationTimestamp,
        w.workflow.createdAt,
        out,
      );
    }
  }

  for (const cr of w.coderuns) {
    const what = `coderun ${cr.ref} (${cr.name})`;
    const got = (await orNotFound(
      custom.getNamespacedCustomObject({
        group: 'agents.platform',
        version: 'v1',
        namespace,
        plural: 'coderuns',
        name: cr.name,
      }),
    )) as {
      metadata: { creationTimestamp: string; labels?: Record<string, string> };
      spec: { taskId?: unknown };
      status?: Record<string, string>;
    } | null;
    if (cr.deleted) {
      if (got) out.push(`${what}: still exists after delete`);
      continue;
    }
    if (!got) {
      out.push(`${what}: not found`);
      continue;
    }
    if ((got.status?.phase ?? '') !== cr.phase)
      out.push(`${what}: phase "${got.status?.phase ?? ''}", expected "${cr.phase}"`);
    if (got.metadata.labels?.['agents.platform/agent'] !== cr.agent)
      out.push(`${what}: agent label ${got.metadata.labels?.['agents.platform/agent']}`);
    if (got.metadata.labels?.['task-id'] !== cr.task)
      out.push(`${what}: task-id label ${got.metadata.labels?.['task-id']}`);
    if (typeof got.spec.taskId !== 'number') out.push(`${what}: spec.taskId is not an integer`);
    checkTime(`${what} creationTimestamp`, got.metadata.creationTimestamp, cr.createdAt, out);
    checkTime(`${what} status.startedAt`, got.status?.startedAt, cr.startedAt, out);
    checkTime(`${what} status.finishedAt`, got.status?.finishedAt, cr.finishedAt, out);
  }

  for (const pod of w.pods) {
    const what = `pod ${pod.ref} (${pod.name})`;
    const got = await orNotFound(core.readNamespacedPod({ name: pod.name, namespace }));
    if (pod.deleted) {
      if (got) out.push(`${what}: still exists after delete`);
      continue;
    }
    if (!got) {
      out.push(`${what}: not found`);
      continue;
    }
    if (got.status?.phase !== pod.phase)
      out.push(`${what}: phase ${got.status?.phase}, expected ${pod.phase}`);
    for (const [k, v] of Object.entries(pod.labels))
      if (got.metadata?.labels?.[k] !== v)
        out.push(`${what}: label ${k}=${got.metadata?.labels?.[k]}, expected ${v}`);
    checkTime(`${what} creationTimestamp`, got.metadata?.creationTimestamp, pod.createdAt, out);
    for (const [name, c] of pod.containers) {
      const status = got.status?.containerStatuses?.find((s) => s.name === name);
      checkContainer(`${what} container ${name}`, status, c, out);
      if (c.current.length > 0) {
        const log = await core.readNamespacedPodLog({
          name: pod.name,
          namespace,
          container: name,
          timestamps: true,
        });
        sameLines(`${what} log of ${name}`, parseLog(log), c.current, out);
      }
      if (c.previous && c.previous.length > 0) {
        const log = await core.readNamespacedPodLog({
          name: pod.name,
          namespace,
          container: name,
          timestamps: true,
          previous: true,
        });
        sameLines(`${what} previous log of ${name}`, parseLog(log), c.previous, out);
      }
    }
  }

  const byObject = new Map<string, { reason?: string; message?: string }[]>();
  for (const e of w.events) {
    if (!byObject.has(e.object)) {
      const list = await core.listNamespacedEvent({
        namespace,
        fieldSelector: `involvedObject.name=${e.object}`,
      });
      byObject.set(e.object, list.items);
    }
    if (!byObject.get(e.object)!.some((x) => x.reason === e.reason && x.message === e.message))
      out.push(`event ${e.reason} on ${e.object}: not found`);
  }
  return out;
}
