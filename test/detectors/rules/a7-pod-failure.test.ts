import t from 'tap';
import { a7PodFailure } from '../../../src/detectors/rules/a7-pod-failure.js';
import type { Correlation } from '../../../src/domain/signal.js';
import type { Pod } from '../../../src/domain/kube.js';
import {
  condition,
  corr,
  events,
  NOW,
  patch,
  platform,
  pod,
  podSignal,
  status,
  terminated,
  view,
  waiting,
} from './kube-fixtures.js';

interface Row {
  name: string;
  pod: Pod;
  c?: Correlation;
  want: { severity: string; context: Record<string, string | number | null> } | null;
}

const rows: Row[] = [
  {
    name: 'a Running pod in CrashLoopBackOff after 5 restarts is critical',
    pod: pod('pod-crashloop'),
    c: corr({ agent: 'cleo' }),
    want: {
      severity: 'critical',
      context: {
        reason: 'CrashLoopBackOff',
        container: 'agent',
        restartCount: 5,
        exitCode: 1,
        phase: 'Running',
      },
    },
  },
  {
    name: 'CrashLoopBackOff with 3 restarts (not more than the threshold) is high',
    pod: patch(pod('pod-crashloop'), (p) => {
      status(p, 'agent').restartCount = 3;
    }),
    want: { severity: 'high', context: { reason: 'CrashLoopBackOff', restartCount: 3 } },
  },
  {
    name: 'an OOMKilled last state is critical even after the restart',
    pod: pod('pod-oomkilled'),
    want: {
      severity: 'critical',
      context: { reason: 'OOMKilled', container: 'agent', exitCode: 137 },
    },
  },
  {
    name: 'an agent OOMKilled beside a running sidecar is critical',
    pod: patch(pod('pod-silent-failure-sidecar'), (p) => {
      status(p, 'agent').state = terminated(137, 'OOMKilled', 5);
    }),
    want: { severity: 'critical', context: { reason: 'OOMKilled', exitCode: 137 } },
  },
  {
    name: 'OOMKilled beats CrashLoopBackOff in the same pod',
    pod: patch(pod('pod-crashloop'), (p) => {
      status(p, 'agent').lastState = terminated(137, 'OOMKilled', 4);
      status(p, 'agent').restartCount = 2;
    }),
    want: { severity: 'critical', context: { reason: 'OOMKilled' } },
  },
  {
    name: 'ImagePullBackOff is high, naming the image it cannot pull',
    pod: pod('pod-imagepullbackoff'),
    want: {
      severity: 'high',
      context: {
        reason: 'ImagePullBackOff',
        container: 'agent',
        phase: 'Pending',
        image: 'ghcr.io/5dlabs/claude:9.9.9-missing',
      },
    },
  },
  ...['ErrImagePull', 'CreateContainerError', 'InvalidImageName'].map((reason) => ({
    name: `${reason} is high`,
    pod: patch(pod('pod-imagepullbackoff'), (p) => {
      status(p, 'agent').state = waiting(reason, 'from the kubelet');
    }),
    want: { severity: 'high', context: { reason } },
  })),
  {
    name: 'CreateContainerConfigError (missing secret) is high',
    pod: pod('pod-createcontainerconfigerror'),
    want: {
      severity: 'high',
      context: { reason: 'CreateContainerConfigError', container: 'agent' },
    },
  },
  {
    name: 'a failed init container is reported with its exit code',
    pod: pod('pod-init-failed'),
    want: {
      severity: 'high',
      context: {
        reason: 'InitContainerFailed',
        container: 'git-clone',
        exitCode: 128,
        phase: 'Failed',
      },
    },
  },
  {
    name: 'Unschedulable for 6 minutes is high',
    pod: pod('pod-unschedulable'),
    want: {
      severity: 'high',
      context: { reason: 'Unschedulable', container: null, phase: 'Pending' },
    },
  },
  {
    name: 'phase Unknown (node lost) is high',
    pod: pod('pod-phase-unknown'),
    want: {
      severity: 'high',
      context: { reason: 'Unknown', phase: 'Unknown', container: 'agent' },
    },
  },
  {
    name: 'a Failed pod (agent exited 1, no sidecar) is high with the exit code',
    pod: patch(pod('pod-succeeded'), (p) => {
      p.status!.phase = 'Failed';
      status(p, 'agent').state = terminated(1, 'Error', 1);
    }),
    want: { severity: 'high', context: { reason: 'Failed', exitCode: 1, container: 'agent' } },
  },
  {
    // an eviction for a resource (`The node was low on resource: ephemeral-storage.`) is the
    // resource rule's incident since issue #18 (test/detectors/rules/resource-eviction.test.ts)
    name: 'an evicted pod whose message names no resource says Evicted',
    pod: patch(pod('pod-succeeded'), (p) => {
      p.status!.phase = 'Failed';
      p.status!.reason = 'Evicted';
      p.status!.message = 'Evicted by the eviction API';
      p.status!.containerStatuses = [];
    }),
    want: { severity: 'high', context: { reason: 'Evicted' } },
  },
  {
    name: 'a native sidecar in CrashLoopBackOff is a pod failure',
    pod: patch(pod('pod-native-sidecar'), (p) => {
      const s = status(p, 'docker-daemon');
      s.state = waiting(
        'CrashLoopBackOff',
        'back-off 5m0s restarting failed container=docker-daemon',
      );
      s.restartCount = 6;
    }),
    want: {
      severity: 'critical',
      context: { reason: 'CrashLoopBackOff', container: 'docker-daemon' },
    },
  },
  {
    name: 'platform pods (no session) alert too',
    pod: pod('pod-crashloop'),
    c: platform('cleo'),
    want: { severity: 'critical', context: { reason: 'CrashLoopBackOff' } },
  },
  // Healthy look-alikes.
  {
    name: 'Unschedulable for 10 s (inside the grace period) is quiet',
    pod: patch(pod('pod-unschedulable'), (p) => {
      p.status!.conditions = [
        condition('PodScheduled', 'False', 0, 'Unschedulable', '0/3 nodes are available'),
      ];
      p.status!.conditions[0].lastTransitionTime = '2025-11-21T05:59:50Z' as never;
    }),
    want: null,
  },
  { name: 'a completed Job pod (Succeeded) is healthy', pod: pod('pod-succeeded'), want: null },
  { name: 'exit 0 beside a running sidecar is healthy', pod: pod('pod-exit0-sidecar'), want: null },
  {
    name: 'a native sidecar still running after the main container is healthy',
    pod: pod('pod-native-sidecar'),
    want: null,
  },
  {
    name: 'a native sidecar stopped with 143 after the agent finished is not an init failure',
    pod: patch(pod('pod-native-sidecar'), (p) => {
      status(p, 'docker-daemon').state = terminated(143, 'Error', 0);
    }),
    want: null,
  },
  { name: 'one restart (Error) then healthy is quiet', pod: pod('pod-one-restart'), want: null },
  { name: 'a container in its first 30 s is quiet', pod: pod('pod-starting'), want: null },
  {
    name: 'a silent failure (no loud reason) is A2, not A7',
    pod: pod('pod-silent-failure-sidecar'),
    want: null,
  },
  {
    name: 'a pod being deleted is quiet',
    pod: patch(pod('pod-crashloop'), (p) => {
      (p.metadata as Record<string, unknown>).deletionTimestamp = '2025-11-21T05:59:30Z';
    }),
    want: null,
  },
  {
    name: 'an excluded pod (cto-controller) produces nothing',
    pod: pod('pod-excluded-controller'),
    c: corr({ excluded: 'prefix cto-controller' }),
    want: null,
  },
];

