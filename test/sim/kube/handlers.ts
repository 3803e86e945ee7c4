// Resource requests: list (with selectors and paging), watch, get, create, update, patch, delete,
// deletecollection, status subresources and pod logs.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { parse as parseYaml } from 'yaml';
import {
  KubeApiError,
  badRequest,
  failure,
  methodNotAllowed,
  notFound,
  unsupportedMediaType,
} from './errors.js';
import type { LogQuery, LogStore } from './logs.js';
import type { DeleteOptions, Operations } from './operations.js';
import { PATCH_TYPES } from './patch.js';
import type { Registry, ResourceType } from './resources.js';
import { apiVersionOf } from './resources.js';
import type { Route } from './routing.js';
import type { Matcher } from './selectors.js';
import { parseFieldSelector, parseLabelSelector } from './selectors.js';
import type { ObjectStore } from './store.js';
import type { IncludeObject } from './table.js';
import { toTable, wantsTable } from './table.js';
import type { KubeObject, StoredObject } from './types.js';
import type { WatchHub } from './watch.js';

export interface SimContext {
  registry: Registry;
  store: ObjectStore;
  ops: Operations;
  logs: LogStore;
  watches: WatchHub;
  now: () => Date;
}

export interface Answer {
  status: number;
  body: unknown;
}

type ResourceRoute = Extract<Route, { kind: 'resource' }>;

function flag(q: URLSearchParams, key: string): boolean {
  const v = q.get(key);
  return v === 'true' || v === '1';
}

function intParam(q: URLSearchParams, key: string): number | undefined {
  const v = q.get(key);
  if (v === null || v === '') return undefined;
  if (!/^-?\d+$/.test(v)) throw badRequest(`invalid value for ${key}: ${v}`);
  return Number(v);
}

/** List items of built-in types carry no kind/apiVersion on the wire; custom resources keep them. */
function listItem(r: ResourceType, o: StoredObject): KubeObject {
  if (r.custom) return o;
  const { kind: _k, apiVersion: _a, ...rest } = o;
  return rest;
}

function objKey(o: StoredObject): string {
  return `${o.metadata.namespace ?? ''}/${o.metadata.name}`;
}

interface ContinueToken {
  v: string;
  rv: number;
  start: string;
}

function encodeContinue(rv: number, start: string): string {
  return Buffer.from(JSON.stringify({ v: 'meta.k8s.io/v1', rv, start })).toString('base64url');
}

function decodeContinue(token: string): ContinueToken {
  try {
    const t = JSON.parse(Buffer.from(token, 'base64url').toString()) as ContinueToken;
    if (t.v !== 'meta.k8s.io/v1' || typeof t.rv !== 'number' || typeof t.start !== 'string')
      throw new Error('bad');
    return t;
  } catch {
    throw badRequest(
      'continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)',
    );
  }
}

function matcher(r: ResourceType, q: URLSearchParams): Matcher {
  const l = parseLabelSelector(q.get('labelSelector'));
  const f = parseFieldSelector(q.get('fieldSelector'), r);
  return (o) => l(o) && f(o);
}

function includeObject(q: URLSearchParams): IncludeObject {
  const v = q.get('includeObject');
  return v === 'None' || v === 'Object' ? v : 'Metadata';
}

function list(
  ctx: SimContext,
  rt: ResourceRoute,
  q: URLSearchParams,
  accept: string | undefined,
): Answer {
  const { r } = rt;
  const matches = matcher(r, q);
  let items = ctx.store.list(r, rt.namespace).filter(matches);
  let rv = ctx.store.currentRv();
  const cont = q.get('continue');
  if (cont) {
    const t = decodeContinue(cont);
    if (t.rv < ctx.store.oldestWatchableRv()) {
      throw new KubeApiError(
        failure(
          410,
          'Expired',
          'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue value from the response.',
        ),
      );
    }
    rv = t.rv;
    items = items.filter((o) => objKey(o) >= t.start);
  }
  const metadata: Record<string, unknown> = { resourceVersion: String(rv) };
  const limit = intParam(q, 'limit');
  if (limit !== undefined && limit > 0 && items.length > limit) {
    const next = items[limit];
    metadata.continue = encodeContinue(rv, objKey(next));
    if (!q.get('labelSelector') && !q.get('fieldSelector'))
      metadata.remainingItemCount = items.length - limit;
    items = items.slice(0, limit);
  }
  if (wantsTable(accept)) {
    const table = toTable(r, items, {
      resourceVersion: String(rv),
      include: includeObject(q),
      now: ctx.now(),
    }) as Record<string, unknown>;
    table.metadata = metadata;
    return { status: 200, body: table };
  }
  return {
    status: 200,
    body: {
      kind: `${r.kind}List`,
      apiVersion: apiVersionOf(r),
      metadata,
      items: items.map((o) => listItem(r, o)),
    },
  };
}

