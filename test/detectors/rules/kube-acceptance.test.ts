// The pure side of the acceptance list: each scenario, correlated from its real object and run
// through every registered rule, becomes exactly one alert; no healthy look-alike becomes any.
import t from 'tap';
import { evaluateAll } from '../../../src/detectors/registry.js';
import type { Signal } from '../../../src/domain/signal.js';
import type { CodeRun, Pod } from '../../../src/domain/kube.js';
import { fingerprint } from '../../../src/incidents/fingerprint.js';
import { correlate } from '../../../src/sources/kube/correlate.js';
import { buildCorrelationIndex } from '../../../src/sources/kube/correlation-index.js';
import { coderun, config, pod, session, view } from './kube-fixtures.js';

const INDEX = buildCorrelationIndex([session()]);
const OPTS = { exclusions: config().exclusions };
const podSig = (p: Pod): Signal => ({
  kind: 'pod',
  pod: p,
  correlation: correlate(p, 'pod', INDEX, OPTS),
  cause: 'tick',
});
const crSig = (cr: CodeRun): Signal => ({
  kind: 'coderun',
  coderun: cr,
  correlation: correlate(cr, 'coderun', INDEX, OPTS),
  cause: 'tick',
});
const logsSig = (p: Pod, logs: string): Signal => ({
  kind: 'completed-logs',
  pod: p,
  container: 'agent',
  logs,
  correlation: correlate(p, 'pod', INDEX, OPTS),
});

const REX_CONFLICT =
  'CONFLICT (content): Merge conflict in src/tasks/handlers.rs\n+ git push origin feature/task-4';
const REX_OK =
  '+ git push origin feature/task-4\nPR updated: https://github.com/5dlabs/cto-parallel-test/pull/412';

const scenarios: { name: string; signal: Signal; want: Record<string, unknown> }[] = [
  {
    name: 'a silent failure behind a sidecar',
    signal: podSig(pod('pod-silent-failure-sidecar')),
    want: { alert: 'A2', severity: 'critical', agent: 'rex', context: { method: 'exit_code' } },
  },
  {
    name: 'a Running pod in CrashLoopBackOff',
    signal: podSig(pod('pod-crashloop')),
    want: {
      alert: 'A7',
      severity: 'critical',
      agent: 'cleo',
      context: { reason: 'CrashLoopBackOff' },
    },
  },
  {
    name: 'an OOMKilled container',
    signal: podSig(pod('pod-oomkilled')),
    want: { alert: 'A7', severity: 'critical', agent: 'rex', context: { reason: 'OOMKilled' } },
  },
  {
    name: 'ImagePullBackOff',
    signal: podSig(pod('pod-imagepullbackoff')),
    want: { alert: 'A7', severity: 'high', agent: 'tess', context: { reason: 'ImagePullBackOff' } },
  },
  {
    name: 'a CodeRun stuck Pending past its threshold with no further events',
    signal: crSig(coderun('coderun-pending')),
    want: { alert: 'A9', severity: 'medium', agent: 'cleo', subject: 'play-task-4-cleo-t7x2k' },
  },
  {
    name: 'an agent past its stage timeout',
    signal: podSig(pod('pod-running-long')),
    want: { alert: 'A8', severity: 'medium', agent: 'rex', title: 'Step Timeout: rex running 52m' },
  },
  {
    name: 'a succeeded rex pod whose logs show CONFLICT',
    signal: logsSig(pod('pod-succeeded'), REX_CONFLICT),
    want: {
      alert: 'completion',
      severity: 'medium',
      agent: 'rex',
      context: { failureMatches: 'CONFLICT' },
    },
  },
];

void t.test(
  'each acceptance scenario is exactly one alert with the right alert, severity, play, agent and task',
  (t) => {
    for (const s of scenarios) {
      const drafts = evaluateAll(s.signal, view(), (rule, err) =>
        t.fail(`${rule.id} threw ${String(err)}`),
      );
      t.equal(drafts.length, 1, `${s.name}: one alert (${drafts.map((d) => d.alert).join(', ')})`);
      t.match(
        drafts[0],
        { playId: 'play-task-4', taskId: '4', namespace: 'cto', ...s.want },
        s.name,
      );
      const again = evaluateAll(s.signal, view());
      t.equal(
        fingerprint(again[0]),
        fingerprint(drafts[0]),
        `${s.name}: the next tick is the same incident`,
      );
    }
    t.end();
  },
);

void t.test('none of the healthy look-alikes produce an alert', (t) => {
  const healthy: [string, Signal][] = [
    ['exit 0 beside a running sidecar', podSig(pod('pod-exit0-sidecar'))],
    ['a completed Job pod', podSig(pod('pod-succeeded'))],
    ['a completed rex pod with a clean log', logsSig(pod('pod-succeeded'), REX_OK)],
    ['a native sidecar still running', podSig(pod('pod-native-sidecar'))],
    ['one restart then healthy', podSig(pod('pod-one-restart'))],
    ['a container in its first 30 s', podSig(pod('pod-starting'))],
    ['a cto-controller crash loop (excluded)', podSig(pod('pod-excluded-controller'))],
  ];
  for (const [name, signal] of healthy) t.same(evaluateAll(signal, view()), [], name);
  t.end();
});