void t.test('A7 pod failure table', (t) => {
  for (const row of rows) {
    const drafts = a7PodFailure.evaluate(podSignal(row.pod, row.c ?? corr()), view());
    if (row.want === null) {
      t.same(drafts, [], row.name);
      continue;
    }
    t.equal(drafts.length, 1, `${row.name}: one draft`);
    t.equal(drafts[0]?.severity, row.want.severity, `${row.name}: severity`);
    t.match(drafts[0]?.context, row.want.context, row.name);
  }
  t.end();
});

void t.test('an A7 draft fills every field and lists the other findings and events', (t) => {
  const p = patch(pod('pod-crashloop'), (x) => {
    status(x, 'docker-daemon').state = waiting(
      'ImagePullBackOff',
      'Back-off pulling image "docker:27-dind"',
    );
  });
  const [d] = a7PodFailure.evaluate(
    podSignal(p, corr({ agent: 'cleo' })),
    view({ events: events('events-crashloop') }),
  );
  t.match(d, {
    alert: 'A7',
    severity: 'critical',
    issueType: 'agent_failure',
    title: 'Pod Failure: play-task-4-cleo-x7k2p-step-456',
    namespace: 'cto',
    playId: 'play-task-4',
    taskId: '4',
    agent: 'cleo',
    subject: 'play-task-4',
    detectedAt: NOW.toISOString(),
  });
  t.match(d?.description, /CrashLoopBackOff after 5 restarts/);
  t.ok(
    d?.evidence.includes(
      'also: container "docker-daemon" is waiting in ImagePullBackOff: Back-off pulling image "docker:27-dind"',
    ),
  );
  t.ok(
    d?.evidence.some((l) =>
      l.startsWith('event Warning BackOff (x12): Back-off restarting failed container agent'),
    ),
  );
  t.ok(
    d?.evidence.some((l) =>
      /^agent: waiting reason=CrashLoopBackOff ready=false restartCount=5; lastState terminated exitCode=1/.test(
        l,
      ),
    ),
  );
  t.end();
});

void t.test('only a failed pull names the image: a crash loop does not', (t) => {
  const [d] = a7PodFailure.evaluate(podSignal(pod('pod-crashloop'), corr()), view());
  t.equal(d?.context.reason, 'CrashLoopBackOff');
  t.notOk(d && 'image' in d.context, 'no image in the context');
  t.end();
});
