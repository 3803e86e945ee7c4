// Finds the Kubernetes API access that source code needs, by reading it: the typed client methods
// of @kubernetes/client-node (`listNamespacedPod`, `readNamespacedPodLog`,
// `createNamespacedCustomObject`…), informer/watch paths (`makeInformer`, `ListWatch`,
// `Watch#watch`), and the helper classes (`Log`, `Exec`, `Attach`, `PortForward`). Used by
// rbac.test.ts to check that every call is granted by helm/healer/rbac-required.yaml.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

export interface Access {
  group: string;
  resource: string;
  verb: string;
}

export interface Call {
  file: string;
  line: number;
  call: string;
  /** The access the call needs. With `candidates`, any one of them (the resource was ambiguous). */
  access: Access[];
  /** True when the resource could only be narrowed to several candidates, not resolved. */
  ambiguous?: boolean;
  /** Why the call could not be resolved at all. */
  unresolved?: string;
}

export interface Rule {
  apiGroups: string[];
  resources: string[];
  verbs: string[];
}

export const key = (a: Access) => `${a.group || 'core'}/${a.resource}:${a.verb}`;

/** Expands RBAC rules into access keys (`core/pods:get`). */
export function expand(rules: Rule[]): Set<string> {
  const out = new Set<string>();
  for (const r of rules)
    for (const group of r.apiGroups)
      for (const resource of r.resources)
        for (const verb of r.verbs) out.add(key({ group, resource, verb }));
  return out;
}

/** Replaces comments with spaces (keeping offsets and line numbers); strings stay. */
export function stripComments(src: string): string {
  const out = src.split('');
  let i = 0;
  let quote: string | null = null;
  while (i < src.length) {
    const c = src[i];
    const n = src[i + 1];
    if (quote) {
      if (c === '\\') i += 2;
      else {
        if (c === quote) quote = null;
        i++;
      }
      continue;
    }
    if (c === "'" || c === '"' || c === '`') {
      quote = c;
      i++;
    } else if (c === '/' && n === '/') {
      while (i < src.length && src[i] !== '\n') out[i++] = ' ';
    } else if (c === '/' && n === '*') {
      const end = src.indexOf('*/', i + 2);
      const stop = end < 0 ? src.length : end + 2;
      for (; i < stop; i++) if (out[i] !== '\n') out[i] = ' ';
    } else i++;
  }
  return out.join('');
}

/** The text between the parenthesis at `open` and its match (strings respected). */
function argsAt(src: string, open: number): string {
  let depth = 0;
  let quote: string | null = null;
  for (let i = open; i < src.length; i++) {
    const c = src[i];
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = null;
      continue;
    }
    if (c === "'" || c === '"' || c === '`') quote = c;
    else if (c === '(' || c === '{' || c === '[') depth++;
    else if (c === ')' || c === '}' || c === ']') {
      depth--;
      if (depth === 0) return src.slice(open + 1, i);
    }
  }
  return src.slice(open + 1);
}

const lineOf = (src: string, index: number) => src.slice(0, index).split('\n').length;

