// Learned thresholds applied by A8, A9 and A3 (issue #18): each rule asks the view for the
// threshold in force (learned, pinned or configured) and says which one it used in the
// description, the evidence and the context. A view without learning keeps the configured value.
import t from 'tap';
import { a8StepTimeout } from '../../../src/detectors/rules/a8-step-timeout.js';
import { a9StuckCodeRun } from '../../../src/detectors/rules/a9-stuck-coderun.js';
import { a3StaleProgress } from '../../../src/detectors/rules/a3-stale-progress.js';
import { learnThreshold } from '../../../src/detectors/thresholds/adaptive.js';
import type { RuleView } from '../../../src/domain/signal.js';
import type { ThresholdFor, ThresholdKind } from '../../../src/domain/threshold.js';
import {
  coderun,
  coderunSignal,
  corr,
  patch,
  pod,
  podSignal,
  running,
  stamp,
  status,
  view,
} from '../rules/kube-fixtures.js';
import { pipeline, prSignal, view as prView } from '../rules/pr-fixtures.js';

/** rex's history: twelve successful 11–12 minute runs → p95 12 min × 1.5 = 18 min. */
const REX_RUNS = [660, 690, 700, 705, 710, 715, 720, 680, 700, 720, 695, 710];

/** A thresholdFor that learns rex's history (every other agent has none), asking log kept. */
function learning(runs: Record<string, number[]> = { rex: REX_RUNS }) {
  const asked: { kind: ThresholdKind; agent: string; stage: string; staticSeconds: number }[] = [];
  const thresholdFor: ThresholdFor = (kind, agent, stage, staticSeconds) => {
    asked.push({ kind, agent, stage, staticSeconds });
    return learnThreshold(runs[agent] ?? [], staticSeconds);
  };
  return { thresholdFor, asked };
}

const rexRunning = (minutes: number) =>
  patch(pod('pod-running-long'), (p) => {
    status(p, 'agent').state = running(minutes);
  });

const withLearning = (v: RuleView, thresholdFor: ThresholdFor): RuleView => ({
  ...v,
  thresholdFor,
});

void t.test('A8: rex with a 12-minute history is flagged at its learned 18 minutes', (t) => {
  const l = learning();
  const at25 = a8StepTimeout.evaluate(
    podSignal(rexRunning(25)),
    withLearning(view(), l.thresholdFor),
  );
  t.equal(at25.length, 1, 'stuck for 25 minutes: flagged');
  t.match(at25[0], {
    alert: 'A8',
    title: 'Step Timeout: rex running 25m',
    description:
      /threshold is 18 min \(learned: p95 12 min × 1.5 over 12 successful runs\), below the implementation stage timeout of 45 minutes/,
    context: {
      timeoutMinutes: 45,
      thresholdSeconds: 1080,
      thresholdBasis: 'learned',
      thresholdSamples: 12,
      thresholdP95Seconds: 720,
    },
  });
  t.match(at25[0].evidence.at(-1), /^threshold 18 min \(learned/);
  t.same(l.asked[0], {
    kind: 'step-timeout',
    agent: 'rex',
    stage: 'implementation',
    staticSeconds: 2700,
  });
  t.same(
    a8StepTimeout.evaluate(podSignal(rexRunning(14)), withLearning(view(), l.thresholdFor)),
    [],
    'a run within its normal range (14 minutes) is not',
  );
  t.same(
    a8StepTimeout.evaluate(podSignal(rexRunning(25)), view()),
    [],
    'without learning the configured 45 minutes hold',
  );
  t.end();
});

void t.test('A8: too few runs keep the configured timeout; a pinned value wins', (t) => {
  const few = learning({ rex: [700, 720, 710] });
  t.same(
    a8StepTimeout.evaluate(podSignal(rexRunning(25)), withLearning(view(), few.thresholdFor)),
    [],
  );
  const [d] = a8StepTimeout.evaluate(
    podSignal(rexRunning(50)),
    withLearning(view(), few.thresholdFor),
  );
  t.match(d, {
    description: /the implementation stage timeout is 45 minutes/,
    context: { thresholdBasis: 'static', thresholdSamples: 3, thresholdP95Seconds: null },
  });
  t.match(d.evidence.at(-1), /static: only 3 successful runs/);
  const pinned: ThresholdFor = (_k, _a, _s, staticSeconds) =>
    learnThreshold(REX_RUNS, staticSeconds, undefined, 20 * 60);
  const [p] = a8StepTimeout.evaluate(podSignal(rexRunning(21)), withLearning(view(), pinned));
  t.match(p, { context: { thresholdSeconds: 1200, thresholdBasis: 'pinned' } });
  t.end();
});

void t.test(
  'A9: a learned threshold below the configured one flags a stuck CodeRun sooner',
  (t) => {
    // cleo's runs take about 4 minutes: p95 × 1.5 = 6 min, above the 5-minute floor
    const l = learning({ cleo: [230, 240, 235, 225, 240, 238] });
    const cr = patch(coderun('coderun-pending'), (c) => {
      stamp(c.metadata, 'creationTimestamp', 7);
      stamp(c.status!, 'lastTransitionTime', 7);
    });
    const sig = coderunSignal(cr, corr({ agent: 'cleo' }));
    t.same(a9StuckCodeRun.evaluate(sig, view()), [], 'configured 10 minutes: not yet');
    const [d] = a9StuckCodeRun.evaluate(sig, withLearning(view(), l.thresholdFor));
    t.match(d, {
      alert: 'A9',
      context: { thresholdMinutes: 6, thresholdBasis: 'learned', thresholdSamples: 6 },
    });
    t.match(l.asked[0], { kind: 'stuck-coderun', agent: 'cleo', stage: 'quality' });
    t.match(d.evidence.at(-1), /^threshold 6 min \(learned/);
    t.end();
  },
);

void t.test('A3: the stale-progress threshold is learned per running agent', (t) => {
  const l = learning({ rex: [420, 430, 440, 450, 460] }); // p95 460 s × 1.5 = 11.5 min
  const v = prView(pipeline('rex', 0), 13);
  t.same(a3StaleProgress.evaluate(prSignal(null), v), [], 'configured 15 minutes: not yet');
  const [d] = a3StaleProgress.evaluate(prSignal(null), withLearning(v, l.thresholdFor));
  t.match(d, {
    alert: 'A3',
    agent: 'rex',
    description: /\(threshold 11\.5 minutes\)/,
    context: { threshold_minutes: 11.5, thresholdBasis: 'learned', thresholdSamples: 5 },
  });
  t.match(l.asked[0], { kind: 'stale-progress', agent: 'rex', stage: 'implementation' });
  t.end();
});