function watch(
  ctx: SimContext,
  rt: ResourceRoute,
  q: URLSearchParams,
  accept: string | undefined,
  res: ServerResponse,
): void {
  const { r } = rt;
  const matches = matcher(r, q);
  const rv = q.get('resourceVersion') ?? undefined;
  if (rv && !/^\d+$/.test(rv)) throw badRequest(`invalid resource version: ${rv}`);
  const table = wantsTable(accept);
  const include = includeObject(q);
  const timeoutSeconds = intParam(q, 'timeoutSeconds');
  ctx.watches.serve(
    {
      resource: r,
      ...(rt.namespace !== undefined ? { namespace: rt.namespace } : {}),
      matches: rt.name === undefined ? matches : (o) => o.metadata?.name === rt.name && matches(o),
      ...(rv !== undefined ? { resourceVersion: rv } : {}),
      allowBookmarks: flag(q, 'allowWatchBookmarks'),
      ...(timeoutSeconds !== undefined ? { timeoutSeconds } : {}),
      sendInitialEvents: flag(q, 'sendInitialEvents'),
      render: (o, type) =>
        table && type !== 'BOOKMARK' ? toTable(r, [o], { include, now: ctx.now() }) : o,
    },
    res,
  );
}

function parseBody(req: IncomingMessage, body: Buffer): KubeObject {
  const ct = (req.headers['content-type'] ?? 'application/json').split(';')[0].trim().toLowerCase();
  const text = body.toString('utf8');
  if (!text.trim()) throw badRequest('the body of the request was empty');
  try {
    if (ct === 'application/yaml' || ct === 'application/x-yaml')
      return parseYaml(text) as KubeObject;
    if (ct === 'application/json' || ct === '*/*' || ct === '')
      return JSON.parse(text) as KubeObject;
  } catch (e) {
    throw badRequest(`couldn't get version/kind; json parse error: ${(e as Error).message}`);
  }
  throw unsupportedMediaType(ct, [
    'application/json',
    'application/yaml',
    'application/vnd.kubernetes.protobuf',
  ]);
}

function patch(
  ctx: SimContext,
  rt: ResourceRoute,
  req: IncomingMessage,
  body: Buffer,
  dryRun: boolean,
): Answer {
  const { r } = rt;
  const ct = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
  const accepted = r.custom
    ? [PATCH_TYPES.json, PATCH_TYPES.merge, PATCH_TYPES.apply]
    : [PATCH_TYPES.json, PATCH_TYPES.merge, PATCH_TYPES.apply, PATCH_TYPES.strategic];
  if (!accepted.includes(ct as (typeof accepted)[number]) || ct === PATCH_TYPES.apply)
    throw unsupportedMediaType(ct, accepted);
  let patchBody: unknown;
  try {
    patchBody = JSON.parse(body.toString('utf8'));
  } catch (e) {
    throw badRequest(`error decoding patch: ${(e as Error).message}`);
  }
  const opts = {
    dryRun,
    ...(rt.subresource === 'status' ? { subresource: 'status' as const } : {}),
  };
  return { status: 200, body: ctx.ops.patch(r, rt.namespace, rt.name!, ct, patchBody, opts) };
}

function deleteOptions(q: URLSearchParams, body: Buffer, dryRun: boolean): DeleteOptions {
  const opts: DeleteOptions = { dryRun };
  let parsed: {
    gracePeriodSeconds?: number;
    preconditions?: DeleteOptions['preconditions'];
    dryRun?: string[];
  } = {};
  if (body.length > 0) {
    try {
      parsed = JSON.parse(body.toString('utf8')) as typeof parsed;
    } catch {
      throw badRequest('the body of the request was not valid DeleteOptions');
    }
  }
  const grace = intParam(q, 'gracePeriodSeconds') ?? parsed.gracePeriodSeconds;
  if (grace !== undefined) opts.gracePeriodSeconds = grace;
  if (parsed.preconditions) opts.preconditions = parsed.preconditions;
  if (parsed.dryRun?.includes('All')) opts.dryRun = true;
  return opts;
}