/** Kinds of the typed client APIs: kind -> [apiGroup, resource]. */
const KINDS: Record<string, [string, string]> = {
  Pod: ['', 'pods'],
  Event: ['', 'events'],
  ConfigMap: ['', 'configmaps'],
  Secret: ['', 'secrets'],
  Service: ['', 'services'],
  ServiceAccount: ['', 'serviceaccounts'],
  Namespace: ['', 'namespaces'],
  Node: ['', 'nodes'],
  Endpoints: ['', 'endpoints'],
  PersistentVolumeClaim: ['', 'persistentvolumeclaims'],
  PersistentVolume: ['', 'persistentvolumes'],
  ReplicationController: ['', 'replicationcontrollers'],
  LimitRange: ['', 'limitranges'],
  ResourceQuota: ['', 'resourcequotas'],
  Lease: ['coordination.k8s.io', 'leases'],
  Deployment: ['apps', 'deployments'],
  StatefulSet: ['apps', 'statefulsets'],
  ReplicaSet: ['apps', 'replicasets'],
  DaemonSet: ['apps', 'daemonsets'],
  Job: ['batch', 'jobs'],
  CronJob: ['batch', 'cronjobs'],
  Role: ['rbac.authorization.k8s.io', 'roles'],
  RoleBinding: ['rbac.authorization.k8s.io', 'rolebindings'],
  ClusterRole: ['rbac.authorization.k8s.io', 'clusterroles'],
  ClusterRoleBinding: ['rbac.authorization.k8s.io', 'clusterrolebindings'],
  NetworkPolicy: ['networking.k8s.io', 'networkpolicies'],
  Ingress: ['networking.k8s.io', 'ingresses'],
  PodDisruptionBudget: ['policy', 'poddisruptionbudgets'],
  CustomResourceDefinition: ['apiextensions.k8s.io', 'customresourcedefinitions'],
  StorageClass: ['storage.k8s.io', 'storageclasses'],
  HorizontalPodAutoscaler: ['autoscaling', 'horizontalpodautoscalers'],
};
/** Cluster-scoped kinds: their methods carry no `Namespaced`. */
const CLUSTER_KINDS = new Set([
  'Namespace',
  'Node',
  'PersistentVolume',
  'ClusterRole',
  'ClusterRoleBinding',
  'CustomResourceDefinition',
  'StorageClass',
]);
const SUBRESOURCES = [
  'Log',
  'Status',
  'Scale',
  'Eviction',
  'Binding',
  'Ephemeralcontainers',
  'Exec',
  'Attach',
  'Portforward',
  'Proxy',
  'Token',
  'Resize',
];
const VERBS: Record<string, string> = {
  list: 'list',
  read: 'get',
  get: 'get',
  create: 'create',
  replace: 'update',
  patch: 'patch',
  delete: 'delete',
  deleteCollection: 'deletecollection',
};

function kindAccess(kind: string, fileText: string): { group: string; resource: string } {
  const events = (k: string): [string, string] | undefined =>
    k === 'Event' && /\bEventsV1Api\b/.test(fileText) ? ['events.k8s.io', 'events'] : KINDS[k];
  const whole = events(kind);
  if (whole) return { group: whole[0], resource: whole[1] };
  for (const sub of SUBRESOURCES) {
    if (kind.endsWith(sub) && kind.length > sub.length) {
      const base = events(kind.slice(0, -sub.length));
      if (base) return { group: base[0], resource: `${base[1]}/${sub.toLowerCase()}` };
    }
  }
  // A kind this table does not know: its group is unknown, so no rule can grant it by accident.
  const plural = kind.toLowerCase().replace(/y$/, 'ie') + 's';
  return { group: '?', resource: plural };
}

/**
 * `/api/v1/namespaces/x/pods/y/log` or `/apis/g/v/…` -> group, resource (with subresource) and
 * whether it names one object; `*` stands for a computed segment.
 */
export function parseApiPath(
  path: string,
): { group: string; resource: string; item: boolean } | undefined {
  const segs = path
    .replace(/\$\{[^}]*\}/g, '*')
    .replace(/\?.*$/, '')
    .split('/')
    .filter(Boolean);
  let group: string;
  let rest: string[];
  if (segs[0] === 'api' && segs[1] === 'v1') {
    group = '';
    rest = segs.slice(2);
  } else if (segs[0] === 'apis' && segs.length >= 3) {
    group = segs[1]!;
    rest = segs.slice(3);
  } else return undefined;
  if (rest[0] === 'namespaces' && rest.length >= 3) rest = rest.slice(2);
  if (rest.length === 0 || rest.length > 3) return undefined;
  const resource = rest.length === 3 ? `${rest[0]}/${rest[2]}` : rest[0];
  return { group, resource, item: rest.length >= 2 };
}

