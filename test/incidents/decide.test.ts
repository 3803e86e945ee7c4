// decide(): every reason, every mode, the attempt ladder 1 → 2 → 3 → escalation (never a 4th
// CodeRun), cooldown boundaries, the platform cap, silences, Healer's own runs and resolution.
import t from 'tap';
import type { PlannedAction, RemediationAttempt, Silence } from '../../src/domain/action.js';
import type { AlertDraft } from '../../src/domain/alert.js';
import type { Incident } from '../../src/domain/incident.js';
import { healConfigSchema } from '../../src/domain/heal-config.js';
import {
  decide,
  decideAfterEvaluation,
  decideResolution,
  isFinished,
  servedIncidentId,
  type DecideInput,
  type DecideResult,
} from '../../src/incidents/decide.js';
import { fingerprint } from '../../src/incidents/fingerprint.js';
import { DEFAULT_POLICY, policyFromConfig, type Policy } from '../../src/incidents/policy.js';
import { recordOccurrence } from '../../src/incidents/lifecycle.js';
import type { RemediationOutcome } from '../../src/domain/outcome.js';
import {
  classOf,
  evidenceSignature,
  summariseClass,
  type ClassHistory,
} from '../../src/incidents/history.js';

const T0 = new Date('2026-03-01T12:00:00.000Z');
const at = (min: number) => new Date(T0.getTime() + min * 60_000);
const iso = (min: number) => at(min).toISOString();

function draft(over: Partial<AlertDraft> = {}): AlertDraft {
  return {
    alert: 'A7',
    severity: 'high',
    issueType: 'agent_failure',
    title: 'Pod Failure: play-task-4-rex-abc',
    description: 'pod play-task-4-rex-abc failed',
    namespace: 'cto',
    playId: 'play-task-4',
    taskId: '4',
    agent: 'rex',
    subject: 'play-task-4',
    evidence: ['container rex exited 1'],
    context: { pod: 'play-task-4-rex-abc', phase: 'Failed' },
    detectedAt: T0.toISOString(),
    ...over,
  };
}

/**
 * An incident as the store records it, then changed by `over`. One given an issue has it labelled
 * with its severity, as the open-issue handler records (unless `over` says otherwise).
 */
function incident(over: Partial<Incident> = {}, d: AlertDraft = draft()): Incident {
  const base = { ...recordOccurrence(undefined, d, fingerprint(d), T0).incident, ...over };
  return over.githubIssue && !('labelledSeverity' in over)
    ? { ...base, labelledSeverity: base.severity }
    : base;
}

function attempt(n: number, phase: string, finishedMin: number | null = null): RemediationAttempt {
  return {
    attempt: n,
    coderun: `healer-a7-12345678-${n}`,
    namespace: 'cto',
    phase,
    createdAt: iso(-60 + n),
    finishedAt: finishedMin === null ? null : iso(finishedMin),
    pullRequestUrl: null,
  };
}

const policy = (over: Partial<Policy> = {}): Policy => ({ ...DEFAULT_POLICY, ...over });

function input(over: Partial<DecideInput> = {}): DecideInput {
  const d = over.draft ?? draft();
  return {
    incident: over.incident ?? incident({}, d),
    outcome: 'created',
    draft: d,
    now: T0,
    policy: policy(),
    silences: [],
    runningRemediations: 0,
    ...over,
  };
}

const OPEN: PlannedAction = { kind: 'open-issue' };
const spawn = (attempt: number): PlannedAction => ({ kind: 'spawn-remediation', attempt });
const notify = (event: 'opened' | 'escalated' | 'resolved'): PlannedAction => ({
  kind: 'notify',
  event,
});
const ESCALATE: PlannedAction[] = [
  { kind: 'label-issue', label: 'needs-human' },
  { kind: 'comment-issue', comment: 'escalation' },
  notify('escalated'),
];

interface Row {
  name: string;
  in: Partial<DecideInput>;
  reason: DecideResult['reason'];
  plan: PlannedAction[];
  /** Fields the incident change must carry. */
  change?: Partial<Incident>;
  deferred?: boolean;
  recheckAt?: string;
  detail?: RegExp;
}

const platform = draft({ playId: null, taskId: null, agent: null, subject: 'cto-tools' });
const critical = draft({ severity: 'critical' });
const medium = draft({ severity: 'medium' });
const done = (n: number, phase = 'Failed', finishedMin = -30) => attempt(n, phase, finishedMin);
const repeatOf = (over: Partial<Incident>, d = draft()) => ({
  outcome: 'repeat' as const,
  draft: d,
  incident: incident({ occurrences: 2, githubIssue: { number: 12, url: 'u' }, ...over }, d),
});

/** The class history of the default draft: `fails` failures and `wins` successes on other incidents. */
function history(fails: number, wins = 0, windowDays = 30): ClassHistory {
  const i = incident();
  const o = (n: number, outcome: RemediationOutcome['outcome']): RemediationOutcome => ({
    id: `inc-other-${outcome}-${n}#1`,
    incidentId: `inc-other-${outcome}-${n}`,
    attempt: 1,
    alert: 'A7',
    agent: 'rex',
    signature: evidenceSignature(i),
    outcome,
    coderun: `healer-a7-other${n}-1`,
    issue: null,
    pullRequestUrl: null,
    summary: `attempt 1 ${outcome}`,
    startedAt: iso(-600 - n),
    at: iso(-500 - n),
  });
  return summariseClass(
    classOf(i),
    [
      ...Array.from({ length: fails }, (_, n) => o(n, n % 2 ? 'run-failed' : 'still-firing')),
      ...Array.from({ length: wins }, (_, n) => o(n, 'cleared')),
    ],
    i.id,
    T0,
    windowDays,
  );
}

/** The parent incident of a cause group (issue #17 point 1). */
const causeParent = incident(
  {
    id: 'inc-parent0000000000',
    context: { cause_rule: 'mcp-server-down', cause_key: 'cto-tools' },
  },
  draft({ title: 'MCP server failing: cto-tools', agent: null, subject: 'cause-mcp-server-down' }),
);
const group = { parent: causeParent, rule: 'mcp-server-down', key: 'cto-tools' };

