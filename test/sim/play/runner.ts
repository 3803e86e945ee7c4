// Plays a scenario against a world: anchors its timeline, then runs each step at its time with
// the world's clock pinned to it, dispatching to the Kubernetes, Loki and GitHub step modules.
import { makeTimeline } from './clock.js';
import type { Clock } from './clock.js';
import type { PlayContext } from './context.js';
import type { WorldControl } from './control.js';
import { formatDuration } from './duration.js';
import { GitHubActors } from './github-actors.js';
import {
  checkStep,
  commentStep,
  commitStep,
  mergeableStep,
  prStep,
  reviewStep,
  statusStep,
} from './github-steps.js';
import { eventStep } from './kube-events.js';
import { KubeHttp, KubeHttpError } from './kube-http.js';
import { codeRunStep } from './coderun-steps.js';
import { workflowStep } from './workflow-steps.js';
import { logsStep } from './loki-steps.js';
import { podStep } from './pod-steps.js';
import { emptyResult } from './result.js';
import type { PlayResult } from './result.js';
import type { Action, Scenario } from './schema.js';

/** Where a scenario plays: the three servers, and the world control when there is one. */
export interface PlayTarget {
  urls: { kube: string; loki: string; github: string };
  /** Bearer token for the API server (default `sim-token`, the simulator's). */
  kubeToken?: string;
  /** Null: no clock pinning (servers stamp real time) and no pod log lines (Loki only). */
  control: WorldControl | null;
}

export interface PlayOptions {
  /** Reference "now" the last step lands at (e.g. Healer's fake clock); default system time. */
  clock?: Clock;
  /** Virtual seconds per real second (60 plays a 10-minute scenario in 10 s); default instant. */
  speed?: number;
  /** A fixed virtual start, overriding the scenario's `clock.start`. */
  start?: Date;
  signal?: AbortSignal;
}

async function run(ctx: PlayContext, a: Action): Promise<void> {
  switch (a.kind) {
    case 'workflow':
      return workflowStep(ctx, a.spec);
    case 'coderun':
      return codeRunStep(ctx, a.spec);
    case 'pod':
      return podStep(ctx, a.spec);
    case 'event':
      return eventStep(ctx, a.spec);
    case 'logs':
      return logsStep(ctx, a.spec);
    case 'pr':
      return prStep(ctx, a.spec);
    case 'comment':
      return commentStep(ctx, a.spec);
    case 'review':
      return reviewStep(ctx, a.spec);
    case 'commit':
      return commitStep(ctx, a.spec);
    case 'check':
      return checkStep(ctx, a.spec);
    case 'status':
      return statusStep(ctx, a.spec);
    case 'mergeable':
      return mergeableStep(ctx, a.spec);
    case 'wait':
      return;
  }
}

/** The session's namespace exists in the cluster (the simulator has `cto` and the defaults). */
async function ensureNamespace(kube: KubeHttp, name: string): Promise<void> {
  try {
    await kube.request('GET', `/api/v1/namespaces/${name}`);
  } catch (e) {
    if (!(e instanceof KubeHttpError) || e.code !== 404) throw e;
    await kube.create('/api/v1/namespaces', {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name },
    });
  }
}

export async function playScenario(
  world: PlayTarget,
  scenario: Scenario,
  opts: PlayOptions = {},
): Promise<PlayResult> {
  const began = Date.now();
  const duration = Math.max(...scenario.steps.map((s) => s.at));
  const timeline = makeTimeline(duration, scenario.clock.start, opts);
  const result = emptyResult(scenario, scenario.session);
  result.start = timeline.start.toISOString();
  result.end = timeline.end.toISOString();
  result.speed = Number.isFinite(timeline.speed) ? timeline.speed : null;
  result.stepTimes = scenario.steps.map((s) => timeline.at(s.at).toISOString());
  const ctx: PlayContext = {
    scenario,
    session: scenario.session,
    namespace: scenario.session.namespace,
    timeline,
    step: 0,
    now: timeline.start,
    kube: new KubeHttp(world.urls.kube, world.kubeToken),
    lokiUrl: world.urls.loki,
    github: new GitHubActors(world.urls.github),
    control: world.control,
    workflow: null,
    coderuns: new Map(),
    pods: new Map(),
    branch: null,
    pr: null,
    checks: new Map(),
    result,
    warn: (m) => {
      if (!result.warnings.includes(m)) result.warnings.push(m);
    },
  };
  if (!world.control)
    ctx.warn(
      "no world control: creationTimestamps, PR and status dates are the servers' real time, and log lines go to Loki only",
    );
  await ensureNamespace(ctx.kube, ctx.namespace);
  for (const [i, step] of scenario.steps.entries()) {
    await timeline.until(step.at, opts.signal);
    ctx.step = i;
    ctx.now = timeline.at(step.at);
    await world.control?.pinClock(ctx.now);
    try {
      await run(ctx, step.action);
    } catch (e) {
      const where = `${scenario.file ?? scenario.name}: steps.${i} (${step.action.kind} at ${formatDuration(step.at)})`;
      throw new Error(`${where}: ${(e as Error).message}`, { cause: e });
    } finally {
      await world.control?.pinClock(null);
    }
  }
  result.elapsedMs = Date.now() - began;
  return result;
}