function logQuery(q: URLSearchParams): LogQuery {
  const out: LogQuery = {
    follow: flag(q, 'follow'),
    previous: flag(q, 'previous'),
    timestamps: flag(q, 'timestamps'),
  };
  const container = q.get('container');
  if (container) out.container = container;
  const tail = intParam(q, 'tailLines');
  if (tail !== undefined) out.tailLines = tail;
  const since = intParam(q, 'sinceSeconds');
  if (since !== undefined) out.sinceSeconds = since;
  const sinceTime = q.get('sinceTime');
  if (sinceTime) {
    const d = new Date(sinceTime);
    if (Number.isNaN(d.getTime()))
      throw badRequest(`parsing time "${sinceTime}" as "2006-01-02T15:04:05Z07:00": cannot parse`);
    out.sinceTime = d;
  }
  const limitBytes = intParam(q, 'limitBytes');
  if (limitBytes !== undefined) out.limitBytes = limitBytes;
  return out;
}

/** Handle one resource request; returns undefined when it streamed the answer itself. */
export function handleResource(
  ctx: SimContext,
  rt: ResourceRoute,
  req: IncomingMessage,
  res: ServerResponse,
  q: URLSearchParams,
  body: Buffer,
): Answer | undefined {
  const { r } = rt;
  const method = req.method ?? 'GET';
  const accept = req.headers.accept;
  const dryRun = q.getAll('dryRun').includes('All');
  const isWatch = rt.watchPath || flag(q, 'watch');
  if (method === 'GET' && rt.name === undefined) {
    if (isWatch) {
      watch(ctx, rt, q, accept, res);
      return undefined;
    }
    return list(ctx, rt, q, accept);
  }
  if (rt.name === undefined) {
    if (method === 'POST' && (rt.namespace !== undefined || !r.namespaced)) {
      return {
        status: 201,
        body: ctx.ops.create(r, rt.namespace, parseBody(req, body), { dryRun }),
      };
    }
    if (method === 'DELETE' && (rt.namespace !== undefined || !r.namespaced)) {
      const matches = matcher(r, q);
      const doomed = ctx.store.list(r, rt.namespace).filter(matches);
      const opts = deleteOptions(q, body, dryRun);
      for (const o of doomed) ctx.ops.delete(r, o.metadata.namespace, o.metadata.name, opts);
      return {
        status: 200,
        body: {
          kind: `${r.kind}List`,
          apiVersion: apiVersionOf(r),
          metadata: { resourceVersion: String(ctx.store.currentRv()) },
          items: doomed.map((o) => listItem(r, o)),
        },
      };
    }
    throw methodNotAllowed();
  }
  const name = rt.name;
  if (rt.subresource === 'log') {
    if (method !== 'GET') throw methodNotAllowed();
    const pod = ctx.store.get(r, rt.namespace, name);
    if (!pod) throw notFound(r, name);
    ctx.logs.serve(rt.namespace!, pod, logQuery(q), res, ctx.now());
    return undefined;
  }
  const sub = rt.subresource === 'status' ? { subresource: 'status' as const } : {};
  switch (method) {
    case 'GET': {
      if (isWatch) {
        watch(ctx, rt, q, accept, res);
        return undefined;
      }
      const o = ctx.store.get(r, rt.namespace, name);
      if (!o) throw notFound(r, name);
      if (wantsTable(accept))
        return {
          status: 200,
          body: toTable(r, [o], {
            resourceVersion: o.metadata.resourceVersion,
            include: includeObject(q),
            now: ctx.now(),
          }),
        };
      return { status: 200, body: o };
    }
    case 'PUT':
      return {
        status: 200,
        body: ctx.ops.update(r, rt.namespace, name, parseBody(req, body), { dryRun, ...sub }),
      };
    case 'PATCH':
      return patch(ctx, rt, req, body, dryRun);
    case 'DELETE':
      if (rt.subresource) throw methodNotAllowed();
      return {
        status: 200,
        body: ctx.ops.delete(r, rt.namespace, name, deleteOptions(q, body, dryRun)),
      };
    default:
      throw methodNotAllowed();
  }
}
