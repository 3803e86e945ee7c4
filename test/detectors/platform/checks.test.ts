// Platform health checks (issue #18) on the shapes real controllers write: Argo CD Applications
// as `argocd app get -o yaml` / `kubectl get application -o yaml` print them (argoproj/argo-cd
// #12374, #16478, #16568), cert-manager Certificates as `kubectl get certificate -o yaml` prints
// them (Ready condition reasons `Ready`, `DoesNotExist`, `Failed`; notAfter/renewalTime), kubelet
// waiting reasons for image pulls, and the kubelet stats summary (`/stats/summary`, volume stats
// with pvcRef) — with their healthy look-alikes.
import t from 'tap';
import {
  applicationProblem,
  certificateProblem,
  DEFAULT_PLATFORM_THRESHOLDS as T,
  imagePullProblems,
  volumeProblems,
} from '../../../src/detectors/platform/checks.js';

const NOW = new Date('2025-11-21T06:00:00Z');
const ago = (min: number) => new Date(NOW.getTime() - min * 60_000);
const iso = (min: number) => ago(min).toISOString().replace('.000Z', 'Z');

const application = (sync: string, health: string, extra: object = {}) => ({
  apiVersion: 'argoproj.io/v1alpha1',
  kind: 'Application',
  metadata: { name: 'cto-controller', namespace: 'argocd', generation: 620497 },
  spec: {
    project: 'platform',
    destination: { namespace: 'cto', server: 'https://kubernetes.default.svc' },
    source: {
      repoURL: 'https://github.com/5dlabs/cto.git',
      path: 'infra/charts/controller',
      targetRevision: 'main',
    },
  },
  status: {
    sync: { status: sync, revision: 'e1132f99ce51636fd83705ee38815612438f9718' },
    health: { status: health },
    reconciledAt: iso(1),
    operationState: {
      phase: 'Failed',
      message:
        'one or more objects failed to apply, reason: Deployment.apps "cto-controller" is invalid',
      finishedAt: iso(30),
    },
    ...extra,
  },
});

void t.test('Argo CD Applications', (t) => {
  const rows: [string, unknown, Date | null, string | null][] = [
    ['Degraded for 20 minutes', application('Synced', 'Degraded'), ago(20), 'high'],
    ['OutOfSync for 15 minutes', application('OutOfSync', 'Healthy'), ago(15), 'medium'],
    [
      'Missing and OutOfSync (argo-cd #16568)',
      application('OutOfSync', 'Missing'),
      ago(11),
      'high',
    ],
    [
      'Degraded with the controller transition time, never observed before',
      application('Synced', 'Degraded', {
        health: { status: 'Degraded', lastTransitionTime: iso(45) },
      }),
      null,
      'high',
    ],
    // Look-alikes.
    [
      'Degraded for 2 minutes (a rollout in progress)',
      application('Synced', 'Degraded'),
      ago(2),
      null,
    ],
    ['Progressing while syncing', application('OutOfSync', 'Progressing'), ago(3), null],
    ['Synced and Healthy', application('Synced', 'Healthy'), ago(60), null],
    ['Suspended on purpose', application('Synced', 'Suspended'), ago(60), null],
    ['no status yet', { metadata: { name: 'new-app', namespace: 'argocd' } }, ago(60), null],
    ['an odd object', null, ago(60), null],
  ];
  for (const [name, app, since, severity] of rows) {
    const p = applicationProblem(app, NOW, T, since);
    t.equal(p?.severity ?? null, severity, name);
    if (p) {
      t.equal(p.namespace, 'cto', `${name}: the destination namespace`);
      t.equal(p.subject, 'Application/cto-controller');
      t.ok(
        p.evidence.some((e) => e.includes('failed to apply')),
        `${name}: the operation message`,
      );
    }
  }
  t.end();
});

const certificate = (ready: object | null, notAfterDays: number | null) => ({
  apiVersion: 'cert-manager.io/v1',
  kind: 'Certificate',
  metadata: { name: 'healer-tls', namespace: 'cto' },
  spec: {
    secretName: 'healer-tls',
    dnsNames: ['healer.5dlabs.ai'],
    issuerRef: { name: 'letsencrypt-prod', kind: 'ClusterIssuer' },
  },
  status: {
    ...(ready ? { conditions: [{ observedGeneration: 1, type: 'Ready', ...ready }] } : {}),
    ...(notAfterDays !== null
      ? {
          notBefore: new Date(NOW.getTime() - (90 - notAfterDays) * 86_400_000).toISOString(),
          notAfter: new Date(NOW.getTime() + notAfterDays * 86_400_000).toISOString(),
          renewalTime: new Date(NOW.getTime() + (notAfterDays - 30) * 86_400_000).toISOString(),
        }
      : {}),
  },
});
const upToDate = {
  status: 'True',
  reason: 'Ready',
  message: 'Certificate is up to date and has not expired',
  lastTransitionTime: iso(60 * 24),
};

