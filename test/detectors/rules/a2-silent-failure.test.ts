import t from 'tap';
import { a2SilentFailure } from '../../../src/detectors/rules/a2-silent-failure.js';
import type { Correlation } from '../../../src/domain/signal.js';
import type { Pod } from '../../../src/domain/kube.js';
import {
  condition,
  corr,
  events,
  patch,
  platform,
  pod,
  podSignal,
  running,
  status,
  terminated,
  view,
  waiting,
} from './kube-fixtures.js';

interface Row {
  name: string;
  pod: Pod;
  c?: Correlation;
  want: Record<string, string | number | boolean | null> | null;
}

const P = 'play-task-4-rex-abc12-step-123';

const rows: Row[] = [
  {
    name: 'an agent container that exited 1 beside a running docker-daemon sidecar is exit_code',
    pod: pod('pod-silent-failure-sidecar'),
    want: {
      method: 'exit_code',
      container: 'agent',
      exitCode: 1,
      reason: 'Error',
      sidecars: 'docker-daemon',
    },
  },
  {
    name: 'the agent container is found by the agent name, not by position',
    pod: patch(pod('pod-silent-failure-sidecar'), (p) => {
      p.spec!.containers.reverse();
      p.spec!.containers[1].name = 'rex';
      status(p, 'agent').name = 'rex';
    }),
    want: { method: 'exit_code', container: 'rex', exitCode: 1 },
  },
  {
    name: 'a running container unready for minutes is ready_status',
    pod: patch(pod('pod-running-long'), (p) => {
      status(p, 'agent').ready = false;
    }),
    want: { method: 'ready_status', container: 'agent', exitCode: null },
  },
  {
    name: 'a second work container that died (agent still running) is ready_status',
    pod: patch(pod('pod-running-long'), (p) => {
      p.spec!.containers.push({ name: 'worker', image: 'ghcr.io/5dlabs/worker:1.2.0' });
      p.status!.containerStatuses!.push({
        name: 'worker',
        image: 'ghcr.io/5dlabs/worker:1.2.0',
        imageID: '',
        ready: false,
        restartCount: 0,
        state: terminated(2, 'Error', 3, 40),
      });
    }),
    want: { method: 'ready_status', container: 'worker', exitCode: 2 },
  },
  {
    name: 'ContainersReady=False naming a container without status is pod_condition',
    pod: patch(pod('pod-running-long'), (p) => {
      p.status!.containerStatuses = p.status!.containerStatuses!.filter((s) => s.name !== 'agent');
      p.status!.conditions = [
        condition(
          'ContainersReady',
          'False',
          5,
          'ContainersNotReady',
          'containers with unready status: [agent]',
        ),
      ];
    }),
    want: { method: 'pod_condition', container: 'agent' },
  },
  {
    name: 'Ready=False without ContainersReady is pod_condition on the work containers',
    pod: patch(pod('pod-running-long'), (p) => {
      p.status!.containerStatuses = [];
      p.status!.conditions = [condition('Ready', 'False', 5, 'ContainersNotReady')];
    }),
    want: { method: 'pod_condition', container: 'agent' },
  },
  {
    name: 'a running container restarted 4 times is restart_count',
    pod: patch(pod('pod-one-restart'), (p) => {
      status(p, 'agent').restartCount = 4;
    }),
    want: { method: 'restart_count', container: 'agent', restartCount: 4 },
  },
  {
    name: 'a work container terminated non-zero over 60 s ago, readiness unreported, is terminated_duration',
    pod: patch(pod('pod-running-long'), (p) => {
      p.spec!.containers.push({ name: 'worker', image: 'ghcr.io/5dlabs/worker:1.2.0' });
      const s = {
        name: 'worker',
        image: 'ghcr.io/5dlabs/worker:1.2.0',
        state: terminated(3, 'Error', 2),
      };
      p.status!.containerStatuses!.push(s as never);
    }),
    want: { method: 'terminated_duration', container: 'worker', exitCode: 3 },
  },
  {
    name: 'exit_code beats the other methods (lowest number wins)',
    pod: patch(pod('pod-silent-failure-sidecar'), (p) => {
      status(p, 'agent').restartCount = 7;
    }),
    want: { method: 'exit_code', container: 'agent' },
  },
  {
    name: 'a platform pod (no session) still alerts, with no play',
    pod: pod('pod-silent-failure-sidecar'),
    c: platform(null),
    want: { method: 'exit_code', container: 'agent' },
  },
  {
    name: 'a remediation run alerts and says which incident it serves',
    pod: pod('pod-silent-failure-sidecar'),
    c: corr({ remediation: true, servesFingerprint: '1a2b3c4d5e6f7a8b' }),
    want: { method: 'exit_code', remediation: true, servesFingerprint: '1a2b3c4d5e6f7a8b' },
  },
  // Healthy look-alikes.
  {
    name: 'a container that exited 0 beside a running sidecar is success',
    pod: pod('pod-exit0-sidecar'),
    want: null,
  },
  { name: 'a completed Job pod (Succeeded) is healthy', pod: pod('pod-succeeded'), want: null },
  {
    name: 'a native sidecar still running after the main container finished is not a failure',
    pod: pod('pod-native-sidecar'),
    want: null,
  },
  {
    name: 'one restart, then running and ready, is healthy',
    pod: pod('pod-one-restart'),
    want: null,
  },
  {
    name: 'a container in its first 30 s that is not ready yet is healthy',
    pod: pod('pod-starting'),
    want: null,
  },
  { name: 'a long-running ready agent is healthy', pod: pod('pod-running-long'), want: null },
  {
    name: 'an unready sidecar is not an agent failure',
    pod: patch(pod('pod-running-long'), (p) => {
      status(p, 'docker-daemon').ready = false;
      p.status!.conditions = [
        condition(
          'ContainersReady',
          'False',
          5,
          'ContainersNotReady',
          'containers with unready status: [docker-daemon]',
        ),
      ];
    }),
    want: null,
  },
  // Loud failures belong to A7, not A2.
  { name: 'CrashLoopBackOff is left to A7', pod: pod('pod-crashloop'), want: null },
  { name: 'an OOMKilled last state is left to A7', pod: pod('pod-oomkilled'), want: null },
  {
    name: 'an agent OOMKilled beside a running sidecar is left to A7',
    pod: patch(pod('pod-silent-failure-sidecar'), (p) => {
      status(p, 'agent').state = terminated(137, 'OOMKilled', 5);
    }),
    want: null,
  },
  { name: 'ImagePullBackOff (Pending) is not A2', pod: pod('pod-imagepullbackoff'), want: null },
  {
    name: 'a waiting container in a Running pod is not A2',
    pod: patch(pod('pod-running-long'), (p) => {
      status(p, 'agent').state = waiting('ContainerCreating');
      status(p, 'agent').ready = false;
    }),
    want: null,
  },
  {
    name: 'a pod being deleted (containers killed on purpose) is not a failure',
    pod: patch(pod('pod-silent-failure-sidecar'), (p) => {
      (p.metadata as Record<string, unknown>).deletionTimestamp = '2025-11-21T05:59:30Z';
      status(p, 'agent').state = terminated(143, 'Error', 0);
    }),
    want: null,
  },
  {
    name: 'an excluded pod produces nothing',
    pod: pod('pod-silent-failure-sidecar'),
    c: corr({ excluded: 'prefix healer' }),
    want: null,
  },
  {
    name: 'a running agent whose restart is recent stays quiet even with ContainersReady=False',
    pod: patch(pod('pod-running-long'), (p) => {
      status(p, 'agent').state = running(0, 10);
      status(p, 'agent').ready = false;
      p.status!.conditions = [
        condition(
          'ContainersReady',
          'False',
          5,
          'ContainersNotReady',
          'containers with unready status: [agent]',
        ),
      ];
    }),
    want: null,
  },
];

