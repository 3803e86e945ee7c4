// The outcome history's pure parts: evidence signatures, the class summary and its verdict, the
// outcomes a decision settles, and what a remediation prompt quotes.
import t from 'tap';
import type { RemediationAttempt } from '../../src/domain/action.js';
import type { AlertDraft } from '../../src/domain/alert.js';
import type { Incident } from '../../src/domain/incident.js';
import type { RemediationOutcome } from '../../src/domain/outcome.js';
import { fingerprint } from '../../src/incidents/fingerprint.js';
import {
  classOf,
  evidenceSignature,
  historySaysNo,
  normaliseLine,
  awaitsMerge,
  mergedOutcome,
  outcomesOf,
  pastOutcomesFor,
  pastOutcomesText,
  pullRequestOutcome,
  summariseClass,
} from '../../src/incidents/history.js';
import { recordOccurrence } from '../../src/incidents/lifecycle.js';

const T0 = new Date('2026-03-01T12:00:00.000Z');
const iso = (min: number) => new Date(T0.getTime() + min * 60_000).toISOString();
const DAY = 24 * 60;

void t.test('normalised lines: ids, times, paths, hex and numbers go; the error stays', (t) => {
  const rows: [string, string][] = [
    [
      '2026-03-01T12:00:01.123Z ERROR failed to connect to 10.0.3.7:8080 after 3 retries',
      '<time> error failed to connect to <ip> after <n> retries',
    ],
    [
      '12:00:01 error: open /workspace/repo/src/main.rs: no such file or directory',
      '<time> error: open <path>: no such file or directory',
    ],
    [
      'Error: request 3f2a9c1e-77b4-4b1e-9a9e-0c1d2e3f4a5b to https://api.github.com/repos/5dlabs/cto/pulls/42 returned 401',
      'error: request <id> to <url api.github.com> returned <n>',
    ],
    [
      'pod play-task-4-rex-x2k4p sha 9f86d081884c7d659a2feaa0c55ad015 crashed at 0x7ffee3b4',
      'pod play-task-<n>-rex-<id> sha <hex> crashed at <hex>',
    ],
    ['\u001b[31mFATAL\u001b[0m   panic:   index out of range', 'fatal panic: index out of range'],
  ];
  for (const [line, want] of rows) t.equal(normaliseLine(line), want, line);
  t.equal(
    normaliseLine('2026-03-02T08:14:55Z ERROR failed to connect to 10.0.9.1:9090 after 12 retries'),
    normaliseLine(rows[0][0]),
    'the same failure at another time, on another address, gives the same line',
  );
  t.notOk(
    normaliseLine('auth failed: token=ghp_abcdefghijklmnopqrstuvwxyz0123456789').includes('ghp_'),
    'redacted before normalising',
  );
  t.ok(normaliseLine('x'.repeat(500)).length <= 160, 'bounded');
  t.end();
});

function draft(over: Partial<AlertDraft> = {}): AlertDraft {
  return {
    alert: 'A7',
    severity: 'high',
    issueType: 'agent_failure',
    title: 'Pod Failure: play-task-4-rex-abc',
    description: 'pod failed',
    namespace: 'cto',
    playId: 'play-task-4',
    taskId: '4',
    agent: 'rex',
    subject: 'play-task-4',
    evidence: [
      'starting rex',
      'Error: MCP server tools-github refused connection on 10.0.0.4:3000',
    ],
    context: {},
    detectedAt: T0.toISOString(),
    ...over,
  };
}

const incident = (over: Partial<Incident> = {}, d: AlertDraft = draft()): Incident => ({
  ...recordOccurrence(undefined, d, fingerprint(d), T0).incident,
  ...over,
});

function attempt(n: number, over: Partial<RemediationAttempt> = {}): RemediationAttempt {
  return {
    attempt: n,
    coderun: `healer-a7-12345678-${n}`,
    namespace: 'cto',
    phase: 'Succeeded',
    createdAt: iso(n),
    finishedAt: iso(n + 5),
    pullRequestUrl: null,
    ...over,
  };
}

