import type { Logger } from 'pino';
import type { Server as HttpServer } from 'node:http';
import type { Config } from './config/index.js';
import { systemClock, type Clock } from './domain/clock.js';
import type { Session } from './domain/session.js';
import { normaliseAgent } from './domain/stages.js';
import type { Store } from './domain/stores.js';
import { SessionService } from './sessions/service.js';
import { applyAgentObservation, observeCodeRun, observePod } from './sessions/agents.js';
import { Metrics } from './observability/metrics.js';
import { Readiness } from './observability/readiness.js';
import { loadKubeAccess, type KubeAccess } from './sources/kube/kubeconfig.js';
import { InformerHub } from './sources/kube/hub.js';
import { KubeWatcher } from './sources/kube/kube-watcher.js';
import { KubeLookups } from './sources/kube/rule-view.js';
import { buildCorrelationIndex, type CorrelationIndex } from './sources/kube/correlation-index.js';
import { evaluateAll, isEventSignal, TICK_ONLY_ALERTS } from './detectors/registry.js';
import type { RuleView, Signal } from './domain/signal.js';
import { IncidentTracker, type SourceCheck } from './incidents/tracker.js';
import { loadExpected } from './templates/expected.js';
import type { CodeRun, Pod, Workflow } from './domain/kube.js';
import { buildApp } from './app.js';
import { HealerError } from './domain/errors.js';
import type { PrSnapshot } from './domain/pr.js';
import { checkTemplates, createTemplateEngine, formatTemplateFailures } from './templates/index.js';
import {
  githubClientFromEnv,
  PrPoller,
  prSummary,
  registerGitHubMetrics,
  type GitHubClient,
  type PollTarget,
} from './sources/github/index.js';
import { createActionHandlers } from './actions/index.js';
import { Dispatcher } from './actions/dispatcher.js';
import { DecisionMaker } from './actions/decisions.js';
import { loadGroupingRules } from './incidents/grouping.js';
import { loadInhibitionRules } from './incidents/inhibition.js';
import {
  applyAttemptUpdate,
  attemptFromCodeRun,
  incidentIdOfCodeRun,
} from './actions/coderun/follow.js';
import { policyFromConfig } from './incidents/policy.js';
import { correlate } from './sources/kube/correlate.js';
import {
  ChecklistScanner,
  Classifier,
  DEFAULT_CATALOGUE_PATH,
  loadCatalogue,
  lokiLineFilter,
} from './detectors/patterns/index.js';
import {
  createLogStage,
  LokiPoller,
  PodLogFollower,
  registerLokiMetrics,
  type FollowTarget,
} from './sources/logs/index.js';
import { agentContainerName, isSidecarName, statusOf } from './domain/pod-containers.js';
import { millis } from './domain/kube-time.js';
import { RunHistory } from './sessions/run-history.js';
import { describeThreshold, learnThreshold } from './detectors/thresholds/adaptive.js';
import { THRESHOLD_KINDS, type ThresholdFor, type ThresholdKind } from './domain/threshold.js';
import type { AgentThresholds } from './domain/session.js';
import type { ThresholdRow } from './routes/thresholds.js';
import { Background, IntervalJob } from './runtime/index.js';
import { createLeadership, type ElectorTimings, type Leadership } from './leader/leadership.js';
import type { LeadershipPlan } from './leader/plan.js';
import { replicaIdentity } from './leader/identity.js';
import { createProactiveSources, type ProactiveSources } from './sources/platform/proactive.js';

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
  /** Decision tuning (tests: a long snapshot makes a stale read of the silences certain). */
  decisions?: { snapshotMs?: number };
  dispatcher?: Partial<
    Pick<
      ConstructorParameters<typeof Dispatcher>[0],
      'pollMs' | 'deadlineMs' | 'backoff' | 'maxAttempts'
    >
  >;
  /** Loki poller tuning (tests shorten intervals and the ingest delay). */
  loki?: Partial<
    Pick<
      ConstructorParameters<typeof LokiPoller>[0],
      'intervalMs' | 'ingestDelayMs' | 'initialLookbackMs' | 'overlapMs'
    >
  >;
  /** Reflector tuning (tests shorten backoff and inactivity). */
  reflector?: ConstructorParameters<typeof InformerHub>[0]['reflector'];
  /**
   * Who runs the background work: `alone` (the default: this process always leads) or elected on
   * a Lease (`healer serve` with PostgreSQL and a cluster; see `leader/plan.ts`).
   */
  leadership?: { plan: Exclude<LeadershipPlan, { mode: 'refuse' }>; timings?: ElectorTimings };
  /** How often the leader reads which sessions other replicas started or ended (shared store). */
  sessionSyncMs?: number;
}

