/**
 * Platform health around the Plays (issue #18): every pass lists Argo CD Applications, cert-manager
 * Certificates and, where the kubelet is reachable, its volume stats, and looks at the cached pods
 * for one image failing to pull in several namespaces. Each object's problem (or none) goes to
 * `observe`, so incidents open when a problem appears and resolve when it clears. A check whose API
 * is not served (no Argo CD, no cert-manager, no kubelet proxy) is said once and skipped.
 */
import {
  ApiException,
  CoreV1Api,
  CustomObjectsApi,
  type KubeConfig,
} from '@kubernetes/client-node';
import type { Logger } from 'pino';
import type { AlertDraft } from '../../domain/alert.js';
import type { Pod } from '../../domain/kube.js';
import {
  applicationProblem,
  certificateProblem,
  imagePullProblems,
  volumeProblems,
  type PlatformProblem,
  type PlatformThresholds,
} from '../../detectors/platform/checks.js';
import { withDeadline } from '../kube/kube-http.js';

export type PlatformCheckName = 'argocd' | 'certificates' | 'volumes' | 'image-pull';

export interface PlatformWatcherOptions {
  kc: KubeConfig;
  logger: Logger;
  now: () => Date;
  thresholds: PlatformThresholds;
  /** The pods the informer hub caches (image pulls are read from them). */
  pods: () => Iterable<Pod>;
  /** Where the drafts of one object go (the incident tracker's `observe`). */
  observe: (objectKey: string, drafts: AlertDraft[]) => Promise<void>;
  /** Checks switched off by configuration. */
  disabled?: readonly PlatformCheckName[];
  /** Deadline of each request to the API server. Default 10 s. */
  requestTimeoutMs?: number;
}

/** A problem as an alert draft: a platform incident (no Play), subject = the object. */
export function platformDraft(p: PlatformProblem, now: Date): AlertDraft {
  return {
    alert: 'platform',
    severity: p.severity,
    issueType: 'other',
    title: p.title,
    description: p.description,
    namespace: p.namespace,
    playId: null,
    taskId: null,
    agent: null,
    subject: p.subject,
    evidence: p.evidence,
    context: { check: p.check, ...p.context },
    detectedAt: now.toISOString(),
  };
}

const notServed = (e: unknown): boolean =>
  e instanceof ApiException && (e.code === 404 || e.code === 403 || e.code === 503);

export class PlatformWatcher {
  readonly #o: PlatformWatcherOptions;
  readonly #core: CoreV1Api;
  readonly #custom: CustomObjectsApi;
  /** Checks found not served: said once, skipped since. */
  readonly #off = new Set<PlatformCheckName>();
  /** Application key → when first seen OutOfSync/Degraded (Argo CD records no transition time). */
  readonly #badSince = new Map<string, Date>();
  /** Keys that fired last pass, so an object that disappears or recovers is observed clear. */
  #firing = new Set<string>();

  constructor(o: PlatformWatcherOptions) {
    this.#o = o;
    this.#core = o.kc.makeApiClient(CoreV1Api);
    this.#custom = o.kc.makeApiClient(CustomObjectsApi);
    for (const c of o.disabled ?? []) this.#off.add(c);
  }

  /** One pass over every enabled check. Never throws: a failing check is logged and retried next pass. */
  async tick(): Promise<void> {
    const now = this.#o.now();
    const found = new Map<string, PlatformProblem[]>();
    const add = (key: string, p: PlatformProblem | null) => {
      if (p) found.set(key, [...(found.get(key) ?? []), p]);
    };
    await this.#check('argocd', 'Argo CD Applications', async () => {
      for (const app of await this.#list('argoproj.io', 'v1alpha1', 'applications')) {
        const key = `platform:application/${ns(app)}/${name(app)}`;
        const bad =
          ['OutOfSync'].includes(status(app, 'sync')) ||
          ['Degraded', 'Missing'].includes(status(app, 'health'));
        if (!bad) this.#badSince.delete(key);
        else if (!this.#badSince.has(key)) this.#badSince.set(key, now);
        add(key, applicationProblem(app, now, this.#o.thresholds, this.#badSince.get(key) ?? null));
      }
    });
    await this.#check('certificates', 'cert-manager Certificates', async () => {
      for (const cert of await this.#list('cert-manager.io', 'v1', 'certificates'))
        add(
          `platform:certificate/${ns(cert)}/${name(cert)}`,
          certificateProblem(cert, now, this.#o.thresholds),
        );
    });
    await this.#check('image-pull', 'image pulls', () => {
      for (const p of imagePullProblems([...this.#o.pods()], this.#o.thresholds))
        add(`platform:${p.subject}`, p);
      return Promise.resolve();
    });
    await this.#check('volumes', 'kubelet volume stats', async () => {
      const nodes = (await this.#core.listNode({}, this.#deadline())).items;
      for (const node of nodes) {
        const nodeName = node.metadata?.name;
        if (!nodeName) continue;
        // typed `string`, but client-node parses a JSON answer (the kubelet sends
        // application/json), so the body may arrive as the object already
        const body: unknown = await this.#core.connectGetNodeProxyWithPath(
          { name: nodeName, path: 'stats/summary' },
          this.#deadline(),
        );
        const summary: unknown = typeof body === 'string' ? JSON.parse(body) : body;
        // the proxy call hands back the body of an error answer instead of throwing
        const code = o(summary).kind === 'Status' ? Number(o(summary).code) : 0;
        if (code) throw new ApiException(code, text(o(summary).message), summary, {});
        for (const p of volumeProblems(summary, this.#o.thresholds))
          add(`platform:pvc/${p.namespace}/${p.subject}`, p);
      }
    });
    const writes: Promise<void>[] = [];
    for (const [key, problems] of found)
      writes.push(
        this.#o.observe(
          key,
          problems.map((p) => platformDraft(p, now)),
        ),
      );
    for (const key of this.#firing) if (!found.has(key)) writes.push(this.#o.observe(key, []));
    this.#firing = new Set(found.keys());
    await Promise.all(writes);
  }

  /** Which checks run (for `/ready` and the log). */
  get enabled(): PlatformCheckName[] {
    return (['argocd', 'certificates', 'image-pull', 'volumes'] as const).filter(
      (c) => !this.#off.has(c),
    );
  }

  #deadline() {
    return withDeadline(this.#o.requestTimeoutMs ?? 10_000);
  }

  async #check(name: PlatformCheckName, what: string, run: () => Promise<void>): Promise<void> {
    if (this.#off.has(name)) return;
    try {
      await run();
    } catch (e) {
      if (notServed(e)) {
        this.#off.add(name);
        this.#o.logger.info(
          { check: name },
          `${what} are not served by this cluster (or not granted: the chart grants them with platformChecks.enabled): that platform check is off`,
        );
        return;
      }
      this.#o.logger.warn(
        { err: e, check: name },
        `platform check ${name} failed; retrying next pass`,
      );
    }
  }

  async #list(group: string, version: string, plural: string): Promise<unknown[]> {
    const res = (await this.#custom.listClusterCustomObject(
      { group, version, plural },
      this.#deadline(),
    )) as {
      items?: unknown[];
    };
    return Array.isArray(res.items) ? res.items : [];
  }
}

type Obj = Record<string, unknown>;
const o = (v: unknown): Obj => (v && typeof v === 'object' ? (v as Obj) : {});
const text = (v: unknown): string => (typeof v === 'string' ? v : '');
const name = (x: unknown) => text(o(o(x).metadata).name);
const ns = (x: unknown) => text(o(o(x).metadata).namespace);
const status = (x: unknown, part: string) => text(o(o(o(x).status)[part]).status);
