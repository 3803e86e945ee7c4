// Pod families of issue #12 that never fail loudly: a Pending pod no node takes, restart loops
// visible only in restartCount, liveness kills while the container is momentarily ready, a Play
// stalled by a sidecar after the agent finished, a sidecar that never becomes ready, and the
// healthy side (an OOM kill long ago, one restart). Pod and event shapes are the wire JSON of
// `kubectl get -o json` (fixtures in test/fixtures/kube); the status and event texts are the
// kubelet's and scheduler's own words as quoted in kubernetes.io "Configure Liveness, Readiness
// and Startup Probes", istio/istio #11659, argoproj/argo-workflows #7214 and
// kubernetes/kubernetes #25908.
import t from 'tap';
import type { KubeEvent, Pod } from '../../../src/domain/kube.js';
import { a2SilentFailure } from '../../../src/detectors/rules/a2-silent-failure.js';
import { a7PodFailure } from '../../../src/detectors/rules/a7-pod-failure.js';
import {
  ago,
  condition,
  corr,
  patch,
  pod,
  podSignal,
  running,
  status,
  terminated,
  view,
} from './kube-fixtures.js';

const POD = 'play-task-4-rex-abc12-step-123';

/** A core/v1 Event about POD as the kubelet or scheduler writes it. */
function event(
  reason: string,
  message: string,
  o: { count?: number; firstMin: number; lastMin: number; container?: string; type?: string },
): KubeEvent {
  return {
    apiVersion: 'v1',
    kind: 'Event',
    type: o.type ?? 'Warning',
    reason,
    message,
    count: o.count ?? 1,
    firstTimestamp: ago(o.firstMin) as never,
    lastTimestamp: ago(o.lastMin) as never,
    involvedObject: {
      apiVersion: 'v1',
      kind: 'Pod',
      name: POD,
      namespace: 'cto',
      ...(o.container ? { fieldPath: `spec.containers{${o.container}}` } : {}),
    },
    metadata: { name: `${POD}.1879a1b2c3d4e5f6`, namespace: 'cto' },
    source: { component: reason === 'FailedScheduling' ? 'default-scheduler' : 'kubelet' },
  };
}

/** pod-exit0-sidecar with the agent finished `min` minutes ago. */
const finishedBesideSidecar = (min: number, sidecar = 'docker-daemon'): Pod =>
  patch(pod('pod-exit0-sidecar'), (p) => {
    status(p, 'agent').state = terminated(0, 'Completed', min, 30);
    if (sidecar !== 'docker-daemon') {
      status(p, 'docker-daemon').name = sidecar;
      p.spec!.containers[1].name = sidecar;
    }
  });

/** pod-one-restart (agent running again, ready) after `restarts` liveness kills. */
const livenessRestarted = (restarts: number): Pod =>
  patch(pod('pod-one-restart'), (p) => {
    const s = status(p, 'agent');
    s.restartCount = restarts;
    s.lastState = terminated(137, 'Error', 1, 6);
    s.state = running(0, 50);
    s.ready = true;
  });

const livenessEvents = (kills: number): KubeEvent[] => [
  event('Unhealthy', 'Liveness probe failed: HTTP probe failed with statuscode: 500', {
    count: kills * 3,
    firstMin: 12,
    lastMin: 1,
    container: 'agent',
  }),
  event('Killing', 'Container agent failed liveness probe, will be restarted', {
    count: kills,
    firstMin: 11,
    lastMin: 1,
    container: 'agent',
  }),
];

/** pod-unschedulable before the scheduler wrote its condition: only the events say so. */
const pendingNoCondition = (firstMin: number): Pod =>
  patch(pod('pod-unschedulable'), (p) => {
    p.status!.conditions = [];
    p.metadata!.name = POD;
    p.metadata!.creationTimestamp = ago(firstMin) as never;
  });
const schedulingEvents = (firstMin: number): KubeEvent[] => [
  event(
    'FailedScheduling',
    '0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 2 Insufficient memory. preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod.',
    { count: 4, firstMin, lastMin: 0 },
  ),
];

interface Row {
  name: string;
  pod: Pod;
  events?: KubeEvent[];
  /** Expected A7 draft (severity and context), or null for none. */
  want: { severity: string; context: Record<string, string | number | null> } | null;
}

