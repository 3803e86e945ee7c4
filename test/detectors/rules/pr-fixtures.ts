// Shared fixtures of the PR rule tests: a Play's session with the five pipeline agents, PR
// snapshots shaped like what the poller builds from GitHub, and a rule view.
import { healConfigSchema } from '../../../src/domain/heal-config.js';
import type { PrCheck, PrComment, PrCommit, PrSnapshot } from '../../../src/domain/pr.js';
import type { Session, SessionAgent } from '../../../src/domain/session.js';
import type { Rule } from '../../../src/detectors/rule.js';
import type { Correlation, RuleView, Signal } from '../../../src/domain/signal.js';

export const T0 = '2025-11-21T05:00:00Z';
/** `T0 + minutes` as GitHub formats times. */
export const at = (minutes: number): string =>
  new Date(Date.parse(T0) + minutes * 60_000).toISOString().replace(/\.000Z$/, 'Z');

const APPS: Record<string, string> = {
  rex: '5DLabs-Rex',
  cleo: '5DLabs-Cleo',
  cipher: '5DLabs-Cipher',
  tess: '5DLabs-Tess',
  atlas: '5DLabs-Atlas',
  blaze: '5DLabs-Blaze',
};
const STAGES: Record<string, string> = {
  rex: 'implementation',
  blaze: 'implementation',
  cleo: 'quality',
  cipher: 'security',
  tess: 'testing',
  atlas: 'integration',
};

export function agent(
  name: string,
  phase = 'Waiting',
  startedMin: number | null = null,
  extra: Partial<SessionAgent> = {},
): SessionAgent {
  return {
    name,
    stage: STAGES[name] ?? 'other',
    github_app: APPS[name] ?? null,
    pod: phase === 'Waiting' ? null : `play-task-4-${name}-x7k2p`,
    coderun: null,
    phase,
    started_at: startedMin === null ? null : at(startedMin),
    preflight: { state: 'passed', items: [] },
    ...extra,
  };
}

export function session(agents: SessionAgent[]): Session {
  return {
    play_id: 'play-task-4',
    repository: '5dlabs/cto-parallel-test',
    service: 'test-service',
    namespace: 'cto',
    cto_config: { agents: {} },
    tasks: [{ id: '4', title: 'Task 4', agent_hint: null, dependencies: [], priority: 0 }],
    status: 'active',
    started_at: T0,
    last_updated: T0,
    ended_at: null,
    end_reason: null,
    agents,
    issues: [],
    pr: null,
  };
}

/** The pipeline's five agents; `running` is the one whose pod runs (started at minute `startedMin`). */
export const pipeline = (running: string | null, startedMin = 0): Session =>
  session(
    ['rex', 'cleo', 'cipher', 'tess', 'atlas'].map((n) =>
      n === running ? agent(n, 'Running', startedMin) : agent(n),
    ),
  );

let nextId = 3_000_000_000;
export const bot = (name: string): string => `5dlabs-${name}[bot]`;

export function comment(
  author: string,
  minute: number,
  body: string,
  type: PrComment['type'] = 'comment',
): PrComment {
  const id = nextId++;
  return {
    id,
    author,
    body,
    createdAt: at(minute),
    type,
    url: `https://github.com/5dlabs/cto-parallel-test/pull/412#issuecomment-${id}`,
  };
}

export const commit = (minute: number, message = 'wip', author = bot('rex')): PrCommit => ({
  sha: (minute.toString(16) + 'a'.repeat(40)).slice(0, 40),
  message,
  author,
  date: at(minute),
});

export const check = (
  name: string,
  conclusion: string | null,
  completedMin: number | null,
  source: PrCheck['source'] = 'check_run',
): PrCheck => ({
  name,
  source,
  status: conclusion === null ? 'in_progress' : 'completed',
  conclusion,
  completedAt: completedMin === null ? null : at(completedMin),
  url: `https://github.com/5dlabs/cto-parallel-test/runs/${name.length}`,
});

export function snapshot(over: Partial<PrSnapshot> = {}): PrSnapshot {
  return {
    repository: '5dlabs/cto-parallel-test',
    number: 412,
    url: 'https://github.com/5dlabs/cto-parallel-test/pull/412',
    state: 'open',
    merged: false,
    headSha: '3f786850e387550fdab836ed7e6dc881de23001b',
    headRef: 'feature/task-4',
    mergeable: true,
    mergeableState: 'clean',
    comments: [],
    commits: [commit(2, 'feat(tasks): add task handlers')],
    checks: [],
    fetchedAt: at(60),
    ...over,
  };
}

const correlation: Correlation = {
  playId: 'play-task-4',
  rule: 1,
  agent: null,
  taskId: '4',
  remediation: false,
  servesFingerprint: null,
  excluded: null,
};

export const prSignal = (s: PrSnapshot | null): Signal => ({
  kind: 'pr',
  snapshot: s,
  correlation,
  cause: 'event',
});

export function view(s: Session | null, nowMin: number, config: object = {}): RuleView {
  const heal = healConfigSchema.parse(config);
  return {
    now: new Date(at(nowMin)),
    session: s,
    config: { alerts: heal.alerts, stages: heal.stages, exclusions: heal.exclusions },
    podsOfCodeRun: () => [],
    eventsFor: () => [],
    expectedFor: () => undefined,
  };
}

export const run = (
  rule: Rule,
  s: Session | null,
  pr: PrSnapshot | null,
  nowMin = 60,
  config: object = {},
) => rule.evaluate(prSignal(pr), view(s, nowMin, config));

/** Realistic agent comments (shapes seen on the platform's PRs). */
export const BODIES = {
  rex: '## Implementation complete\n\nImplemented task 4: `POST /tasks`, `GET /tasks/{id}` with validation.\n\n- cargo test: 43 passed\n- cargo clippy: clean',
  cleo: '### Code quality review\n\nClippy pedantic and rustfmt are clean. Two naming nits fixed in 9fceb02.\n\nLGTM',
  cleoChanges:
    '### Code quality review\n\n`handlers/tasks.rs` unwraps user input (line 88). Please return a 400 instead.',
  cipher:
    '🔒 Security scan complete: cargo audit, gitleaks and semgrep found nothing. Looks good to me.',
  tess: '✅ All acceptance criteria met. APPROVED',
  tessLgtm: 'LGTM',
  human: 'Could you also add a test for the empty title case?',
};

/** Odd inputs every PR rule must survive without throwing (and answer deterministically). */
export const ODD_INPUTS: [string, Session | null, PrSnapshot | null][] = [
  ['no PR', pipeline('cleo', 10), null],
  ['session without agents', session([]), snapshot()],
  [
    'unparseable times everywhere',
    session([
      agent('rex', 'Running', null, { started_at: 'yesterday' }),
      agent('tess', 'RUNNING', 5),
    ]),
    snapshot({
      comments: [
        { ...comment(bot('tess'), 1, '✅'), createdAt: 'not a date' },
        { ...comment('', 2, ''), author: '' },
      ],
      commits: [{ ...commit(3), date: '' }],
      checks: [{ ...check('x', 'failure', 5), completedAt: 'never' }],
      mergeable: null,
      mergeableState: null,
    }),
  ],
  [
    'empty PR',
    pipeline('atlas', 50),
    snapshot({ comments: [], commits: [], checks: [], headSha: '', headRef: '' }),
  ],
  [
    'agents with unknown stages and apps',
    session([agent('zed', 'Running', 1, { stage: '', github_app: '' })]),
    snapshot({ comments: [comment('[bot]', 1, 'LGTM')] }),
  ],
];