/** A cause group's parent recorded with `children`; its issue names `told` (unset: not tracked). */
const parentOf = (children: string[], told?: string[]): Partial<Incident> => ({
  context: { ...causeParent.context, children: children.join(', ') },
  ...(told ? { issueChildren: told } : {}),
});
/** A silence of every A7 for an hour around T0. */
const silence = (over: Partial<Silence> = {}): Silence => ({
  id: 'sil-1',
  matchers: { alert: 'A7' },
  startsAt: iso(-60),
  endsAt: iso(60),
  comment: 'known flaky node',
  createdBy: 'ops@5dlabs',
  expiredAt: null,
  ...over,
});
/** A repeat of that parent while its remediation run is active. */
const parentRepeat = (children: string[], told?: string[], over: Partial<Incident> = {}) =>
  repeatOf({ ...parentOf(children, told), attempts: [attempt(1, 'Running')], ...over });
const joined = (...children: string[]): PlannedAction => ({
  kind: 'comment-issue',
  comment: 'children',
  children,
});

const rows: Row[] = [
  // --- cause groups: a child is recorded under the parent named by the cause ---
  {
    name: 'grouped: an incident sharing its cause is the parent’s child, nothing planned',
    in: { group },
    reason: 'grouped',
    plan: [],
    change: {
      groupedBy: {
        incidentId: causeParent.id,
        rule: 'mcp-server-down',
        key: 'cto-tools',
        at: T0.toISOString(),
      },
    },
    detail:
      /shares its cause with incident inc-parent0000000000 \(MCP server failing: cto-tools; rule mcp-server-down\): recorded as its child, no issue or run of its own/,
  },
  {
    name: 'grouped: a repeat of a child stays grouped, its first grouping kept',
    in: {
      ...repeatOf({
        githubIssue: null,
        groupedBy: {
          incidentId: causeParent.id,
          rule: 'mcp-server-down',
          key: 'cto-tools',
          at: iso(-5),
        },
      }),
      group,
    },
    reason: 'grouped',
    plan: [],
    change: {
      groupedBy: {
        incidentId: causeParent.id,
        rule: 'mcp-server-down',
        key: 'cto-tools',
        at: iso(-5),
      },
    },
  },
  {
    name: 'grouped: a silence still wins',
    in: {
      group,
      silences: [silence()],
    },
    reason: 'silenced',
    plan: [],
  },
  // --- cause groups: the parent's issue learns of every child that joins after it was written ---
  {
    name: 'cause parent, first sighting: issue opened, the children it names recorded',
    in: { incident: { ...causeParent, ...parentOf(['inc-a', 'inc-b']) } },
    reason: 'new',
    plan: [OPEN, spawn(1), notify('opened')],
    change: { issueChildren: ['inc-a', 'inc-b'] },
  },
  {
    name: 'cause parent, a child joined after its issue was written: a children comment names it',
    in: parentRepeat(['inc-a', 'inc-b', 'inc-c'], ['inc-a', 'inc-b']),
    reason: 'remediation-active',
    plan: [joined('inc-c')],
    change: { issueChildren: ['inc-a', 'inc-b', 'inc-c'] },
    detail:
      /; 1 incident joined the cause since issue #12 was written \(inc-c\): a comment names it$/,
  },
  {
    name: 'cause parent, two joined and one resolved: the comment names the two, the issue keeps the one',
    in: parentRepeat(['inc-b', 'inc-c', 'inc-d'], ['inc-a', 'inc-b']),
    reason: 'remediation-active',
    plan: [joined('inc-c', 'inc-d')],
    change: { issueChildren: ['inc-a', 'inc-b', 'inc-c', 'inc-d'] },
    detail:
      /2 incidents joined the cause since issue #12 was written \(inc-c, inc-d\): a comment names them/,
  },
  {
    name: 'cause parent, no child joined: nothing for the issue',
    in: parentRepeat(['inc-a', 'inc-b'], ['inc-a', 'inc-b']),
    reason: 'remediation-active',
    plan: [],
  },
  {
    name: 'cause parent, a child joined while its issue is being opened: the comment waits for it',
    in: parentRepeat(['inc-a', 'inc-b'], ['inc-a'], { githubIssue: null }),
    reason: 'remediation-active',
    plan: [joined('inc-b')],
    detail: /joined the cause since its issue was written \(inc-b\)/,
  },
  {
    name: 'cause parent, a child joined after its attempt ended: the next attempt, and the comment',
    in: parentRepeat(['inc-a', 'inc-b'], ['inc-a'], { attempts: [done(1)] }),
    reason: 'recurred-after-fix',
    plan: [{ kind: 'comment-issue', comment: 'attempt' }, spawn(2), joined('inc-b')],
    change: { issueChildren: ['inc-a', 'inc-b'] },
  },
  {
    name: 'cause parent, an issue from before children were tracked: taken to name them, no comment',
    in: parentRepeat(['inc-a', 'inc-b']),
    reason: 'remediation-active',
    plan: [],
    change: { issueChildren: ['inc-a', 'inc-b'] },
  },
  {
    name: 'cause parent silenced: a child that joins is told later, not now',
    in: { ...parentRepeat(['inc-a', 'inc-b'], ['inc-a']), silences: [silence()] },
    reason: 'silenced',
    plan: [],
    change: { issueChildren: undefined },
  },
  {
    name: 'cause parent in observe mode: no issue, nothing to tell',
    in: {
      incident: { ...causeParent, ...parentOf(['inc-a']) },
      policy: policy({ mode: 'observe' }),
    },
    reason: 'new',
    plan: [],
    change: { issueChildren: undefined },
  },
  // --- the outcome history (issue #17): a class that keeps failing goes to a person ---
  {
    name: 'history: 3 failures, no success in 30 days → issue, escalated, no CodeRun',
    in: { history: history(3) },
    reason: 'history-says-no',
    plan: [OPEN, notify('opened'), ...ESCALATE],
    change: { state: 'escalated', escalatedAt: T0.toISOString(), notified: ['open', 'escalated'] },
    detail:
      /failed 3 times in 3 other incidents within the last 30 days \(still-firing 2, run-failed 1; last at .*\) and never succeeded \(threshold 3\): issue opened and escalated to a person, no CodeRun/,
  },
  {
    name: 'history: 2 failures → remediated as usual',
    in: { history: history(2) },
    reason: 'new',
    plan: [OPEN, spawn(1), notify('opened')],
  },
  {
    name: 'history: 5 failures and one success → remediated as usual',
    in: { history: history(5, 1) },
    reason: 'new',
    plan: [OPEN, spawn(1), notify('opened')],
  },
  {
    name: 'history: the threshold is configuration (historyFailures 2)',
    in: { history: history(2), policy: policy({ historyFailures: 2 }) },
    reason: 'history-says-no',
    plan: [OPEN, notify('opened'), ...ESCALATE],
    detail: /failed 2 times .*threshold 2/,
  },
  {
    name: 'history: issue-only mode plans no run, so history is not asked',
    in: { history: history(4), policy: policy({ mode: 'issue-only' }) },
    reason: 'new',
    plan: [OPEN, notify('opened')],
  },
  {
    name: 'history: a recurrence that would start attempt 2 → escalated instead, the issue kept',
    in: {
      ...repeatOf({ attempts: [done(1)], state: 'open' }),
      history: history(3),
    },
    reason: 'history-says-no',
    plan: [...ESCALATE],
    detail: /issue #12 escalated to a person, no CodeRun/,
    change: { state: 'escalated' },
  },
  {
    name: 'history: evaluate-then-fix, the evaluation run is not started either',
    in: { history: history(3), policy: policy({ mode: 'evaluate-then-fix' }) },
    reason: 'history-says-no',
    plan: [OPEN, notify('opened'), ...ESCALATE],
    change: { evaluation: null },
  },
  // --- new, per mode ---
  {
    name: 'issue-and-fix, high: issue, remediation attempt 1, notification',
    in: {},
    reason: 'new',
    plan: [OPEN, spawn(1), notify('opened')],
    change: {
      state: 'remediating',
      remediationSpawned: true,
      notified: ['open'],
      lastDecision: 'new',
    },
    detail: /attempt 1 of 3/,
  },
  {
    name: 'issue-and-fix, medium: no notification',
    in: { draft: medium },
    reason: 'new',
    plan: [OPEN, spawn(1)],
    change: { notified: [] },
  },
  {
    name: 'issue-and-fix, critical: notified as opened, not escalated (a fix is possible)',
    in: { draft: critical },
    reason: 'new',
    plan: [OPEN, spawn(1), notify('opened')],
    change: { state: 'remediating' },
  },
  {
    name: 'evaluate-then-fix: evaluation CodeRun first; the issue comes from it or the fallback',
    in: { policy: policy({ mode: 'evaluate-then-fix' }) },
    reason: 'new',
    plan: [{ kind: 'spawn-evaluation' }, notify('opened')],
    change: { state: 'remediating' },
    detail: /evaluation CodeRun/,
  },
  {
    name: 'issue-only, medium: an issue and nothing else',
    in: { draft: medium, policy: policy({ mode: 'issue-only' }) },
    reason: 'new',
    plan: [OPEN],
    detail: /issue-only mode/,
  },
  {
    name: 'issue-only, high: issue and notification',
    in: { policy: policy({ mode: 'issue-only' }) },
    reason: 'new',
    plan: [OPEN, notify('opened')],
    change: { notified: ['open'] },
  },
  {
    name: 'issue-only, critical: nothing automatable → escalated at once (one notification)',
    in: { draft: critical, policy: policy({ mode: 'issue-only' }) },
    reason: 'new',
    plan: [OPEN, ...ESCALATE],
    change: { state: 'escalated', escalatedAt: T0.toISOString(), notified: ['escalated'] },
    detail: /critical and nothing can be automated/,
  },
  {
    name: 'observe: recorded only, reason still new',
    in: { policy: policy({ mode: 'observe' }) },
    reason: 'new',
    plan: [],
    detail: /observe mode/,
  },
  {
    name: 'observe, critical: a dry run never escalates',
    in: { draft: critical, policy: policy({ mode: 'observe' }) },
    reason: 'new',
    plan: [],
  },
  {
    name: 'platform incident without issues.repository: no issue, no CodeRun, still notified',
    in: { draft: platform },
    reason: 'new',
    plan: [notify('opened')],
    detail: /issues\.repository is unset/,
  },
  {
    name: 'platform incident without issues.repository, critical: escalated by notification',
    in: { draft: { ...platform, severity: 'critical' } },
    reason: 'new',
    plan: [notify('escalated')],
    change: { state: 'escalated' },
  },
  {
    name: 'platform incident with issues.repository: the full plan',
    in: { draft: platform, policy: policy({ issueRepository: '5dlabs/cto' }) },
    reason: 'new',
    plan: [OPEN, spawn(1), notify('opened')],
  },
  {
    name: 'platform cap reached: the issue now, the CodeRun deferred until capacity frees',
    in: { runningRemediations: 5 },
    reason: 'new',
    plan: [OPEN, spawn(1), notify('opened')],
    deferred: true,
    detail: /5 of 5 Healer CodeRuns/,
  },
  {
    name: 'one below the cap: not deferred',
    in: { runningRemediations: 4 },
    reason: 'new',
    plan: [OPEN, spawn(1), notify('opened')],
    deferred: false,
  },
  {
    name: 'fresh store, an issue for the same alert and family within the window: no second issue',
    in: { recentIssueForFamily: true },
    reason: 'repeat',
    plan: [],
    detail: /within the last 30 min/,
  },
  // --- repeats ---
  {
    name: 'repeat while attempt 1 is only planned (CodeRun not created yet)',
    in: repeatOf({ state: 'remediating', attempts: [attempt(1, 'Planned')] }),
    reason: 'remediation-active',
    plan: [],
  },
  {
    name: 'repeat while the remediation CodeRun runs',
    in: repeatOf({ state: 'remediating', attempts: [attempt(1, 'Running')] }),
    reason: 'remediation-active',
    plan: [],
    detail: /attempt 1 .* is Running/,
  },
  {
    name: 'repeat while the evaluation CodeRun runs',
    in: {
      ...repeatOf({ githubIssue: null, evaluation: attempt(0, 'Running') }),
      policy: policy({ mode: 'evaluate-then-fix' }),
    },
    reason: 'remediation-active',
    plan: [],
    detail: /evaluation run/,
  },
  {
    name: 'evaluation ended without an issue, alert repeats: fallback issue then attempt 1',
    in: {
      ...repeatOf({ githubIssue: null, evaluation: attempt(0, 'Succeeded', -1) }),
      policy: policy({ mode: 'evaluate-then-fix' }),
    },
    reason: 'new',
    plan: [OPEN, spawn(1)],
    detail: /writes it itself/,
  },
  {
    name: 'issue-only: repeats are counted only',
    in: { ...repeatOf({}), policy: policy({ mode: 'issue-only' }) },
    reason: 'repeat',
    plan: [],
  },
  {
    name: 'cooldown: attempt 1 finished 5 min ago',
    in: repeatOf({ attempts: [done(1, 'Failed', -5)] }),
    reason: 'cooldown',
    plan: [],
    recheckAt: iso(5),
  },
  {
    name: 'cooldown boundary: 1 ms before 10 min → still cooldown',
    in: { ...repeatOf({ attempts: [done(1, 'Failed', -10)] }), now: new Date(T0.getTime() - 1) },
    reason: 'cooldown',
    plan: [],
    recheckAt: T0.toISOString(),
  },
  {
    name: 'cooldown boundary: exactly 10 min after → attempt 2',
    in: repeatOf({ attempts: [done(1, 'Failed', -10)] }),
    reason: 'recurred-after-fix',
    plan: [{ kind: 'comment-issue', comment: 'attempt' }, spawn(2)],
  },
  {
    name: 'cooldown 0: the next attempt at once',
    in: {
      ...repeatOf({ attempts: [done(1, 'Failed', 0)] }),
      policy: policy({ cooldownMinutes: 0 }),
    },
    reason: 'recurred-after-fix',
    plan: [{ kind: 'comment-issue', comment: 'attempt' }, spawn(2)],
  },
  {
    name: 'recurrence after a Succeeded attempt (the fix did not hold): attempt 2',
    in: repeatOf({ attempts: [done(1, 'Succeeded')] }),
    reason: 'recurred-after-fix',
    plan: [{ kind: 'comment-issue', comment: 'attempt' }, spawn(2)],
    change: { state: 'remediating' },
    detail: /attempt 2 of 3/,
  },
  {
    name: 'recurrence at the platform cap: attempt 2 planned, its CodeRun deferred',
    in: { ...repeatOf({ attempts: [done(1)] }), runningRemediations: 7 },
    reason: 'recurred-after-fix',
    plan: [{ kind: 'comment-issue', comment: 'attempt' }, spawn(2)],
    deferred: true,
  },
  {
    name: 'three attempts finished: attempts exhausted, escalated, no 4th CodeRun',
    in: repeatOf({ attempts: [done(1), done(2), done(3)] }),
    reason: 'attempts-exhausted',
    plan: ESCALATE,
    change: { state: 'escalated', escalatedAt: T0.toISOString(), notified: ['escalated'] },
  },
  {
    name: 'attempts exhausted escalates at once, cooldown or not',
    in: repeatOf({ attempts: [done(1), done(2), done(3, 'Failed', -1)] }),
    reason: 'attempts-exhausted',
    plan: ESCALATE,
  },
  {
    name: 'maxIterations 1: exhausted after one attempt',
    in: { ...repeatOf({ attempts: [done(1)] }), policy: policy({ maxAttempts: 1 }) },
    reason: 'attempts-exhausted',
    plan: ESCALATE,
  },
  {
    name: 'escalated incidents only count repeats',
    in: repeatOf({
      state: 'escalated',
      escalatedAt: iso(-5),
      attempts: [done(1), done(2), done(3)],
    }),
    reason: 'repeat',
    plan: [],
    detail: /escalated to a person/,
  },
  {
    name: 'mode switched to issue-only after an attempt: no further remediation',
    in: { ...repeatOf({ attempts: [done(1)] }), policy: policy({ mode: 'issue-only' }) },
    reason: 'repeat',
    plan: [],
  },
  // --- reopened ---
  {
    name: 'reopened after a successful fix: attempt 2',
    in: {
      ...repeatOf({ state: 'open', reopened: 1, attempts: [done(1, 'Succeeded')] }),
      outcome: 'reopened',
    },
    reason: 'recurred-after-fix',
    plan: [{ kind: 'comment-issue', comment: 'attempt' }, spawn(2)],
  },
  {
    name: 'reopened while escalated: counted, stays escalated',
    in: {
      ...repeatOf({ state: 'open', escalatedAt: iso(-60), attempts: [done(1), done(2), done(3)] }),
      outcome: 'reopened',
    },
    reason: 'repeat',
    plan: [],
    change: { state: 'escalated' },
  },
  {
    name: 'reopened in issue-only mode: a new episode, notified again',
    in: {
      ...repeatOf({ state: 'open', notified: ['open', 'resolved'] }),
      outcome: 'reopened',
      policy: policy({ mode: 'issue-only' }),
    },
    reason: 'new',
    plan: [OPEN, notify('opened')],
    change: { notified: ['open'] },
  },
  // --- excluded ---
  {
    name: 'an alert disabled in alerts.disabled is excluded',
    in: { policy: policy({ disabledAlerts: ['A7'] }) },
    reason: 'excluded',
    plan: [],
    detail: /alerts\.disabled/,
  },
  {
    name: 'an alert whose context says excluded is excluded',
    in: { draft: draft({ context: { excluded: 'label healer.platform/exclude=true' } }) },
    reason: 'excluded',
    plan: [],
  },
];

