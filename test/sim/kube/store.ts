// The object store: one etcd-like global resourceVersion, the objects per resource type, and a
// bounded history of changes that watches replay from.
import type { ResourceType } from './resources.js';
import type { StoredObject } from './types.js';

export interface ChangeEvent {
  rv: number;
  type: 'ADDED' | 'MODIFIED' | 'DELETED';
  resource: ResourceType;
  /** The new state; for DELETED the last state, stamped with the deletion's resourceVersion. */
  object: StoredObject;
  /** The state before the change (undefined for ADDED). */
  old?: StoredObject;
}

export type Listener = (e: ChangeEvent) => void;

function key(ns: string | undefined, name: string): string {
  return `${ns ?? ''}/${name}`;
}

export class ObjectStore {
  private rv: number;
  private readonly data = new Map<ResourceType, Map<string, StoredObject>>();
  private history: ChangeEvent[] = [];
  /** Watches may resume from any resourceVersion >= this; older ones are gone (410). */
  private oldestRv: number;
  private readonly listeners = new Set<Listener>();
  /** Per type, its objects in key order; dropped when the type changes. */
  private readonly sortedCache = new Map<ResourceType, StoredObject[]>();

  constructor(
    private readonly historyLimit: number,
    startRv = 100,
  ) {
    this.rv = startRv;
    this.oldestRv = startRv;
  }

  currentRv(): number {
    return this.rv;
  }

  /** The oldest resourceVersion a watch can still start from. */
  oldestWatchableRv(): number {
    return this.oldestRv;
  }

  nextRv(): number {
    this.rv += 1;
    return this.rv;
  }

  private table(r: ResourceType): Map<string, StoredObject> {
    let t = this.data.get(r);
    if (!t) {
      t = new Map();
      this.data.set(r, t);
    }
    return t;
  }

  get(r: ResourceType, ns: string | undefined, name: string): StoredObject | undefined {
    return this.table(r).get(key(r.namespaced ? ns : undefined, name));
  }

  /** Objects of a type, in etcd key order (namespace, then name); all namespaces when ns is undefined. */
  list(r: ResourceType, ns?: string): StoredObject[] {
    return this.sorted(r).filter(
      (o) => !r.namespaced || ns === undefined || o.metadata.namespace === ns,
    );
  }

  /**
   * A type's objects in key order, sorted once per change of that type: a paged list asks for every
   * page, and sorting 200,000 pods per 500-object page made the simulator's list quadratic.
   */
  private sorted(r: ResourceType): readonly StoredObject[] {
    let s = this.sortedCache.get(r);
    if (!s) {
      s = [...this.table(r).entries()]
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([, o]) => o);
      this.sortedCache.set(r, s);
    }
    return s;
  }

  /** Write (or delete) an object already stamped with resourceVersion `rv`, record and publish. */
  commit(e: ChangeEvent): void {
    const t = this.table(e.resource);
    const k = key(e.object.metadata.namespace, e.object.metadata.name);
    if (e.type === 'DELETED') t.delete(k);
    else t.set(k, e.object);
    this.sortedCache.delete(e.resource);
    this.history.push(e);
    if (this.history.length > this.historyLimit) {
      const dropped = this.history.splice(0, this.history.length - this.historyLimit);
      this.oldestRv = dropped[dropped.length - 1].rv;
    }
    for (const l of [...this.listeners]) l(e);
  }

  /** Changes of one type after `rv`, or 'expired' when that part of history was compacted. */
  since(r: ResourceType, rv: number): ChangeEvent[] | 'expired' {
    if (rv < this.oldestRv) return 'expired';
    return this.history.filter((e) => e.rv > rv && e.resource === r);
  }

  /**
   * Drop the whole history and move the revision on (as etcd does while writes continue), so every
   * resourceVersion handed out before now answers 410 Expired to a watch.
   */
  compact(): void {
    this.history = [];
    this.rv += 1;
    this.oldestRv = this.rv;
  }

  subscribe(l: Listener): () => void {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }
}
