import type { KubeConfig } from '@kubernetes/client-node';
import type { Logger } from 'pino';
import type { StageContext } from '../../config/context.js';
import type { HealConfig } from '../../domain/heal-config.js';
import type { KubeAccess } from './kubeconfig.js';
import type { CodeRun, ObjectKind, Pod, Workflow } from '../../domain/kube.js';
import type { Session } from '../../domain/session.js';
import type { Correlation, Signal } from '../../domain/signal.js';
import type { CorrelationIndex } from './correlation-index.js';
import { InformerHub, type HubOptions } from './hub.js';
import { KubeWatcher } from './kube-watcher.js';
import { KubeLookups } from './rule-view.js';

export interface ClusterStageOptions {
  kc: KubeConfig;
  /** Where the configuration came from (logged when watching starts). */
  source: string;
  logger: Logger;
  namespaces: readonly string[] | '*';
  exclusions: HealConfig['exclusions'];
  reflector?: HubOptions['reflector'] | undefined;
  /** The clock of the watches' last events (ms epoch). */
  now: () => number;
  index: { get(): CorrelationIndex };
  /** Watch restarts are counted per kind. */
  metrics: { watchRestarts: { inc(labels: { kind: string }): void } };
  /** Where each object's signal goes (the rule runner). */
  rules: { evaluate(signal: Signal, key: string, receivedAt: number | undefined): void };
  /** An object is gone: what it fired stops firing. */
  tracker: { forget(key: string): Promise<void> };
  onObject: (kind: ObjectKind, object: Pod | CodeRun | Workflow, correlation: Correlation) => void;
}

/** The read-only view of the informer caches (tests, the CLI). */
export type ClusterView = Pick<
  InformerHub,
  'readiness' | 'list' | 'get' | 'stats' | 'started' | 'watchCount' | 'namespaces'
>;

/**
 * The Kubernetes stage: one informer hub (a list + watch per kind per namespace), the lookups
 * rules read, and the watcher that turns its events into signals and object changes. Started
 * and stopped with the leader's work.
 */
export class ClusterStage {
  readonly hub: InformerHub;
  readonly lookups: KubeLookups;
  readonly watcher: KubeWatcher;
  readonly #o: ClusterStageOptions;

  /** The stage over the cluster Healer has access to, or undefined when it has none. */
  static for(
    ctx: Pick<StageContext, 'config' | 'clock' | 'logger'>,
    kube: KubeAccess,
    o: Omit<ClusterStageOptions, 'kc' | 'source' | 'logger' | 'namespaces' | 'exclusions' | 'now'>,
  ): ClusterStage | undefined {
    const { config, clock, logger } = ctx;
    if (!kube.kc) return undefined;
    return new ClusterStage({
      ...o,
      kc: kube.kc,
      source: kube.source,
      logger,
      namespaces: config.clusterWide ? '*' : config.namespaces,
      exclusions: config.heal.exclusions,
      now: () => clock.now().getTime(),
    });
  }

  constructor(o: ClusterStageOptions) {
    this.#o = o;
    this.hub = new InformerHub({
      kc: o.kc,
      logger: o.logger,
      namespaces: o.namespaces,
      now: o.now,
      ...(o.reflector ? { reflector: o.reflector } : {}),
      onRestart: (kind) => o.metrics.watchRestarts.inc({ kind }),
    });
    this.lookups = new KubeLookups(this.hub);
    this.watcher = new KubeWatcher({
      hub: this.hub,
      kc: o.kc,
      logger: o.logger,
      exclusions: o.exclusions,
      index: () => o.index.get(),
      onSignal: (signal, key, receivedAt) => o.rules.evaluate(signal, key, receivedAt),
      onGone: (key) => void o.tracker.forget(key),
      onObject: o.onObject,
    });
  }

  get kc(): KubeConfig {
    return this.#o.kc;
  }

  /** A session started (or was loaded): its namespace is watched. */
  sessionChanged(s: Session | undefined): void {
    if (s?.status === 'active') this.hub.addNamespace(s.namespace);
  }

  correlate(kind: ObjectKind, object: unknown): Correlation {
    return this.watcher.correlate(kind, object);
  }

  pod(ns: string, name: string): Pod | undefined {
    return this.hub.get('pod', ns, name);
  }

  /** The timer's pass over cached objects, once every watch has listed (a rule must not conclude "no pod" from a cache not listed yet). */
  async tick(): Promise<void> {
    if (this.hub.readiness().ok) await this.watcher.tick();
  }

  /** `/ready`: every watch listed (a follower does not watch). */
  readiness(): { ok: boolean; detail: string } {
    return this.hub.started
      ? this.hub.readiness()
      : { ok: true, detail: 'not watching: this replica is not the leader' };
  }

  /** Why incidents read from Kubernetes cannot be judged now, or null. */
  unread(): string | null {
    const r = this.hub.readiness();
    return r.ok ? null : `Kubernetes: the watches are not in sync (${r.detail})`;
  }

  /** Watching as background work; `also` is logged when it starts (what runs beside it). */
  worker(also?: string): { start(): void; stop(): Promise<void> } {
    return {
      start: () => {
        this.hub.start();
        const { logger, source } = this.#o;
        logger.info({ source, watches: this.hub.watchCount }, 'watching the cluster');
        if (also) logger.info(also);
      },
      stop: () => this.hub.stop(),
    };
  }
}
