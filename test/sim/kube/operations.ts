// Write semantics of the real API server on top of the store: create, update (PUT), patch and
// delete, with status subresources, generation, preconditions, finalizers and graceful pod deletion.
import { randomUUID } from 'node:crypto';
import { applyCreateDefaults } from './defaults.js';
import type { FieldError } from './errors.js';
import {
  KubeApiError,
  alreadyExists,
  badRequest,
  conflict,
  failure,
  invalid,
  namespaceNotFound,
  notFound,
} from './errors.js';
import { applyPatch, clone, deepEqual } from './patch.js';
import type { Registry, ResourceType } from './resources.js';
import { apiVersionOf } from './resources.js';
import type { ObjectStore } from './store.js';
import type { KubeObject, Status, StoredObject } from './types.js';
import { validate } from './validation.js';

export interface WriteOptions {
  dryRun?: boolean;
  subresource?: 'status';
}

export interface DeleteOptions {
  dryRun?: boolean;
  gracePeriodSeconds?: number;
  preconditions?: { uid?: string; resourceVersion?: string };
}

const GENERATE_CHARS = 'bcdfghjklmnpqrstvwxz2456789';

export function formatTimestamp(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Everything except metadata (and status when it has its own subresource): what bumps generation. */
function specPart(r: ResourceType, o: KubeObject): Record<string, unknown> {
  const { metadata: _m, status, kind: _k, apiVersion: _a, ...rest } = o;
  return r.statusSubresource ? rest : { ...rest, status };
}

export class Operations {
  constructor(
    private readonly store: ObjectStore,
    private readonly registry: Registry,
    private readonly now: () => Date,
  ) {}

  private requireNamespace(r: ResourceType, ns: string | undefined): void {
    if (!r.namespaced) return;
    if (!ns) throw badRequest('the namespace of the object is required for a namespaced resource');
    const nsType = this.registry.resolve('v1', 'Namespace');
    if (nsType && !this.store.get(nsType, undefined, ns)) throw namespaceNotFound(ns);
  }

  private checkIdentity(
    r: ResourceType,
    ns: string | undefined,
    body: KubeObject,
    name?: string,
  ): void {
    if (body === null || typeof body !== 'object' || Array.isArray(body)) {
      throw badRequest('the body of the request was not a valid object');
    }
    if (body.kind !== undefined && body.kind !== r.kind) {
      throw badRequest(
        `the kind in the data (${String(body.kind)}) does not match the expected kind (${r.kind})`,
      );
    }
    if (body.apiVersion !== undefined && body.apiVersion !== apiVersionOf(r)) {
      throw badRequest(
        `the API version in the data (${String(body.apiVersion)}) does not match the expected API version (${apiVersionOf(r)})`,
      );
    }
    const bns = body.metadata?.namespace;
    if (r.namespaced && bns && bns !== ns) {
      throw badRequest(
        'the namespace of the provided object does not match the namespace sent on the request',
      );
    }
    const bname = body.metadata?.name;
    if (name !== undefined && bname && bname !== name) {
      throw badRequest(
        `the name of the object (${bname}) does not match the name on the URL (${name})`,
      );
    }
  }

  create(
    r: ResourceType,
    ns: string | undefined,
    body: KubeObject,
    opts: WriteOptions & { keepStatus?: boolean } = {},
  ): StoredObject {
    this.checkIdentity(r, ns, body);
    this.requireNamespace(r, ns);
    const obj = clone(body);
    const meta = { ...(obj.metadata ?? {}) };
    if (meta.resourceVersion) {
      throw new KubeApiError(
        failure(
          500,
          'InternalError',
          'Internal error occurred: resourceVersion should not be set on objects to be created',
          {},
        ),
      );
    }
    if (!meta.name && meta.generateName) {
      let suffix = '';
      for (let i = 0; i < 5; i++)
        suffix += GENERATE_CHARS[Math.floor(Math.random() * GENERATE_CHARS.length)];
      meta.name = meta.generateName + suffix;
    }
    if (r.namespaced) meta.namespace = ns;
    else delete meta.namespace;
    obj.metadata = meta;
    if (r.statusSubresource && !opts.keepStatus) delete obj.status;
    validate(r, obj, { checkName: true });
    const name = meta.name!;
    if (this.store.get(r, ns, name)) throw alreadyExists(r, name);
    const savedStatus = obj.status;
    applyCreateDefaults(r, obj);
    if (opts.keepStatus && savedStatus !== undefined) obj.status = savedStatus;
    meta.uid = randomUUID();
    meta.creationTimestamp = formatTimestamp(this.now());
    delete meta.deletionTimestamp;
    delete meta.deletionGracePeriodSeconds;
    if (r.generation) meta.generation = 1;
    else delete meta.generation;
    obj.metadata = meta;
    const stored = { apiVersion: apiVersionOf(r), kind: r.kind, ...obj } as StoredObject;
    stored.apiVersion = apiVersionOf(r);
    stored.kind = r.kind;
    if (opts.dryRun) return { ...stored, metadata: { ...stored.metadata, resourceVersion: '' } };
    const rv = this.store.nextRv();
    stored.metadata.resourceVersion = String(rv);
    this.store.commit({ rv, type: 'ADDED', resource: r, object: stored });
    return stored;
  }

  private existing(r: ResourceType, ns: string | undefined, name: string): StoredObject {
    const cur = this.store.get(r, ns, name);
    if (!cur) throw notFound(r, name);
    return cur;
  }

  /** PUT semantics; `body` replaces the object (or only its status through the subresource). */
  update(
    r: ResourceType,
    ns: string | undefined,
    name: string,
    body: KubeObject,
    opts: WriteOptions = {},
  ): StoredObject {
    this.checkIdentity(r, ns, body, name);
    const cur = this.existing(r, ns, name);
    const wantRv = body.metadata?.resourceVersion;
    if (wantRv) {
      if (wantRv !== cur.metadata.resourceVersion) throw conflict(r, name);
    } else if (r.requireResourceVersionOnUpdate) {
      const err: FieldError = {
        reason: 'FieldValueInvalid',
        field: 'metadata.resourceVersion',
        message: 'Invalid value: 0x0: must be specified for an update',
      };
      throw invalid(r, name, [err]);
    }
    let next: KubeObject;
    if (opts.subresource === 'status') {
      next = { ...clone(cur), status: clone(body.status) };
      if (body.status === undefined) delete next.status;
    } else {
      next = clone(body);
      if (r.statusSubresource) {
        if (cur.status === undefined) delete next.status;
        else next.status = clone(cur.status);
      }
      const meta = { ...(next.metadata ?? {}) };
      meta.uid = cur.metadata.uid;
      meta.creationTimestamp = cur.metadata.creationTimestamp;
      meta.name = name;
      if (r.namespaced) meta.namespace = ns;
      for (const k of ['deletionTimestamp', 'deletionGracePeriodSeconds', 'generation'] as const) {
        if (cur.metadata[k] === undefined) delete meta[k];
        else (meta as Record<string, unknown>)[k] = cur.metadata[k];
      }
      next.metadata = meta;
      validate(r, next, { checkName: false });
    }
    return this.write(r, cur, next, opts);
  }

  patch(
    r: ResourceType,
    ns: string | undefined,
    name: string,
    contentType: string,
    patchBody: unknown,
    opts: WriteOptions = {},
  ): StoredObject {
    const cur = this.existing(r, ns, name);
    const patched = applyPatch(clone(cur), contentType, patchBody) as KubeObject;
    if (patched === null || typeof patched !== 'object')
      throw badRequest('the patch did not produce an object');
    const body: KubeObject = { ...patched, metadata: { ...(patched.metadata ?? {}) } };
    if (!body.metadata!.resourceVersion)
      body.metadata!.resourceVersion = cur.metadata.resourceVersion;
    return this.update(r, ns, name, body, opts);
  }

  private write(
    r: ResourceType,
    cur: StoredObject,
    nextIn: KubeObject,
    opts: WriteOptions,
  ): StoredObject {
    const next = { ...nextIn, apiVersion: apiVersionOf(r), kind: r.kind } as StoredObject;
    next.metadata = { ...next.metadata, resourceVersion: cur.metadata.resourceVersion };
    if (r.generation && !deepEqual(specPart(r, cur), specPart(r, next))) {
      next.metadata.generation = (cur.metadata.generation ?? 0) + 1;
    }
    if (deepEqual(cur, next)) return cur; // a no-op update writes nothing and sends no event
    if (opts.dryRun) return next;
    if (next.metadata.deletionTimestamp && !(next.metadata.finalizers ?? []).length) {
      return this.finalize(r, next);
    }
    const rv = this.store.nextRv();
    next.metadata.resourceVersion = String(rv);
    this.store.commit({ rv, type: 'MODIFIED', resource: r, object: next, old: cur });
    return next;
  }

  private finalize(r: ResourceType, last: StoredObject): StoredObject {
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

  /** DELETE: answers the object (pods) or a Success Status (the others), as the real server does. */
  delete(
    r: ResourceType,
    ns: string | undefined,
    name: string,
    opts: DeleteOptions = {},
  ): StoredObject | Status {
    const cur = this.existing(r, ns, name);
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
