// Shared wiring for the log source tests: a session, the real correlation and a log stage that
// records what it hands on.
import {
  ChecklistScanner,
  Classifier,
  loadCatalogue,
} from '../../../src/detectors/patterns/index.js';
import type { Correlation } from '../../../src/domain/signal.js';
import type { AlertDraft } from '../../../src/domain/alert.js';
import type { Clock } from '../../../src/domain/clock.js';
import type { PreflightItem, PreflightState, Session } from '../../../src/domain/session.js';
import { DEFAULT_AGENT_STAGES } from '../../../src/domain/stages.js';
import { createSession } from '../../../src/sessions/model.js';
import { correlate } from '../../../src/sources/kube/correlate.js';
import { createLogStage } from '../../../src/sources/logs/index.js';
import type { LogEntry, LogStageOptions } from '../../../src/sources/logs/index.js';

export const catalogue = loadCatalogue();
export const classifier = new Classifier(catalogue);
export const checklistScanner = new ChecklistScanner(catalogue);

export const PLAY = 'play-42';
export const REX_POD = 'play-42-rex-7f9c2';

export function playSession(now: Date, playId = PLAY, namespace = 'cto'): Session {
  return createSession(
    {
      play_id: playId,
      repository: '5dlabs/cto-parallel-test',
      service: 'test-service',
      namespace,
      cto_config: {
        agents: {
          rex: {
            githubApp: '5DLabs-Rex',
            cli: 'claude',
            model: 'claude-sonnet-4-5',
            tools: {
              remote: ['memory_create_entities', 'brave_web_search'],
              localServers: { filesystem: { enabled: true, tools: ['read_file', 'write_file'] } },
            },
          },
          cleo: {
            githubApp: '5DLabs-Cleo',
            cli: 'claude',
            model: 'claude-sonnet-4-5',
            tools: { remote: ['github_get_pull_request'], localServers: {} },
          },
        },
      },
      tasks: [{ id: '4', title: 'Task 4', agent_hint: null, dependencies: [], priority: 1 }],
    },
    now,
    DEFAULT_AGENT_STAGES,
  );
}

const exclusions = {
  prefixes: ['healer', 'cto-tools', 'cto-controller', 'vault-mcp-server', 'openmemory'],
  label: 'healer.platform/exclude',
};

/** The pipeline's correlation of a log line's pod when no pod object is cached: its name alone. */
export const correlateByName =
  (sessions: () => readonly Session[]) =>
  (namespace: string, pod: string): Correlation =>
    correlate({ metadata: { name: pod, namespace } }, 'pod', sessions(), { exclusions });

export interface ChecklistUpdate {
  playId: string;
  agent: string;
  items: PreflightItem[];
  state: PreflightState;
}

/** A log stage over the given sessions, recording drafts and checklist updates. */
export function stageHarness(opts: {
  clock: Clock;
  sessions: Session[];
  startedAt: Record<string, Date>;
  extra?: Partial<LogStageOptions>;
}) {
  const drafts: AlertDraft[] = [];
  const checklists: ChecklistUpdate[] = [];
  const gaps: { playId: string; from: Date; to: Date }[] = [];
  const stage = createLogStage({
    classifier,
    checklistScanner,
    correlatePod: correlateByName(() => opts.sessions),
    session: (id) => opts.sessions.find((s) => s.play_id === id),
    containerStartedAt: (ns, pod, container) => opts.startedAt[`${ns}/${pod}/${container}`] ?? null,
    clock: opts.clock,
    onDraft: (d) => void drafts.push(d),
    onChecklist: (playId, agent, items, state) =>
      void checklists.push({ playId, agent, items, state }),
    sessionsIn: (ns) => opts.sessions.filter((s) => s.namespace === ns),
    onGap: (playId, from, to) => void gaps.push({ playId, from, to }),
    ...opts.extra,
  });
  const item = (u: ChecklistUpdate | undefined, id: string) => u?.items.find((i) => i.id === id);
  return { stage, drafts, checklists, gaps, item, last: () => checklists.at(-1) };
}

let seq = 0;
/** A log entry of a container at a time (ms precision). */
export function entry(
  line: string,
  time: Date,
  where: { namespace?: string; pod?: string; container?: string } = {},
): LogEntry {
  const namespace = where.namespace ?? 'cto';
  const pod = where.pod ?? REX_POD;
  const container = where.container ?? 'rex';
  const tsNs = (BigInt(time.getTime()) * 1_000_000n + BigInt(seq++ % 1000)).toString();
  return { namespace, pod, container, time, tsNs, line, labels: { namespace, pod, container } };
}

export const at = (base: Date, seconds: number) => new Date(base.getTime() + seconds * 1000);
