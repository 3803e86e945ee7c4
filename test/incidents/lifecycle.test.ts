// The incident lifecycle: every state change of an incident is one pure transition
// (src/incidents/lifecycle.ts). Each test starts from an incident as recordAlert creates it.
import t from 'tap';
import type { RemediationAttempt } from '../../src/domain/action.js';
import type { AlertDraft } from '../../src/domain/alert.js';
import type { Incident } from '../../src/domain/incident.js';
import { fingerprint } from '../../src/incidents/fingerprint.js';
import {
  acknowledged,
  decisionApplied,
  issueRecorded,
  notifiedOf,
  plannedRun,
  recordOccurrence,
  resolved,
  runNeverStarted,
  runObserved,
  runStarted,
  severityLabelled,
  withIncidentDefaults,
  type StoredIncident,
} from '../../src/incidents/lifecycle.js';

const T0 = new Date('2026-03-01T12:00:00.000Z');
const at = (min: number) => new Date(T0.getTime() + min * 60_000);

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

const created = (over: Partial<Incident> = {}): Incident => ({
  ...recordOccurrence(undefined, draft(), fingerprint(draft()), T0).incident,
  ...over,
});

function run(n: number, phase: string, over: Partial<RemediationAttempt> = {}): RemediationAttempt {
  return {
    attempt: n,
    coderun: `healer-a7-12345678-${n}`,
    namespace: 'cto',
    phase,
    createdAt: at(n).toISOString(),
    finishedAt: null,
    pullRequestUrl: null,
    ...over,
  };
}

void t.test('recording: created, repeated, reopened', (t) => {
  const d = draft();
  const first = recordOccurrence(undefined, d, fingerprint(d), T0);
  t.equal(first.outcome, 'created');
  t.match(first.incident, {
    id: `inc-${fingerprint(d).slice(0, 16)}`,
    state: 'open',
    occurrences: 1,
    firstSeen: T0.toISOString(),
    attempts: [],
    evaluation: null,
    notified: [],
    escalatedAt: null,
    acknowledged: null,
    inhibitedBy: null,
    labelledSeverity: null,
    lastDecision: null,
  });

  const milder = recordOccurrence(
    first.incident,
    draft({ severity: 'low', title: 'newer' }),
    fingerprint(d),
    at(5),
  );
  t.equal(milder.outcome, 'repeat');
  t.match(milder.incident, { occurrences: 2, severity: 'high', title: 'newer', state: 'open' });
  t.equal(milder.incident.lastSeen, at(5).toISOString());

  const late = recordOccurrence(milder.incident, d, fingerprint(d), at(1));
  t.equal(
    late.incident.lastSeen,
    at(5).toISOString(),
    'an older occurrence does not move lastSeen back',
  );

  const closed = resolved(milder.incident, at(6).toISOString(), 'condition cleared')!;
  const again = recordOccurrence(closed, draft({ severity: 'critical' }), fingerprint(d), at(9));
  t.equal(again.outcome, 'reopened');
  t.match(again.incident, {
    state: 'open',
    resolvedAt: null,
    resolution: null,
    reopened: 1,
    severity: 'critical',
    occurrences: 3,
  });
  t.end();
});

void t.test('a decision is applied with its reason', (t) => {
  const i = decisionApplied(
    created(),
    { state: 'remediating', attempts: [plannedRun(1, T0)] },
    'new',
  );
  t.match(i, { state: 'remediating', lastDecision: 'new' });
  t.same(i.attempts, [
    {
      attempt: 1,
      coderun: '',
      namespace: '',
      phase: 'Planned',
      createdAt: T0.toISOString(),
      finishedAt: null,
      pullRequestUrl: null,
    },
  ]);
  t.end();
});

void t.test(
  'a run started replaces its planned record and makes an active incident remediating',
  (t) => {
    const planned = created({ attempts: [run(1, 'Failed'), plannedRun(2, T0)] });
    const started = runStarted(planned, 'remediation', run(2, 'Pending'));
    t.same(
      started.attempts.map((a) => [a.attempt, a.phase]),
      [
        [1, 'Failed'],
        [2, 'Pending'],
      ],
    );
    t.equal(started.state, 'remediating');
    t.equal(started.remediationSpawned, true);

    const adoptedFirst = runStarted(
      created({ attempts: [run(2, 'Running')] }),
      'remediation',
      run(1, 'Failed'),
    );
    t.same(
      adoptedFirst.attempts.map((a) => a.attempt),
      [1, 2],
      'attempts stay ordered',
    );

    const escalated = runStarted(created({ state: 'escalated' }), 'remediation', run(1, 'Pending'));
    t.equal(escalated.state, 'escalated', 'an escalated incident keeps its state');

    const ev = runStarted(created(), 'evaluation', run(0, 'Pending'));
    t.match(ev, {
      state: 'remediating',
      evaluation: { attempt: 0, phase: 'Pending' },
      attempts: [],
    });
    t.equal(ev.remediationSpawned, false, 'an evaluation is not a remediation');
    t.end();
  },
);

