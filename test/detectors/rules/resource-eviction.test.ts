import t from 'tap';
import { a7PodFailure } from '../../../src/detectors/rules/a7-pod-failure.js';
import { evictionOf, resourceEviction } from '../../../src/detectors/rules/resource-eviction.js';
import { corr, patch, pod, podSignal, view } from './kube-fixtures.js';

// The kubelet's eviction messages (pkg/kubelet/eviction/helpers.go) on the `kubectl get pod -o
// json` shape of an evicted agent pod (phase Failed, reason Evicted, DisruptionTarget condition,
// containers ContainerStatusUnknown).
const evicted = (message: string) =>
  patch(pod('pod-evicted-ephemeral-storage'), (p) => {
    p.status!.message = message;
  });

const rows: { name: string; message: string; want: Record<string, unknown> | null }[] = [
  {
    name: 'the pod over its ephemeral-storage limit',
    message: 'Pod ephemeral local storage usage exceeds the total limit of containers 2Gi. ',
    want: { resource: 'ephemeral-storage', overLimit: true },
  },
  {
    name: 'one container over its ephemeral-storage limit',
    message: 'Container agent exceeded its local ephemeral storage limit "1Gi". ',
    want: { resource: 'ephemeral-storage', overLimit: true },
  },
  {
    name: 'an emptyDir workspace over its size limit',
    message: 'Usage of EmptyDir volume "workspace" exceeds the limit "10Gi". ',
    want: { resource: 'ephemeral-storage', overLimit: true },
  },
  {
    name: 'the node low on ephemeral storage',
    message:
      'The node was low on resource: ephemeral-storage. Threshold quantity: 10120387091, available: 9875036Ki. Container agent was using 6291456Ki, request is 0, has larger consumption of ephemeral-storage. ',
    want: { resource: 'ephemeral-storage', overLimit: false },
  },
  {
    name: 'the node low on memory',
    message:
      'The node was low on resource: memory. Threshold quantity: 100Mi, available: 91244Ki. Container agent was using 7340032Ki, request is 4Gi, has larger consumption of memory. ',
    want: { resource: 'memory', overLimit: false },
  },
  {
    name: 'refused at admission under DiskPressure',
    message: 'The node had condition: [DiskPressure]. ',
    want: { resource: 'ephemeral-storage', overLimit: false },
  },
  {
    name: 'an eviction whose message names no resource (API-initiated) is not a resource eviction',
    message: 'Evicted by the eviction API',
    want: null,
  },
];

void t.test('evictionOf reads the kubelet message', (t) => {
  for (const row of rows) {
    const e = evictionOf(evicted(row.message));
    if (row.want === null) t.equal(e, null, row.name);
    else t.match(e, row.want, row.name);
  }
  t.end();
});

void t.test('an evicted agent pod is one resource incident, not an A7 as well', (t) => {
  const p = pod('pod-evicted-ephemeral-storage');
  const c = corr({ agent: 'rex' });
  const drafts = resourceEviction.evaluate(podSignal(p, c), view());
  t.equal(drafts.length, 1);
  t.match(drafts[0], {
    alert: 'resource',
    severity: 'high',
    playId: c.playId,
    agent: 'rex',
    title: 'Evicted: play-task-4-rex-k2m9q-step-812 (ephemeral-storage)',
    description: /went over its ephemeral-storage limit/,
    context: { kind: 'eviction', resource: 'ephemeral-storage', overLimit: true },
  });
  t.match(drafts[0].evidence[0], /^kubelet: Pod ephemeral local storage usage exceeds/);
  t.same(a7PodFailure.evaluate(podSignal(p, c), view()), [], 'A7 leaves it to the resource rule');
  t.end();
});

void t.test('look-alikes: other failed pods stay A7 and are no resource incident', (t) => {
  const failed = patch(pod('pod-evicted-ephemeral-storage'), (p) => {
    p.status!.reason = undefined;
    p.status!.message = undefined;
  });
  t.same(resourceEviction.evaluate(podSignal(failed), view()), [], 'plain Failed');
  t.equal(a7PodFailure.evaluate(podSignal(failed), view()).length, 1, 'plain Failed is A7');
  const api = evicted('Evicted by the eviction API');
  t.same(resourceEviction.evaluate(podSignal(api), view()), [], 'eviction naming no resource');
  t.equal(a7PodFailure.evaluate(podSignal(api), view()).length, 1, 'it stays a pod failure');
  const crash = pod('pod-crashloop');
  t.same(resourceEviction.evaluate(podSignal(crash), view()), [], 'a crash loop');
  t.end();
});
