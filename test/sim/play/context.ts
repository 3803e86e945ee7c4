// What the step modules share while a scenario plays: the scenario, the current step's time,
// the clients of the three servers, the objects created so far, and the result being built.
import type { Timeline } from './clock.js';
import type { WorldControl } from './control.js';
import type { GitHubActors } from './github-actors.js';
import type { KubeHttp } from './kube-http.js';
import type { PlayResult } from './result.js';
import type { Scenario } from './schema.js';
import type { SessionStart } from './schema-session.js';

export interface TerminatedState {
  exitCode: number;
  reason: string;
  message?: string;
  startedAt: string;
  finishedAt: string;
  containerID?: string;
}

export interface ContainerRuntime {
  name: string;
  image: string;
  state:
    | { running: { startedAt: string } }
    | { waiting: { reason: string; message?: string } }
    | { terminated: TerminatedState };
  lastState: { terminated?: TerminatedState };
  readyOverride?: boolean;
  restartCount: number;
  /** Instances so far (the container id changes with each). */
  instance: number;
  /** The current instance is dead: the next instance counts a restart and rotates the log. */
  pendingRotation: boolean;
}

export interface PodRuntime {
  ref: string;
  name: string;
  uid: string;
  agent: string;
  task: string;
  job: string;
  node: string | null;
  containers: string[];
  agentContainer: string;
  phase: string;
  reason?: string;
  message?: string;
  unschedulable?: string;
  startTime?: string;
  statuses: Map<string, ContainerRuntime>;
  conditions: Map<string, { status: string; lastTransitionTime: string }>;
  deleted: boolean;
}

export interface CodeRunRuntime {
  ref: string;
  name: string;
  uid: string;
  agent: string;
  task: string;
  phase: string;
  startedAt?: string;
  finishedAt?: string;
  lastTransitionTime?: string;
  podName?: string;
  deleted: boolean;
}

export interface WorkflowRuntime {
  name: string;
  uid: string;
  phase: string;
  startedAt?: string;
  finishedAt?: string;
  nodes: Record<string, Record<string, unknown>>;
}

export interface PullRequestRuntime {
  owner: string;
  repo: string;
  number: number;
  url: string;
  htmlUrl: string;
  head: string;
  base: string;
  headSha: string;
}

export interface PlayContext {
  scenario: Scenario;
  session: SessionStart;
  namespace: string;
  timeline: Timeline;
  /** The current step: its index and virtual time. */
  step: number;
  now: Date;
  kube: KubeHttp;
  lokiUrl: string;
  github: GitHubActors;
  control: WorldControl | null;
  workflow: WorkflowRuntime | null;
  coderuns: Map<string, CodeRunRuntime>;
  pods: Map<string, PodRuntime>;
  /** Commits pushed to the head branch before the PR existed. */
  branch: { name: string; headSha: string } | null;
  pr: PullRequestRuntime | null;
  /** Check run ids by `name@head sha`. */
  checks: Map<string, number>;
  result: PlayResult;
  warn(message: string): void;
}

/** Values for `{pr}`, `{head}`… placeholders (template.ts) at this point of the play. */
export function templateVars(ctx: PlayContext) {
  return {
    play_id: ctx.session.play_id,
    repository: ctx.session.repository,
    namespace: ctx.namespace,
    ...(ctx.pr ? { pr: ctx.pr.number, pr_url: ctx.pr.htmlUrl, head: ctx.pr.head } : {}),
  };
}

/** RFC 3339 with seconds, the way the API server prints times. */
export const kubeTime = (d: Date): string => d.toISOString().replace(/\.\d{3}Z$/, 'Z');
