/**
 * Resource pressure before failure (issue #18): every pass reads container usage from the metrics
 * API (`metrics.k8s.io/v1beta1` PodMetrics of the watched namespaces) and node conditions, keeps a
 * short window of samples per container, and reports a container that stays near its memory limit
 * or whose trend reaches it soon, and a node under agent pods that reports pressure. Without the
 * metrics API the usage checks are said off once; node conditions are still read.
 */
import {
  ApiException,
  CoreV1Api,
  type KubeConfig,
  type PodMetricsList,
} from '@kubernetes/client-node';
import type { Logger } from 'pino';
import type { AlertDraft } from '../../domain/alert.js';
import type { Pod } from '../../domain/kube.js';
import { parseQuantity } from '../../domain/quantity.js';
import {
  memoryPressure,
  nodePressures,
  type PressureThresholds,
  type UsageSample,
} from '../../detectors/resources/pressure.js';
import { KubeHttpError, kubeGetJson, withDeadline } from '../kube/kube-http.js';

/** Who a pod belongs to (the pipeline's correlation); null = not an agent pod (ignored). */
export interface PodOwner {
  playId: string | null;
  taskId: string | null;
  agent: string | null;
}

export interface MetricsSamplerOptions {
  kc: KubeConfig;
  logger: Logger;
  now: () => Date;
  thresholds: PressureThresholds;
  namespaces: () => readonly string[];
  /** Cached pods by `namespace/name` (limits, node, containers). */
  pod: (namespace: string, name: string) => Pod | undefined;
  /** Cached pods (to know which nodes run agent pods). */
  pods: () => Iterable<Pod>;
  ownerOf: (pod: Pod) => PodOwner | null;
  observe: (objectKey: string, drafts: AlertDraft[]) => Promise<void>;
  /** Deadline of each request to the API server. Default 10 s. */
  requestTimeoutMs?: number;
}

/** The API is not served (or not granted): said once, then skipped. */
const gone = (e: unknown): boolean => {
  const code =
    e instanceof ApiException ? e.code : e instanceof KubeHttpError ? e.status : undefined;
  return code === 404 || code === 403 || code === 503;
};

const METRICS = '/apis/metrics.k8s.io/v1beta1';

export class MetricsSampler {
  readonly #o: MetricsSamplerOptions;
  readonly #core: CoreV1Api;
  readonly #timeoutMs: number;
  /** `ns/pod/container` → recent samples, oldest first. */
  readonly #samples = new Map<string, UsageSample[]>();
  #usageOff = false;
  #nodesOff = false;
  #firing = new Set<string>();

  constructor(o: MetricsSamplerOptions) {
    this.#o = o;
    this.#core = o.kc.makeApiClient(CoreV1Api);
    this.#timeoutMs = o.requestTimeoutMs ?? 10_000;
  }

  /** Whether usage is read (false once the metrics API was found absent). */
  get usageOn(): boolean {
    return !this.#usageOff;
  }

