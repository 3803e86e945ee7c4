import t from 'tap';
import { a9StuckCodeRun } from '../../../src/detectors/rules/a9-stuck-coderun.js';
import { evaluateAll, TICK_ONLY_ALERTS } from '../../../src/detectors/registry.js';
import type { Correlation } from '../../../src/domain/signal.js';
import type { CodeRun } from '../../../src/domain/kube.js';
import type { ViewOptions } from './kube-fixtures.js';
import {
  coderun,
  coderunSignal,
  config,
  corr,
  events,
  patch,
  platform,
  pod,
  stamp,
  status,
  terminated,
  view,
} from './kube-fixtures.js';

interface Row {
  name: string;
  cr: CodeRun;
  c?: Correlation;
  view?: ViewOptions;
  want: { title: string; context: Record<string, string | number | boolean | null> } | null;
}

const CLEO = 'play-task-4-cleo-t7x2k';
const REX = 'play-task-4-rex-abc12';
const succeededPod = (finishedMin: number) =>
  patch(pod('pod-succeeded'), (p) => {
    status(p, 'agent').state = terminated(0, 'Completed', finishedMin);
  });

const rows: Row[] = [
  {
    name: 'a CodeRun Pending for 14 minutes with no further events is stuck',
    cr: coderun('coderun-pending'),
    c: corr({ agent: 'cleo' }),
    want: {
      title: `Stuck CodeRun: ${CLEO} in Pending`,
      context: {
        coderun: CLEO,
        phase: 'Pending',
        minutesInPhase: 14,
        thresholdMinutes: 10,
        podState: 'none',
      },
    },
  },
  {
    name: 'Pending for 5 minutes is within the threshold',
    cr: patch(coderun('coderun-pending'), (cr) => {
      stamp(cr.metadata, 'creationTimestamp', 5);
      stamp(cr.status!, 'lastTransitionTime', 5);
    }),
    want: null,
  },
  {
    name: 'the clock starts at the last phase change, not at creation',
    cr: patch(coderun('coderun-pending'), (cr) => {
      stamp(cr.metadata, 'creationTimestamp', 40);
      stamp(cr.status!, 'lastTransitionTime', 4);
    }),
    want: null,
  },
  {
    name: 'a CodeRun with no status at all (the controller never saw it) is stuck after the threshold',
    cr: patch(coderun('coderun-pending'), (cr) => void delete cr.status),
    want: {
      title: `Stuck CodeRun: ${CLEO} in no phase`,
      context: { phase: null, minutesInPhase: 14 },
    },
  },
  {
    name: 'an unknown phase counts like Pending',
    cr: patch(coderun('coderun-pending'), (cr) => void (cr.status!.phase = 'Queued')),
    want: { title: `Stuck CodeRun: ${CLEO} in Queued`, context: { phase: 'Queued' } },
  },
  {
    name: 'a configured threshold of 20 minutes lets 14 minutes pass',
    cr: coderun('coderun-pending'),
    view: { config: config({ alerts: { stuckCodeRunMinutes: 20 } }) },
    want: null,
  },
  {
    name: 'Running while its pod is gone, for longer than the threshold, is stuck',
    cr: coderun('coderun-running'),
    want: {
      title: `Stuck CodeRun: ${REX} in Running`,
      context: { podState: 'gone', minutesInPhase: 52 },
    },
  },
  {
    name: 'Running with its pod terminated 12 minutes ago is stuck',
    cr: coderun('coderun-running'),
    view: { pods: [succeededPod(12)] },
    want: {
      title: `Stuck CodeRun: ${REX} in Running`,
      context: { podState: 'terminated', minutesInPhase: 12 },
    },
  },
  {
    name: 'Running with its pod terminated 2 minutes ago is not yet stuck',
    cr: coderun('coderun-running'),
    view: { pods: [succeededPod(2)] },
    want: null,
  },
  {
    name: 'Running with its pod running is healthy',
    cr: coderun('coderun-running'),
    view: { pods: [pod('pod-running-long')] },
    want: null,
  },
  {
    name: 'Running for 3 minutes, pod not cached yet, is healthy',
    cr: patch(coderun('coderun-running'), (cr) => {
      stamp(cr.status!, 'lastTransitionTime', 3);
      stamp(cr.status!, 'startedAt', 3);
    }),
    want: null,
  },
  {
    name: "Healer's own remediation CodeRun is included and says which incident it serves",
    cr: coderun('coderun-remediation'),
    c: corr({ agent: 'rex', remediation: true, servesFingerprint: '1a2b3c4d5e6f7a8b' }),
    want: {
      title: 'Stuck CodeRun: healer-a9-1a2b3c4d-1 in Pending',
      context: { remediation: true, servesFingerprint: '1a2b3c4d5e6f7a8b', minutesInPhase: 15 },
    },
  },
  {
    name: 'a platform CodeRun (no session) alerts too',
    cr: coderun('coderun-pending'),
    c: platform('cleo'),
    want: { title: `Stuck CodeRun: ${CLEO} in Pending`, context: { phase: 'Pending' } },
  },
  ...['Succeeded', 'Failed'].map((phase) => ({
    name: `a ${phase} CodeRun is finished, not stuck`,
    cr: patch(coderun('coderun-pending'), (cr) => void (cr.status!.phase = phase)),
    want: null,
  })),
  {
    name: 'an excluded CodeRun produces nothing',
    cr: coderun('coderun-pending'),
    c: corr({ excluded: 'prefix tweakcn' }),
    want: null,
  },
];

