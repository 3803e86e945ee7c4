// Helpers for the Helm chart tests: a real helm binary (fetched into .tools/ on first use), chart
// rendering, and validation of every rendered object against the Kubernetes schemas of
// kubernetes-models, plus a check for field names those schemas do not know.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv } from 'ajv';
import { parseAllDocuments } from 'yaml';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const CHART = fileURLToPath(new URL('../../helm/healer', import.meta.url));
export const ALL_FEATURES = fileURLToPath(new URL('./values-all-features.yaml', import.meta.url));
const HELM = fileURLToPath(new URL('../../.tools/helm', import.meta.url));
const FETCH = fileURLToPath(new URL('../../scripts/helm.mjs', import.meta.url));

let helmPath: string | undefined;

/** The helm binary: .tools/helm, fetched by scripts/helm.mjs when missing (CI starts empty). */
export function helmBin(): string {
  if (helmPath) return helmPath;
  if (!existsSync(HELM) || spawnSync(HELM, ['version', '--short']).status !== 0) {
    const r = spawnSync(process.execPath, [FETCH], { encoding: 'utf8', timeout: 180_000 });
    if (r.status !== 0) throw new Error(`scripts/helm.mjs failed: ${r.stderr || r.stdout}`);
  }
  helmPath = HELM;
  return helmPath;
}

export interface HelmResult {
  status: number;
  stdout: string;
  stderr: string;
}

export function helm(args: string[]): HelmResult {
  const r = spawnSync(helmBin(), args, {
    encoding: 'utf8',
    cwd: ROOT,
    timeout: 60_000,
    maxBuffer: 64 * 1024 * 1024,
    // No cluster, no user config: helm must not depend on the machine it runs on.
    env: {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: ROOT,
      HELM_CACHE_HOME: `${ROOT}.tools/helm-home/cache`,
      HELM_CONFIG_HOME: `${ROOT}.tools/helm-home/config`,
      HELM_DATA_HOME: `${ROOT}.tools/helm-home/data`,
      KUBECONFIG: '/nonexistent/kubeconfig',
    },
  });
  return { status: r.status ?? -1, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
}

/** A rendered Kubernetes object (loosely typed: tests look inside). */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- rendered manifests: tests look inside by shape
  [key: string]: any;
}

export interface RenderOptions {
  chart?: string;
  values?: string[];
  set?: string[];
  release?: string;
  namespace?: string;
}

/** `helm template <release> <chart> -n <namespace> [-f …] [--set …]`, parsed. Throws on failure. */
export function render(opts: RenderOptions = {}): KubeObject[] {
  const args = [
    'template',
    opts.release ?? 'cto',
    opts.chart ?? CHART,
    '-n',
    opts.namespace ?? 'cto',
    ...(opts.values ?? []).flatMap((f) => ['-f', f]),
    ...(opts.set ?? []).flatMap((s) => ['--set', s]),
  ];
  const r = helm(args);
  if (r.status !== 0) throw new Error(`helm ${args.join(' ')} failed:\n${r.stderr}`);
  return parseManifests(r.stdout);
}

export function parseManifests(text: string): KubeObject[] {
  const out: KubeObject[] = [];
  for (const doc of parseAllDocuments(text)) {
    if (doc.errors.length) throw new Error(`rendered YAML does not parse: ${doc.errors[0].message}`);
    const obj = doc.toJS() as KubeObject | null;
    if (obj) out.push(obj);
  }
  return out;
}

export const find = (objs: KubeObject[], kind: string, name?: string): KubeObject[] =>
  objs.filter((o) => o.kind === kind && (name === undefined || o.metadata.name === name));

// --- validation ---------------------------------------------------------------------------------

const pointer = (path: string, key: string | number) =>
  `${path}/${String(key).replace(/~/g, '~0').replace(/\//g, '~1')}`;

/**
 * Wraps `value` so that every own property a validator reads is recorded (by JSON pointer). The
 * kubernetes-models validators read each property their schema defines and iterate free-form
 * maps; a property they never read is one the schema does not know.
 */
function tracked(value: unknown, path: string, read: Set<string>): unknown {
  if (value === null || typeof value !== 'object') return value;
  return new Proxy(value, {
    get(target, prop, receiver) {
      const v: unknown = Reflect.get(target, prop, receiver);
      if (typeof prop === 'string' && Object.hasOwn(target, prop)) {
        const p = pointer(path, prop);
        read.add(p);
        return tracked(v, p, read);
      }
      return v;
    },
    has(target, prop) {
      if (typeof prop === 'string' && Object.hasOwn(target, prop)) read.add(pointer(path, prop));
      return Reflect.has(target, prop);
    },
  });
}