  async tick(): Promise<void> {
    const now = this.#o.now();
    const found = new Map<string, AlertDraft[]>();
    if (!this.#usageOff) await this.#usage(now, found);
    if (!this.#nodesOff) await this.#nodes(now, found);
    const writes: Promise<void>[] = [];
    for (const [key, drafts] of found) writes.push(this.#o.observe(key, drafts));
    for (const key of this.#firing) if (!found.has(key)) writes.push(this.#o.observe(key, []));
    this.#firing = new Set(found.keys());
    await Promise.all(writes);
  }

  async #usage(now: Date, found: Map<string, AlertDraft[]>): Promise<void> {
    const keep = now.getTime() - 2 * Math.max(this.#o.thresholds.memorySustainSeconds, 300) * 1000;
    const seen = new Set<string>();
    for (const scope of this.#o.namespaces()) {
      const items = await this.#podMetrics(scope);
      if (items === 'off') return;
      for (const m of items ?? []) {
        const podName = m.metadata?.name ?? '';
        const namespace = m.metadata?.namespace ?? scope;
        const pod = this.#o.pod(namespace, podName);
        const owner = pod && this.#o.ownerOf(pod);
        if (!pod || !owner) continue;
        const at = Date.parse(String(m.timestamp)) || now.getTime();
        const drafts: AlertDraft[] = [];
        for (const c of m.containers ?? []) {
          const key = `${namespace}/${podName}/${c.name}`;
          seen.add(key);
          const bytes = parseQuantity(c.usage?.memory);
          if (bytes === null) continue;
          const series = (this.#samples.get(key) ?? []).filter((s) => s.at >= keep && s.at < at);
          series.push({ at, bytes });
          this.#samples.set(key, series);
          const d = this.#pressureDraft(
            { pod, owner, namespace, podName, container: c.name },
            series,
            now,
          );
          if (d) drafts.push(d);
        }
        if (drafts.length) found.set(`resource:pod/${namespace}/${podName}`, drafts);
      }
    }
    for (const key of this.#samples.keys()) if (!seen.has(key)) this.#samples.delete(key);
  }

  /**
   * The pod metrics of a namespace (or all of them), null after a failure worth retrying next pass,
   * or `off` when the metrics API is not served or granted (said once, usage checks stop).
   */
  async #podMetrics(scope: string): Promise<PodMetricsList['items'] | null | 'off'> {
    try {
      const path =
        scope === '*'
          ? `${METRICS}/pods`
          : `${METRICS}/namespaces/${encodeURIComponent(scope)}/pods`;
      return (await kubeGetJson<PodMetricsList>(this.#o.kc, path, this.#timeoutMs)).items ?? [];
    } catch (e) {
      if (gone(e)) {
        this.#usageOff = true;
        this.#o.logger.info(
          'the metrics API (metrics.k8s.io) is not served (or not granted: the chart grants it with platformChecks.enabled): resource usage checks are off; node conditions are still read',
        );
        return 'off';
      }
      this.#o.logger.warn(
        { err: e, namespace: scope },
        'reading pod metrics failed; retrying next pass',
      );
      return null;
    }
  }

  /** The draft of a container whose memory series is under pressure, or null. */
  #pressureDraft(
    at: {
      pod: Pod;
      owner: PodOwner;
      namespace: string;
      podName: string;
      container: string;
    },
    series: UsageSample[],
    now: Date,
  ): AlertDraft | null {
    const { pod, owner, namespace, podName, container } = at;
    const spec = (pod.spec?.containers ?? []).find((x) => x.name === container);
    const limit = parseQuantity(spec?.resources?.limits?.memory);
    const p = memoryPressure(container, series, limit, now, this.#o.thresholds);
    if (!p) return null;
    return {
      alert: 'resource',
      severity: p.severity,
      issueType: 'agent_error',
      title: `Resource Pressure: ${podName}`,
      description: `Pod ${podName}: ${p.text}.`,
      namespace,
      playId: owner.playId,
      taskId: owner.taskId,
      agent: owner.agent,
      subject: `${podName}/${container}`,
      evidence: series
        .slice(-6)
        .map(
          (s) =>
            `metrics ${new Date(s.at).toISOString()} ${container} memory=${Math.round(s.bytes / 2 ** 20)}Mi`,
        )
        .concat(
          limit ? [`resources.limits.memory=${String(spec?.resources?.limits?.memory)}`] : [],
        ),
      context: {
        kind: p.kind,
        container,
        ratio: Math.round(p.ratio * 100) / 100,
        secondsToLimit: p.secondsToLimit,
        limitBytes: limit,
      },
      detectedAt: now.toISOString(),
    };
  }

  async #nodes(now: Date, found: Map<string, AlertDraft[]>): Promise<void> {
    const agentNodes = new Map<string, Pod[]>();
    for (const p of this.#o.pods()) {
      const node = p.spec?.nodeName;
      if (
        node &&
        this.#o.ownerOf(p) &&
        p.status?.phase !== 'Succeeded' &&
        p.status?.phase !== 'Failed'
      )
        agentNodes.set(node, [...(agentNodes.get(node) ?? []), p]);
    }
    if (agentNodes.size === 0) return;
    let nodes;
    try {
      nodes = (await this.#core.listNode({}, withDeadline(this.#timeoutMs))).items;
    } catch (e) {
      if (gone(e)) {
        this.#nodesOff = true;
        this.#o.logger.info(
          'nodes cannot be listed (not granted: the chart grants it with platformChecks.enabled): node pressure checks are off',
        );
        return;
      }
      this.#o.logger.warn({ err: e }, 'reading node conditions failed; retrying next pass');
      return;
    }
    for (const node of nodes) {
      const name = node.metadata?.name ?? '';
      const pods = agentNodes.get(name);
      const pressures = nodePressures(node);
      if (!pods || pressures.length === 0) continue;
      found.set(`resource:node/${name}`, [
        {
          alert: 'resource',
          severity: 'high',
          issueType: 'agent_error',
          title: `Node Pressure: ${name}`,
          description: `Node ${name} reports ${pressures.map((p) => p.type).join(', ')} while ${pods.length} agent pod(s) run on it; the kubelet may evict them.`,
          namespace: pods[0]?.metadata?.namespace ?? '',
          playId: null,
          taskId: null,
          agent: null,
          subject: `Node/${name}`,
          evidence: [
            ...pressures.map(
              (p) =>
                `node ${name}: ${p.type}=True since ${p.since || 'unknown'}${p.message ? ` (${p.message})` : ''}`,
            ),
            ...pods
              .slice(0, 10)
              .map((p) => `agent pod ${p.metadata?.namespace}/${p.metadata?.name}`),
          ],
          context: {
            kind: 'node-pressure',
            node: name,
            conditions: pressures.map((p) => p.type).join(','),
            agentPods: pods.length,
          },
          detectedAt: now.toISOString(),
        },
      ]);
    }
  }
}