void t.test('decide: the table', async (t) => {
  for (const row of rows) {
    await t.test(row.name, (t) => {
      const r = decide(input(row.in));
      t.equal(r.reason, row.reason, 'reason');
      t.same(r.plan, row.plan, 'plan');
      t.equal(r.incidentChange.lastDecision, row.reason, 'lastDecision is recorded');
      if (row.change) t.match(r.incidentChange, row.change, 'incident change');
      if (row.deferred !== undefined)
        t.equal(r.capacityDeferred ?? false, row.deferred, 'deferred');
      if (row.recheckAt) t.equal(r.recheckAt, row.recheckAt, 'recheckAt');
      if (row.detail) t.match(r.detail, row.detail, 'detail');
      t.ok(r.detail.length > 10 && !r.detail.includes('undefined'), 'detail is a sentence');
      t.end();
    });
  }
});

void t.test('every reason of the closed set is produced by some row', (t) => {
  const seen = new Set(rows.map((r) => r.reason));
  for (const r of ['silenced', 'remediator-failed', 'resolved', 'inhibited-by'])
    seen.add(r as never); // below
  t.same([...seen].sort(), [
    'attempts-exhausted',
    'cooldown',
    'excluded',
    'grouped',
    'history-says-no',
    'inhibited-by',
    'new',
    'recurred-after-fix',
    'remediation-active',
    'remediator-failed',
    'repeat',
    'resolved',
    'silenced',
  ]);
  t.end();
});

