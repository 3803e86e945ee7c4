import { EventEmitter } from 'node:events';
import type { KubeConfig } from '@kubernetes/client-node';
import type { Logger } from 'pino';
import type { CodeRun, KubeEvent, ObjectKind, Pod, Workflow } from '../../domain/kube.js';
import { Reflector, type ReflectorEvent, type ReflectorOptions } from './reflector.js';

interface KindSpec {
  kind: ObjectKind;
  plural: string;
  /** API prefix: `/api/v1` or `/apis/<group>/<version>`. */
  prefix: string;
  optional: boolean;
}

export const WATCHED_KINDS: readonly KindSpec[] = [
  { kind: 'pod', plural: 'pods', prefix: '/api/v1', optional: false },
  { kind: 'event', plural: 'events', prefix: '/api/v1', optional: false },
  { kind: 'coderun', plural: 'coderuns', prefix: '/apis/agents.platform/v1', optional: true },
  { kind: 'workflow', plural: 'workflows', prefix: '/apis/argoproj.io/v1alpha1', optional: true },
];

export type KubeObjectOf<K extends ObjectKind> = K extends 'pod'
  ? Pod
  : K extends 'coderun'
    ? CodeRun
    : K extends 'workflow'
      ? Workflow
      : KubeEvent;

export interface HubEvent {
  kind: ObjectKind;
  type: ReflectorEvent;
  object: Pod | CodeRun | Workflow | KubeEvent;
  old: Pod | CodeRun | Workflow | KubeEvent | undefined;
  /** process.hrtime-based receive time in ms (for detection latency). */
  receivedAt: number;
}

export interface HubOptions {
  kc: KubeConfig;
  logger: Logger;
  /** Namespaces to watch, or `*` for cluster-wide (one watch per kind). */
  namespaces: readonly string[] | '*';
  reflector?: Partial<
    Pick<
      ReflectorOptions<never>,
      'watchTimeoutSeconds' | 'inactivityMs' | 'backoff' | 'absentRetryMs' | 'pageSize'
    >
  >;
  onRestart?(kind: ObjectKind, reason: string): void;
  /** The clock of each watch's last event (ms epoch). Default `Date.now`. */
  now?: () => number;
}

/**
 * One list+watch per resource kind per watched namespace (or per kind cluster-wide), whatever the
 * number of sessions. Emits `event` for every change and keeps the caches the rules read.
 */
export class InformerHub extends EventEmitter<{ event: [HubEvent] }> {
  readonly #o: HubOptions;
  readonly #reflectors = new Map<string, { kind: ObjectKind; ns: string; r: Reflector<never> }>();
  /** Events indexed by involved object `Kind/ns/name`. */
  readonly #eventsByObject = new Map<string, Map<string, KubeEvent>>();
  #started = false;

  constructor(opts: HubOptions) {
    super();
    this.#o = opts;
    if (opts.namespaces === '*') this.#addScope('*');
    else for (const ns of opts.namespaces) this.#addScope(ns);
  }

  get clusterWide(): boolean {
    return this.#o.namespaces === '*';
  }

