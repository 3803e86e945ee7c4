// URL paths of the Kubernetes API, parsed into what they address.
import { unknownPath } from './errors.js';
import type { Registry, ResourceType } from './resources.js';

export type Route =
  | { kind: 'version' }
  | { kind: 'health' }
  | { kind: 'api' }
  | { kind: 'apis' }
  | { kind: 'group'; group: string }
  | { kind: 'resources'; group: string; version: string }
  | {
      kind: 'resource';
      r: ResourceType;
      /** Undefined for cluster-scoped types and all-namespaces collection paths. */
      namespace?: string;
      name?: string;
      subresource?: 'status' | 'log' | 'proxy';
      /** The path after `nodes/{name}/proxy/` (the kubelet's API, e.g. `stats/summary`). */
      proxyPath?: string;
      /** The legacy `/watch/` path prefix. */
      watchPath: boolean;
    };

/** Throws a 404 Status error for anything the server does not serve. */
export function route(registry: Registry, pathname: string): Route {
  if (pathname === '/version' || pathname === '/version/') return { kind: 'version' };
  if (['/healthz', '/livez', '/readyz'].includes(pathname)) return { kind: 'health' };
  const segs = pathname.split('/').filter(Boolean).map(decodeURIComponent);
  let group: string;
  let version: string;
  let rest: string[];
  if (segs[0] === 'api') {
    if (segs.length === 1) return { kind: 'api' };
    if (segs[1] !== 'v1') throw unknownPath();
    group = '';
    version = 'v1';
    rest = segs.slice(2);
  } else if (segs[0] === 'apis') {
    if (segs.length === 1) return { kind: 'apis' };
    if (!registry.groups().some((g) => g.group === segs[1])) throw unknownPath();
    if (segs.length === 2) return { kind: 'group', group: segs[1] };
    group = segs[1]!;
    version = segs[2]!;
    rest = segs.slice(3);
  } else throw unknownPath();
  if (registry.inGroupVersion(group, version).length === 0) throw unknownPath();
  if (rest.length === 0) return { kind: 'resources', group, version };

  let watchPath = false;
  if (rest[0] === 'watch') {
    watchPath = true;
    rest = rest.slice(1);
  }
  let namespace: string | undefined;
  const nsScoped =
    rest[0] === 'namespaces' && rest.length >= 3
      ? registry.byPlural(group, version, rest[2])
      : undefined;
  if (nsScoped?.namespaced) {
    namespace = rest[1];
    rest = rest.slice(2);
  }
  const [plural, name, sub, ...extra] = rest;
  const r = registry.byPlural(group, version, plural);
  const nodeProxy = r?.kind === 'Node' && r.group === '' && sub === 'proxy';
  if (!r || (extra.length > 0 && !nodeProxy)) throw unknownPath();
  // A namespaced object is only addressed through its namespace.
  if (r.namespaced && namespace === undefined && name !== undefined) throw unknownPath();
  let subresource: 'status' | 'log' | 'proxy' | undefined;
  if (sub !== undefined) {
    if (sub === 'status' && r.statusSubresource) subresource = 'status';
    else if (sub === 'log' && r.kind === 'Pod' && r.group === '') subresource = 'log';
    else if (nodeProxy) subresource = 'proxy';
    else throw unknownPath();
  }
  const out: Route = { kind: 'resource', r, watchPath };
  if (namespace !== undefined) out.namespace = namespace;
  if (name !== undefined) out.name = name;
  if (subresource) out.subresource = subresource;
  if (nodeProxy) out.proxyPath = extra.join('/');
  return out;
}