void t.test('A9 stuck CodeRun table', (t) => {
  for (const row of rows) {
    const drafts = a9StuckCodeRun.evaluate(coderunSignal(row.cr, row.c ?? corr()), view(row.view));
    if (row.want === null) {
      t.same(drafts, [], row.name);
      continue;
    }
    t.equal(drafts.length, 1, `${row.name}: one draft`);
    t.equal(drafts[0]?.title, row.want.title, `${row.name}: title`);
    t.match(drafts[0]?.context, row.want.context, row.name);
  }
  t.end();
});

void t.test('an A9 draft is keyed by the CodeRun name and carries its events', (t) => {
  const [d] = a9StuckCodeRun.evaluate(
    coderunSignal(coderun('coderun-pending'), corr({ agent: 'cleo' })),
    view({ events: events('events-coderun-pending') }),
  );
  t.match(d, {
    alert: 'A9',
    severity: 'medium',
    issueType: 'stuck',
    namespace: 'cto',
    playId: 'play-task-4',
    taskId: '4',
    agent: 'cleo',
    subject: CLEO,
    context: { phaseSince: '2025-11-21T05:46:00Z' },
  });
  t.match(d?.description, /Pending for 14 minutes \(threshold 10\)/);
  t.ok(
    d?.evidence[0]?.startsWith(`coderun/${CLEO} status.phase=Pending created=2025-11-21T05:46:00Z`),
  );
  t.ok(
    d?.evidence.some((l) => l.startsWith('event Warning FailedCreate (x9): Error creating: pods')),
  );
  t.end();
});

void t.test('A9 runs on the timer only, never on a watch event', (t) => {
  const cr = coderun('coderun-pending');
  const tick = evaluateAll(coderunSignal(cr, corr({ agent: 'cleo' })), view());
  t.same(
    tick.map((d) => d.alert),
    ['A9'],
    'the timer sees a CodeRun Pending for 14 minutes as stuck',
  );
  const event = evaluateAll(
    { kind: 'coderun', coderun: cr, correlation: corr({ agent: 'cleo' }), cause: 'event' },
    view(),
  );
  t.same(
    event.map((d) => d.alert),
    [],
    'a watch event may carry a state the CodeRun already left (its Succeeded may be the next event)',
  );
  t.ok(TICK_ONLY_ALERTS.has('A9'));
  t.end();
});