void t.test(
  'a run that never started is marked Failed with the reason; a finished one is left alone',
  (t) => {
    const i = created({
      attempts: [run(1, 'Succeeded', { finishedAt: at(3).toISOString() }), plannedRun(2, T0)],
    });
    const next = runNeverStarted(
      i,
      { kind: 'remediation', attempt: 2 },
      at(4).toISOString(),
      'forbidden',
    );
    t.match(next.attempts[1], {
      phase: 'Failed',
      finishedAt: at(4).toISOString(),
      failure: 'not started: forbidden',
    });
    t.equal(next.attempts[0], i.attempts[0], 'attempt 1 is untouched');
    t.same(
      runNeverStarted(next, { kind: 'remediation', attempt: 1 }, at(5).toISOString(), 'x')
        .attempts[0],
      i.attempts[0],
    );

    const ev = runNeverStarted(
      created({ evaluation: plannedRun(0, T0) }),
      { kind: 'evaluation' },
      at(4).toISOString(),
      'quota',
    );
    t.match(ev.evaluation, { phase: 'Failed', failure: 'not started: quota' });
    const none = created();
    t.equal(
      runNeverStarted(none, { kind: 'evaluation' }, at(4).toISOString(), 'quota'),
      none,
      'no evaluation: unchanged',
    );
    t.end();
  },
);

void t.test(
  'a run observed from its CodeRun: phase and PR recorded, a finished phase never undone',
  (t) => {
    const i = created({ attempts: [run(1, 'Pending')] });
    const name = i.attempts[0].coderun;
    t.equal(
      runObserved(i, { coderun: name, namespace: 'cto', phase: 'Pending' }),
      undefined,
      'nothing new',
    );
    const done = runObserved(i, {
      coderun: name,
      namespace: 'cto',
      phase: 'Succeeded',
      finishedAt: at(9).toISOString(),
      pullRequestUrl: 'https://github.com/5dlabs/cto/pull/77',
    })!;
    t.match(done.attempts[0], { phase: 'Succeeded', finishedAt: at(9).toISOString() });
    t.equal(runObserved(done, { coderun: name, namespace: 'cto', phase: 'Running' }), undefined);
    t.equal(
      runObserved(done, { coderun: name, namespace: 'other', phase: 'Failed' }),
      undefined,
      'another namespace',
    );
    t.equal(
      runObserved(done, { coderun: 'someone-else', namespace: 'cto', phase: 'Failed' }),
      undefined,
    );
    const ev = created({ evaluation: run(0, 'Running') });
    t.match(
      runObserved(ev, { coderun: ev.evaluation!.coderun, namespace: 'cto', phase: 'Failed' })
        ?.evaluation,
      {
        phase: 'Failed',
      },
    );
    t.end();
  },
);

void t.test('resolving, the issue, its label, notifications and acknowledgement', (t) => {
  const open = created();
  const r = resolved(open, at(3).toISOString(), 'pod deleted')!;
  t.match(r, { state: 'resolved', resolvedAt: at(3).toISOString(), resolution: 'pod deleted' });
  t.equal(resolved(r, at(4).toISOString(), 'again'), undefined, 'resolving twice writes nothing');

  const issue = { number: 7, url: 'https://github.com/5dlabs/cto/issues/7' };
  t.match(issueRecorded(open, issue, 'high'), { githubIssue: issue, labelledSeverity: 'high' });
  t.equal(issueRecorded(open, issue, null).labelledSeverity, null, 'adopted: label unknown');
  t.equal(severityLabelled(open, 'critical').labelledSeverity, 'critical');

  const told = notifiedOf(notifiedOf(open, 'discord:opened'), 'discord:opened');
  t.same(told.notified, ['discord:opened'], 'a notification is recorded once');

  const ack = acknowledged(created({ state: 'remediating' }), {
    by: 'ana',
    at: at(2).toISOString(),
    comment: null,
  })!;
  t.same(ack.acknowledged, {
    by: 'ana',
    at: at(2).toISOString(),
    comment: null,
    state: 'remediating',
    severity: 'high',
    reopened: 0,
  });
  t.equal(
    acknowledged(r, { by: 'ana', at: at(4).toISOString(), comment: null }),
    undefined,
    'a resolved incident',
  );
  t.end();
});

void t.test('an older stored record gets every missing field once, on read', (t) => {
  const full = created();
  const old: StoredIncident = { ...full };
  for (const k of [
    'attempts',
    'evaluation',
    'lastDecision',
    'notified',
    'escalatedAt',
    'labelledSeverity',
    'acknowledged',
    'inhibitedBy',
  ] as const)
    delete old[k];
  t.same(withIncidentDefaults(old), full);
  const kept = withIncidentDefaults({
    ...old,
    notified: ['discord:opened'],
    escalatedAt: at(1).toISOString(),
  });
  t.same(kept.notified, ['discord:opened']);
  t.equal(kept.escalatedAt, at(1).toISOString());
  t.end();
});