void t.test(
  'evidence signature: the first error line, else the first line, else the title',
  (t) => {
    t.equal(
      evidenceSignature(incident()),
      'error: mcp server tools-github refused connection on <ip>',
    );
    t.equal(
      evidenceSignature(incident({ evidence: ['just a line 42'] })),
      'just a line <n>',
      'no error-like line: the first',
    );
    t.equal(
      evidenceSignature(incident({ evidence: [] })),
      'pod failure: play-task-<n>-rex-abc',
      'no evidence: the title',
    );
    const a = incident();
    const b = incident({
      id: 'inc-other',
      evidence: ['Error: MCP server tools-github refused connection on 10.0.0.9:3001'],
    });
    t.same(classOf(a), classOf(b), 'the same failure elsewhere is the same class');
    t.end();
  },
);

const outcome = (
  id: string,
  kind: RemediationOutcome['outcome'],
  atMin: number,
  over: Partial<RemediationOutcome> = {},
): RemediationOutcome => ({
  id,
  incidentId: id.split('#')[0],
  attempt: 1,
  alert: 'A7',
  agent: 'rex',
  signature: evidenceSignature(incident()),
  outcome: kind,
  coderun: 'healer-a7-x-1',
  issue: { number: 11, url: 'https://github.com/5dlabs/cto/issues/11' },
  pullRequestUrl: null,
  summary: `attempt 1 ${kind}`,
  startedAt: iso(atMin - 10),
  at: iso(atMin),
  ...over,
});

void t.test('the class summary and the verdict', (t) => {
  const i = incident();
  const cls = classOf(i);
  const failures = [
    outcome('inc-1#1', 'still-firing', -3 * DAY),
    outcome('inc-2#1', 'run-failed', -2 * DAY),
    outcome('inc-3#1', 'escalated', -1 * DAY),
  ];
  const rows: {
    name: string;
    outcomes: RemediationOutcome[];
    min?: number;
    no: boolean;
    says?: RegExp;
  }[] = [
    {
      name: 'three failures, no success: no',
      outcomes: failures,
      no: true,
      says: /failed 3 times in 3 other incidents within the last 30 days \(still-firing 1, run-failed 1, escalated 1; last at .*\) and never succeeded \(threshold 3\)/,
    },
    { name: 'two failures: go on', outcomes: failures.slice(1), no: false },
    {
      name: 'a success in the window: go on',
      outcomes: [...failures, outcome('inc-4#1', 'cleared', -5 * DAY)],
      no: false,
    },
    {
      name: 'a success older than the window does not count, nor failures older',
      outcomes: [
        ...failures,
        outcome('inc-4#1', 'cleared', -40 * DAY),
        outcome('inc-5#1', 'still-firing', -45 * DAY),
      ],
      no: true,
      says: /failed 3 times/,
    },
    {
      name: 'the deciding incident’s own failures do not count',
      outcomes: [...failures.slice(1), outcome(`${i.id}#1`, 'still-firing', -1)],
      no: false,
    },
    {
      name: 'another agent or signature is another class',
      outcomes: [
        ...failures.slice(1),
        outcome('inc-6#1', 'still-firing', -1, { agent: 'blaze' }),
        outcome('inc-7#1', 'still-firing', -1, { signature: 'something else' }),
      ],
      no: false,
    },
    {
      name: 'pr-opened is neither',
      outcomes: [...failures.slice(1), outcome('inc-8#1', 'pr-opened', -1)],
      no: false,
    },
    {
      name: 'a threshold of 2',
      outcomes: failures.slice(1),
      min: 2,
      no: true,
      says: /failed 2 times/,
    },
  ];
  for (const row of rows) {
    const h = summariseClass(cls, row.outcomes, i.id, T0, 30);
    const why = historySaysNo(h, row.min ?? 3);
    t.equal(why !== null, row.no, row.name);
    if (row.says) t.match(why, row.says, `${row.name}: the sentence`);
  }
  t.equal(historySaysNo(null, 3), null, 'no history (no store): go on');
  t.end();
});

