// The running Healer around the wired pipeline: the HTTP app, the leadership that gates the
// background work, the shutdown order, and the few seams tests and CLI passes drive.
import type { Server as HttpServer } from 'node:http';
import type { Logger } from 'pino';
import { buildApp, type AppServices, type AppSettings } from './app.js';
import { IncidentService } from './incidents/incident-service.js';
import { SilenceService } from './incidents/silence-service.js';
import { sessionTimeline } from './sessions/timeline.js';
import { VERSION } from './version.js';
import type { Config } from './config/index.js';
import type { Clock } from './domain/clock.js';
import type { Incident, IncidentQuery } from './domain/incident.js';
import type { Store } from './domain/stores.js';
import type { DecisionTuning, DispatcherTuning } from './actions/stage.js';
import type { DecisionMaker } from './actions/decisions.js';
import type { Dispatcher } from './actions/dispatcher.js';
import type { RemediationPullRequests } from './actions/remediation-prs.js';
import type { RuleTimer } from './incidents/rule-timer.js';
import type { IncidentTracker, Unobserved } from './incidents/tracker.js';
import type { SessionSync } from './sessions/sync.js';
import type { PrStage } from './sources/github/pr-stage.js';
import type { ClusterStage, ClusterView } from './sources/kube/cluster.js';
import type { LogSources } from './sources/logs/log-sources.js';
import { replicaIdentity } from './leader/identity.js';
import { createLeadership, type ElectorTimings, type Leadership } from './leader/leadership.js';
import type { LeadershipPlan } from './leader/plan.js';
import type { Metrics } from './observability/metrics.js';
import type { Readiness } from './observability/readiness.js';
import type { Background } from './runtime/index.js';
import type { RunHistory } from './sessions/run-history.js';
import type { SessionService } from './sessions/service.js';
import type { ThresholdBook } from './detectors/thresholds/book.js';
import type { GitHubClient } from './sources/github/index.js';
import type { HubOptions } from './sources/kube/hub.js';
import type { KubeAccess } from './sources/kube/kubeconfig.js';
import type { LokiTuning } from './sources/logs/log-sources.js';
import type { ProactiveSources } from './sources/platform/proactive.js';

export interface HealerDeps {
  config: Config;
  logger: Logger;
  store: Store;
  clock?: Clock;
  /** Cluster access; found from the environment when not given. */
  kube?: KubeAccess;
  /** GitHub client; null = off; found from the environment when not given. */
  github?: GitHubClient | null;
  /** Dispatcher tuning (tests shorten polling and backoff). */
  dispatcher?: DispatcherTuning;
  /** Decision tuning (tests: a long snapshot makes a stale read of the silences certain). */
  decisions?: DecisionTuning;
  /** Loki poller tuning (tests shorten intervals and the ingest delay). */
  loki?: LokiTuning;
  /** Reflector tuning (tests shorten backoff and inactivity). */
  reflector?: HubOptions['reflector'];
  /**
   * Who runs the background work: `alone` (the default: this process always leads) or elected on
   * a Lease (`healer serve` with PostgreSQL and a cluster; see `leader/plan.ts`).
   */
  leadership?: { plan: Exclude<LeadershipPlan, { mode: 'refuse' }>; timings?: ElectorTimings };
  /** How often the leader reads which sessions other replicas started or ended (shared store). */
  sessionSyncMs?: number;
  /** Start the background work when the app is ready (`healer serve`); else `start()` does. */
  startWithApp?: boolean;
}

/** The leadership plan of a process that was not given one: it leads alone. */
export const planOf = (deps: Pick<HealerDeps, 'leadership' | 'config'>) =>
  deps.leadership?.plan ?? {
    mode: 'alone' as const,
    identity: replicaIdentity(deps.config.env),
    why: 'one process',
  };

