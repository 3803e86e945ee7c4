// startKubeSim(): the simulated API server on loopback, its direct (in-process) API for tests and
// the Play simulator, its fault switches and its counters.
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { Socket } from 'node:net';
import { writeFile } from 'node:fs/promises';
import { FaultState } from './faults.js';
import type { SimContext } from './context.js';
import type { RequestRecord } from './http.js';
import type { KubeSim, KubeSimFaults, KubeSimOptions, KubeSimStats } from './api.js';
import { requestHandler } from './http.js';
import { kubeconfigYaml } from './kubeconfig.js';
import { LogStore } from './logs.js';
import { Operations } from './operations.js';
import type { DeleteOptions } from './operations.js';
import { PATCH_TYPES } from './patch.js';
import { RESOURCES, Registry } from './resources.js';
import type { ResourceType } from './resources.js';
import { parseFieldSelector, parseLabelSelector } from './selectors.js';
import { ObjectStore } from './store.js';
import type { KubeObject, Status, StoredObject } from './types.js';
import { buildStats } from './stats.js';
import { WatchHub } from './watch.js';

const BASE_NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease', 'cto'];

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(t);
      resolve();
    });
  });
}

class Sim implements KubeSim {
  url = '';
  private port = 0;
  private readonly host: string;
  private readonly token: string;
  private readonly registry: Registry;
  private readonly store: ObjectStore;
  private readonly ops: Operations;
  private readonly logs = new LogStore();
  private readonly kubelet = new Map<string, Map<string, unknown>>();
  private readonly watches: WatchHub;
  private readonly faultState = new FaultState();
  private readonly sockets = new Set<Socket>();
  private readonly requestLog: RequestRecord[] = [];
  private readonly closing = new AbortController();
  private requests = 0;
  private outageUntil = 0;
  private relisten: Promise<void> | undefined;
  private server: Server;
  private readonly now: () => Date;
  readonly faults: KubeSimFaults;
  readonly stats: KubeSimStats;

  constructor(private readonly opts: KubeSimOptions) {
    this.host = opts.host ?? '127.0.0.1';
    this.token = opts.token ?? 'sim-token';
    this.now = opts.now ?? (() => new Date());
    this.registry = new Registry(
      RESOURCES.filter(
        (r) =>
          !(opts.withoutArgo && r.group === 'argoproj.io') &&
          !(opts.withoutGroups ?? []).includes(r.group),
      ),
    );
    this.store = new ObjectStore(opts.historyLimit ?? 10_000);
    this.ops = new Operations(this.store, this.registry, this.now);
    this.watches = new WatchHub(this.store, () => opts.bookmarkIntervalMs ?? 60_000);
    const podType = this.type('v1', 'Pod');
    this.store.subscribe((e) => {
      if (e.resource === podType && e.type === 'DELETED')
        this.logs.podGone(e.object.metadata.namespace ?? '', e.object.metadata.name);
    });
    for (const ns of new Set([...BASE_NAMESPACES, ...(opts.namespaces ?? [])])) {
      this.ops.create(this.type('v1', 'Namespace'), undefined, { metadata: { name: ns } });
    }
    this.server = this.makeServer();
    this.faults = this.makeFaults();
    this.stats = this.makeStats();
  }

