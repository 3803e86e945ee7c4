// Resource requests: watch, get, create, update, patch, delete, deletecollection, status
// subresources and pod logs (lists are in list.ts).
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Answer, ResourceRoute, SimContext } from './context.js';
import {
  badRequest,
  failure,
  KubeApiError,
  methodNotAllowed,
  notFound,
  unsupportedMediaType,
} from './errors.js';
import { list, listItem } from './list.js';
import { PATCH_TYPES } from './patch.js';
import {
  deleteOptions,
  flag,
  includeObject,
  intParam,
  logQuery,
  matcher,
  parseBody,
} from './query.js';
import { apiVersionOf } from './resources.js';
import { toTable, wantsTable } from './table.js';

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

/**
 * `GET /api/v1/nodes/{name}/proxy/{path}`: the API server proxies to the node's kubelet. The
 * simulator has no kubelet; a test sets what it answers (`sim.setKubelet`). A node without one
 * answers as the API server does when the kubelet cannot be dialled (503 ServiceUnavailable).
 */
function kubeletProxy(ctx: SimContext, rt: ResourceRoute, method: string, name: string): Answer {
  if (method !== 'GET') throw methodNotAllowed();
  const node = ctx.store.get(rt.r, undefined, name);
  if (!node) throw notFound(rt.r, name);
  const answer = ctx.kubelet.get(name)?.get(rt.proxyPath ?? '');
  if (answer !== undefined) return { status: 200, body: answer };
  if (ctx.kubelet.has(name))
    throw new KubeApiError(
      failure(404, 'NotFound', 'the server could not find the requested resource'),
    );
  throw new KubeApiError(
    failure(
      503,
      'ServiceUnavailable',
      `error trying to reach service: dial tcp 10.0.0.1:10250: connect: connection refused`,
    ),
  );
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
  // Read-only APIs (metrics.k8s.io) refuse writes as the real server does; the test-only PUT
  // of `upsertOnPut` is the one exception.
  const writes = ['create', 'update', 'patch', 'delete'];
  if (
    method !== 'GET' &&
    !(method === 'PUT' && r.upsertOnPut) &&
    !r.verbs.some((v) => writes.includes(v))
  )
    throw methodNotAllowed();
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
  if (rt.subresource === 'proxy') return kubeletProxy(ctx, rt, method, name);
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
      if (r.upsertOnPut && !rt.subresource && !ctx.store.get(r, rt.namespace, name))
        return {
          status: 201,
          body: ctx.ops.create(r, rt.namespace, parseBody(req, body), { dryRun }),
        };
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
