/**
 * Platform health around the Plays (issue #18): pure checks over real object shapes — an Argo CD
 * `Application` OutOfSync or Degraded too long, a cert-manager `Certificate` not Ready or close to
 * expiry, the same image failing to pull in several namespaces, a PVC nearly full (kubelet volume
 * stats). Each answers a `PlatformProblem` or null; no I/O, `now` passed in. Platform problems
 * belong to no Play: they become platform incidents with their own labels and the same decisions.
 */
import type { Severity } from '../../domain/alert.js';

export type PlatformCheck = 'argocd-app' | 'certificate' | 'image-pull' | 'volume-usage';

export interface PlatformProblem {
  check: PlatformCheck;
  severity: Severity;
  namespace: string;
  /** The object the problem is about (fingerprint subject): `Application/cto-controller`. */
  subject: string;
  title: string;
  description: string;
  evidence: string[];
  context: Record<string, string | number | boolean | null>;
}

export interface PlatformThresholds {
  /** An Application OutOfSync or Degraded at least this long. */
  appUnhealthySeconds: number;
  /** A Certificate not Ready at least this long. */
  certNotReadySeconds: number;
  /** A Certificate expiring within this many days. */
  certExpiryDays: number;
  /** Namespaces in which the same image fails to pull. */
  imagePullNamespaces: number;
  /** A PVC used above this share of its capacity (0–1). */
  volumeUsedRatio: number;
}

export const DEFAULT_PLATFORM_THRESHOLDS: PlatformThresholds = {
  appUnhealthySeconds: 600,
  certNotReadySeconds: 600,
  certExpiryDays: 14,
  imagePullNamespaces: 2,
  volumeUsedRatio: 0.8,
};

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj =>
  v && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {};
const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const meta = (o: unknown) => {
  const m = obj(obj(o).metadata);
  return { name: str(m.name), namespace: str(m.namespace) };
};
const secondsBetween = (from: unknown, now: Date): number | null => {
  const t = Date.parse(str(from));
  return Number.isNaN(t) ? null : (now.getTime() - t) / 1000;
};
const human = (s: number): string =>
  s >= 86_400
    ? `${Math.floor(s / 86_400)}d`
    : s >= 3600
      ? `${Math.floor(s / 3600)}h`
      : `${Math.floor(s / 60)}m`;

/**
 * An Argo CD Application that is OutOfSync or Degraded (or Missing) for at least the threshold.
 * Argo CD records no transition time for sync status, so `badSince` is when it was first observed
 * bad (the watcher keeps it); `status.health.lastTransitionTime` wins when the controller writes it.
 */
export function applicationProblem(
  app: unknown,
  now: Date,
  t: PlatformThresholds,
  badSince: Date | null,
): PlatformProblem | null {
  const { name, namespace } = meta(app);
  const status = obj(obj(app).status);
  const sync = str(obj(status.sync).status);
  const health = str(obj(status.health).status);
  const unhealthy = ['Degraded', 'Missing'].includes(health);
  if (!name || (sync !== 'OutOfSync' && !unhealthy)) return null;
  const since =
    (unhealthy ? secondsBetween(obj(status.health).lastTransitionTime, now) : null) ??
    (badSince ? (now.getTime() - badSince.getTime()) / 1000 : null);
  if (since === null || since < t.appUnhealthySeconds) return null;
  const op = obj(status.operationState);
  const conditions = arr(status.conditions).map(obj);
  const message = str(obj(status.health).message) || str(op.message);
  const state = [sync && `sync ${sync}`, health && `health ${health}`].filter(Boolean).join(', ');
  return {
    check: 'argocd-app',
    severity: unhealthy ? 'high' : 'medium',
    namespace: str(obj(obj(obj(app).spec).destination).namespace) || namespace,
    subject: `Application/${name}`,
    title: `Argo CD Application ${name} ${unhealthy ? health : 'OutOfSync'}`,
    description: `Argo CD Application ${name} has been ${state} for ${human(since)} (threshold ${human(t.appUnhealthySeconds)}); every Play that depends on it is at risk.`,
    evidence: [
      `application ${namespace}/${name}: ${state}`,
      ...(str(op.phase)
        ? [
            `last operation ${str(op.phase)}${str(op.finishedAt) ? ` at ${str(op.finishedAt)}` : ''}`,
          ]
        : []),
      ...(message ? [`message: ${message}`] : []),
      ...conditions.map((c) => `condition ${str(c.type)}: ${str(c.message)}`),
    ],
    context: {
      application: name,
      sync: sync || null,
      health: health || null,
      seconds: Math.floor(since),
    },
  };
}