void t.test('A2 silent failure table', (t) => {
  for (const row of rows) {
    const drafts = a2SilentFailure.evaluate(
      podSignal(row.pod, row.c ?? corr()),
      view({ events: events('events-crashloop') }),
    );
    if (row.want === null) {
      t.same(drafts, [], row.name);
      continue;
    }
    t.equal(drafts.length, 1, row.name);
    t.match(drafts[0]?.context, row.want, row.name);
  }
  t.end();
});

void t.test('an A2 draft fills every field from the pod and its correlation', (t) => {
  const [d] = a2SilentFailure.evaluate(podSignal(pod('pod-silent-failure-sidecar')), view());
  t.match(d, {
    alert: 'A2',
    severity: 'critical',
    issueType: 'agent_failure',
    title: `Silent Failure: ${P}`,
    namespace: 'cto',
    playId: 'play-task-4',
    taskId: '4',
    agent: 'rex',
    subject: 'play-task-4',
    detectedAt: '2025-11-21T06:00:00.000Z',
    context: { pod: P, phase: 'Running', restartCount: 0, terminatedSeconds: 300 },
  });
  t.match(
    d?.description,
    /Container "agent" .* exited with code 1 .*\(sidecar "docker-daemon" keeps it alive/,
  );
  t.ok(
    d?.evidence.some((l) => /^agent: terminated exitCode=1 reason=Error/.test(l)),
    'agent state',
  );
  t.ok(
    d?.evidence.some((l) => /^docker-daemon: running/.test(l)),
    'sidecar state',
  );
  t.ok(
    d?.evidence.some((l) => /condition ContainersReady=False/.test(l)),
    'condition',
  );
  t.end();
});

void t.test('A2 evidence carries the pod events', (t) => {
  const ev = events('events-crashloop').map((e) => ({
    ...e,
    involvedObject: { ...e.involvedObject, name: P },
  }));
  const [d] = a2SilentFailure.evaluate(
    podSignal(pod('pod-silent-failure-sidecar')),
    view({ events: ev }),
  );
  t.ok(d?.evidence.some((l) => l === `event Warning BackOff (x12): ${ev[1]?.message}`));
  t.end();
});

void t.test('thresholds come from config', (t) => {
  const p = patch(pod('pod-one-restart'), (x) => {
    status(x, 'agent').restartCount = 4;
  });
  const v = view();
  const strict = {
    ...v,
    config: { ...v.config, alerts: { ...v.config.alerts, restartThreshold: 5 } },
  };
  t.same(a2SilentFailure.evaluate(podSignal(p), strict), [], 'restartThreshold 5');
  t.end();
});