  start(): void {
    this.#started = true;
    for (const { r } of this.#reflectors.values()) r.start();
  }

  /** Stops every watch (the caches stay); `start()` resumes them (a replica that leads again). */
  async stop(): Promise<void> {
    this.#started = false;
    await Promise.all([...this.#reflectors.values()].map(({ r }) => r.stop()));
  }

  get started(): boolean {
    return this.#started;
  }

  /** Starts watching a namespace a session named (no-op when already watched or cluster-wide). */
  addNamespace(ns: string): boolean {
    if (this.clusterWide || this.#reflectors.has(`pod/${ns}`)) return false;
    this.#addScope(ns);
    if (this.#started)
      for (const [key, { r }] of this.#reflectors) if (key.endsWith(`/${ns}`)) r.start();
    this.#o.logger.info({ namespace: ns }, 'watching a new namespace named by a session');
    return true;
  }

  get namespaces(): string[] {
    return [...new Set([...this.#reflectors.values()].map((x) => x.ns))];
  }

  get watchCount(): number {
    return this.#reflectors.size;
  }

  /** Every cached object of a kind (optionally one namespace). */
  list<K extends ObjectKind>(kind: K, ns?: string): KubeObjectOf<K>[] {
    const out: KubeObjectOf<K>[] = [];
    for (const { kind: k, ns: scope, r } of this.#reflectors.values()) {
      if (k !== kind) continue;
      for (const obj of r.cache.values() as Iterable<KubeObjectOf<K>>) {
        if (ns === undefined || scope === ns || (scope === '*' && obj.metadata?.namespace === ns))
          out.push(obj);
      }
    }
    return out;
  }

  get<K extends ObjectKind>(kind: K, ns: string, name: string): KubeObjectOf<K> | undefined {
    const scope = this.clusterWide ? '*' : ns;
    const r = this.#reflectors.get(`${kind}/${scope}`)?.r;
    return r?.cache.get(`${ns}/${name}`);
  }

  /** Recent Kubernetes events about an object, oldest first. */
  eventsFor(kind: string, ns: string, name: string): KubeEvent[] {
    const m = this.#eventsByObject.get(`${kind}/${ns}/${name}`);
    if (!m) return [];
    return [...m.values()].sort((a, b) => eventTime(a).localeCompare(eventTime(b)));
  }

  /** Readiness: every watch has listed once (an absent optional kind counts, and says so). */
  readiness(): { ok: boolean; detail: string } {
    const pending: string[] = [];
    const absent: string[] = [];
    for (const [key, { r }] of this.#reflectors) {
      if (!r.synced) pending.push(`${key} (${r.state}${r.lastError ? `: ${r.lastError}` : ''})`);
      else if (r.state === 'absent') absent.push(key);
    }
    if (pending.length)
      return { ok: false, detail: `waiting for watches to list: ${pending.join(', ')}` };
    const note = absent.length ? `; not installed: ${absent.join(', ')}` : '';
    return { ok: true, detail: `${this.#reflectors.size} watches synced${note}` };
  }

  /** Per kind: restarts and the newest event time (ms epoch, 0 = none yet). */
  /** Seconds since the newest event per watched kind, on the hub's clock (kinds with no event omitted). */
  watchAges(): Record<string, number> {
    const now = (this.#o.now ?? Date.now)();
    const out: Record<string, number> = {};
    for (const s of this.stats()) {
      if (!s.lastEventAt) continue;
      out[s.kind] = Math.min(out[s.kind] ?? Infinity, (now - s.lastEventAt) / 1000);
    }
    return out;
  }

  stats(): {
    kind: ObjectKind;
    scope: string;
    restarts: number;
    lastEventAt: number;
    synced: boolean;
    state: string;
  }[] {
    return [...this.#reflectors.values()].map(({ kind, ns, r }) => ({
      kind,
      scope: ns,
      restarts: r.restarts,
      lastEventAt: r.lastEventAt,
      synced: r.synced,
      state: r.state,
    }));
  }

  #addScope(ns: string): void {
    for (const spec of WATCHED_KINDS) {
      const path =
        ns === '*'
          ? `${spec.prefix}/${spec.plural}`
          : `${spec.prefix}/namespaces/${ns}/${spec.plural}`;
      const r = new Reflector<never>({
        kc: this.#o.kc,
        kind: spec.plural,
        path,
        optional: spec.optional,
        logger: this.#o.logger,
        ...(this.#o.now ? { now: this.#o.now } : {}),
        ...this.#o.reflector,
        onRestart: (reason) => this.#o.onRestart?.(spec.kind, reason),
        onEvent: (type, object: Pod | CodeRun | Workflow | KubeEvent, old) => {
          if (spec.kind === 'event') this.#indexEvent(type, object as KubeEvent);
          this.emit('event', { kind: spec.kind, type, object, old, receivedAt: performance.now() });
        },
      });
      this.#reflectors.set(`${spec.kind}/${ns}`, { kind: spec.kind, ns, r });
    }
  }

  #indexEvent(type: ReflectorEvent, e: KubeEvent): void {
    const io = e.involvedObject;
    if (!io?.kind || !io.name) return;
    const key = `${io.kind}/${io.namespace ?? e.metadata.namespace}/${io.name}`;
    const id = e.metadata.name ?? '';
    let m = this.#eventsByObject.get(key);
    if (type === 'DELETED') {
      m?.delete(id);
      if (m?.size === 0) this.#eventsByObject.delete(key);
      return;
    }
    if (!m) this.#eventsByObject.set(key, (m = new Map<string, KubeEvent>()));
    m.set(id, e);
  }
}

const eventTime = (e: KubeEvent): string =>
  String(e.lastTimestamp ?? e.eventTime ?? e.firstTimestamp ?? e.metadata.creationTimestamp ?? '');