/** A cert-manager Certificate not Ready past the threshold, or expiring within `certExpiryDays`. */
export function certificateProblem(
  cert: unknown,
  now: Date,
  t: PlatformThresholds,
): PlatformProblem | null {
  const { name, namespace } = meta(cert);
  if (!name) return null;
  const status = obj(obj(cert).status);
  const ready = arr(status.conditions)
    .map(obj)
    .find((c) => str(c.type) === 'Ready');
  const expiresIn = (() => {
    const s = secondsBetween(status.notAfter, now);
    return s === null ? null : -s;
  })();
  const base = {
    check: 'certificate' as const,
    namespace,
    subject: `Certificate/${name}`,
    evidence: [
      `certificate ${namespace}/${name}: Ready=${str(ready?.status) || 'unknown'}${ready ? ` (${str(ready.reason)}: ${str(ready.message)})` : ''}`,
      ...(str(status.notAfter)
        ? [`notAfter ${str(status.notAfter)}, renewalTime ${str(status.renewalTime) || 'unknown'}`]
        : []),
    ],
  };
  if (expiresIn !== null && expiresIn < t.certExpiryDays * 86_400) {
    const expired = expiresIn <= 0;
    return {
      ...base,
      severity: expired ? 'critical' : expiresIn < 3 * 86_400 ? 'high' : 'medium',
      title: expired
        ? `Certificate ${name} expired`
        : `Certificate ${name} expires in ${human(expiresIn)}`,
      description: expired
        ? `Certificate ${namespace}/${name} expired ${human(-expiresIn)} ago (notAfter ${str(status.notAfter)}) and was not renewed.`
        : `Certificate ${namespace}/${name} expires in ${human(expiresIn)} (notAfter ${str(status.notAfter)}); cert-manager has not renewed it.`,
      context: {
        certificate: name,
        expiresInSeconds: Math.floor(expiresIn),
        ready: str(ready?.status) || null,
      },
    };
  }
  if (ready && str(ready.status) !== 'True') {
    const since = secondsBetween(ready.lastTransitionTime, now);
    if (since === null || since < t.certNotReadySeconds) return null;
    return {
      ...base,
      severity: 'high',
      title: `Certificate ${name} not Ready`,
      description: `Certificate ${namespace}/${name} has not been Ready for ${human(since)}: ${str(ready.reason)}.`,
      context: { certificate: name, reason: str(ready.reason) || null, seconds: Math.floor(since) },
    };
  }
  return null;
}

const PULL_FAILURES = ['ImagePullBackOff', 'ErrImagePull', 'InvalidImageName'];

/**
 * The same image failing to pull in several namespaces: a registry, credential or tag problem of
 * the platform rather than of one Play. Answers one problem per image.
 */
export function imagePullProblems(
  pods: readonly unknown[],
  t: PlatformThresholds,
): PlatformProblem[] {
  const byImage = new Map<
    string,
    { namespaces: Set<string>; pods: string[]; messages: Set<string> }
  >();
  for (const p of pods) {
    const { name, namespace } = meta(p);
    const status = obj(obj(p).status);
    const specs = [
      ...arr(obj(obj(p).spec).containers),
      ...arr(obj(obj(p).spec).initContainers),
    ].map(obj);
    for (const s of [...arr(status.containerStatuses), ...arr(status.initContainerStatuses)].map(
      obj,
    )) {
      const waiting = obj(obj(s.state).waiting);
      if (!PULL_FAILURES.includes(str(waiting.reason))) continue;
      const image = str(s.image) || str(specs.find((c) => str(c.name) === str(s.name))?.image);
      if (!image) continue;
      const e = byImage.get(image) ?? { namespaces: new Set(), pods: [], messages: new Set() };
      e.namespaces.add(namespace);
      e.pods.push(`${namespace}/${name}`);
      if (str(waiting.message)) e.messages.add(str(waiting.message));
      byImage.set(image, e);
    }
  }
  return [...byImage]
    .filter(([, e]) => e.namespaces.size >= t.imagePullNamespaces)
    .map(([image, e]) => ({
      check: 'image-pull' as const,
      severity: 'high' as const,
      namespace: [...e.namespaces].sort()[0] ?? '',
      subject: `Image/${image}`,
      title: `Image ${image} fails to pull in ${e.namespaces.size} namespaces`,
      description: `Image ${image} fails to pull in ${e.namespaces.size} namespaces (${[...e.namespaces].sort().join(', ')}): a registry, credential or tag problem of the platform, not of one Play.`,
      evidence: [
        ...e.pods.slice(0, 10).map((p) => `pod ${p}`),
        ...[...e.messages].slice(0, 3).map((m) => `kubelet: ${m}`),
      ],
      context: { image, namespaces: e.namespaces.size, pods: e.pods.length },
    }));
}

/**
 * PVCs above the used ratio, from the kubelet's stats summary
 * (`/api/v1/nodes/{node}/proxy/stats/summary`: `pods[].volume[]` with `pvcRef`, `capacityBytes`,
 * `usedBytes`).
 */
export function volumeProblems(summary: unknown, t: PlatformThresholds): PlatformProblem[] {
  const node = str(obj(obj(summary).node).nodeName);
  const out = new Map<string, PlatformProblem>();
  for (const pod of arr(obj(summary).pods).map(obj)) {
    for (const v of arr(pod.volume).map(obj)) {
      const ref = obj(v.pvcRef);
      const cap = Number(v.capacityBytes);
      const used = Number(v.usedBytes);
      if (!str(ref.name) || !(cap > 0) || !Number.isFinite(used)) continue;
      const ratio = used / cap;
      if (ratio < t.volumeUsedRatio) continue;
      const key = `${str(ref.namespace)}/${str(ref.name)}`;
      const pct = Math.round(ratio * 100);
      out.set(key, {
        check: 'volume-usage',
        severity: ratio >= 0.95 ? 'high' : 'medium',
        namespace: str(ref.namespace),
        subject: `PersistentVolumeClaim/${str(ref.name)}`,
        title: `Volume ${str(ref.name)} ${pct}% full`,
        description: `PersistentVolumeClaim ${key} is ${pct}% full (${Math.round(used / 2 ** 20)} MiB of ${Math.round(cap / 2 ** 20)} MiB); writes will fail when it fills.`,
        evidence: [
          `kubelet ${node || 'node'}: volume ${str(v.name)} of pod ${str(obj(pod.podRef).namespace)}/${str(obj(pod.podRef).name)} used ${used} of ${cap} bytes`,
        ],
        context: { pvc: str(ref.name), usedPercent: pct, capacityBytes: cap, usedBytes: used },
      });
    }
  }
  return [...out.values()];
}