void t.test('outcomes a decision settles', (t) => {
  const withIssue = { githubIssue: { number: 11, url: 'https://github.com/5dlabs/cto/issues/11' } };
  const one = incident({
    ...withIssue,
    attempts: [attempt(1, { pullRequestUrl: 'https://github.com/5dlabs/cto/pull/12' })],
  });
  const rows: {
    name: string;
    before: Incident;
    after?: Partial<Incident>;
    reason: Parameters<typeof outcomesOf>[2];
    want: { id: string; outcome: string }[];
  }[] = [
    {
      name: 'resolved after a run: cleared',
      before: one,
      after: { resolution: 'pod Running and ready' },
      reason: 'resolved',
      want: [{ id: `${one.id}#1`, outcome: 'cleared' }],
    },
    { name: 'resolved without a run: nothing', before: incident(), reason: 'resolved', want: [] },
    {
      name: 'recurred after a finished run: still firing',
      before: one,
      reason: 'recurred-after-fix',
      want: [{ id: `${one.id}#1`, outcome: 'still-firing' }],
    },
    {
      name: 'cooldown after a finished run: still firing',
      before: one,
      reason: 'cooldown',
      want: [{ id: `${one.id}#1`, outcome: 'still-firing' }],
    },
    {
      name: 'attempts exhausted: escalated',
      before: incident({ attempts: [attempt(1), attempt(2), attempt(3)] }),
      reason: 'attempts-exhausted',
      want: [{ id: `${incident().id}#3`, outcome: 'escalated' }],
    },
    {
      name: 'a run still going: nothing settled',
      before: incident({ attempts: [attempt(1, { finishedAt: null, phase: 'Running' })] }),
      reason: 'remediation-active',
      want: [],
    },
    {
      name: 'the run failed itself: run-failed',
      before: incident({ attempts: [attempt(1, { finishedAt: null, phase: 'Running' })] }),
      after: {
        attempts: [
          attempt(1, { finishedAt: null, phase: 'Running', failure: 'A7 Pod Failure: healer-a7' }),
        ],
      },
      reason: 'remediator-failed',
      want: [{ id: `${incident().id}#1`, outcome: 'run-failed' }],
    },
    {
      name: 'the run failed itself and that escalated: escalated',
      before: incident({ attempts: [attempt(1, { failure: 'x' }), attempt(2)] }),
      after: {
        escalatedAt: iso(9),
        attempts: [attempt(1, { failure: 'x' }), attempt(2, { failure: 'A9 Stuck' })],
      },
      reason: 'remediator-failed',
      want: [{ id: `${incident().id}#2`, outcome: 'escalated' }],
    },
    { name: 'a repeat settles nothing', before: one, reason: 'repeat', want: [] },
  ];
  for (const row of rows) {
    const got = outcomesOf(row.before, { ...row.before, ...row.after }, row.reason, T0);
    t.same(
      got.map((o) => ({ id: o.id, outcome: o.outcome })),
      row.want,
      row.name,
    );
  }
  const [cleared] = outcomesOf(
    one,
    { ...one, resolution: 'pod Running and ready' },
    'resolved',
    T0,
  );
  t.match(cleared, {
    alert: 'A7',
    agent: 'rex',
    signature: evidenceSignature(one),
    issue: { number: 11 },
    pullRequestUrl: 'https://github.com/5dlabs/cto/pull/12',
    summary:
      /attempt 1 \(healer-a7-12345678-1\) ended Succeeded, pull request https:\/\/github.com\/5dlabs\/cto\/pull\/12; the condition cleared \(pod Running and ready\)/,
    at: T0.toISOString(),
  });
  t.end();
});

void t.test('a run that opened a pull request, nothing settled: pr-opened, once', (t) => {
  const i = incident({
    attempts: [attempt(1, { pullRequestUrl: 'https://github.com/5dlabs/cto/pull/3' })],
  });
  t.match(pullRequestOutcome(i, new Set(), T0), { outcome: 'pr-opened', id: `${i.id}#1` });
  t.equal(pullRequestOutcome(i, new Set([`${i.id}#1`]), T0), null, 'settled already');
  t.equal(pullRequestOutcome(incident({ attempts: [attempt(1)] }), new Set(), T0), null, 'no PR');
  t.end();
});

