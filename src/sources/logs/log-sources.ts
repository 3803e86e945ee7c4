import type { Registry } from 'prom-client';
import type { StageContext } from '../../config/context.js';
import {
  ChecklistScanner,
  Classifier,
  DEFAULT_CATALOGUE_PATH,
  loadCatalogue,
  lokiLineFilter,
  shippedLearnedStage,
} from '../../detectors/patterns/index.js';
import type { ActiveSessionsView } from '../../domain/active-sessions.js';
import { millis } from '../../domain/kube-time.js';
import { agentContainerName, isSidecarName, statusOf } from '../../domain/pod-containers.js';
import { IntervalJob } from '../../runtime/index.js';
import type { ClusterStage } from '../kube/cluster.js';
import { correlate } from '../kube/correlate.js';
import type { CorrelationIndex } from '../kube/correlation-index.js';
import { createLogStage, type LogStage, type LogStageOptions } from './log-stage.js';
import { LokiPoller, type LokiPollerOptions } from './loki.js';
import { registerLokiMetrics } from './metrics.js';
import { PodLogFollower, type FollowTarget } from './pod-logs.js';

export type LokiTuning = Partial<
  Pick<LokiPollerOptions, 'intervalMs' | 'ingestDelayMs' | 'initialLookbackMs' | 'overlapMs'>
>;

export interface LogSourcesOptions {
  /** The watched cluster (pod caches), when there is one. */
  cluster: ClusterStage | undefined;
  active: ActiveSessionsView;
  /** The active sessions' correlation index (pods correlated by name when no cluster is watched). */
  index: { get(): CorrelationIndex };
  metrics: { registry: Registry };
  /** One occurrence of a log alert is recorded. */
  tracker: { occurrence: LogStageOptions['onDraft'] };
  /** Checklists read and spans never read are written on the session. */
  lifecycle: {
    checklistRead: LogStageOptions['onChecklist'];
    logGap(playId: string, from: Date, to: Date): void;
  };
}

const CHECKLIST_PASS_MS = 5000;

/**
 * The log stage (detection.md §4): Loki when LOKI_URL is set, else the pod-log follower of the
 * active sessions' agent containers; lines are classified into drafts and pre-flight checklist
 * updates, and a timer freezes the checklists whose window closed.
 */
export class LogSources {
  readonly stage: LogStage;
  readonly loki: LokiPoller | undefined;
  readonly podLogs: PodLogFollower | undefined;
  /** The checklist pass, when a log source runs. */
  readonly checklistJob: IntervalJob | undefined;
  readonly #o: LogSourcesOptions & StageContext & { loki?: LokiTuning | undefined };

