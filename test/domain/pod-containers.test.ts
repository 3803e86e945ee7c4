import t from 'tap';
import type { Pod } from '../../src/domain/kube.js';
import { millis, secondsSince } from '../../src/domain/kube-time.js';
import {
  agentContainerName,
  isSidecarName,
  nativeSidecarNames,
  sidecarNames,
  workContainerNames,
} from '../../src/domain/pod-containers.js';

const podWith = (
  containers: string[],
  init: { name: string; restartPolicy?: string }[] = [],
): Pod => ({
  metadata: { name: 'play-task-4-rex-abc12-step-123', namespace: 'cto' },
  spec: {
    containers: containers.map((name) => ({ name, image: `ghcr.io/5dlabs/${name}:1` })),
    initContainers: init,
  },
});

void t.test('known sidecars and sidecar-shaped names', (t) => {
  const sidecars = [
    'docker-daemon',
    'dind',
    'istio-proxy',
    'linkerd-proxy',
    'tools',
    'wait',
    'mcp-github',
    'mcp-kubernetes',
    'vault-agent-init',
    'log-shipper-sidecar',
    'Docker-Daemon',
  ];
  const work = ['agent', 'main', 'rex', 'claude', 'factory', 'controller', 'mcp', 'toolsmith'];
  for (const n of sidecars) t.ok(isSidecarName(n), `${n} is a sidecar`);
  for (const n of work) t.notOk(isSidecarName(n), `${n} is not a sidecar`);
  t.end();
});

void t.test('which container is the agent container', (t) => {
  const table: [string, Pod, string | null, string | null][] = [
    ['the first non-sidecar container', podWith(['docker-daemon', 'agent']), 'rex', 'agent'],
    [
      'the container named after the agent wins over position',
      podWith(['agent', 'rex']),
      'rex',
      'rex',
    ],
    [
      'named after the agent in any form (5DLabs-Rex)',
      podWith(['tools', 'rex-agent']),
      '5DLabs-Rex',
      'rex-agent',
    ],
    ['Argo: main next to the wait executor', podWith(['wait', 'main']), null, 'main'],
    ['no agent known: first non-sidecar', podWith(['istio-proxy', 'app', 'worker']), null, 'app'],
    ['only sidecar-shaped names: they are the workload', podWith(['tools']), null, 'tools'],
    ['no containers', podWith([]), 'rex', null],
    ['an empty object', {}, 'rex', null],
  ];
  for (const [name, pod, agent, want] of table) t.equal(agentContainerName(pod, agent), want, name);
  t.end();
});

void t.test('native sidecars are init containers with restartPolicy Always', (t) => {
  const pod = podWith(
    ['agent'],
    [{ name: 'git-clone' }, { name: 'docker-daemon', restartPolicy: 'Always' }],
  );
  t.same([...nativeSidecarNames(pod)], ['docker-daemon']);
  t.same(sidecarNames(pod, 'rex'), ['docker-daemon']);
  t.same(workContainerNames(pod, 'rex'), ['agent'], 'init containers are never work containers');
  t.same(sidecarNames(podWith(['agent', 'docker-daemon', 'mcp-github']), 'rex'), [
    'docker-daemon',
    'mcp-github',
  ]);
  t.end();
});

void t.test('timestamps from wire strings, Dates and epoch ms; garbage is unknown', (t) => {
  const now = new Date('2025-11-21T06:00:00Z');
  t.equal(secondsSince('2025-11-21T05:59:30Z', now), 30);
  t.equal(secondsSince(new Date('2025-11-21T05:59:00Z'), now), 60);
  t.equal(millis(Date.parse('2025-11-21T05:00:00Z')), Date.parse('2025-11-21T05:00:00Z'));
  for (const bad of ['', 'not a date', null, undefined, {}, Number.NaN, new Date('x')])
    t.equal(millis(bad), null, JSON.stringify(bad) ?? 'undefined');
  t.end();
});