void t.test('a merged pull request: cleared becomes pr-merged, pr-opened says the merge', (t) => {
  const url = 'https://github.com/5dlabs/cto/pull/7';
  const pr = {
    url,
    number: 7,
    title: 'Mount the tools config again',
    mergedAt: iso(30),
    closedUnmerged: false,
    changedFiles: 2,
    additions: 14,
    deletions: 3,
  };
  const cleared = outcome('inc-1#1', 'cleared', 0, { pullRequestUrl: url });
  const merged = mergedOutcome(cleared, pr, new Date(iso(40)));
  t.match(merged, {
    id: 'inc-1#1',
    outcome: 'pr-merged',
    at: iso(40),
    summary: `attempt 1 cleared; its pull request was merged at ${iso(30)}: #7 "Mount the tools config again" (2 files changed, +14 −3)`,
  });
  t.notOk(awaitsMerge(merged!), 'settled for good');
  t.equal(mergedOutcome(merged!, pr, new Date(iso(50))), null, 'merged once');

  const opened = outcome('inc-2#1', 'pr-opened', 0, { pullRequestUrl: url });
  const said = mergedOutcome(opened, pr, new Date(iso(40)));
  t.match(said, { outcome: 'pr-opened', at: iso(0), summary: /pull request was merged at/ });
  t.notOk(awaitsMerge(said!), 'the merge is said once');

  t.equal(mergedOutcome(cleared, { ...pr, mergedAt: null }, T0), null, 'not merged yet');
  t.equal(
    mergedOutcome(cleared, { ...pr, url: 'https://github.com/5dlabs/cto/pull/8' }, T0),
    null,
    'another pull request',
  );
  for (const kind of ['still-firing', 'run-failed', 'escalated'] as const)
    t.equal(
      mergedOutcome(outcome('inc-3#1', kind, 0, { pullRequestUrl: url }), pr, T0),
      null,
      `${kind}: a merge does not turn a failure into a success`,
    );
  t.notOk(awaitsMerge(outcome('inc-4#1', 'cleared', 0)), 'no pull request');
  t.match(
    mergedOutcome(
      cleared,
      { ...pr, title: 'use token ghp_abcdefghijklmnopqrstuvwxyz0123456789' },
      T0,
    )?.summary,
    /REDACTED/,
    'redacted',
  );
  t.end();
});

void t.test('the prompt quotes the latest fix that worked and the failed attempts', (t) => {
  const i = incident();
  const rows = [
    outcome('inc-1#1', 'cleared', -10 * DAY, {
      pullRequestUrl: 'https://github.com/5dlabs/cto/pull/100',
      summary:
        'attempt 1 ended Succeeded, pull request https://github.com/5dlabs/cto/pull/100; the condition cleared',
    }),
    outcome('inc-2#1', 'cleared', -2 * DAY, {
      issue: { number: 201, url: 'https://github.com/5dlabs/cto/issues/201' },
      pullRequestUrl: 'https://github.com/5dlabs/cto/pull/202',
    }),
    outcome('inc-3#1', 'cleared', -1 * DAY, {
      alert: 'A2',
      pullRequestUrl: 'https://github.com/5dlabs/cto/pull/300',
    }),
    outcome('inc-4#1', 'still-firing', -3 * DAY, {
      summary: 'attempt 1 restarted the pod; kept firing',
    }),
    outcome('inc-5#1', 'run-failed', -4 * DAY, {
      summary: 'token=ghp_abcdefghijklmnopqrstuvwxyz0123456789 rejected',
    }),
    outcome(`${i.id}#1`, 'cleared', -1, {
      pullRequestUrl: 'https://github.com/5dlabs/cto/pull/999',
    }),
  ];
  const past = pastOutcomesFor(i, rows);
  t.equal(
    past.success?.pullRequestUrl,
    'https://github.com/5dlabs/cto/pull/202',
    'the newest of the same alert, not the incident itself',
  );
  t.same(
    past.failures.map((f) => f.id),
    ['inc-4#1', 'inc-5#1'],
  );
  const text = pastOutcomesText(past);
  t.match(text, /issue: #201 https:\/\/github.com\/5dlabs\/cto\/issues\/201/);
  t.match(text, /pull request: https:\/\/github.com\/5dlabs\/cto\/pull\/202/);
  t.match(text, /restarted the pod; kept firing/);
  t.notOk(text.includes('ghp_'), 'redacted');
  t.equal(pastOutcomesText(pastOutcomesFor(i, [])), '', 'nothing to say');
  t.end();
});