/** Ways into a running pipeline for tests and CLI passes (each runs one pass now). */
export interface HealerSeams {
  /** Loads the active sessions and starts watching, without timers or actions (CLI passes). */
  load(): Promise<void>;
  /** One timer pass: time-based rules, resolving what cleared (listing what could not be read), re-deciding what is due. */
  tick(opts?: {
    dryRun?: boolean;
    resolveAfterMs?: number;
  }): Promise<{ cleared: Incident[]; unobserved: Unobserved[] }>;
  /** Resolves once every alert observed so far is recorded and decided on. */
  settle(): Promise<void>;
  /** Reads which sessions other replicas started or ended (shared store). */
  syncSessions(): Promise<void>;
  /** One round of a source now; nothing when that source is off. */
  polls: {
    prs(): Promise<void>;
    logs(): Promise<void>;
    resources(): Promise<void>;
    platform(): Promise<void>;
    /** The pull requests of remediation runs (merged ones are recorded in the outcome history). */
    remediationPrs(): Promise<void>;
  };
  /** The informer caches, read-only (undefined without a cluster). */
  hub: ClusterView | undefined;
  /** The durable outbox: one pass now, a pass soon, or wait for passes to end. */
  outbox: { runOnce(): Promise<number>; kick(): void; idle(): Promise<void> };
  /** Incident events (`recorded`, `resolved`), e.g. for latency measurements. */
  incidents: Pick<IncidentTracker, 'on'>;
  /** The successful runs thresholds are learned from. */
  history: Pick<RunHistory, 'durations' | 'idle'>;
  /** The proactive sources that run (resource pressure, platform health). */
  proactive: ProactiveSources | undefined;
  /** After the leader's work stopped: what CLI passes started (watches) and work in flight. */
  stopInFlight: () => Promise<void>;
}

export interface HealerParts {
  sessions: SessionService;
  metrics: Metrics;
  readiness: Readiness;
  thresholds: ThresholdBook;
  background: Background;
  /** Why no cluster is watched, when none is. */
  noCluster: string | undefined;
}

/** The stages the seams reach into. */
export interface HealerStages {
  sync: SessionSync;
  history: RunHistory;
  timer: RuleTimer;
  tracker: IncidentTracker;
  decisions: Pick<DecisionMaker, 'silencesChanged'>;
  /** Resolves once every alert observed so far is recorded and decided on. */
  settle: () => Promise<void>;
  dispatcher: Dispatcher;
  cluster: ClusterStage | undefined;
  prs: PrStage;
  /** Follows the pull requests remediation runs opened (undefined without GitHub). */
  pullRequests: RemediationPullRequests | undefined;
  logs: LogSources;
  proactive: ProactiveSources | undefined;
}

/** The seams over the wired stages. */
function seamsOf(s: HealerStages): HealerSeams {
  const { settle, proactive } = s;
  return {
    load: async () => {
      await s.sync.load();
      s.cluster?.hub.start();
    },
    tick: s.timer.pass,
    settle,
    syncSessions: () => s.sync.syncActive(),
    polls: {
      prs: () => s.prs.pollOnce(),
      logs: () => s.logs.pollOnce(),
      resources: async () => void (await proactive?.samplerJob?.runNow()),
      platform: async () => void (await proactive?.platformJob?.runNow()),
      remediationPrs: async () => void (await s.pullRequests?.job.runNow()),
    },
    hub: s.cluster?.hub,
    outbox: s.dispatcher,
    incidents: s.tracker,
    history: s.history,
    proactive,
    stopInFlight: async () => {
      await s.cluster?.hub.stop();
      await settle();
      await s.dispatcher.stop();
    },
  };
}

export type Healer = Awaited<ReturnType<typeof assembleHealer>>;

/** The leadership that starts and stops the background work, reported in the metrics. */
function leadershipOf(deps: HealerDeps, background: Background, metrics: Metrics): Leadership {
  const { logger } = deps;
  const leadership = createLeadership({
    plan: planOf(deps),
    logger,
    timings: deps.leadership?.timings ?? {},
    work: {
      start: () => background.start(),
      stop: async (reason) => {
        logger.info({ reason }, 'stopping the leader work');
        await background.stop();
      },
    },
    onChange: (view, transition) => {
      metrics.leader.set(view.leader ? 1 : 0);
      if (transition) metrics.leaderTransitions.inc({ to: view.leader ? 'leader' : 'follower' });
    },
  });
  metrics.leader.set(0);
  return leadership;
}