export type Healer = Awaited<ReturnType<typeof createHealer>>;

const SWEEP_INTERVAL_MS = 60_000;
const SESSION_SYNC_MS = 2_000;

/**
 * The one place that wires Healer together:
 * sources (Kubernetes) → sessions → detectors → incidents → actions; routes read.
 */
export async function createHealer(deps: HealerDeps) {
  const { config, logger, store } = deps;
  const clock = deps.clock ?? systemClock;
  const kube = deps.kube ?? loadKubeAccess(config.env);
  const stageOf = (agent: string) => config.heal.stages.agents[normaliseAgent(agent)] ?? 'other';
  const plan = deps.leadership?.plan ?? {
    mode: 'alone' as const,
    identity: replicaIdentity(config.env),
    why: 'one process',
  };

  // --- sessions ---
  const sessions = new SessionService({
    store,
    clock,
    agentStages: config.heal.stages.agents,
    ttlHours: config.env.HEALER_SESSION_TTL_HOURS,
    retentionDays: config.env.HEALER_SESSION_RETENTION_DAYS,
  });
  let active = new Map<string, Session>();
  /** Last PR snapshot per active session, and PR URLs its CodeRuns reported. */
  const snapshots = new Map<string, PrSnapshot>();
  const prUrls = new Map<string, Set<string>>();
  /** The correlation index of the active sessions, rebuilt lazily after sessions start or end. */
  let indexCache: CorrelationIndex | undefined;
  const reindex = () => (indexCache = undefined);
  const index = (): CorrelationIndex =>
    (indexCache ??= buildCorrelationIndex([...active.values()]));
  const remember = (s: Session) => {
    if (s.status === 'active') active.set(s.play_id, s);
    else {
      active.delete(s.play_id);
      snapshots.delete(s.play_id);
      prUrls.delete(s.play_id);
    }
    reindex();
  };

  // --- learned thresholds (issue #18): A8/A9/A3 per agent and stage from its successful runs ---
  const history = new RunHistory(store);
  const learning = config.heal.thresholds;
  const policy = {
    learn: learning.learn,
    minSamples: learning.minSamples,
    factor: learning.factor,
    floorSeconds: learning.floorMinutes * 60,
  };
  const pinned = new Map(
    Object.entries(learning.pinned).map(([agent, pin]) => [normaliseAgent(agent), pin]),
  );
  const PIN_KEY = {
    'step-timeout': 'stepTimeoutMinutes',
    'stuck-coderun': 'stuckCodeRunMinutes',
    'stale-progress': 'staleProgressMinutes',
  } as const;
  const configuredSeconds = (kind: ThresholdKind, stage: string): number => {
    const a = config.heal.alerts;
    if (kind === 'stuck-coderun') return a.stuckCodeRunMinutes * 60;
    if (kind === 'stale-progress') return a.staleProgressMinutes * 60;
    return (a.stepTimeoutMinutes[stage] ?? a.defaultStepTimeoutMinutes) * 60;
  };
  const learned: ThresholdFor = (kind, agent, stage, staticSeconds) => {
    const pin = pinned.get(normaliseAgent(agent))?.[PIN_KEY[kind]];
    return learnThreshold(
      history.durations(agent, stage),
      staticSeconds,
      policy,
      pin === undefined ? null : pin * 60,
    );
  };
  const thresholdsOf = (agent: string, stage: string): AgentThresholds =>
    Object.fromEntries(
      THRESHOLD_KINDS.map((k) => [k, learned(k, agent, stage, configuredSeconds(k, stage))]),
    );
  /** The session's agent keeps the thresholds fixed when it was first seen; others are learned now. */
  const thresholdsIn =
    (session: Session | null): ThresholdFor =>
    (kind, agent, stage, staticSeconds) =>
      session?.agents.find(
        (a) => normaliseAgent(a.name) === normaliseAgent(agent) && a.stage === stage,
      )?.thresholds?.[kind] ?? learned(kind, agent, stage, staticSeconds);
  const thresholdRows = (): ThresholdRow[] => {
    const known = new Map<string, { agent: string; stage: string }>();
    const add = (agent: string, stage: string) =>
      known.set(`${agent}/${stage}`, { agent: normaliseAgent(agent), stage });
    for (const [agent, stage] of Object.entries(config.heal.stages.agents)) add(agent, stage);
    for (const agent of pinned.keys()) add(agent, stageOf(agent));
    for (const k of history.keys()) add(k.agent, k.stage);
    return [...known.values()]
      .sort((a, b) => a.agent.localeCompare(b.agent) || a.stage.localeCompare(b.stage))
      .map(({ agent, stage }) => {
        const t = thresholdsOf(agent, stage);
        const row = {} as ThresholdRow['thresholds'];
        for (const k of THRESHOLD_KINDS)
          row[k] = { ...t[k]!, description: describeThreshold(t[k]!) };
        return { agent, stage, runs: history.durations(agent, stage).length, thresholds: row };
      });
  };
  /** A successful run of an agent: remembered for learning (a run seen again counts once). */
  const recordRun = (playId: string, o: ReturnType<typeof observePod>) => {
    if (!o?.succeeded) return;
    const agent = active
      .get(playId)
      ?.agents.find((a) => normaliseAgent(a.name) === normaliseAgent(o.agent));
    // a CodeRun's times count only when none of its pods was seen (the pod's are more precise)
    if (o.coderun !== undefined && agent?.pod) return;
    const stage = agent?.stage ?? stageOf(o.agent);
    history
      .record(o.agent, stage, o.succeeded)
      .then(
        (added) =>
          added &&
          logger.debug(
            { agent: o.agent, stage, seconds: o.succeeded!.seconds, play_id: playId },
            'successful run recorded for learned thresholds',
          ),
      )
      .catch((err: unknown) => logger.warn({ err, agent: o.agent }, 'could not record a run'));
  };

  // --- detection ---
  const tracker = new IncidentTracker({
    store,
    now: () => clock.now(),
    resolveAfterMs: config.heal.alerts.resolveAfterSeconds * 1000,
  });
  const expected = loadExpected(`${config.env.HEALER_PROMPTS_DIR}/expected`);
  for (const e of expected.errors) logger.warn(e);
  const expectedFor: RuleView['expectedFor'] = (agent) => {
    const x = expected.expected.get(normaliseAgent(agent));
    return x && { success: x.successMarkers, failure: x.failureIndicators };
  };

  let hub: InformerHub | undefined;
  let watcher: KubeWatcher | undefined;
  let lookups: KubeLookups | undefined;
  /** Rule lookups when no cluster is watched (PR rules still run). */
  const noCluster = {
    view: (
      now: Date,
      session: Session | null,
      cfg: RuleView['config'],
      exp: RuleView['expectedFor'],
    ): RuleView => ({
      now,
      session,
      config: cfg,
      podsOfCodeRun: () => [],
      eventsFor: () => [],
      expectedFor: exp,
    }),
  };

  const metrics = new Metrics({
    sessionCounts: () => store.countByStatus(),
    incidentCounts: () => store.countIncidentsByState(),
    watchAges: () => {
      const out: Record<string, number> = {};
      for (const s of hub?.stats() ?? []) {
        if (!s.lastEventAt) continue;
        const age = (Date.now() - s.lastEventAt) / 1000;
        out[s.kind] = Math.min(out[s.kind] ?? Infinity, age);
      }
      return out;
    },
  });

  // --- templates (checked at start: every alert's templates must render) ---
  const templates = createTemplateEngine(config.env.HEALER_PROMPTS_DIR);
  const templateFailures = [
    ...templates.loadErrors.map((e) => ({ alert: null, template: 'load', error: e })),
    ...checkTemplates(templates),
  ];
  if (templateFailures.length) {
    throw new HealerError(
      'TEMPLATES_INVALID',
      500,
      `prompt templates in ${config.env.HEALER_PROMPTS_DIR} do not render:\n${formatTemplateFailures(templateFailures)}`,
    );
  }

  // --- GitHub (pull-request polling and issue actions) ---
  const githubMetrics = registerGitHubMetrics(metrics.registry);
  const gh =
    deps.github !== undefined
      ? deps.github
        ? { client: deps.github, reason: null }
        : { client: null, reason: 'disabled' }
      : githubClientFromEnv(config.env, { logger, metrics: githubMetrics });

  // --- actions: handlers per configured destination, the outbox dispatcher, decisions ---
  const handlers = createActionHandlers({
    config,
    github: gh.client,
    kc: kube.kc,
    templates,
    logger,
    history: store,
  });
  const dispatcher = new Dispatcher({
    store,
    owner: plan.identity,
    handlers,
    clock,
    logger,
    sessionOf: (playId) => store.getSession(playId),
    onOutcome: (a, outcome) =>
      metrics.actions.inc({ action: a.action.kind, destination: a.destination, outcome }),
    ...deps.dispatcher,
  });
  const decisions = new DecisionMaker({
    store,
    clock,
    policy: policyFromConfig(config.heal),
    dispatcher,
    logger,
    inhibitions: loadInhibitionRules(),
    outcomes: store,
    grouping: loadGroupingRules(),
    ...deps.decisions,
  });

  tracker.on('recorded', ({ incident, outcome, latencyMs }) => {
    metrics.alerts.inc({ alert: incident.alert, severity: incident.severity });
    if (latencyMs !== null) metrics.detectionLatency.observe(latencyMs / 1000);
    const level = outcome === 'repeat' ? 'debug' : 'info';
    logger[level](
      { incident_id: incident.id, alert: incident.alert, play_id: incident.playId, outcome },
      `${incident.alert} ${incident.title}`,
    );
  });
  tracker.on('recorded', (r) => {
    decisions
      .onRecorded(r)
      .catch((err: unknown) =>
        logger.error({ err, incident_id: r.incident.id }, 'deciding on an alert failed'),
      );
  });
  tracker.on('resolved', ({ incident, reason }) => {
    logger.info(
      { incident_id: incident.id, alert: incident.alert, play_id: incident.playId, reason },
      'incident resolved',
    );
    decisions
      .onResolved(incident)
      .then(() => decisions.releaseChildren(incident, (fp) => tracker.isFiring(fp)))
      .then(() => decisions.childResolved(incident))
      .catch((err: unknown) =>
        logger.error({ err, incident_id: incident.id }, 'deciding on a resolution failed'),
      );
  });
  tracker.on('error', (err) => logger.error({ err }, 'recording an incident failed'));

  const evaluate = (signal: Signal, key: string, receivedAt: number | undefined) => {
    const playId = signal.correlation.playId;
    const session = playId ? (active.get(playId) ?? null) : null;
    const view = {
      ...(lookups ?? noCluster).view(clock.now(), session, config.heal, expectedFor),
      thresholdFor: thresholdsIn(session),
    };
    const drafts = evaluateAll(signal, view, (rule, err) =>
      logger.error({ err, rule: rule.id }, 'rule threw; skipped'),
    );
    // tick-only rules did not run on a watch event: what they fire keeps firing until the tick
    void tracker.observe(
      key,
      drafts,
      receivedAt,
      isEventSignal(signal) ? TICK_ONLY_ALERTS : undefined,
    );
  };

  /** Session agents and lifecycle from the cluster. */
  const onObject = (
    kind: string,
    obj: Pod | CodeRun | Workflow,
    c: ReturnType<KubeWatcher['correlate']>,
  ) => {
    if (kind === 'coderun' && c.remediation) {
      followRemediation(obj as CodeRun);
      return;
    }
    if (!c.playId) return;
    const playId = c.playId;
    const url = kind === 'coderun' ? (obj as CodeRun).status?.pullRequestUrl : undefined;
    if (url) prUrls.set(playId, (prUrls.get(playId) ?? new Set()).add(url));
    if (kind === 'workflow') {
      const wf = obj as Workflow;
      const phase = wf.status?.phase;
      if (wf.metadata?.name !== playId || !phase) return;
      if (phase === 'Succeeded' || phase === 'Failed' || phase === 'Error') {
        const status = phase === 'Succeeded' ? 'completed' : 'failed';
        sessions
          .end(
            playId,
            status,
            `workflow ${phase}${wf.status?.message ? `: ${wf.status.message}` : ''}`,
          )
          .catch(() => {
            // already ended: nothing to do
          });
      }
      return;
    }
    const o = kind === 'pod' ? observePod(obj as Pod, c) : observeCodeRun(obj as CodeRun, c);
    if (!o) return;
    recordRun(playId, o);
    const current = active.get(playId);
    if (!current || !applyAgentObservation(current, o, stageOf, thresholdsOf)) return;
    void sessions
      .update(playId, (s) => applyAgentObservation(s, o, stageOf, thresholdsOf))
      .then((s) => s && s.status === 'active' && active.set(playId, s))
      .catch((err: unknown) =>
        logger.warn({ err, play_id: playId }, 'could not update session agents'),
      );
  };

  /** A remediation CodeRun Healer created changed: record its phase and PR on the incident it serves. */
  const followRemediation = (cr: CodeRun) => {
    const id = incidentIdOfCodeRun(cr);
    if (!id) return;
    const update = attemptFromCodeRun(cr);
    let ended: 'evaluation' | 'remediation' | null = null;
    void store
      .updateIncident(id, (i) => {
        const next = applyAttemptUpdate(i, update);
        if (next && update.finishedAt) {
          ended = next.evaluation?.coderun === update.coderun ? 'evaluation' : 'remediation';
        }
        return next;
      })
      .then(async (i) => {
        if (i && i.state !== 'resolved') await decisions.runUpdated(i);
        if (!i || i.state === 'resolved' || !ended) return;
        // evaluate-then-fix: the evaluation ended → adopt or write the issue, then remediate
        if (ended === 'evaluation') await decisions.afterEvaluation(i);
        // the run finished while the failure still fires → decide now (cooldown, next attempt, escalation)
        else if (tracker.isFiring(i.fingerprint)) await decisions.recheckNow(i);
      })
      .catch((err: unknown) =>
        logger.warn({ err, incident_id: id }, 'could not record a remediation run'),
      );
  };

  // --- pull requests ---
  const poller = gh.client
    ? new PrPoller({
        github: gh.client,
        clock,
        intervalMs: config.env.HEALER_GITHUB_POLL_SECONDS * 1000,
        metrics: githubMetrics,
        logger,
        sessions: (): PollTarget[] =>
          [...active.values()].map((s) => ({
            playId: s.play_id,
            repository: s.repository,
            taskIds: s.tasks.map((t) => t.id),
            pullRequestUrls: [...(prUrls.get(s.play_id) ?? [])],
          })),
        onSnapshot: async (playId, snapshot, changed) => {
          snapshots.set(playId, snapshot);
          if (!changed) return;
          const summary = prSummary(snapshot);
          const s = await sessions.update(playId, (x) =>
            JSON.stringify(x.pr) === JSON.stringify(summary) ? undefined : { ...x, pr: summary },
          );
          if (s?.status === 'active') active.set(playId, s);
          evaluatePr(playId, 'event');
        },
      })
    : undefined;
  /** A Play's PR belongs to the Play; its task is the session's task when it has exactly one. */
  const prCorrelation = (playId: string) => ({
    playId,
    rule: 1 as const,
    agent: null,
    taskId: active.get(playId)?.tasks.length === 1 ? active.get(playId)!.tasks[0].id : null,
    remediation: false,
    servesFingerprint: null,
    excluded: null,
  });
  /** PR rules for one session: on a changed snapshot, and on the timer (A3 without a PR runs from the agent's start). */
  const evaluatePr = (playId: string, cause: 'event' | 'tick') => {
    if (!active.has(playId)) return;
    evaluate(
      {
        kind: 'pr',
        snapshot: snapshots.get(playId) ?? null,
        correlation: prCorrelation(playId),
        cause,
      },
      `pr/${playId}`,
      undefined,
    );
  };

  const readiness = new Readiness();
  readiness.register('store', async () => {
    await store.ping();
    return { ok: true, detail: `${store.kind} store open` };
  });

  if (kube.kc) {
    hub = new InformerHub({
      kc: kube.kc,
      logger,
      namespaces: config.clusterWide ? '*' : config.namespaces,
      ...(deps.reflector ? { reflector: deps.reflector } : {}),
      onRestart: (kind) => metrics.watchRestarts.inc({ kind }),
    });
    lookups = new KubeLookups(hub);
    watcher = new KubeWatcher({
      hub,
      kc: kube.kc,
      logger,
      exclusions: config.heal.exclusions,
      index,
      onSignal: evaluate,
      onGone: (key) => void tracker.forget(key),
      onObject,
    });
    const h = hub;
    readiness.register('kubernetes', () =>
      h.started
        ? h.readiness()
        : { ok: true, detail: 'not watching: this replica is not the leader' },
    );
  } else {
    readiness.register('kubernetes', () => ({ ok: true, detail: `watching off: ${kube.reason}` }));
  }

  // --- proactive sources (issue #18): resource pressure and platform health on their own timers ---
  let proactive: ProactiveSources | undefined;
  if (kube.kc && hub && watcher) {
    const h = hub;
    const w = watcher;
    proactive = createProactiveSources({
      kc: kube.kc,
      logger,
      now: () => clock.now(),
      heal: config.heal,
      resources: {
        enabled: config.env.HEALER_RESOURCE_CHECKS,
        everyMs: config.env.HEALER_RESOURCE_POLL_SECONDS * 1000,
      },
      platform: {
        enabled: config.env.HEALER_PLATFORM_CHECKS,
        everyMs: config.env.HEALER_PLATFORM_POLL_SECONDS * 1000,
      },
      namespaces: () => h.namespaces,
      pod: (ns, name) => h.get('pod', ns, name),
      pods: () => h.list('pod'),
      ownerOf: (pod) => {
        const c = w.correlate('pod', pod);
        return c.excluded || (!c.playId && !c.agent)
          ? null
          : { playId: c.playId, taskId: c.taskId, agent: c.agent };
      },
      observe: (key, drafts) => tracker.observe(key, drafts),
    });
  }

  // --- logs (detection.md §4): Loki when LOKI_URL is set, else the pod-log follower ---
  const catalogue = loadCatalogue(config.heal.patterns.file ?? DEFAULT_CATALOGUE_PATH);
  const podOf = (ns: string, pod: string) => hub?.get('pod', ns, pod);
  /** The cached pod's correlation, or the pod name's alone (play-id prefix) when none is cached. */
  const correlatePod = (ns: string, pod: string) => {
    const object = podOf(ns, pod) ?? { metadata: { name: pod, namespace: ns } };
    return watcher
      ? watcher.correlate('pod', object)
      : correlate(object, 'pod', index(), { exclusions: config.heal.exclusions });
  };
  const containerStartedAt = (ns: string, pod: string, container: string): Date | null => {
    const p = podOf(ns, pod);
    const st = p && statusOf(p, container)?.state;
    const t = millis(st?.running?.startedAt ?? st?.terminated?.startedAt);
    return t === null ? null : new Date(t);
  };
  /** The agent containers of active sessions' current pods (pod-log targets; runs to freeze). */
  const agentRuns = (): FollowTarget[] => {
    const out: FollowTarget[] = [];
    for (const s of active.values()) {
      for (const a of s.agents) {
        const p = a.pod ? podOf(s.namespace, a.pod) : undefined;
        const phase = p?.status?.phase;
        const container = p ? agentContainerName(p, a.name) : null;
        if (a.pod && container && phase !== 'Succeeded' && phase !== 'Failed')
          out.push({ namespace: s.namespace, pod: a.pod, container });
      }
    }
    return out;
  };
  const lokiMetrics = registerLokiMetrics(metrics.registry);
  let loki: LokiPoller | undefined;
  let podLogs: PodLogFollower | undefined;
  const logStage = createLogStage({
    classifier: new Classifier(catalogue),
    checklistScanner: new ChecklistScanner(catalogue),
    correlatePod,
    session: (playId) => active.get(playId),
    containerStartedAt,
    clock,
    logger,
    isAgentContainer: (ns, pod, container) => {
      const p = podOf(ns, pod);
      return p
        ? agentContainerName(p, correlatePod(ns, pod).agent) === container
        : !isSidecarName(container);
    },
    ...(config.env.LOKI_URL
      ? { contextAround: (e) => loki!.contextAround(e) }
      : { activeRuns: agentRuns }),
    onDraft: (draft) => tracker.occurrence(draft),
    onChecklist: (playId, agent, items, state) =>
      sessions
        .update(playId, (s) => {
          const i = s.agents.findIndex((a) => normaliseAgent(a.name) === normaliseAgent(agent));
          if (i < 0) return undefined;
          const agents = s.agents.map((a, j) =>
            j === i ? { ...a, preflight: { state, items } } : a,
          );
          return { ...s, agents };
        })
        .then((s) => void (s?.status === 'active' && active.set(playId, s))),
    sessionsIn: (ns) => [...active.values()].filter((s) => s.namespace === ns),
    onGap: (playId, from, to) => {
      logger.warn(
        { play_id: playId, from: from.toISOString(), to: to.toISOString() },
        'logs of this span were never read (Loki catch-up longer than 1 h)',
      );
      // recorded on the session: its timeline shows the span whose logs were never read
      void store
        .addLogGap(playId, from, to)
        .catch((err: unknown) =>
          logger.warn({ err, play_id: playId }, 'could not record a log gap'),
        );
    },
  });
  if (config.env.LOKI_URL) {
    loki = new LokiPoller({
      url: config.env.LOKI_URL,
      namespaces: () =>
        hub?.namespaces ?? [
          ...new Set([...config.namespaces, ...[...active.values()].map((s) => s.namespace)]),
        ],
      filter: lokiLineFilter(catalogue),
      store,
      clock,
      logger,
      metrics: lokiMetrics,
      intervalMs: config.env.HEALER_LOKI_POLL_SECONDS * 1000,
      overlapMs: config.env.HEALER_LOKI_REREAD_SECONDS * 1000,
      onEntries: (ns, entries) => logStage.handle(ns, entries),
      onGap: (ns, from, to) => logStage.gap(ns, from, to),
      ...deps.loki,
    });
    const l = loki;
    // Informational: Loki being down never makes Healer unready (its lines are read on recovery).
    readiness.register('loki', async () => {
      const h = await l.health();
      return {
        ok: true,
        detail: h.ok ? h.detail : `Loki unreachable, reading resumes on recovery: ${h.detail}`,
      };
    });
  } else if (kube.kc) {
    podLogs = new PodLogFollower({
      kc: kube.kc,
      targets: agentRuns,
      clock,
      logger,
      cursors: store,
      onEntries: (ns, entries) => logStage.handle(ns, entries),
    });
  }

  sessions.on('started', (s) => {
    logger.info({ play_id: s.play_id, namespace: s.namespace }, 'session started');
    remember(s);
    hub?.addNamespace(s.namespace);
  });
  sessions.on('ended', (s) => {
    logger.info({ play_id: s.play_id, status: s.status, reason: s.end_reason }, 'session ended');
    remember(s);
  });

  const app = await buildApp({
    sessions,
    store,
    clock,
    metrics,
    readiness,
    logger,
    apiToken: config.env.HEALER_API_TOKEN,
    protectReads: config.env.HEALER_API_TOKEN_READS,
    defaultRepoOwner: config.env.HEALER_DEFAULT_REPO_OWNER,
    onSilencesChanged: () => decisions.silencesChanged(),
    logs: {
      grafanaUrl: config.env.HEALER_GRAFANA_URL ?? null,
      lokiUid: config.env.HEALER_GRAFANA_LOKI_UID,
    },
    thresholds: { policy: { ...policy, learn: learning.learn }, rows: thresholdRows },
    leader: () => leadership.view(),
    insights: {
      historyFailures: config.heal.remediation.historyFailures,
      historyWindowDays: config.heal.remediation.historyWindowDays,
    },
    timeouts: {
      requestMs: config.env.HEALER_REQUEST_TIMEOUT_SECONDS * 1000,
      headersMs: config.env.HEALER_HEADERS_TIMEOUT_SECONDS * 1000,
      keepAliveMs: config.env.HEALER_KEEPALIVE_TIMEOUT_SECONDS * 1000,
      idleMs: config.env.HEALER_IDLE_TIMEOUT_SECONDS * 1000,
    },
  });

  const sweep = async () => {
    try {
      const r = await sessions.sweep();
      if (r.expired || r.purged) logger.info(r, 'session sweep');
    } catch (err) {
      logger.warn({ err }, 'session sweep failed; will retry');
    }
  };
  /** Why an incident's source cannot be read now (its condition is then not judged), or null. */
  const unreadable: SourceCheck = (source, incident) => {
    if (!hub && source !== 'github')
      return `Kubernetes: watching is off (${(kube as { reason?: string }).reason ?? 'no cluster'})`;
    if (source === 'kubernetes') {
      const r = hub!.readiness();
      return r.ok ? null : `Kubernetes: the watches are not in sync (${r.detail})`;
    }
    if (source === 'resources')
      return proactive?.sampler ? null : 'resource checks are off (HEALER_RESOURCE_CHECKS)';
    if (source === 'platform')
      return proactive?.platform ? null : 'platform checks are off (HEALER_PLATFORM_CHECKS)';
    if (!poller) return `GitHub: pull requests are not read (${gh.reason ?? 'no client'})`;
    // a Play no longer watched has no PR rules to fire: its PR incidents clear with it
    if (incident.playId === null || !active.has(incident.playId)) return null;
    const why = poller.unread(incident.playId);
    return why === null ? null : `GitHub: ${why}`;
  };
  /**
   * Time-based rules over every cached object, then resolve what nothing fires any more (and
   * list the open incidents whose source could not be read, left as they are).
   */
  const tick = async (opts: { dryRun?: boolean; resolveAfterMs?: number } = {}) => {
    for (const playId of active.keys()) evaluatePr(playId, 'tick');
    // the timer's pass over cached objects needs every watch listed: a rule must not conclude
    // "no pod" from a pod cache that has not listed yet
    if (hub?.readiness().ok) await watcher?.tick();
    const swept = await tracker.sweep(unreadable, opts);
    if (!opts.dryRun) await decisions.recheckDue((fp) => tracker.isFiring(fp));
    return swept;
  };
  const loadActive = async () => {
    const h = await history.load();
    if (h.dropped)
      logger.warn('the stored run history was unreadable; thresholds are learned again');
    active = new Map((await store.activeSessions()).map((s) => [s.play_id, s]));
    reindex();
    if (hub) for (const s of active.values()) hub.addNamespace(s.namespace);
  };
  /**
   * Sessions other replicas started or ended (they share the store): the leader reads the active
   * play ids (no documents) and fetches only what changed.
   */
  const syncActive = async () => {
    const stored = new Map<string, string>();
    let cursor: string | undefined;
    do {
      const page = await store.listSessions({
        status: 'active',
        limit: 1000,
        ...(cursor ? { cursor } : {}),
      });
      for (const x of page.sessions) stored.set(x.play_id, x.started_at);
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    const changed = [
      ...[...stored].filter(([id, at]) => active.get(id)?.started_at !== at).map(([id]) => id),
      ...[...active.keys()].filter((id) => !stored.has(id)),
    ];
    for (const playId of changed) {
      const s = await store.getSession(playId);
      if (s) {
        remember(s);
        if (s.status === 'active') hub?.addNamespace(s.namespace);
      } else {
        active.delete(playId);
        reindex();
      }
    }
  };
  const job = (name: string, everyMs: number, run: () => Promise<unknown>, immediate = false) =>
    new IntervalJob({ name, everyMs, run, logger, immediate });
  const sweepJob = job('session sweep', SWEEP_INTERVAL_MS, sweep);

  /**
   * The leader's work, one unit: started when this replica leads, stopped (in reverse) when it
   * stops leading. Producers stop before what they feed: the watches and pollers, then the
   * decisions in flight, then the outbox dispatcher.
   */
  const background = new Background()
    .add('sessions', { start: loadActive, stop: () => Promise.resolve() })
    .add('outbox dispatcher', dispatcher)
    .add('decisions', {
      start: () => undefined,
      stop: async () => {
        await tracker.idle();
        await decisions.idle();
      },
    })
    .add(
      'kubernetes watches',
      hub && {
        start: () => {
          hub.start();
          logger.info(
            { source: (kube as { source: string }).source, watches: hub.watchCount },
            'watching the cluster',
          );
          if (proactive) logger.info(proactive.describe());
        },
        stop: () => hub.stop(),
      },
    )
    // the proactive sources read the watches' caches
    .add('metrics-sampler', proactive?.samplerJob)
    .add('platform-watcher', proactive?.platformJob)
    .add(
      'rule timer',
      job('rule tick', config.env.HEALER_RULE_TICK_SECONDS * 1000, () => tick()),
    )
    .add('pull-request poller', poller)
    .add('loki poller', loki)
    .add('pod logs', podLogs)
    .add(
      'log checklist',
      loki || podLogs ? job('log checklist pass', 5000, () => logStage.tick()) : undefined,
    )
    .add('session sweep', {
      start: async () => {
        await sweep();
        sweepJob.start();
      },
      stop: () => sweepJob.stop(),
    })
    .add(
      'session sync',
      store.kind === 'postgres'
        ? job('session sync', deps.sessionSyncMs ?? SESSION_SYNC_MS, syncActive, true)
        : undefined,
    );

  const leadership: Leadership = createLeadership({
    plan,
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

  return {
    app,
    sessions,
    metrics,
    readiness,
    store,
    hub,
    tracker,
    decisions,
    dispatcher,
    poller,
    logStage,
    proactive,
    leadership,
    background,
    history,
    get loki() {
      return loki;
    },
    get podLogs() {
      return podLogs;
    },
    /** Runs one timer pass now (tests and the CLI). */
    tick,
    /** Reads which sessions other replicas started or ended now (tests). */
    syncActive,
    /** Loads the active sessions and starts watching, without timers or actions (CLI passes). */
    async load(): Promise<void> {
      await loadActive();
      hub?.start();
    },
    /**
     * Starts the leadership (called once the HTTP server listens): alone, the background work
     * runs when this resolves; elected, it runs while this replica holds the Lease.
     */
    async start(): Promise<void> {
      if (!hub) {
        logger.warn(
          `Kubernetes watching is off: ${(kube as { reason: string }).reason}. The session API still serves.`,
        );
      }
      await leadership.start();
    },
    /**
     * Stops accepting requests and finishes in-flight ones while the leader work stops (and the
     * Lease is released, so another replica takes over at once), then closes the store.
     */
    async stop(): Promise<void> {
      await Promise.all([
        drainHttp(app, config.env.HEALER_SHUTDOWN_DRAIN_SECONDS * 1000, logger),
        leadership.stop(),
      ]);
      // CLI passes (`load()`) watch without leading: their work in flight ends here.
      await hub?.stop();
      await tracker.idle();
      await decisions.idle();
      await dispatcher.stop();
      await store.close();
    },
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
