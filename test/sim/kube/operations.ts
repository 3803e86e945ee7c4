// Write semantics of the real API server on top of the store: create, update (PUT), patch and
// delete, with status subresources, generation, preconditions, finalizers and graceful pod deletion.
import { randomUUID } from 'node:crypto';
import { applyCreateDefaults, formatTimestamp } from './defaults.js';
import { Deletion } from './deletion.js';
import type { DeleteOptions } from './deletion.js';
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

export type { DeleteOptions } from './deletion.js';

export interface WriteOptions {
  dryRun?: boolean;
  subresource?: 'status';
}

const GENERATE_CHARS = 'bcdfghjklmnpqrstvwxz2456789';

/** Everything except metadata (and status when it has its own subresource): what bumps generation. */
function specPart(r: ResourceType, o: KubeObject): Record<string, unknown> {
  const { metadata: _m, status, kind: _k, apiVersion: _a, ...rest } = o;
  return r.statusSubresource ? rest : { ...rest, status };
}

export class Operations {
  private readonly deletion: Deletion;

  constructor(
    private readonly store: ObjectStore,
    private readonly registry: Registry,
    private readonly now: () => Date,
  ) {
    this.deletion = new Deletion(store, registry, now);
  }

  /** DELETE: answers the object (pods) or a Success Status (the others), as the real server does. */
  delete(
    r: ResourceType,
    ns: string | undefined,
    name: string,
    opts: DeleteOptions = {},
  ): StoredObject | Status {
    return this.deletion.delete(r, this.existing(r, ns, name), opts);
  }

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
      return this.deletion.finalize(r, next);
    }
    const rv = this.store.nextRv();
    next.metadata.resourceVersion = String(rv);
    this.store.commit({ rv, type: 'MODIFIED', resource: r, object: next, old: cur });
    return next;
  }
}
