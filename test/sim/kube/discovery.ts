// Discovery documents in the real (legacy, non-aggregated) shapes kubectl and clients read:
// /version, /api, /apis, /apis/<group>, /api/v1 and /apis/<group>/<version>.
import type { Registry, ResourceType } from './resources.js';

export const SERVER_VERSION = {
  major: '1',
  minor: '32',
  gitVersion: 'v1.32.4',
  gitCommit: '59526cd4867447956156ae3a602fcbac10a2c335',
  gitTreeState: 'clean',
  buildDate: '2025-04-22T16:02:27Z',
  goVersion: 'go1.23.6',
  compiler: 'gc',
  platform: 'linux/amd64',
};

export function apiVersions(serverAddress: string): unknown {
  return {
    kind: 'APIVersions',
    versions: ['v1'],
    serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }],
  };
}

function groupDoc(group: string, version: string): Record<string, unknown> {
  const gv = { groupVersion: `${group}/${version}`, version };
  return { name: group, versions: [gv], preferredVersion: gv };
}

export function apiGroupList(registry: Registry): unknown {
  return {
    kind: 'APIGroupList',
    apiVersion: 'v1',
    groups: registry.groups().map((g) => groupDoc(g.group, g.version)),
  };
}

export function apiGroup(registry: Registry, group: string): unknown {
  const g = registry.groups().find((x) => x.group === group);
  if (!g) return undefined;
  return { kind: 'APIGroup', apiVersion: 'v1', ...groupDoc(g.group, g.version) };
}

function resourceEntries(r: ResourceType): Record<string, unknown>[] {
  const main: Record<string, unknown> = {
    name: r.plural,
    singularName: r.singular,
    namespaced: r.namespaced,
    kind: r.kind,
    verbs: r.verbs,
  };
  if (r.shortNames.length) main.shortNames = r.shortNames;
  if (r.categories) main.categories = r.categories;
  const out = [main];
  if (r.statusSubresource) {
    out.push({
      name: `${r.plural}/status`,
      singularName: '',
      namespaced: r.namespaced,
      kind: r.kind,
      verbs: ['get', 'patch', 'update'],
    });
  }
  if (r.kind === 'Pod' && r.group === '') {
    out.push({ name: 'pods/log', singularName: '', namespaced: true, kind: 'Pod', verbs: ['get'] });
  }
  return out;
}

export function apiResourceList(registry: Registry, group: string, version: string): unknown {
  const types = registry.inGroupVersion(group, version);
  if (types.length === 0) return undefined;
  const resources = types.flatMap(resourceEntries);
  // The core list carries no apiVersion on a real server; group lists do.
  if (!group) return { kind: 'APIResourceList', groupVersion: version, resources };
  return {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: `${group}/${version}`,
    resources,
  };
}