const API_PATH = /(['"`])(\/apis?\/[^'"`]*)\1/g;
const PLURAL_LITERAL = /\bplural\s*[:=]\s*(['"`])([a-z0-9.-]+)\1/g;
const GROUP_LITERAL = /\bgroup\s*[:=]\s*(['"`])([a-z0-9.-]+)\1/g;

function all(re: RegExp, text: string, index = 2): string[] {
  return [...text.matchAll(new RegExp(re.source, 'g'))].map((m) => m[index]);
}

export interface ScanContext {
  /** Text of the file (comments stripped) plus of the files it imports relatively, for constants. */
  neighbourhood: string;
  /** Resource -> API group of custom resources, when it is unambiguous (from the contract). */
  groupOf: Record<string, string>;
  /**
   * Collections the code addresses through tables rather than literal paths (objects with
   * `plural` and `prefix: '/api/v1' | '/apis/<group>/<version>'`, e.g. the informer hub's
   * WATCHED_KINDS). Generic list/watch machinery over a computed path (a reflector) must be
   * granted its verbs on every one of them.
   */
  collections?: { group: string; resource: string }[];
  /**
   * The file talks to the API server (imports @kubernetes/client-node or a module that makes raw
   * requests): its literal `/api/v1/…` and `/apis/…` paths are Kubernetes paths, not Healer's own
   * routes.
   */
  kubeFile?: boolean;
}

/** `{ plural: 'pods', prefix: '/api/v1' }`-style specs in a source text. */
export function collectionSpecs(text: string): { group: string; resource: string }[] {
  const out: { group: string; resource: string }[] = [];
  for (const m of stripComments(text).matchAll(/\{[^{}]*\}/g)) {
    const body = m[0];
    const plural = /\bplural\s*:\s*(['"`])([a-z0-9.-]+)\1/.exec(body)?.[2];
    const prefix = /\bprefix\s*:\s*(['"`])(\/apis?(?:\/[^'"`]*)?)\1/.exec(body)?.[2];
    if (!plural || !prefix) continue;
    const g = /^\/apis\/([^/]+)\/[^/]+\/?$/.exec(prefix);
    if (prefix.replace(/\/$/, '') === '/api/v1') out.push({ group: '', resource: plural });
    else if (g) out.push({ group: g[1], resource: plural });
  }
  return out;
}

/** The Kubernetes calls in one source text. */
export function scanText(file: string, text: string, ctx: ScanContext): Call[] {
  const src = stripComments(text);
  const calls: Call[] = [];
  const widePlurals = [...new Set(all(PLURAL_LITERAL, ctx.neighbourhood))];
  const wideGroups = [...new Set(all(GROUP_LITERAL, ctx.neighbourhood))];
  const groupFor = (plural: string, literal?: string) =>
    literal ?? ctx.groupOf[plural] ?? (wideGroups.length === 1 ? wideGroups[0] : '?');

  // Custom resources: resolve plural (and group) from the call, else from the file's constants.
  const customAccess = (args: string, verb: string, sub: string, call: string, index: number) => {
    const line = lineOf(src, index);
    const plural = /\bplural\s*:\s*(['"`])([a-z0-9.-]+)\1/.exec(args)?.[2];
    const group = /\bgroup\s*:\s*(['"`])([a-z0-9.-]+)\1/.exec(args)?.[2];
    if (plural) {
      calls.push({
        file,
        line,
        call,
        access: [{ group: groupFor(plural, group), resource: plural + sub, verb }],
      });
      return;
    }
    const ident = /\bplural\s*:\s*([A-Za-z_$][\w$.]*)/.exec(args)?.[1];
    if (ident) {
      const name = ident.split('.').pop()!;
      const re = new RegExp(`\\b${name}\\s*[:=]\\s*(['"\`])([a-z0-9.-]+)\\1`, 'g');
      const values = [...new Set(all(re, ctx.neighbourhood))];
      if (values.length === 1) {
        calls.push({
          file,
          line,
          call,
          access: [{ group: groupFor(values[0], group), resource: values[0] + sub, verb }],
        });
        return;
      }
    }
    if (widePlurals.length) {
      calls.push({
        file,
        line,
        call,
        ambiguous: widePlurals.length > 1,
        access: widePlurals.map((p) => ({ group: groupFor(p, group), resource: p + sub, verb })),
      });
      return;
    }
    calls.push({ file, line, call, access: [], unresolved: 'cannot tell which custom resource' });
  };

  const handled: [number, number][] = [];
  const pathAccess = (args: string, verbs: string[], call: string, index: number) => {
    const line = lineOf(src, index);
    handled.push([index, index + args.length + 64]);
    let paths = all(API_PATH, args);
    let ambiguous = false;
    if (!paths.length) {
      paths = [...new Set(all(API_PATH, ctx.neighbourhood))];
      ambiguous = paths.length > 1;
    }
    const access: Access[] = [];
    for (const p of paths) {
      const parsed = parseApiPath(p);
      if (!parsed) continue;
      const resources =
        parsed.resource.startsWith('*') && widePlurals.length
          ? widePlurals.map((w) => ({
              group: parsed.group === '*' ? groupFor(w) : parsed.group,
              resource: w + parsed.resource.slice(1),
            }))
          : [{ group: parsed.group, resource: parsed.resource }];
      if (resources.length > 1) ambiguous = true;
      for (const r of resources) for (const verb of verbs) access.push({ ...r, verb });
    }
    if (!access.length && !paths.length && ctx.collections?.length) {
      // A computed path (e.g. a reflector given `${prefix}/namespaces/${ns}/${plural}`): every
      // collection the code's spec tables name goes through it.
      for (const c of ctx.collections) for (const verb of verbs) access.push({ ...c, verb });
      calls.push({ file, line, call, access });
      return;
    }
    if (!access.length) {
      calls.push({ file, line, call, access, unresolved: 'cannot tell which API path it uses' });
      return;
    }
    if (ambiguous) {
      // Each verb must be granted on at least one candidate: group the candidates per verb.
      for (const verb of verbs)
        calls.push({ file, line, call, ambiguous, access: access.filter((a) => a.verb === verb) });
    } else calls.push({ file, line, call, access });
  };

  const method =
    /\.\s*(list|read|create|replace|patch|delete|deleteCollection|get|connect(?:Get|Post|Put|Delete|Patch|Head|Options))(Namespaced|Cluster)?([A-Z][A-Za-z0-9]*?)(ForAllNamespaces)?\s*\(/g;
  for (const m of src.matchAll(method)) {
    const [whole, verbWord, scope, kind, allNs] = m;
    const open = m.index + whole.length - 1;
    const call = whole.slice(1, -1).trim();
    const verb = verbWord.startsWith('connect') ? 'create' : VERBS[verbWord];
    const custom = /^CustomObject(Status|Scale)?$/.exec(kind);
    if (custom && (scope === 'Namespaced' || scope === 'Cluster')) {
      customAccess(argsAt(src, open), verb, custom[1] ? `/${custom[1].toLowerCase()}` : '', call, m.index);
      continue;
    }
    if (!scope && !allNs && !CLUSTER_KINDS.has(kind)) continue; // not a Kubernetes call
    if (scope === 'Cluster') continue;
    const { group, resource } = kindAccess(kind, src);
    calls.push({ file, line: lineOf(src, m.index), call, access: [{ group, resource, verb }] });
  }

  for (const m of src.matchAll(/\b(makeInformer|new\s+ListWatch)\s*\(/g)) {
    const open = m.index + m[0].length - 1;
    pathAccess(argsAt(src, open), ['list', 'watch'], m[1].replace(/\s+/, ' '), m.index);
  }
  if (/\bnew\s+Watch\s*\(/.test(src)) {
    let found = false;
    for (const m of src.matchAll(/\.watch\s*\(/g)) {
      const args = argsAt(src, m.index + m[0].length - 1);
      if (all(API_PATH, args).length || !/^\s*['"`]/.test(args)) {
        found = true;
        pathAccess(args, ['watch'], 'Watch#watch', m.index);
      }
    }
    if (!found) pathAccess('', ['watch'], 'new Watch', src.search(/\bnew\s+Watch\s*\(/));
  }
  // Raw requests with the client's RequestContext (GET helpers used for paged lists).
  for (const m of src.matchAll(/\bnew\s+RequestContext\s*\(/g)) {
    const args = argsAt(src, m.index + m[0].length - 1);
    const method = /HttpMethod\.(\w+)/.exec(args)?.[1] ?? '?';
    if (method === 'GET') pathAccess(args, ['list'], 'RequestContext GET', m.index);
    else
      calls.push({
        file,
        line: lineOf(src, m.index),
        call: `RequestContext ${method}`,
        access: [],
        unresolved: `a raw ${method} request cannot be checked statically`,
      });
  }
  // Any other literal API path is at least read: a collection listed, an object or subresource got.
  for (const m of ctx.kubeFile ? src.matchAll(API_PATH) : []) {
    if (handled.some(([a, b]) => m.index >= a && m.index <= b)) continue;
    const parsed = parseApiPath(m[2]);
    if (!parsed || parsed.resource.startsWith('*') || parsed.group === '*') continue;
    const { group, resource, item } = parsed;
    const verb = item ? 'get' : 'list';
    calls.push({
      file,
      line: lineOf(src, m.index),
      call: `path ${m[2]}`,
      access: [{ group, resource, verb }],
    });
  }
  const helpers: Record<string, string> = {
    Log: 'pods/log:get',
    Exec: 'pods/exec:create',
    Attach: 'pods/attach:create',
    PortForward: 'pods/portforward:create',
  };
  for (const m of src.matchAll(/\bnew\s+(Log|Exec|Attach|PortForward)\s*\(/g)) {
    const [resource, verb] = helpers[m[1]].split(':') as [string, string];
    calls.push({
      file,
      line: lineOf(src, m.index),
      call: `new ${m[1]}`,
      access: [{ group: '', resource, verb }],
    });
  }
  for (const m of src.matchAll(/\bKubernetesObjectApi\b/g)) {
    calls.push({
      file,
      line: lineOf(src, m.index),
      call: 'KubernetesObjectApi',
      access: [],
      unresolved: 'the generic object API cannot be checked statically',
    });
  }
  return calls;
}

function tsFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...tsFiles(p));
    else if (p.endsWith('.ts') && !p.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

/** Scans every `*.ts` under `srcDir`; file names in the result are relative to `root`. */
export function scanTree(
  root: string,
  srcDir: string,
  groupOf: Record<string, string>,
  skip: (file: string) => boolean = () => false,
): Call[] {
  const calls: Call[] = [];
  const files = tsFiles(srcDir).filter((abs) => !skip(relative(root, abs)));
  const collections = files.flatMap((abs) => collectionSpecs(readFileSync(abs, 'utf8')));
  const rawHelpers = new Set(
    files.filter((abs) => /\bnew\s+RequestContext\s*\(/.test(readFileSync(abs, 'utf8'))),
  );
  for (const abs of files) {
    const text = readFileSync(abs, 'utf8');
    const imports = [...text.matchAll(/from\s+['"](\.{1,2}\/[^'"]+)['"]/g)].map((m) =>
      resolve(dirname(abs), m[1].replace(/\.js$/, '.ts')),
    );
    const kubeFile =
      /from\s+['"]@kubernetes\/client-node['"]/.test(text) ||
      imports.some((i) => rawHelpers.has(i));
    if (!/@kubernetes\/client-node|makeInformer|Namespaced|ForAllNamespaces|['"`]\/apis?\//.test(text))
      continue;
    // Constants may live in the modules it imports (one level of relative imports).
    let neighbourhood = stripComments(text);
    for (const target of imports)
      if (existsSync(target)) neighbourhood += '\n' + stripComments(readFileSync(target, 'utf8'));
    calls.push(
      ...scanText(relative(root, abs), text, { neighbourhood, groupOf, collections, kubeFile }),
    );
  }
  return calls;
}