  constructor(ctx: StageContext & { loki?: LokiTuning | undefined }, opts: LogSourcesOptions) {
    const o = (this.#o = { ...ctx, ...opts });
    const { config, clock, logger } = o;
    const catalogue = loadCatalogue(config.heal.patterns.file ?? DEFAULT_CATALOGUE_PATH);
    const lokiUrl = config.env.LOKI_URL;
    // the Loki families are exported whether Loki is read or not (operations.md §5)
    const lokiMetrics = registerLokiMetrics(o.metrics.registry);
    this.stage = createLogStage({
      classifier: new Classifier(catalogue, {
        learned: shippedLearnedStage(config.heal.patterns.learned),
      }),
      checklistScanner: new ChecklistScanner(catalogue),
      correlatePod: (ns, pod) => this.#correlatePod(ns, pod),
      session: (playId) => o.active.get(playId),
      containerStartedAt: (ns, pod, c) => this.#containerStartedAt(ns, pod, c),
      clock,
      logger,
      isAgentContainer: (ns, pod, container) => this.#isAgentContainer(ns, pod, container),
      ...(lokiUrl
        ? { contextAround: (e) => this.loki!.contextAround(e) }
        : { activeRuns: () => this.agentRuns() }),
      onDraft: (d) => o.tracker.occurrence(d),
      onChecklist: (...a) => o.lifecycle.checklistRead(...a),
      sessionsIn: (ns) => o.active.list().filter((s) => s.namespace === ns),
      onGap: (...a) => o.lifecycle.logGap(...a),
    });
    this.loki = lokiUrl
      ? this.#lokiPoller(lokiUrl, lokiLineFilter(catalogue), lokiMetrics)
      : undefined;
    this.podLogs =
      !lokiUrl && o.cluster
        ? new PodLogFollower({
            kc: o.cluster.kc,
            targets: () => this.agentRuns(),
            clock,
            logger,
            cursors: o.store,
            onEntries: (ns, entries) => this.stage.handle(ns, entries),
          })
        : undefined;
    this.checklistJob =
      this.loki || this.podLogs
        ? new IntervalJob({
            name: 'log checklist pass',
            everyMs: CHECKLIST_PASS_MS,
            run: () => this.stage.tick(),
            logger,
            immediate: false,
          })
        : undefined;
  }

  /** One round of Loki now (nothing when Loki is not read). */
  async pollOnce(): Promise<void> {
    await this.loki?.pollOnce();
  }

  /** Informational: Loki being down never makes Healer unready (its lines are read on recovery). */
  async lokiReadiness(): Promise<{ ok: boolean; detail: string }> {
    const h = await this.loki!.health();
    return {
      ok: true,
      detail: h.ok ? h.detail : `Loki unreachable, reading resumes on recovery: ${h.detail}`,
    };
  }

  /** The agent containers of active sessions' current pods (pod-log targets; runs to freeze). */
  agentRuns(): FollowTarget[] {
    const out: FollowTarget[] = [];
    for (const s of this.#o.active.list()) {
      for (const a of s.agents) {
        const p = a.pod ? this.#o.cluster?.pod(s.namespace, a.pod) : undefined;
        const phase = p?.status?.phase;
        const container = p ? agentContainerName(p, a.name) : null;
        if (a.pod && container && phase !== 'Succeeded' && phase !== 'Failed')
          out.push({ namespace: s.namespace, pod: a.pod, container });
      }
    }
    return out;
  }

  #lokiPoller(
    url: string,
    filter: LokiPollerOptions['filter'],
    metrics: LokiPollerOptions['metrics'],
  ): LokiPoller {
    const { config, cluster, active } = this.#o;
    return new LokiPoller({
      url,
      namespaces: () =>
        cluster?.hub.namespaces ?? [...new Set([...config.namespaces, ...active.namespaces()])],
      filter,
      store: this.#o.store,
      clock: this.#o.clock,
      logger: this.#o.logger,
      metrics,
      intervalMs: config.env.HEALER_LOKI_POLL_SECONDS * 1000,
      overlapMs: config.env.HEALER_LOKI_REREAD_SECONDS * 1000,
      onEntries: (ns, entries) => this.stage.handle(ns, entries),
      onGap: (ns, from, to) => this.stage.gap(ns, from, to),
      ...this.#o.loki,
    });
  }

  /** The cached pod's correlation, or the pod name's alone (play-id prefix) when none is cached. */
  #correlatePod(ns: string, pod: string) {
    const { cluster } = this.#o;
    const object = cluster?.pod(ns, pod) ?? { metadata: { name: pod, namespace: ns } };
    return cluster
      ? cluster.correlate('pod', object)
      : correlate(object, 'pod', this.#o.index.get(), {
          exclusions: this.#o.config.heal.exclusions,
        });
  }

  #containerStartedAt(ns: string, pod: string, container: string): Date | null {
    const p = this.#o.cluster?.pod(ns, pod);
    const st = p && statusOf(p, container)?.state;
    const t = millis(st?.running?.startedAt ?? st?.terminated?.startedAt);
    return t === null ? null : new Date(t);
  }

  #isAgentContainer(ns: string, pod: string, container: string): boolean {
    const p = this.#o.cluster?.pod(ns, pod);
    return p
      ? agentContainerName(p, this.#correlatePod(ns, pod).agent) === container
      : !isSidecarName(container);
  }
}
