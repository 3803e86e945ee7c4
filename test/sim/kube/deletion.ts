// Deletion as the real server does it: preconditions, finalizers (deletionTimestamp until the last
// one goes), graceful pod deletion (MODIFIED with deletionTimestamp, then DELETED), namespace cascade,
// and the answer (the object for pods, a Success Status otherwise).
import { KubeApiError, failure } from './errors.js';
import { formatTimestamp } from './defaults.js';
import { clone } from './patch.js';
import type { Registry, ResourceType } from './resources.js';
import type { ObjectStore } from './store.js';
import type { Status, StoredObject } from './types.js';

export interface DeleteOptions {
  dryRun?: boolean;
  gracePeriodSeconds?: number;
  preconditions?: { uid?: string; resourceVersion?: string };
}

export class Deletion {
  constructor(
    private readonly store: ObjectStore,
    private readonly registry: Registry,
    private readonly now: () => Date,
  ) {}

  /** Remove the object now: commit a DELETED event stamped with a new resourceVersion. */
  finalize(r: ResourceType, last: StoredObject): StoredObject {
    const rv = this.store.nextRv();
    const gone = { ...last, metadata: { ...last.metadata, resourceVersion: String(rv) } };
    const old = this.store.get(r, last.metadata.namespace, last.metadata.name);
    this.store.commit({ rv, type: 'DELETED', resource: r, object: gone, ...(old ? { old } : {}) });
    return gone;
  }

  private markDeleting(r: ResourceType, cur: StoredObject, graceSeconds: number): StoredObject {
    const at = new Date(this.now().getTime() + graceSeconds * 1000);
    const next = clone(cur);
    next.metadata.deletionTimestamp = formatTimestamp(at);
    next.metadata.deletionGracePeriodSeconds = graceSeconds;
    const rv = this.store.nextRv();
    next.metadata.resourceVersion = String(rv);
    this.store.commit({ rv, type: 'MODIFIED', resource: r, object: next, old: cur });
    return next;
  }

  /** DELETE of an existing object: answers the object (pods) or a Success Status (the others). */
  delete(r: ResourceType, cur: StoredObject, opts: DeleteOptions = {}): StoredObject | Status {
    const name = cur.metadata.name;
    const pre = opts.preconditions ?? {};
    if (pre.uid && pre.uid !== cur.metadata.uid) {
      throw new KubeApiError(
        failure(
          409,
          'Conflict',
          `Operation cannot be fulfilled on ${r.group ? `${r.plural}.${r.group}` : r.plural} "${name}": Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${cur.metadata.uid}`,
          { name, kind: r.plural },
        ),
      );
    }
    if (pre.resourceVersion && pre.resourceVersion !== cur.metadata.resourceVersion) {
      throw new KubeApiError(
        failure(
          409,
          'Conflict',
          `Operation cannot be fulfilled on ${r.group ? `${r.plural}.${r.group}` : r.plural} "${name}": Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in object meta: ${cur.metadata.resourceVersion}`,
          { name, kind: r.plural },
        ),
      );
    }
    if (opts.dryRun) return this.deleteAnswer(r, cur);
    if ((cur.metadata.finalizers ?? []).length > 0) {
      return cur.metadata.deletionTimestamp ? cur : this.markDeleting(r, cur, 0);
    }
    if (r.kind === 'Namespace' && r.group === '') return this.deleteNamespace(r, cur);
    let last = cur;
    if (r.kind === 'Pod' && r.group === '') {
      const spec = (cur.spec ?? {}) as {
        nodeName?: string;
        terminationGracePeriodSeconds?: number;
      };
      const phase = (cur.status as { phase?: string } | undefined)?.phase;
      const grace = opts.gracePeriodSeconds ?? spec.terminationGracePeriodSeconds ?? 30;
      // A scheduled, unfinished pod is deleted gracefully: the kubelet (here: at once) then removes it.
      if (spec.nodeName && grace > 0 && phase !== 'Succeeded' && phase !== 'Failed') {
        last = cur.metadata.deletionTimestamp ? cur : this.markDeleting(r, cur, grace);
        this.finalize(r, last);
        return last;
      }
    }
    const gone = this.finalize(r, last);
    return this.deleteAnswer(r, gone);
  }

  private deleteAnswer(r: ResourceType, obj: StoredObject): StoredObject | Status {
    if (r.deleteReturnsObject) return obj;
    // Like genericregistry.Store without ReturnDeletedObject (configmaps, custom resources): no code.
    const details: NonNullable<Status['details']> = { name: obj.metadata.name };
    if (r.group) details.group = r.group;
    details.kind = r.plural;
    details.uid = obj.metadata.uid;
    return {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Success',
      details,
    } as unknown as Status;
  }

  private deleteNamespace(r: ResourceType, ns: StoredObject): StoredObject {
    const terminating = clone(ns);
    terminating.status = { phase: 'Terminating' };
    terminating.metadata.deletionTimestamp = formatTimestamp(this.now());
    const rv = this.store.nextRv();
    terminating.metadata.resourceVersion = String(rv);
    this.store.commit({ rv, type: 'MODIFIED', resource: r, object: terminating, old: ns });
    for (const t of this.registry.all()) {
      if (!t.namespaced) continue;
      for (const o of this.store.list(t, ns.metadata.name)) this.finalize(t, o);
    }
    this.finalize(r, terminating);
    return terminating;
  }
}