void t.test(
  'new incidents record the planned attempt so a racing repeat cannot plan another',
  (t) => {
    const r = decide(input());
    const attempts = r.incidentChange.attempts!;
    t.equal(attempts.length, 1);
    t.match(attempts[0], {
      attempt: 1,
      phase: 'Planned',
      finishedAt: null,
      createdAt: T0.toISOString(),
    });
    t.notOk(isFinished(attempts[0]));
    const again = decide(
      input({
        outcome: 'repeat',
        incident: { ...incident(), ...r.incidentChange, occurrences: 2 },
      }),
    );
    t.equal(again.reason, 'remediation-active');
    t.same(again.plan, []);
    t.end();
  },
);

void t.test('a reopen forgets runs that were planned but never created', (t) => {
  // The spawn handler skips a run when the incident resolved before it ran.
  const inc = incident({
    state: 'open',
    reopened: 1,
    githubIssue: { number: 12, url: 'u' },
    attempts: [done(1, 'Failed', -60), attempt(2, 'Planned')].map((a, k) =>
      k === 1 ? { ...a, coderun: '' } : a,
    ),
  });
  const r = decide(input({ outcome: 'reopened', incident: inc }));
  t.equal(r.reason, 'recurred-after-fix');
  t.same(r.plan, [{ kind: 'comment-issue', comment: 'attempt' }, spawn(2)], 'attempt 2 again');
  t.same(
    r.incidentChange.attempts?.map((a) => [a.attempt, a.phase]),
    [
      [1, 'Failed'],
      [2, 'Planned'],
    ],
  );
  const ev = incident({ state: 'open', evaluation: { ...attempt(0, 'Planned'), coderun: '' } });
  const r2 = decide(
    input({ outcome: 'reopened', incident: ev, policy: policy({ mode: 'evaluate-then-fix' }) }),
  );
  t.equal(r2.reason, 'new');
  t.same(r2.plan, [{ kind: 'spawn-evaluation' }, notify('opened')]);
  t.equal(
    decide(input({ outcome: 'repeat', incident: { ...inc, state: 'remediating' } })).reason,
    'remediation-active',
    'a plain repeat keeps waiting for the planned run',
  );
  t.end();
});

