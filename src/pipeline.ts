import { systemClock } from './domain/clock.js';
import { Background } from './runtime/index.js';
import { createSessionStage } from './sessions/stage.js';
import { SessionLifecycle } from './sessions/lifecycle.js';
import { Metrics } from './observability/metrics.js';
import { observeIncidents } from './observability/incident-log.js';
import { Readiness } from './observability/readiness.js';
import { loadKubeAccess } from './sources/kube/kubeconfig.js';
import { registerGitHubMetrics } from './sources/github/index.js';
import { chooseGitHub } from './sources/github/pr-stage.js';
import { createSources } from './sources/stage.js';
import { whyUnreadable } from './sources/readable.js';
import { RuleRunner } from './detectors/runner.js';
import { ThresholdBook } from './detectors/thresholds/book.js';
import { IncidentTracker } from './incidents/tracker.js';
import { RuleTimer } from './incidents/rule-timer.js';
import { createActionStage } from './actions/stage.js';
import { expectedLookup, loadCheckedTemplates } from './templates/load.js';
import {
  assembleHealer,
  planOf,
  type Healer,
  type HealerDeps,
  type HealerStages,
} from './healer.js';

export type { Healer, HealerDeps } from './healer.js';

/**
 * The one place that wires Healer together, read top to bottom:
 * sources (cluster, pull requests, logs) → sessions → detectors → incidents → actions; routes read.
 */
export async function createHealer(deps: HealerDeps): Promise<Healer> {
  const ctx = { ...deps, clock: deps.clock ?? systemClock };
  const { config, logger, store, clock } = ctx;
  const { env, heal } = config;
  const kube = deps.kube ?? loadKubeAccess(env);
  const templates = loadCheckedTemplates(env.HEALER_PROMPTS_DIR);
  const metrics = Metrics.forStore(store, () => sources.cluster?.hub.watchAges() ?? {});
  const readiness = Readiness.withStore(store);

  // sessions: the API's service, the active-session cache, what the world writes to sessions
  const { sessions, active, history, sync } = createSessionStage(ctx);
  const thresholds = new ThresholdBook(heal, history);
  const lifecycle = SessionLifecycle.of(ctx, { sessions, active, history }, thresholds);

  // incidents and actions: recorded alerts are decided on; decisions go out through the outbox
  const resolveAfterMs = heal.alerts.resolveAfterSeconds * 1000;
  const tracker = new IncidentTracker({ store, now: () => clock.now(), resolveAfterMs });
  observeIncidents(tracker, metrics, logger);
  const githubMetrics = registerGitHubMetrics(metrics.registry);
  const github = chooseGitHub(deps.github, ctx, githubMetrics);
  const { dispatcher, decisions, follower, settle, pullRequests } = createActionStage(ctx, {
    ...{ tracker, templates, github: github.client, kc: kube.kc, owner: planOf(deps).identity },
    tuning: deps,
    onOutcome: (a, outcome) =>
      metrics.actions.inc({ action: a.action.kind, destination: a.destination, outcome }),
  });

  // detectors: every signal runs the rules with its session's view; what fires goes to the tracker
  const expectedFor = expectedLookup(`${env.HEALER_PROMPTS_DIR}/expected`, (e) => logger.warn(e));
  const lookups = () => sources.cluster?.lookups;
  const rules = new RuleRunner({
    heal,
    clock,
    logger,
    active,
    thresholds,
    tracker,
    lookups,
    expectedFor,
  });

  // sources: the cluster, pull requests, the proactive checks and logs, for the active sessions
  const wiring = { active, rules, tracker, lifecycle, follower, metrics, github, githubMetrics };
  const sources = createSources(ctx, kube, wiring);
  const { cluster, prs, logs } = sources;
  const watchingOff = { ok: true, detail: `watching off: ${sources.noCluster}` };
  readiness.register('kubernetes', () => cluster?.readiness() ?? watchingOff);
  if (logs.loki) readiness.register('loki', () => logs.lokiReadiness());

  // the rule timer: time-based rules, then resolve what nothing fires any more, then re-decide
  const timer = new RuleTimer({
    everyMs: env.HEALER_RULE_TICK_SECONDS * 1000,
    ...{ logger, tracker, passes: [() => prs.tick(), () => cluster?.tick()] },
    unreadable: whyUnreadable(sources),
    recheckDue: (isFiring) => decisions.recheckDue(isFiring),
  });

  const stages = {
    ...sources,
    ...{ sync, history, timer, tracker, decisions, settle, dispatcher, pullRequests },
  };
  const background = leaderWork(stages, store.kind === 'postgres');
  const parts = { sessions, metrics, readiness, background, thresholds };
  return assembleHealer(ctx, { ...parts, noCluster: sources.noCluster }, stages);
}

/**
 * The leader's work, one unit: started in this order, stopped in reverse (producers first, then
 * the decisions in flight, then the outbox).
 */
function leaderWork(s: HealerStages, sharedStore: boolean): Background {
  const { sync, cluster, proactive, logs } = s;
  return new Background()
    .add('sessions', { start: () => sync.load(), stop: () => Promise.resolve() })
    .add('outbox dispatcher', s.dispatcher)
    .add('decisions', { start: () => undefined, stop: s.settle })
    .add('kubernetes watches', cluster?.worker(proactive?.describe()))
    .add('metrics-sampler', proactive?.samplerJob)
    .add('platform-watcher', proactive?.platformJob)
    .add('rule timer', s.timer.job)
    .add('pull-request poller', s.prs.poller)
    .add('remediation pull requests', s.pullRequests?.job)
    .add('loki poller', logs.loki)
    .add('pod logs', logs.podLogs)
    .add('log checklist', logs.checklistJob)
    .add('session sweep', sync.sweeper)
    .add('session sync', sharedStore ? sync.syncJob : undefined);
}