/** Own properties of `value` (recursively) that are not in `read`; an unknown object is not entered. */
function unread(value: unknown, path: string, read: Set<string>, out: string[]): void {
  if (value === null || typeof value !== 'object') return;
  const entries: [string | number, unknown][] = Array.isArray(value)
    ? value.map((v, i) => [i, v] as [number, unknown])
    : Object.entries(value);
  for (const [key, v] of entries) {
    const p = pointer(path, key);
    if (!read.has(p)) out.push(p);
    else unread(v, p, read, out);
  }
}

interface ModelModule {
  [kind: string]: { prototype: { validate(this: unknown): void } } | undefined;
}

/** Model class module of kubernetes-models for an apiVersion/kind (`apps/v1` Deployment…). */
async function modelFor(apiVersion: string, kind: string) {
  const mod = (await import(`kubernetes-models/${apiVersion}/${kind}`).catch(
    () => undefined,
  )) as ModelModule | undefined;
  return mod?.[kind];
}

/**
 * CRDs that kubernetes-models does not ship. The subset of prometheus-operator's ServiceMonitor
 * (monitoring.coreos.com/v1) the chart uses, closed with additionalProperties: false so that a
 * misspelt field fails here as well.
 */
const labelSelector = {
  type: 'object',
  additionalProperties: false,
  properties: {
    matchLabels: { type: 'object', additionalProperties: { type: 'string' } },
    matchExpressions: { type: 'array', items: { type: 'object' } },
  },
};
const CRD_SCHEMAS: Record<string, object> = {
  'monitoring.coreos.com/v1/ServiceMonitor': {
    type: 'object',
    required: ['apiVersion', 'kind', 'metadata', 'spec'],
    additionalProperties: false,
    properties: {
      apiVersion: { const: 'monitoring.coreos.com/v1' },
      kind: { const: 'ServiceMonitor' },
      metadata: {
        type: 'object',
        required: ['name'],
        additionalProperties: false,
        properties: {
          name: { type: 'string' },
          namespace: { type: 'string' },
          labels: { type: 'object', additionalProperties: { type: 'string' } },
          annotations: { type: 'object', additionalProperties: { type: 'string' } },
        },
      },
      spec: {
        type: 'object',
        required: ['selector', 'endpoints'],
        additionalProperties: false,
        properties: {
          jobLabel: { type: 'string' },
          selector: labelSelector,
          namespaceSelector: {
            type: 'object',
            additionalProperties: false,
            properties: {
              any: { type: 'boolean' },
              matchNames: { type: 'array', items: { type: 'string' } },
            },
          },
          endpoints: {
            type: 'array',
            minItems: 1,
            items: {
              type: 'object',
              additionalProperties: false,
              properties: {
                port: { type: 'string' },
                targetPort: { type: ['string', 'integer'] },
                path: { type: 'string' },
                scheme: { enum: ['http', 'https'] },
                interval: { type: 'string', pattern: '^(0|(([0-9]+)h)?(([0-9]+)m)?(([0-9]+)s)?(([0-9]+)ms)?)$' },
                scrapeTimeout: { type: 'string', pattern: '^(0|(([0-9]+)h)?(([0-9]+)m)?(([0-9]+)s)?(([0-9]+)ms)?)$' },
                honorLabels: { type: 'boolean' },
              },
            },
          },
        },
      },
    },
  },
  // prometheus-operator's PrometheusRule (monitoring.coreos.com/v1, its CRD's openAPIV3Schema):
  // groups of rules, each an alert or a recording rule with a PromQL expression.
  'monitoring.coreos.com/v1/PrometheusRule': {
    type: 'object',
    required: ['apiVersion', 'kind', 'metadata', 'spec'],
    additionalProperties: false,
    properties: {
      apiVersion: { const: 'monitoring.coreos.com/v1' },
      kind: { const: 'PrometheusRule' },
      metadata: {
        type: 'object',
        required: ['name'],
        additionalProperties: false,
        properties: {
          name: { type: 'string' },
          namespace: { type: 'string' },
          labels: { type: 'object', additionalProperties: { type: 'string' } },
          annotations: { type: 'object', additionalProperties: { type: 'string' } },
        },
      },
      spec: {
        type: 'object',
        additionalProperties: false,
        properties: {
          groups: {
            type: 'array',
            items: {
              type: 'object',
              required: ['name', 'rules'],
              additionalProperties: false,
              properties: {
                name: { type: 'string', minLength: 1 },
                interval: { type: 'string' },
                rules: {
                  type: 'array',
                  items: {
                    type: 'object',
                    required: ['expr'],
                    additionalProperties: false,
                    properties: {
                      alert: { type: 'string', pattern: '^[A-Za-z_][A-Za-z0-9_]*$' },
                      record: { type: 'string' },
                      expr: { type: 'string', minLength: 1 },
                      for: { type: 'string', pattern: '^(0|(([0-9]+)y)?(([0-9]+)w)?(([0-9]+)d)?(([0-9]+)h)?(([0-9]+)m)?(([0-9]+)s)?(([0-9]+)ms)?)$' },
                      keep_firing_for: { type: 'string' },
                      labels: { type: 'object', additionalProperties: { type: 'string' } },
                      annotations: { type: 'object', additionalProperties: { type: 'string' } },
                    },
                  },
                },
              },
            },
          },
        },
      },
    },
  },
  // The subset of CloudNativePG's Cluster (postgresql.cnpg.io/v1, cloudnative-pg.io API reference)
  // the chart renders with postgres.cloudnativepg.enabled.
  'postgresql.cnpg.io/v1/Cluster': {
    type: 'object',
    required: ['apiVersion', 'kind', 'metadata', 'spec'],
    additionalProperties: false,
    properties: {
      apiVersion: { const: 'postgresql.cnpg.io/v1' },
      kind: { const: 'Cluster' },
      metadata: {
        type: 'object',
        required: ['name'],
        additionalProperties: false,
        properties: {
          name: { type: 'string', maxLength: 50 },
          namespace: { type: 'string' },
          labels: { type: 'object', additionalProperties: { type: 'string' } },
        },
      },
      spec: {
        type: 'object',
        required: ['instances', 'storage'],
        additionalProperties: false,
        properties: {
          instances: { type: 'integer', minimum: 1 },
          imageName: { type: 'string' },
          bootstrap: {
            type: 'object',
            additionalProperties: false,
            properties: {
              initdb: {
                type: 'object',
                additionalProperties: false,
                properties: { database: { type: 'string' }, owner: { type: 'string' } },
              },
            },
          },
          storage: {
            type: 'object',
            required: ['size'],
            additionalProperties: false,
            properties: { size: { type: 'string' }, storageClass: { type: 'string' } },
          },
          resources: {
            type: 'object',
            additionalProperties: false,
            properties: {
              requests: { type: 'object', additionalProperties: { type: ['string', 'number'] } },
              limits: { type: 'object', additionalProperties: { type: ['string', 'number'] } },
            },
          },
        },
      },
    },
  },
};
const ajv = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true });