void t.test('evaluate-then-fix records a planned evaluation run', (t) => {
  const r = decide(input({ policy: policy({ mode: 'evaluate-then-fix' }) }));
  t.match(r.incidentChange.evaluation, { attempt: 0, phase: 'Planned', finishedAt: null });
  t.equal(r.incidentChange.attempts, undefined, 'no remediation attempt yet');
  t.end();
});

// --- silences ---

void t.test('silences', async (t) => {
  await t.test('a matching silence: recorded, not acted on, incident shows silenced', (t) => {
    const r = decide(input({ silences: [silence()] }));
    t.equal(r.reason, 'silenced');
    t.same(r.plan, []);
    t.equal(r.incidentChange.state, 'silenced');
    t.match(r.detail, /sil-1 \(alert=A7\) until .* ops@5dlabs: known flaky node/);
    t.end();
  });
  await t.test('agent matchers are case-insensitive (5DLabs-Rex = rex)', (t) => {
    const r = decide(input({ silences: [silence({ matchers: { agent: '5DLabs-Rex' } })] }));
    t.equal(r.reason, 'silenced');
    t.end();
  });
  await t.test('an expired or ended silence does not apply', (t) => {
    t.equal(decide(input({ silences: [silence({ expiredAt: iso(-1) })] })).reason, 'new');
    t.equal(decide(input({ silences: [silence({ endsAt: T0.toISOString() })] })).reason, 'new');
    t.end();
  });
  await t.test('a silenced repeat of an incident in progress keeps its state', (t) => {
    const r = decide(
      input({
        ...repeatOf({ state: 'remediating', attempts: [attempt(1, 'Running')] }),
        silences: [silence()],
      }),
    );
    t.equal(r.reason, 'silenced');
    t.equal(r.incidentChange.state, undefined);
    t.end();
  });
  await t.test('after the silence, the next alert of a silenced incident is new', (t) => {
    const quiet = decide(input({ silences: [silence()] }));
    const inc = { ...incident(), ...quiet.incidentChange, occurrences: 2 };
    const r = decide(
      input({ outcome: 'repeat', incident: inc, now: at(61), silences: [silence()] }),
    );
    t.equal(r.reason, 'new');
    t.same(r.plan, [OPEN, spawn(1), notify('opened')]);
    t.end();
  });
  await t.test('a silence wins over attaching a remediation run failure', (t) => {
    const d = draft({ context: { remediation: true, servesFingerprint: 'f'.repeat(64) } });
    t.equal(decide(input({ draft: d, silences: [silence()] })).reason, 'silenced');
    t.end();
  });
});

// --- the issue's severity label ---