/** The services the routes call and the app's settings, from the environment. */
function appServices(
  deps: HealerDeps & { clock: Clock },
  p: HealerParts,
  stages: HealerStages,
  leadership: Leadership,
): { services: AppServices; settings: AppSettings } {
  const { store, clock, config } = deps;
  const { env } = config;
  const incidents = new IncidentService(store, clock);
  const onChange = () => stages.decisions.silencesChanged();
  const timelineSources = {
    session: (playId: string) => p.sessions.get(playId),
    incidents: (q: IncidentQuery) => incidents.list(q),
    decisionsAndActions: (playId: string) => incidents.timeline(playId),
    logGaps: (playId: string) => store.logGaps(playId),
  };
  const services: AppServices = {
    sessions: p.sessions,
    incidents,
    silences: new SilenceService({ store, clock, onChange }),
    timeline: (playId) => sessionTimeline(timelineSources, playId),
    clock,
    metrics: p.metrics,
    readiness: p.readiness,
    thresholds: { policy: p.thresholds.policy, rows: p.thresholds.rows },
    leader: () => leadership.view(),
    insights: {
      reads: {
        listIncidents: (q) => incidents.list(q),
        listOutcomes: (q) => store.listOutcomes(q),
      },
      options: {
        historyFailures: config.heal.remediation.historyFailures,
        historyWindowDays: config.heal.remediation.historyWindowDays,
      },
    },
  };
  const settings: AppSettings = {
    version: VERSION,
    apiToken: env.HEALER_API_TOKEN,
    protectReads: env.HEALER_API_TOKEN_READS,
    defaultRepoOwner: env.HEALER_DEFAULT_REPO_OWNER,
    logs: { grafanaUrl: env.HEALER_GRAFANA_URL ?? null, lokiUid: env.HEALER_GRAFANA_LOKI_UID },
  };
  return { services, settings };
}

const timeoutsOf = (env: Config['env']) => ({
  requestMs: env.HEALER_REQUEST_TIMEOUT_SECONDS * 1000,
  headersMs: env.HEALER_HEADERS_TIMEOUT_SECONDS * 1000,
  keepAliveMs: env.HEALER_KEEPALIVE_TIMEOUT_SECONDS * 1000,
  idleMs: env.HEALER_IDLE_TIMEOUT_SECONDS * 1000,
});

/**
 * The HTTP app around the pipeline's parts. The background work is the app's: started in
 * `onReady` with `startWithApp` (`healer serve`) or by `start()`; stopped (the Lease released)
 * while requests drain on close, then what CLI passes started, then the store.
 */
export async function assembleHealer(
  deps: HealerDeps & { clock: Clock },
  p: HealerParts,
  stages: HealerStages,
) {
  const { config, logger, store } = deps;
  const { stopInFlight, ...seams } = seamsOf(stages);
  const leadership = leadershipOf(deps, p.background, p.metrics);
  /** Starts the leadership: alone, the work runs when this resolves; elected, while this replica holds the Lease. */
  const start = async (): Promise<void> => {
    if (p.noCluster !== undefined)
      logger.warn(`Kubernetes watching is off: ${p.noCluster}. The session API still serves.`);
    await leadership.start();
  };
  const background = {
    startOnReady: deps.startWithApp ?? false,
    start,
    stop: () => leadership.stop(),
    close: async () => {
      // CLI passes (`load()`) watch without leading: their work in flight ends here.
      await stopInFlight();
      await store.close();
    },
  };
  const app = await buildApp({
    ...appServices(deps, p, stages, leadership),
    background,
    logger,
    timeouts: timeoutsOf(config.env),
  });
  const drainMs = config.env.HEALER_SHUTDOWN_DRAIN_SECONDS * 1000;
  return {
    app,
    sessions: p.sessions,
    store,
    /** This replica's leadership (identity, and who leads now). */
    leadership: { identity: leadership.identity, view: () => leadership.view() },
    /** The leader's background work: whether it runs, and its parts in start order. */
    background: {
      get started() {
        return p.background.started;
      },
      get names() {
        return p.background.names;
      },
    },
    ...seams,
    /** Starts the background work now (tests, CLI; `healer serve` starts it with the app). */
    start,
    /**
     * Stops accepting requests and finishes in-flight ones while the leader work stops (and the
     * Lease is released, so another replica takes over at once), then closes the store.
     */
    stop: () => drainHttp(app, drainMs, logger),
  };
}

/**
 * Stops accepting connections and lets requests in flight finish for up to `drainMs`; connections
 * still open then (a client that never finishes its body, say) are closed, so a shutdown is bounded.
 */
async function drainHttp(
  app: { close(): Promise<unknown>; server: HttpServer },
  drainMs: number,
  logger: Logger,
): Promise<void> {
  const closing = app.close();
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((resolve) => {
    timer = setTimeout(() => resolve('late'), drainMs);
  });
  const outcome = await Promise.race([closing.then(() => 'closed' as const), late]);
  clearTimeout(timer);
  if (outcome === 'late') {
    logger.warn(
      { drain_seconds: drainMs / 1000 },
      'connections still open after the drain period; closing them',
    );
    app.server.closeAllConnections();
    await closing;
  }
}
