// Adaptive thresholds: learned from successful runs only after enough samples, bounded by a floor
// and the static ceiling, pinned values win, and the basis says why.
import t from 'tap';
import {
  describeThreshold,
  learnThreshold,
  percentile,
} from '../../../src/detectors/thresholds/adaptive.js';

const STATIC_A8 = 45 * 60;
const min = (m: number) => m * 60;

void t.test('percentile (nearest rank)', (t) => {
  t.equal(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 95), 10);
  t.equal(percentile([10, 20, 30, 40], 50), 20);
  t.ok(Number.isNaN(percentile([], 95)));
  t.end();
});

void t.test('rex with a history of 12-minute runs', (t) => {
  const runs = [11, 12, 12.5, 11.5, 13, 12, 12.2, 11.8, 12.4, 13.5].map(min);
  const th = learnThreshold(runs, STATIC_A8);
  t.match(th.basis, { kind: 'learned', samples: 10, factor: 1.5, bounded: null });
  t.equal(
    th.seconds,
    Math.round(13.5 * 60 * 1.5),
    'p95 13.5 min × 1.5 = 20.25 min, well before 45',
  );
  t.match(describeThreshold(th), /learned: p95 13\.5 min × 1\.5 over 10 successful runs/);
  t.end();
});

void t.test('bounds, too few samples, pinned values, odd input', (t) => {
  t.match(learnThreshold([min(2), min(2), min(3), min(2), min(2)], STATIC_A8), {
    seconds: 300,
    basis: { kind: 'learned', bounded: 'floor' },
  });
  t.match(learnThreshold([40, 41, 44, 42, 43].map(min), STATIC_A8), {
    seconds: STATIC_A8,
    basis: { kind: 'learned', bounded: 'ceiling' },
  });
  t.match(learnThreshold([min(12), min(13)], STATIC_A8), {
    seconds: STATIC_A8,
    basis: { kind: 'static', reason: 'too-few-samples', samples: 2 },
  });
  t.match(learnThreshold([], STATIC_A8), {
    seconds: STATIC_A8,
    basis: { kind: 'static', reason: 'no-history' },
  });
  t.match(
    learnThreshold([min(12), min(12), min(12), min(12), min(12)], STATIC_A8, undefined, min(30)),
    {
      seconds: min(30),
      basis: { kind: 'pinned' },
    },
  );
  t.match(learnThreshold([NaN, -5, 0, Infinity, min(12)], STATIC_A8), {
    basis: { kind: 'static', samples: 1 },
  });
  t.equal(
    learnThreshold([60, 60, 60, 60, 60], 120).seconds,
    120,
    'the floor never exceeds the static value',
  );
  t.match(
    describeThreshold(learnThreshold([], STATIC_A8)),
    /45 min \(static: no successful runs yet\)/,
  );
  t.end();
});