void t.test("the issue's severity label follows the incident", async (t) => {
  const relabel = (severity: Incident['severity']): PlannedAction => ({
    kind: 'relabel-severity',
    severity,
  });
  await t.test('an incident that became critical swaps its issue label high → critical', (t) => {
    const r = decide(
      input({
        ...repeatOf(
          { severity: 'critical', labelledSeverity: 'high', attempts: [attempt(1, 'Running')] },
          critical,
        ),
      }),
    );
    t.equal(r.reason, 'remediation-active');
    t.same(r.plan, [relabel('critical')]);
    t.match(r.detail, /issue #12 relabelled severity:critical \(was high\)/);
    t.end();
  });
  await t.test('an issue whose label is unknown (adopted, older record) is relabelled', (t) => {
    const r = decide(
      input({
        ...repeatOf({ labelledSeverity: null, attempts: [attempt(1, 'Running')] }),
      }),
    );
    t.same(r.plan, [relabel('high')]);
    t.end();
  });
  await t.test('a label that already says the severity is left alone', (t) => {
    const r = decide(input({ ...repeatOf({ attempts: [attempt(1, 'Running')] }) }));
    t.same(r.plan, []);
    t.end();
  });
  await t.test('no issue yet: the open-issue action writes the current severity', (t) => {
    const r = decide(input({ draft: critical, incident: incident({}, critical) }));
    t.notOk(r.plan.some((a) => a.kind === 'relabel-severity'));
    t.end();
  });
  await t.test('a silenced alert does not touch the issue', (t) => {
    const r = decide(
      input({
        ...repeatOf({ severity: 'critical', labelledSeverity: 'high' }, critical),
        silences: [silence()],
      }),
    );
    t.equal(r.reason, 'silenced');
    t.same(r.plan, []);
    t.end();
  });
  await t.test('escalation keeps its steps and adds the swap after them', (t) => {
    const r = decide(
      input({
        ...repeatOf(
          {
            severity: 'critical',
            labelledSeverity: 'high',
            attempts: [done(1), done(2), done(3)],
          },
          critical,
        ),
      }),
    );
    t.equal(r.reason, 'attempts-exhausted');
    t.same(r.plan, [...ESCALATE, relabel('critical')]);
    t.end();
  });
});

// --- Healer's own runs ---

void t.test(
  'alerts of remediation runs: remediator-failed, attached, never remediated',
  async (t) => {
    const served = incident({
      state: 'remediating',
      githubIssue: { number: 12, url: 'u' },
      attempts: [attempt(1, 'Running')],
    });
    const runDraft = (pod: string) =>
      draft({
        alert: 'A7',
        title: `Pod Failure: ${pod}`,
        playId: null,
        taskId: null,
        agent: null,
        subject: 'healer-a7',
        context: { pod, remediation: true, servesFingerprint: served.fingerprint.slice(0, 16) },
      });

    await t.test('the served incident id comes from the fingerprint label prefix', (t) => {
      t.equal(servedIncidentId(runDraft('x')), served.id);
      t.equal(servedIncidentId(draft()), null);
      t.end();
    });

    await t.test('unknown served incident: reason stays, nothing attached', (t) => {
      const r = decide(input({ draft: runDraft('healer-a7-12345678-1-xyz') }));
      t.equal(r.reason, 'remediator-failed');
      t.same(r.plan, []);
      t.equal(r.attached, undefined);
      t.match(r.detail, /is unknown/);
      t.end();
    });

    await t.test('first failure marks the run; no plan anywhere', (t) => {
      const r = decide(input({ draft: runDraft('healer-a7-12345678-1-xyz'), served }));
      t.equal(r.reason, 'remediator-failed');
      t.same(r.plan, []);
      t.equal(r.attached?.incidentId, served.id);
      t.equal(r.attached?.reason, 'remediator-failed');
      t.same(r.attached?.plan, []);
      t.match(r.attached?.incidentChange.attempts?.[0], { attempt: 1, failure: /A7 Pod Failure/ });
      t.match(r.attached?.detail, /1 of 2 run failures/);
      t.end();
    });

    await t.test('the same run failing again counts once', (t) => {
      const marked = { ...served, attempts: [{ ...attempt(1, 'Running'), failure: 'A7 earlier' }] };
      const r = decide(input({ draft: runDraft('healer-a7-12345678-1-xyz'), served: marked }));
      t.same(r.attached?.plan, []);
      t.equal(r.attached?.incidentChange.attempts, undefined, 'no change to the attempts');
      t.end();
    });

    await t.test('a second run failing: the served incident escalates', (t) => {
      const twice = {
        ...served,
        attempts: [
          { ...done(1), failure: 'A7 Pod Failure: healer-a7-12345678-1-xyz' },
          attempt(2, 'Running'),
        ],
      };
      const r = decide(input({ draft: runDraft('healer-a7-12345678-2-abc'), served: twice }));
      t.same(r.plan, [], 'the run’s own incident is never remediated');
      t.same(r.attached?.plan, ESCALATE);
      t.match(r.attached?.incidentChange, { state: 'escalated', escalatedAt: T0.toISOString() });
      t.match(r.attached?.detail, /2 remediation runs failed: escalated/);
      t.end();
    });

    await t.test('an already escalated incident is not escalated again', (t) => {
      const twice = {
        ...served,
        escalatedAt: iso(-1),
        attempts: [{ ...done(1), failure: 'x' }, attempt(2, 'Running')],
      };
      const r = decide(input({ draft: runDraft('healer-a7-12345678-2-abc'), served: twice }));
      t.same(r.attached?.plan, []);
      t.end();
    });

    await t.test('a failing evaluation run is recorded on the evaluation', (t) => {
      const ev = {
        ...served,
        attempts: [],
        evaluation: { ...attempt(0, 'Running'), coderun: 'healer-eval-a7-12345678' },
      };
      const r = decide(input({ draft: runDraft('healer-eval-a7-12345678-p'), served: ev }));
      t.match(r.attached?.incidentChange.evaluation, { failure: /A7/ });
      t.same(r.attached?.plan, []);
      t.end();
    });
  },
);

// --- evaluate-then-fix fallback ---

void t.test('decideAfterEvaluation', (t) => {
  const p = policy({ mode: 'evaluate-then-fix' });
  const ev = (phase: string) =>
    incident({ state: 'remediating', evaluation: attempt(0, phase, -1) });
  t.same(
    decideAfterEvaluation(ev('Failed'), T0, p, 0)?.plan,
    [OPEN, spawn(1)],
    'no issue: fallback writes it',
  );
  const withIssue = { ...ev('Succeeded'), githubIssue: { number: 7, url: 'u' } };
  const r = decideAfterEvaluation(withIssue, T0, p, 5);
  t.same(r?.plan, [spawn(1)], 'the evaluation’s issue is used');
  t.equal(r?.capacityDeferred, true);
  t.match(r?.detail, /#7 exists/);
  t.match(r?.incidentChange.attempts, [{ attempt: 1, phase: 'Planned' }]);
  t.equal(decideAfterEvaluation(ev('Succeeded'), T0, policy(), 0), null, 'other modes: nothing');
  t.equal(
    decideAfterEvaluation({ ...ev('Succeeded'), attempts: [attempt(1, 'Running')] }, T0, p, 0),
    null,
    'already remediating: nothing',
  );
  t.equal(decideAfterEvaluation(incident(), T0, p, 0), null, 'no evaluation: nothing');
  t.end();
});

// --- resolution ---

void t.test('decideResolution', (t) => {
  const resolved = (over: Partial<Incident>, d = draft()) =>
    incident({ state: 'resolved', resolvedAt: iso(1), resolution: 'pod gone', ...over }, d);
  const r = decideResolution(
    resolved({ githubIssue: { number: 12, url: 'u' }, notified: ['open'] }),
    at(1),
    policy(),
  );
  t.equal(r.reason, 'resolved');
  t.same(r.plan, [
    { kind: 'comment-issue', comment: 'resolution' },
    { kind: 'close-issue' },
    notify('resolved'),
  ]);
  t.match(r.incidentChange, {
    state: 'resolved',
    notified: ['open', 'resolved'],
    lastDecision: 'resolved',
  });
  t.match(r.detail, /pod gone.*#12 closed, notified/);

  t.same(
    decideResolution(resolved({ githubIssue: { number: 12, url: 'u' } }), at(1), policy()).plan,
    [{ kind: 'comment-issue', comment: 'resolution' }, { kind: 'close-issue' }],
    'not notified before: no resolution notification',
  );
  t.same(
    decideResolution(resolved({ notified: ['escalated'] }), at(1), policy()).plan,
    [{ kind: 'comment-issue', comment: 'resolution' }, { kind: 'close-issue' }, notify('resolved')],
    'issue not recorded yet (open-issue pending): close planned anyway, handler skips a missing one',
  );
  t.same(
    decideResolution(
      resolved({ notified: ['open', 'resolved'] }),
      at(1),
      policy({ mode: 'observe' }),
    ).plan,
    [],
    'observe without an issue, already told: nothing',
  );
  t.same(
    decideResolution(resolved({ lastDecision: 'silenced' }), at(1), policy()).plan,
    [],
    'an incident only ever silenced has nothing to close',
  );
  t.same(
    decideResolution(resolved({}, platform), at(1), policy()).plan,
    [],
    'platform incident without issue repository: nothing',
  );
  const run = (coderun: string) => ({
    attempt: 1,
    coderun,
    namespace: 'cto',
    phase: coderun ? 'Succeeded' : 'Pending',
    createdAt: iso(0),
    finishedAt: null,
    pullRequestUrl: null,
  });
  t.same(
    decideResolution(
      resolved({ githubIssue: { number: 12, url: 'u' }, attempts: [run('healer-a7-1')] }),
      at(1),
      policy(),
    ).plan,
    [
      { kind: 'comment-issue', comment: 'resolution' },
      { kind: 'close-issue' },
      { kind: 'remember' },
    ],
    "a remediation ran: what it tried is stored in the agents' memory",
  );
  t.notOk(
    decideResolution(
      resolved({ githubIssue: { number: 12, url: 'u' }, attempts: [run('')] }),
      at(1),
      policy(),
    ).plan.some((p) => p.kind === 'remember'),
    'a run planned but never created taught nothing',
  );
  t.equal(
    decideResolution(incident({ state: 'resolved', resolvedAt: null }), at(2), policy())
      .incidentChange.resolvedAt,
    iso(2),
  );
  t.end();
});

// --- the acceptance ladder, end to end on the pure side ---

/** What the store, the spawn handler and the CodeRun follower do between decisions. */
function apply(i: Incident, r: DecideResult): Incident {
  return { ...i, ...r.incidentChange };
}
function created(i: Incident, n: number): Incident {
  return {
    ...i,
    attempts: i.attempts.map((a) =>
      a.attempt === n
        ? {
            ...a,
            coderun: `healer-a7-${i.fingerprint.slice(0, 8)}-${n}`,
            namespace: 'cto',
            phase: 'Pending',
          }
        : a,
    ),
  };
}
function finished(i: Incident, n: number, phase: string, now: Date): Incident {
  return {
    ...i,
    attempts: i.attempts.map((a) =>
      a.attempt === n ? { ...a, phase, finishedAt: now.toISOString() } : a,
    ),
  };
}

void t.test(
  'acceptance: failing fixes recur → attempt 2, 3, then needs-human; never a 4th CodeRun',
  (t) => {
    const d = draft({ severity: 'critical' });
    const fp = fingerprint(d);
    let now = T0;
    let rec = recordOccurrence(undefined, d, fp, now);
    let inc = rec.incident;
    const spawned: number[] = [];
    const reasons: string[] = [];
    const step = (outcome: 'created' | 'repeat' | 'reopened') => {
      const r = decide({
        incident: inc,
        outcome,
        draft: d,
        now,
        policy: policy(),
        silences: [],
        runningRemediations: 0,
      });
      reasons.push(r.reason);
      for (const a of r.plan) if (a.kind === 'spawn-remediation') spawned.push(a.attempt);
      inc = apply(inc, r);
      return r;
    };
    const recur = () => {
      rec = recordOccurrence(inc, d, fp, now);
      inc = rec.incident;
      return step(rec.outcome);
    };

    step(rec.outcome);
    for (let n = 1; n <= 3; n++) {
      inc = created(inc, n);
      now = new Date(now.getTime() + 60_000);
      t.equal(recur().reason, 'remediation-active', `attempt ${n} running: the repeat waits`);
      now = new Date(now.getTime() + 20 * 60_000);
      inc = finished(inc, n, 'Failed', now);
      now = new Date(now.getTime() + 60_000);
      if (n === 3) {
        const r = recur();
        t.equal(
          r.reason,
          'attempts-exhausted',
          'after the third attempt: escalation, cooldown or not',
        );
        t.same(r.plan, ESCALATE, 'needs-human label, escalation comment, notification');
        break;
      }
      t.equal(recur().reason, 'cooldown', `attempt ${n} failed 1 min ago: cooldown`);
      now = new Date(now.getTime() + 10 * 60_000);
      const r = recur();
      t.equal(r.reason, 'recurred-after-fix', `recurrence after attempt ${n}`);
      t.same(r.plan, [{ kind: 'comment-issue', comment: 'attempt' }, spawn(n + 1)]);
    }
    t.equal(inc.state, 'escalated');
    const occurrences = inc.occurrences;
    for (let k = 0; k < 5; k++) {
      now = new Date(now.getTime() + 15 * 60_000);
      const r = recur();
      t.equal(r.reason, 'repeat');
      t.same(r.plan, []);
    }
    t.equal(inc.occurrences, occurrences + 5, 'the same failure repeating adds occurrences only');
    t.same(spawned, [1, 2, 3], 'exactly three CodeRuns, never a fourth');
    t.equal(reasons.filter((r) => r === 'attempts-exhausted').length, 1, 'escalated once');
    t.equal(inc.attempts?.length, 3);
    t.end();
  },
);

void t.test('policyFromConfig: the config defaults are the spec defaults', (t) => {
  t.same(policyFromConfig(healConfigSchema.parse({})), DEFAULT_POLICY);
  const custom = policyFromConfig(
    healConfigSchema.parse({
      remediation: { mode: 'issue-only', maxIterations: 5, cooldownMinutes: 2, maxConcurrent: 1 },
      dedup: { issueWindowMinutes: 0 },
      alerts: { disabled: ['A1'] },
      issues: { repository: '5dlabs/cto' },
    }),
  );
  t.match(custom, {
    mode: 'issue-only',
    maxAttempts: 5,
    cooldownMinutes: 2,
    maxConcurrent: 1,
    issueWindowMinutes: 0,
    disabledAlerts: ['A1'],
    issueRepository: '5dlabs/cto',
  });
  t.end();
});

void t.test('inhibition: a symptom of an open incident on the same agent run', async (t) => {
  const a2 = incident(
    { githubIssue: { number: 40, url: 'u' } },
    draft({ alert: 'A2', title: 'Silent Failure: play-task-4-rex-abc' }),
  );
  const a9draft = draft({
    alert: 'A9',
    severity: 'medium',
    title: 'Stuck CodeRun: play-task-4-coderun-rex',
    subject: 'play-task-4-coderun-rex',
  });
  const by = { source: a2, rule: 'agent-failure-stalls-its-run' };

  await t.test('recorded as the child, nothing planned, whatever the severity', (t) => {
    const r = decide(input({ draft: a9draft, incident: incident({}, a9draft), inhibition: by }));
    t.equal(r.reason, 'inhibited-by');
    t.same(r.plan, []);
    t.match(r.incidentChange, {
      inhibitedBy: {
        incidentId: a2.id,
        alert: 'A2',
        rule: 'agent-failure-stalls-its-run',
        at: iso(0),
      },
      lastDecision: 'inhibited-by',
    });
    t.match(
      r.detail,
      /inhibited by A2 incident .* on the same agent run \(rule agent-failure-stalls-its-run\)/,
    );
    const loud = draft({ ...a9draft, severity: 'critical' });
    t.equal(
      decide(input({ draft: loud, incident: incident({}, loud), inhibition: by })).plan.length,
      0,
      'no notification either',
    );
    t.end();
  });
  await t.test('an explicit silence still wins', (t) => {
    const r = decide(
      input({
        draft: a9draft,
        incident: incident({}, a9draft),
        inhibition: by,
        silences: [silence({ matchers: { alert: 'A9' } })],
      }),
    );
    t.equal(r.reason, 'silenced');
    t.end();
  });
  await t.test('the same parent again keeps the first time it was inhibited', (t) => {
    const child = incident(
      { inhibitedBy: { incidentId: a2.id, alert: 'A2', rule: by.rule, at: iso(-5) } },
      a9draft,
    );
    const r = decide(input({ draft: a9draft, incident: child, outcome: 'repeat', inhibition: by }));
    t.equal(r.incidentChange.inhibitedBy?.at, iso(-5));
    t.end();
  });
  await t.test('its parent gone and it still fires: decided as new, on its own', (t) => {
    const child = incident(
      {
        inhibitedBy: { incidentId: a2.id, alert: 'A2', rule: by.rule, at: iso(-5) },
        lastDecision: 'inhibited-by',
      },
      a9draft,
    );
    const r = decide(
      input({ draft: a9draft, incident: child, outcome: 'repeat', inhibition: null }),
    );
    t.equal(r.reason, 'new');
    t.same(r.plan[0], OPEN, 'its own issue now');
    t.equal(r.incidentChange.inhibitedBy, null);
    t.match(r.detail, /no longer inhibited \(A2 incident .* is not open\)/);
    t.end();
  });
  await t.test('resolving a child that was only ever inhibited plans nothing', (t) => {
    const child = incident(
      {
        state: 'resolved',
        resolvedAt: iso(1),
        lastDecision: 'inhibited-by',
        inhibitedBy: { incidentId: a2.id, alert: 'A2', rule: by.rule, at: iso(0) },
      },
      a9draft,
    );
    t.same(decideResolution(child, at(1), policy()).plan, []);
    t.end();
  });
});
