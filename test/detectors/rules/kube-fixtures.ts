// Shared fixtures of the kube rule tests: real `kubectl get -o json` shapes from
// test/fixtures/kube (times relative to NOW), a Play's session and a rule view over cached objects.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { healConfigSchema } from '../../../src/domain/heal-config.js';
import type { V1ContainerState, V1ContainerStatus, V1PodCondition } from '@kubernetes/client-node';
import type { Correlation, RuleView, Signal } from '../../../src/domain/signal.js';
import type { CodeRun, KubeEvent, Pod, Workflow } from '../../../src/domain/kube.js';
import type { Session, SessionAgent } from '../../../src/domain/session.js';
import { loadExpected } from '../../../src/templates/expected.js';

/** The fixtures' clock: every timestamp in test/fixtures/kube is relative to it. */
export const NOW = new Date('2025-11-21T06:00:00Z');
/** `NOW − minutes` in RFC 3339. */
export const ago = (minutes: number, seconds = 0): string =>
  new Date(NOW.getTime() - minutes * 60_000 - seconds * 1000).toISOString().replace('.000Z', 'Z');

const DIR = join(import.meta.dirname, '../../fixtures/kube');
/** A fresh deep copy of a fixture (tests mutate it freely). */
export const fixture = <T>(name: string): T =>
  JSON.parse(readFileSync(join(DIR, `${name}.json`), 'utf8')) as T;
export const pod = (name: string): Pod => fixture<Pod>(name);
export const coderun = (name: string): CodeRun => fixture<CodeRun>(name);
export const workflow = (name: string): Workflow => fixture<Workflow>(name);
export const events = (name: string): KubeEvent[] => fixture<{ items: KubeEvent[] }>(name).items;

export const config = (over: { alerts?: object; stages?: object } = {}): RuleView['config'] => {
  const c = healConfigSchema.parse(over);
  return { alerts: c.alerts, stages: c.stages, exclusions: c.exclusions };
};

export const sessionAgent = (name: string, extra: Partial<SessionAgent> = {}): SessionAgent => ({
  name,
  stage: config().stages.agents[name] ?? 'other',
  github_app: `5DLabs-${name[0]?.toUpperCase()}${name.slice(1)}`,
  pod: null,
  coderun: null,
  phase: 'Waiting',
  started_at: null,
  preflight: { state: 'pending', items: [] },
  ...extra,
});

export const session = (agents: SessionAgent[] = []): Session => ({
  play_id: 'play-task-4',
  repository: '5dlabs/cto-parallel-test',
  service: 'cto-parallel-test',
  namespace: 'cto',
  cto_config: { agents: {} },
  tasks: [
    { id: '4', title: 'Add task handlers', agent_hint: 'rex', dependencies: [], priority: 1 },
  ],
  status: 'active',
  started_at: ago(60),
  last_updated: ago(1),
  ended_at: null,
  end_reason: null,
  agents,
  issues: [],
  pr: null,
});

/** Correlation as the pipeline computes it for an object of play-task-4 (rule 1). */
export const corr = (over: Partial<Correlation> = {}): Correlation => ({
  playId: 'play-task-4',
  rule: 1,
  agent: 'rex',
  taskId: '4',
  remediation: false,
  servesFingerprint: null,
  excluded: null,
  ...over,
});

/** A platform object: no session matched. */
export const platform = (agent: string | null = null): Correlation =>
  corr({ playId: null, rule: null, agent, taskId: null });

const EXPECTED = (() => {
  const { expected, errors } = loadExpected(join(import.meta.dirname, '../../../prompts/expected'));
  if (errors.length > 0) throw new Error(errors.join('\n'));
  return expected;
})();

export interface ViewOptions {
  now?: Date;
  session?: Session | null;
  /** Pods the hub would return for any CodeRun. */
  pods?: Pod[];
  events?: KubeEvent[];
  config?: RuleView['config'];
}

export function view(o: ViewOptions = {}): RuleView {
  return {
    now: o.now ?? NOW,
    session: o.session === undefined ? session() : o.session,
    config: o.config ?? config(),
    podsOfCodeRun: () => o.pods ?? [],
    eventsFor: (_kind, ns, name) =>
      (o.events ?? []).filter(
        (e) => e?.involvedObject?.name === name && (e.involvedObject.namespace ?? ns) === ns,
      ),
    expectedFor: (agent) => {
      const e = EXPECTED.get(agent);
      return e ? { success: e.successMarkers, failure: e.failureIndicators } : undefined;
    },
  };
}

export const podSignal = (p: Pod, c: Correlation = corr()): Signal => ({
  kind: 'pod',
  pod: p,
  correlation: c,
  cause: 'tick',
});
export const coderunSignal = (cr: CodeRun, c: Correlation = corr()): Signal => ({
  kind: 'coderun',
  coderun: cr,
  correlation: c,
  cause: 'tick',
});
export const workflowSignal = (wf: Workflow, c: Correlation = corr({ agent: null })): Signal => ({
  kind: 'workflow',
  workflow: wf,
  correlation: c,
  cause: 'tick',
});
export const logsSignal = (p: Pod, logs: string, c: Correlation = corr()): Signal => ({
  kind: 'completed-logs',
  pod: p,
  container: 'agent',
  logs,
  correlation: c,
});

/** Mutates a fixture in place and returns it (for table rows). */
export const patch = <T>(o: T, f: (o: T) => void): T => {
  f(o);
  return o;
};

// Container states as the kubelet writes them (wire JSON carries strings where the client types say Date).
const wire = <T>(o: object): T => o as T;
export const running = (minAgo: number, secAgo = 0): V1ContainerState =>
  wire({ running: { startedAt: ago(minAgo, secAgo) } });
export const terminated = (
  exitCode: number,
  reason: string,
  finishedMinAgo: number,
  startedMinAgo = 19,
): V1ContainerState =>
  wire({
    terminated: {
      containerID: 'containerd://4d7c0e6f1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b1c2d3e4f5a6b7c8d',
      exitCode,
      reason,
      startedAt: ago(startedMinAgo),
      finishedAt: ago(finishedMinAgo),
    },
  });
export const waiting = (reason: string, message?: string): V1ContainerState =>
  wire({ waiting: message ? { reason, message } : { reason } });
export const condition = (
  type: string,
  status: string,
  minAgo: number,
  reason?: string,
  message?: string,
): V1PodCondition => wire({ type, status, lastTransitionTime: ago(minAgo), reason, message });

/** The status of a container (regular or init) of a fixture pod, to mutate. */
export function status(p: Pod, name: string): V1ContainerStatus {
  const s = [
    ...(p.status?.containerStatuses ?? []),
    ...(p.status?.initContainerStatuses ?? []),
  ].find((x) => x.name === name);
  if (!s) throw new Error(`no status ${name} in ${p.metadata?.name}`);
  return s;
}
/** Sets a timestamp field the way the wire does (a string). */
export const stamp = <T extends object>(o: T, field: keyof T, minAgo: number, secAgo = 0): T => {
  (o as Record<keyof T, unknown>)[field] = ago(minAgo, secAgo);
  return o;
};
