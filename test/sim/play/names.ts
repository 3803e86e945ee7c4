// Names, images and logins the platform gives a Play's objects, derived deterministically from
// the scenario so a replay produces the same names and two scenarios never collide.
import { createHash } from 'node:crypto';
import type { ContainerStateSpec, PodStep } from './schema-kube.js';
import type { AgentConfig, SessionStart } from './schema-session.js';
import { DEFAULT_AGENT_STAGES } from '../../../src/domain/stages.js';

// The alphabet of Kubernetes' generated name suffixes (no vowels, no look-alikes).
const ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

/** A 5-character suffix like `x7k2p`, stable for the same inputs. */
export function suffix(...parts: string[]): string {
  const h = createHash('sha256').update(parts.join('\u0000')).digest();
  let out = '';
  for (let i = 0; i < 5; i++) out += ALPHABET[h[i] % ALPHABET.length];
  return out;
}

/** Hex of a given length, stable for the same inputs (container ids, uids, event names). */
export function hex(length: number, ...parts: string[]): string {
  return createHash('sha256').update(parts.join('\u0000')).digest('hex').slice(0, length);
}

/** A UUID-shaped id (owner references of objects the simulator does not serve, e.g. Jobs). */
export function uuid(...parts: string[]): string {
  const h = hex(32, ...parts);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** The Job the CodeRun controller runs for an agent: `play-task-4-rex`. */
export const jobName = (task: string, agent: string): string => `play-task-${task}-${agent}`;

/** The Job's pod: `play-task-4-rex-x7k2p`. */
export const podName = (playId: string, ref: string, task: string, agent: string): string =>
  `${jobName(task, agent)}-${suffix(playId, 'pod', ref)}`;

/** The CodeRun the Play's workflow creates for an agent: `coderun-t4-rex-x7k2p`. */
export const codeRunName = (playId: string, ref: string, task: string, agent: string): string =>
  `coderun-t${task}-${agent}-${suffix(playId, 'coderun', ref)}`;

/** The PR's head branch: `feature/task-4-x7k2p` (names the task, unique per Play). */
export const headBranch = (playId: string, task: string): string =>
  `feature/task-${task}-${suffix(playId, 'branch')}`;

/** `5DLabs-Rex` → `5dlabs-rex[bot]`: the login a GitHub App acts as. */
export function botLogin(agent: string, config: AgentConfig | undefined): string {
  const app = config?.githubApp ?? `5DLabs-${agent[0].toUpperCase()}${agent.slice(1)}`;
  return `${app.toLowerCase()}[bot]`;
}

/** The task an agent works on: the task hinted for it, else the first task. */
export function taskOf(session: SessionStart, agent: string, given?: string): string {
  if (given !== undefined) return given;
  return (session.tasks.find((t) => t.agent_hint === agent) ?? session.tasks[0]).id;
}

/** A pod's containers: its work containers (default: the agent's CLI, else the agent), then sidecars. */
export function containersOf(spec: PodStep, config: AgentConfig | undefined): string[] {
  const work = spec.containers ?? [config?.cli ?? spec.agent];
  return [...work, ...(spec.sidecars ?? [])];
}

/** The agent container: the first work container. */
export function agentContainerOf(spec: PodStep, config: AgentConfig | undefined): string {
  return containersOf(spec, config)[0];
}

const STATE_KEYS = ['running', 'waiting', 'terminated', 'ready', 'restartCount', 'lastState'];

/** `states: running` (one state for every container) rather than a map by container name. */
export function isSingleState(
  states: ContainerStateSpec | Record<string, ContainerStateSpec>,
): states is ContainerStateSpec {
  return (
    Object.keys(states).some((k) => STATE_KEYS.includes(k)) || Object.keys(states).length === 0
  );
}

const IMAGES: Record<string, string> = {
  claude: 'ghcr.io/5dlabs/claude:2.0.14',
  codex: 'ghcr.io/5dlabs/codex:0.46.0',
  factory: 'ghcr.io/5dlabs/factory:0.22.3',
  cursor: 'ghcr.io/5dlabs/cursor:1.7.2',
  opencode: 'ghcr.io/5dlabs/opencode:0.15.0',
  gemini: 'ghcr.io/5dlabs/gemini:0.9.0',
  'docker-daemon': 'docker:28.5-dind',
  tools: 'ghcr.io/5dlabs/tools:0.9.4',
};

/** The image of a container: given, else the platform's image for that CLI or sidecar. */
export const imageOf = (container: string, given?: Record<string, string>): string =>
  given?.[container] ?? IMAGES[container] ?? `ghcr.io/5dlabs/${container}:latest`;

/** The stage of a built-in agent (detection.md glossary); `runType` of its CodeRun. */
export const STAGES: Record<string, string> = DEFAULT_AGENT_STAGES;