/**
 * Validates one rendered object: the kubernetes-models schema of its apiVersion/kind (types,
 * required fields, formats) and, from the same schema, any field name it does not define. Returns
 * readable problems, none when the object is valid.
 */
export async function validateObject(obj: KubeObject): Promise<string[]> {
  const id = `${obj.kind}/${obj.metadata?.name ?? '?'}`;
  const crd = CRD_SCHEMAS[`${obj.apiVersion}/${obj.kind}`];
  if (crd) {
    const check = ajv.compile(crd);
    if (check(obj)) return [];
    return (check.errors ?? []).map((e) =>
      e.keyword === 'additionalProperties'
        ? `${id}: unknown field ${e.instancePath}/${String(e.params.additionalProperty)}`
        : `${id}: ${e.instancePath || '/'} ${e.message ?? e.keyword}`,
    );
  }
  const model = await modelFor(obj.apiVersion, obj.kind);
  if (!model) return [`${id}: no Kubernetes schema for ${obj.apiVersion} ${obj.kind}`];
  const problems: string[] = [];
  const read = new Set<string>(['/apiVersion', '/kind']);
  try {
    model.prototype.validate.call(tracked(structuredClone(obj), '', read));
  } catch (err) {
    problems.push(`${id}: ${err instanceof Error ? err.message : String(err)}`);
  }
  const unknown: string[] = [];
  unread(obj, '', read, unknown);
  for (const p of unknown) problems.push(`${id}: unknown field ${p}`);
  return problems;
}

export async function validateAll(objs: KubeObject[]): Promise<string[]> {
  const out: string[] = [];
  for (const o of objs) out.push(...(await validateObject(o)));
  return out;
}
