// Server-side defaulting on create, copied from what a real 1.32 API server fills in for the
// built-in types (pods get their usual spec defaults and a Pending status; namespaces are Active).
import type { ResourceType } from './resources.js';
import type { KubeObject } from './types.js';

type Obj = Record<string, unknown>;

/** Timestamps as the server stamps them: RFC 3339, whole seconds. */
export function formatTimestamp(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function imagePullPolicy(image: unknown): string {
  if (typeof image !== 'string') return 'IfNotPresent';
  const tagged = /:[^/]+$/.test(image) || image.includes('@');
  return !tagged || image.endsWith(':latest') ? 'Always' : 'IfNotPresent';
}

function defaultContainer(c: Obj): Obj {
  return {
    terminationMessagePath: '/dev/termination-log',
    terminationMessagePolicy: 'File',
    imagePullPolicy: imagePullPolicy(c.image),
    resources: {},
    ...c,
  };
}

function qosClass(spec: Obj): string {
  const containers = [
    ...((spec.containers as Obj[] | undefined) ?? []),
    ...((spec.initContainers as Obj[] | undefined) ?? []),
  ];
  let any = false;
  let guaranteed = containers.length > 0;
  for (const c of containers) {
    const res = (c.resources ?? {}) as { requests?: Obj; limits?: Obj };
    const req = res.requests ?? {};
    const lim = res.limits ?? {};
    if (Object.keys(req).length || Object.keys(lim).length) any = true;
    for (const k of ['cpu', 'memory']) {
      const l = lim[k];
      const q = req[k] ?? l;
      if (l === undefined || q !== l) guaranteed = false;
    }
  }
  if (!any) return 'BestEffort';
  return guaranteed ? 'Guaranteed' : 'Burstable';
}

function podDefaults(obj: KubeObject): void {
  const spec = { ...((obj.spec ?? {}) as Obj) };
  spec.containers = ((spec.containers as Obj[] | undefined) ?? []).map(defaultContainer);
  if (Array.isArray(spec.initContainers))
    spec.initContainers = (spec.initContainers as Obj[]).map(defaultContainer);
  obj.spec = {
    restartPolicy: 'Always',
    terminationGracePeriodSeconds: 30,
    dnsPolicy: 'ClusterFirst',
    serviceAccountName: 'default',
    serviceAccount: 'default',
    securityContext: {},
    schedulerName: 'default-scheduler',
    tolerations: [
      {
        key: 'node.kubernetes.io/not-ready',
        operator: 'Exists',
        effect: 'NoExecute',
        tolerationSeconds: 300,
      },
      {
        key: 'node.kubernetes.io/unreachable',
        operator: 'Exists',
        effect: 'NoExecute',
        tolerationSeconds: 300,
      },
    ],
    priority: 0,
    enableServiceLinks: true,
    preemptionPolicy: 'PreemptLowerPriority',
    ...spec,
  };
  obj.status = { phase: 'Pending', qosClass: qosClass(obj.spec as Obj) };
}

/** Fill in what the real server adds on create. Runs after `status` was dropped where it must be. */
export function applyCreateDefaults(r: ResourceType, obj: KubeObject): void {
  if (r.group !== '') return;
  if (r.kind === 'Pod') podDefaults(obj);
  if (r.kind === 'Namespace') {
    obj.spec = { finalizers: ['kubernetes'], ...((obj.spec ?? {}) as Obj) };
    obj.status = { phase: 'Active' };
    const labels = { ...(obj.metadata?.labels ?? {}) };
    labels['kubernetes.io/metadata.name'] = obj.metadata?.name ?? '';
    obj.metadata = { ...obj.metadata, labels };
  }
}
