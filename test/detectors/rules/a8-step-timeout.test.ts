import t from 'tap';
import { a8StepTimeout } from '../../../src/detectors/rules/a8-step-timeout.js';
import type { Signal } from '../../../src/domain/signal.js';
import type { Pod } from '../../../src/domain/kube.js';
import type { ViewOptions } from './kube-fixtures.js';
import {
  config,
  coderun,
  coderunSignal,
  corr,
  patch,
  platform,
  pod,
  podSignal,
  running,
  session,
  sessionAgent,
  stamp,
  status,
  view,
  workflow,
  workflowSignal,
} from './kube-fixtures.js';

/** The rex pod with its agent container started `minutes` ago. */
const rexPod = (minutes: number): Pod =>
  patch(pod('pod-running-long'), (p) => {
    status(p, 'agent').state = running(minutes);
  });

interface Row {
  name: string;
  signal: Signal;
  view?: ViewOptions;
  want: { title: string; context: Record<string, string | number | null> } | null;
}

const rows: Row[] = [
  {
    name: 'rex running 52 minutes passes the implementation timeout (45)',
    signal: podSignal(pod('pod-running-long')),
    want: {
      title: 'Step Timeout: rex running 52m',
      context: {
        stage: 'implementation',
        runningMinutes: 52,
        timeoutMinutes: 45,
        source: 'container',
        container: 'agent',
        startedAt: '2025-11-21T05:08:00Z',
      },
    },
  },
  {
    name: 'rex running 44 minutes is within its timeout',
    signal: podSignal(rexPod(44)),
    want: null,
  },
  { name: 'exactly at the timeout is not past it', signal: podSignal(rexPod(45)), want: null },
  {
    name: 'cleo (quality, 15) running 20 minutes times out',
    signal: podSignal(rexPod(20), corr({ agent: 'cleo' })),
    want: {
      title: 'Step Timeout: cleo running 20m',
      context: { stage: 'quality', timeoutMinutes: 15 },
    },
  },
  {
    name: 'tess (testing, 30) running 31 minutes times out',
    signal: podSignal(rexPod(31), corr({ agent: 'tess' })),
    want: {
      title: 'Step Timeout: tess running 31m',
      context: { stage: 'testing', timeoutMinutes: 30 },
    },
  },
  {
    name: 'an agent of another stage (morgan, intake) uses the default 60 minutes',
    signal: podSignal(rexPod(52), corr({ agent: 'morgan' })),
    want: null,
  },
  {
    name: 'morgan at 61 minutes passes the default',
    signal: podSignal(rexPod(61), corr({ agent: 'morgan' })),
    want: {
      title: 'Step Timeout: morgan running 61m',
      context: { stage: 'intake', timeoutMinutes: 60 },
    },
  },
  {
    name: "the session's stage for the agent wins over the built-in one",
    signal: podSignal(rexPod(35)),
    view: { session: session([sessionAgent('rex', { stage: 'testing' })]) },
    want: {
      title: 'Step Timeout: rex running 35m',
      context: { stage: 'testing', timeoutMinutes: 30 },
    },
  },
  {
    name: 'a configured timeout replaces the default',
    signal: podSignal(pod('pod-running-long')),
    view: { config: config({ alerts: { stepTimeoutMinutes: { implementation: 90 } } }) },
    want: null,
  },
  {
    name: 'a Running CodeRun with no pod yet uses status.startedAt',
    signal: coderunSignal(coderun('coderun-running')),
    want: {
      title: 'Step Timeout: rex running 52m',
      context: { source: 'coderun', coderun: 'play-task-4-rex-abc12', runningMinutes: 52 },
    },
  },
  {
    name: 'a Running CodeRun whose pod runs is left to the pod (no double alert)',
    signal: coderunSignal(coderun('coderun-running')),
    view: { pods: [pod('pod-running-long')] },
    want: null,
  },
  {
    name: 'a CodeRun whose pod never started its agent falls back to the CodeRun start',
    signal: coderunSignal(coderun('coderun-running')),
    view: { pods: [pod('pod-imagepullbackoff')] },
    want: { title: 'Step Timeout: rex running 52m', context: { source: 'coderun' } },
  },
  {
    name: 'a running Workflow node of cleo (25 min) is the last resort',
    signal: workflowSignal(workflow('workflow-play')),
    want: {
      title: 'Step Timeout: cleo running 25m',
      context: {
        source: 'workflow-node',
        node: 'cleo-quality',
        workflow: 'play-task-4',
        stage: 'quality',
      },
    },
  },
  {
    name: 'a Workflow node is ignored once the session tracks the agent’s CodeRun',
    signal: workflowSignal(workflow('workflow-play')),
    view: {
      session: session([
        sessionAgent('cleo', { coderun: 'play-task-4-cleo-t7x2k', phase: 'Running' }),
      ]),
    },
    want: null,
  },
  // Quiet cases.
  {
    name: 'a pod that is not Running is quiet',
    signal: podSignal(patch(pod('pod-running-long'), (p) => void (p.status!.phase = 'Pending'))),
    want: null,
  },
  {
    name: 'a finished agent container is quiet',
    signal: podSignal(pod('pod-exit0-sidecar')),
    want: null,
  },
  {
    name: 'a platform pod (no session) is not A8',
    signal: podSignal(pod('pod-running-long'), platform('rex')),
    want: null,
  },
  {
    name: 'an unknown agent is quiet',
    signal: podSignal(pod('pod-running-long'), corr({ agent: null })),
    want: null,
  },
  {
    name: 'an excluded pod produces nothing',
    signal: podSignal(
      pod('pod-running-long'),
      corr({ excluded: 'label healer.platform/exclude=true' }),
    ),
    want: null,
  },
  {
    name: 'a Pending CodeRun is A9, not A8',
    signal: coderunSignal(
      patch(coderun('coderun-pending'), (cr) => void stamp(cr.status!, 'startedAt', 90)),
    ),
    want: null,
  },
];

void t.test('A8 step timeout table', (t) => {
  for (const row of rows) {
    const drafts = a8StepTimeout.evaluate(row.signal, view(row.view));
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

void t.test('an A8 draft fills every field; pod, CodeRun and node agree on the subject', (t) => {
  const [d] = a8StepTimeout.evaluate(podSignal(pod('pod-running-long')), view());
  t.match(d, {
    alert: 'A8',
    severity: 'medium',
    issueType: 'stuck',
    namespace: 'cto',
    playId: 'play-task-4',
    taskId: '4',
    agent: 'rex',
    subject: 'play-task-4',
    context: { phase: 'Running', pod: 'play-task-4-rex-abc12-step-123' },
  });
  t.match(
    d?.description,
    /rex \(implementation\) has been running for 52 minutes on play-task-4; the implementation stage timeout is 45 minutes/,
  );
  const [fromCr] = a8StepTimeout.evaluate(coderunSignal(coderun('coderun-running')), view());
  t.equal(fromCr?.subject, d?.subject, 'CodeRun path has the same workflow family');
  t.end();
});

void t.test('a remediation run past its timeout alerts and names the incident it serves', (t) => {
  const c = corr({ remediation: true, servesFingerprint: '1a2b3c4d5e6f7a8b' });
  const [d] = a8StepTimeout.evaluate(podSignal(pod('pod-running-long'), c), view());
  t.match(d?.context, { remediation: true, servesFingerprint: '1a2b3c4d5e6f7a8b' });
  t.end();
});