void t.test('cert-manager Certificates', (t) => {
  const rows: [string, unknown, string | null, RegExp | null][] = [
    ['expiring in 5 days', certificate(upToDate, 5), 'medium', /expires in 5d/],
    ['expiring in 2 days', certificate(upToDate, 2), 'high', /expires in 2d/],
    [
      'expired yesterday',
      certificate({ ...upToDate, status: 'False', reason: 'Expired' }, -1),
      'critical',
      /expired/,
    ],
    [
      'not Ready for an hour: the Secret does not exist',
      certificate(
        {
          status: 'False',
          reason: 'DoesNotExist',
          message: 'Issuing certificate as Secret does not exist',
          lastTransitionTime: iso(60),
        },
        null,
      ),
      'high',
      /not been Ready for 1h: DoesNotExist/,
    ],
    // Look-alikes.
    ['valid for 60 more days', certificate(upToDate, 60), null, null],
    [
      'not Ready for 2 minutes (issuing)',
      certificate(
        {
          status: 'False',
          reason: 'DoesNotExist',
          message: 'Issuing certificate as Secret does not exist',
          lastTransitionTime: iso(2),
        },
        null,
      ),
      null,
      null,
    ],
    ['no status yet', { metadata: { name: 'x', namespace: 'cto' } }, null, null],
  ];
  for (const [name, cert, severity, text] of rows) {
    const p = certificateProblem(cert, NOW, T);
    t.equal(p?.severity ?? null, severity, name);
    if (p && text) t.match(p.title + ' ' + p.description, text, `${name}: says so`);
  }
  t.end();
});

const pulling = (ns: string, name: string, image: string, reason = 'ImagePullBackOff') => ({
  metadata: { name, namespace: ns },
  spec: { containers: [{ name: 'agent', image }] },
  status: {
    phase: 'Pending',
    containerStatuses: [
      {
        name: 'agent',
        image,
        imageID: '',
        ready: false,
        restartCount: 0,
        started: false,
        state: { waiting: { reason, message: `Back-off pulling image "${image}"` } },
      },
    ],
  },
});

void t.test('the same image failing to pull in several namespaces', (t) => {
  const image = 'ghcr.io/5dlabs/claude:2.0.51';
  const [p, ...more] = imagePullProblems(
    [
      pulling('cto', 'play-task-4-rex-a', image),
      pulling('cto', 'play-task-5-rex-b', image, 'ErrImagePull'),
      pulling('automation', 'intake-7-c', image),
      pulling('cto', 'play-task-6-cleo-d', 'ghcr.io/5dlabs/cleo:1.0.0'),
    ],
    T,
  );
  t.equal(more.length, 0, 'one problem per image, the single-namespace one stays a pod failure');
  t.match(p, {
    check: 'image-pull',
    severity: 'high',
    subject: `Image/${image}`,
    context: { namespaces: 2, pods: 3 },
  });
  t.same(
    imagePullProblems([pulling('cto', 'a', image), pulling('cto', 'b', image)], T),
    [],
    'one namespace: not a platform problem',
  );
  t.same(
    imagePullProblems([null, {}, { status: { containerStatuses: [null] } }], T),
    [],
    'odd objects',
  );
  t.end();
});

void t.test('PVC usage from the kubelet stats summary', (t) => {
  const summary = {
    node: { nodeName: 'talos-worker-2' },
    pods: [
      {
        podRef: { name: 'play-task-4-rex-abc12-step-123', namespace: 'cto', uid: 'u1' },
        volume: [
          {
            name: 'workspace',
            pvcRef: { name: 'workspace-play-task-4', namespace: 'cto' },
            capacityBytes: 10737418240,
            usedBytes: 9126805504,
            availableBytes: 1610612736,
          },
          { name: 'kube-api-access-7xq2m', capacityBytes: 8201842688, usedBytes: 12288 },
        ],
      },
      {
        podRef: { name: 'healer-0', namespace: 'cto', uid: 'u2' },
        volume: [
          {
            name: 'data',
            pvcRef: { name: 'healer-data', namespace: 'cto' },
            capacityBytes: 1073741824,
            usedBytes: 104857600,
          },
        ],
      },
    ],
  };
  const problems = volumeProblems(summary, T);
  t.equal(problems.length, 1, 'only the PVC above 80%; projected volumes have no pvcRef');
  t.match(problems[0], {
    check: 'volume-usage',
    severity: 'medium',
    subject: 'PersistentVolumeClaim/workspace-play-task-4',
    context: { usedPercent: 85 },
  });
  t.same(volumeProblems({}, T), []);
  t.same(
    volumeProblems(
      { pods: [{ volume: [{ pvcRef: { name: 'x' }, capacityBytes: 0, usedBytes: 5 }] }] },
      T,
    ),
    [],
    'zero capacity is no figure',
  );
  t.end();
});