  private makeServer(): Server {
    const ctx: SimContext = {
      registry: this.registry,
      store: this.store,
      ops: this.ops,
      logs: this.logs,
      watches: this.watches,
      now: this.now,
      kubelet: this.kubelet,
    };
    const handler = requestHandler(ctx, this.faultState, {
      token: this.token,
      requireAuth: this.opts.requireAuth ?? false,
      serverAddress: () => `${this.host}:${this.port}`,
      record: (r) => {
        this.requestLog.push(r);
        if (this.requestLog.length > 2000) this.requestLog.shift();
      },
      onRequest: () => this.requests++,
      isClosing: () => this.closing.signal.aborted,
    });
    const server = createServer({ keepAliveTimeout: 5000 }, (req, res) => void handler(req, res));
    server.on('connection', (s: Socket) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
    return server;
  }

  async listen(port: number): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, this.host, () => {
        this.server.off('error', reject);
        resolve();
      });
    });
    const addr = this.server.address();
    if (addr && typeof addr === 'object') this.port = addr.port;
    this.url = `http://${this.host.includes(':') ? `[${this.host}]` : this.host}:${this.port}`;
  }

  private type(apiVersion: string, kindOrPlural: string): ResourceType {
    const r = this.registry.resolve(apiVersion, kindOrPlural);
    if (!r) throw new Error(`kube sim: no resource ${kindOrPlural} in ${apiVersion}`);
    return r;
  }

  private target(obj: KubeObject): { r: ResourceType; ns: string | undefined; name: string } {
    const r = this.type(obj.apiVersion ?? '', obj.kind ?? '');
    return {
      r,
      ns: r.namespaced ? (obj.metadata?.namespace ?? 'cto') : undefined,
      name: obj.metadata?.name ?? '',
    };
  }

  kubeconfigYaml(): string {
    return kubeconfigYaml(this.url, this.token);
  }

  async writeKubeconfig(path: string): Promise<void> {
    await writeFile(path, this.kubeconfigYaml(), { mode: 0o600 });
  }

  create(obj: KubeObject, opts: { keepStatus?: boolean } = {}): StoredObject {
    const { r, ns } = this.target(obj);
    return structuredClone(this.ops.create(r, ns, obj, opts));
  }

  get(
    apiVersion: string,
    kindOrPlural: string,
    namespace: string | undefined,
    name: string,
  ): StoredObject | undefined {
    const o = this.store.get(this.type(apiVersion, kindOrPlural), namespace, name);
    return o && structuredClone(o);
  }

  list(
    apiVersion: string,
    kindOrPlural: string,
    namespace?: string,
    opts: { labelSelector?: string; fieldSelector?: string } = {},
  ): StoredObject[] {
    const r = this.type(apiVersion, kindOrPlural);
    const l = parseLabelSelector(opts.labelSelector);
    const f = parseFieldSelector(opts.fieldSelector, r);
    return this.store
      .list(r, namespace)
      .filter((o) => l(o) && f(o))
      .map((o) => structuredClone(o));
  }

  update(obj: KubeObject): StoredObject {
    const { r, ns, name } = this.target(obj);
    return structuredClone(this.ops.update(r, ns, name, obj));
  }

  updateStatus(obj: KubeObject): StoredObject {
    const { r, ns, name } = this.target(obj);
    return structuredClone(this.ops.update(r, ns, name, obj, { subresource: 'status' }));
  }

  patchMerge(
    apiVersion: string,
    kind: string,
    ns: string | undefined,
    name: string,
    patch: unknown,
  ): StoredObject {
    return structuredClone(
      this.ops.patch(this.type(apiVersion, kind), ns, name, PATCH_TYPES.merge, patch),
    );
  }

  patchStatus(
    apiVersion: string,
    kind: string,
    ns: string | undefined,
    name: string,
    patch: unknown,
  ): StoredObject {
    const r = this.type(apiVersion, kind);
    return structuredClone(
      this.ops.patch(
        r,
        ns,
        name,
        PATCH_TYPES.merge,
        patch,
        r.statusSubresource ? { subresource: 'status' } : {},
      ),
    );
  }

  patchJson(
    apiVersion: string,
    kind: string,
    ns: string | undefined,
    name: string,
    ops: unknown[],
  ): StoredObject {
    return structuredClone(
      this.ops.patch(this.type(apiVersion, kind), ns, name, PATCH_TYPES.json, ops),
    );
  }

  delete(
    apiVersion: string,
    kind: string,
    ns: string | undefined,
    name: string,
    opts?: DeleteOptions,
  ): StoredObject | Status {
    return structuredClone(this.ops.delete(this.type(apiVersion, kind), ns, name, opts));
  }

  setKubelet(node: string, path: string, body: unknown): void {
    const paths = this.kubelet.get(node) ?? new Map<string, unknown>();
    paths.set(path.replace(/^\/+/, ''), structuredClone(body));
    this.kubelet.set(node, paths);
  }

  appendLog(namespace: string, pod: string, container: string, line: string, time?: Date): void {
    this.logs.append(namespace, pod, container, line, time ?? this.now());
  }

  restartContainer(namespace: string, pod: string, container: string): void {
    this.logs.restart(namespace, pod, container);
  }

  sendBookmarks(): void {
    this.watches.bookmarkAll();
  }

  private resetConnections(): void {
    this.watches.cut({ abrupt: true });
    this.logs.endAll(true);
    for (const s of this.sockets) s.destroy();
  }

  private makeFaults(): KubeSimFaults {
    return {
      cutWatches: (o = {}) =>
        this.watches.cut({
          abrupt: o.abrupt ?? false,
          ...(o.resource
            ? { match: (r: ResourceType) => r.plural === o.resource || r.kind === o.resource }
            : {}),
        }),
      stallWatches: (o = {}) =>
        this.watches.stall(
          o.resource
            ? { match: (r: ResourceType) => r.plural === o.resource || r.kind === o.resource }
            : {},
        ),
      cutLogStreams: (o = {}) => this.logs.endAll(o.abrupt ?? false),
      compact: () => this.store.compact(),
      failRequests: (o) => this.faultState.failRequests(o),
      delay: (ms) => {
        this.faultState.delayMs = ms;
      },
      refuseConnections: async (forMs) => {
        // Overlapping outages merge: listening resumes when the last one ends.
        const closed = this.server.listening
          ? new Promise<void>((resolve) => this.server.close(() => resolve()))
          : Promise.resolve();
        this.resetConnections();
        this.outageUntil = Math.max(this.outageUntil, Date.now() + forMs);
        await closed;
        while (Date.now() < this.outageUntil && !this.closing.signal.aborted) {
          await sleep(this.outageUntil - Date.now(), this.closing.signal);
        }
        if (this.closing.signal.aborted) return;
        if (!this.server.listening) {
          this.relisten ??= this.listen(this.port).finally(() => {
            this.relisten = undefined;
          });
        }
        await this.relisten;
      },
      clear: () => this.faultState.clear(),
    };
  }

  private makeStats(): KubeSimStats {
    return buildStats({
      requests: () => this.requests,
      watches: this.watches,
      logs: this.logs,
      faults: this.faultState,
      store: this.store,
      log: this.requestLog,
    });
  }

  async close(): Promise<void> {
    if (this.closing.signal.aborted) return;
    this.closing.abort();
    this.watches.cut({ abrupt: false });
    this.logs.endAll(false);
    const closed = this.server.listening
      ? new Promise<void>((resolve) => this.server.close(() => resolve()))
      : Promise.resolve();
    this.server.closeIdleConnections();
    // Give ended streams a moment to flush, then drop whatever is left.
    const timer = setTimeout(() => {
      for (const s of this.sockets) s.destroy();
    }, 50);
    await closed;
    clearTimeout(timer);
  }
}

export async function startKubeSim(opts: KubeSimOptions = {}): Promise<KubeSim> {
  const sim = new Sim(opts);
  await sim.listen(opts.port ?? 0);
  return sim;
}
