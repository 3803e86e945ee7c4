// List answers: `<Kind>List` (or a Table), selectors, and limit/continue paging.
import type { Answer, ResourceRoute, SimContext } from './context.js';
import { KubeApiError, badRequest, failure } from './errors.js';
import { includeObject, intParam, matcher } from './query.js';
import type { ResourceType } from './resources.js';
import { apiVersionOf } from './resources.js';
import { toTable, wantsTable } from './table.js';
import type { KubeObject, StoredObject } from './types.js';

/** List items of built-in types carry no kind/apiVersion on the wire; custom resources keep them. */
export function listItem(r: ResourceType, o: StoredObject): KubeObject {
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

export function list(
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