const rows: Row[] = [
  {
    name: 'the agent finished 15 minutes ago but docker-daemon keeps the pod Running: the Play stalls',
    pod: finishedBesideSidecar(15),
    want: {
      severity: 'high',
      context: { reason: 'SidecarKeepsPodRunning', container: 'docker-daemon', phase: 'Running' },
    },
  },
  {
    name: 'an istio-proxy still running 40 minutes after the main container completed (istio #11659)',
    pod: finishedBesideSidecar(40, 'istio-proxy'),
    want: {
      severity: 'high',
      context: { reason: 'SidecarKeepsPodRunning', container: 'istio-proxy' },
    },
  },
  {
    name: 'a sidecar running unready for 5 minutes while the agent works',
    pod: patch(pod('pod-one-restart'), (p) => {
      status(p, 'agent').restartCount = 0;
      status(p, 'agent').lastState = {};
      const s = status(p, 'docker-daemon');
      s.ready = false;
      s.state = running(5);
    }),
    want: { severity: 'high', context: { reason: 'SidecarNotReady', container: 'docker-daemon' } },
  },
  {
    name: 'two liveness kills while the container is momentarily ready again',
    pod: livenessRestarted(2),
    events: livenessEvents(2),
    want: {
      severity: 'high',
      context: { reason: 'LivenessProbeKill', container: 'agent', restartCount: 2 },
    },
  },
  {
    name: 'a Pending pod with no conditions yet, FailedScheduling for 4 minutes',
    pod: pendingNoCondition(4),
    events: schedulingEvents(4),
    want: { severity: 'high', context: { reason: 'Unschedulable', container: null } },
  },
  {
    name: 'a Pending pod, no container statuses at all, PodScheduled=False Unschedulable for 6 minutes',
    pod: pod('pod-unschedulable'),
    want: { severity: 'high', context: { reason: 'Unschedulable', phase: 'Pending' } },
  },
  {
    name: 'OOM-killed once, running stably for 20 minutes since: a low resource warning',
    pod: patch(pod('pod-oomkilled'), (p) => {
      const s = status(p, 'agent');
      s.lastState = terminated(137, 'OOMKilled', 20, 30);
      s.state = running(20);
    }),
    want: {
      severity: 'low',
      context: { reason: 'OOMKilledOnce', container: 'agent', exitCode: 137 },
    },
  },
  // Healthy look-alikes.
  {
    name: 'the agent finished 5 minutes ago beside a running sidecar (inside the stall grace)',
    pod: finishedBesideSidecar(5),
    want: null,
  },
  {
    name: 'a native sidecar still running after the main container finished',
    pod: pod('pod-native-sidecar'),
    want: null,
  },
  {
    name: 'a sidecar unready in its first minute',
    pod: patch(pod('pod-one-restart'), (p) => {
      status(p, 'agent').restartCount = 0;
      status(p, 'agent').lastState = {};
      const s = status(p, 'docker-daemon');
      s.ready = false;
      s.state = running(1);
    }),
    want: null,
  },
  {
    name: 'one liveness kill an hour ago (the event is old) is quiet',
    pod: livenessRestarted(1),
    events: [
      event('Killing', 'Container agent failed liveness probe, will be restarted', {
        count: 1,
        firstMin: 70,
        lastMin: 70,
        container: 'agent',
      }),
    ],
    want: null,
  },
  {
    name: 'readiness probe failures alone (no kill) are not liveness kills',
    pod: patch(pod('pod-one-restart'), (p) => {
      status(p, 'agent').restartCount = 0;
      status(p, 'agent').lastState = {};
    }),
    events: [
      event(
        'Unhealthy',
        'Readiness probe failed: Get "http://10.244.2.87:8080/ready": dial tcp 10.244.2.87:8080: connect: connection refused',
        {
          count: 5,
          firstMin: 3,
          lastMin: 1,
          container: 'agent',
        },
      ),
    ],
    want: null,
  },
  {
    name: 'FailedScheduling for 10 s (inside the grace) is quiet',
    pod: pendingNoCondition(0),
    events: [
      patch(schedulingEvents(0)[0], (e) => {
        e.firstTimestamp = '2025-11-21T05:59:50Z' as never;
      }),
    ],
    want: null,
  },
  {
    name: 'a Pending pod that was scheduled and is pulling its image is quiet',
    pod: patch(pendingNoCondition(3), (p) => {
      p.status!.conditions = [condition('PodScheduled', 'True', 3)];
    }),
    events: [
      event('Pulling', 'Pulling image "ghcr.io/5dlabs/claude:2.0.50"', {
        firstMin: 3,
        lastMin: 3,
        container: 'agent',
        type: 'Normal',
      }),
    ],
    want: null,
  },
  {
    name: 'an OOM kill 2 minutes ago is still critical (not yet stable)',
    pod: pod('pod-oomkilled'),
    want: { severity: 'critical', context: { reason: 'OOMKilled' } },
  },
];

void t.test('A7 quiet pod failures and their healthy look-alikes', (t) => {
  for (const row of rows) {
    const drafts = a7PodFailure.evaluate(
      podSignal(row.pod, corr()),
      view({ events: row.events ?? [] }),
    );
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

void t.test('a restart loop visible only in restartCount is a silent failure (A2)', (t) => {
  const p = livenessRestarted(4);
  const [d] = a2SilentFailure.evaluate(podSignal(p, corr()), view());
  t.match(d?.context, { method: 'restart_count', container: 'agent', restartCount: 4 });
  t.end();
});

void t.test('the OOM resource warning is titled as such, the stall names the sidecar', (t) => {
  const oom = patch(pod('pod-oomkilled'), (p) => {
    status(p, 'agent').lastState = terminated(137, 'OOMKilled', 20, 30);
    status(p, 'agent').state = running(20);
  });
  const [w] = a7PodFailure.evaluate(podSignal(oom, corr()), view());
  t.equal(w?.title, `Resource Warning: ${POD}`);
  t.match(w?.description, /OOM-killed once and has run stably since/);
  const [s] = a7PodFailure.evaluate(podSignal(finishedBesideSidecar(15), corr()), view());
  t.equal(s?.title, `Pod Failure: ${POD}`);
  t.match(
    s?.description,
    /finished \(exit 0\) 900s ago but sidecar "docker-daemon" keeps the pod Running/,
  );
  t.end();
});
