// Resource pressure before the OOMKill (issue #18): memory near the limit for a while, a trend
// that reaches the limit soon, node pressure conditions as the kubelet writes them — and the
// healthy look-alikes (a spike, a flat high-water mark below the share, usage falling).
import t from 'tap';
import { parseQuantity } from '../../../src/domain/quantity.js';
import {
  DEFAULT_PRESSURE as T,
  memoryPressure,
  nodePressures,
  type UsageSample,
} from '../../../src/detectors/resources/pressure.js';

const NOW = new Date('2025-11-21T06:00:00Z');
const Gi = 2 ** 30;
/** One sample every 15 s over the last `seconds`, bytes from f(secondsAgo). */
const series = (seconds: number, f: (ago: number) => number): UsageSample[] => {
  const out: UsageSample[] = [];
  for (let ago = seconds; ago >= 0; ago -= 15)
    out.push({ at: NOW.getTime() - ago * 1000, bytes: f(ago) });
  return out;
};

void t.test('quantities as metrics-server and pod specs write them', (t) => {
  t.equal(parseQuantity('7340032Ki'), 7340032 * 1024);
  t.equal(parseQuantity('7.5Gi'), 7.5 * Gi);
  t.equal(parseQuantity('8G'), 8e9);
  t.equal(parseQuantity('912m'), 0.912);
  t.equal(parseQuantity('1e3'), 1000);
  t.equal(parseQuantity('4'), 4);
  for (const bad of ['', 'Gi', '7.5 Gi', 'lots', null, {}, '1Zi'])
    t.equal(parseQuantity(bad), null, `${JSON.stringify(bad)} is not a quantity`);
  t.end();
});

void t.test('memory pressure', (t) => {
  const limit = 8 * Gi;
  const rows: [string, UsageSample[], string | null][] = [
    ['above 90% for 3 minutes', series(180, () => 7.4 * Gi), 'above-limit-share'],
    [
      'climbing 200 MiB/min from 5 GiB: the limit in ~15 min is beyond the horizon',
      series(180, (a) => 5 * Gi - (a / 60) * 200 * 2 ** 20),
      null,
    ],
    [
      'climbing 300 MiB/min from 6 GiB: the limit in ~7 min',
      series(180, (a) => 6 * Gi - (a / 60) * 300 * 2 ** 20),
      'trend-to-limit',
    ],
    // Look-alikes.
    ['a 30 s spike above 90%', series(180, (a) => (a <= 30 ? 7.6 * Gi : 4 * Gi)), null],
    ['flat at 85%', series(300, () => 0.85 * limit), null],
    ['falling from 95%', series(180, (a) => 0.95 * limit - (180 - a) * 2 ** 22), null],
    ['one sample above 90% (no history yet)', [{ at: NOW.getTime(), bytes: 7.9 * Gi }], null],
  ];
  for (const [name, samples, kind] of rows) {
    const p = memoryPressure('agent', samples, limit, NOW, T);
    t.equal(p?.kind ?? null, kind, name);
  }
  t.equal(
    memoryPressure(
      'agent',
      series(180, () => 7.9 * Gi),
      null,
      NOW,
      T,
    ),
    null,
    'no limit, no check',
  );
  const trend = memoryPressure(
    'agent',
    series(180, (a) => 6 * Gi - (a / 60) * 300 * 2 ** 20),
    limit,
    NOW,
    T,
  );
  t.ok(
    trend &&
      trend.secondsToLimit !== null &&
      trend.secondsToLimit > 300 &&
      trend.secondsToLimit < 480,
    `reaches the limit in ${trend?.secondsToLimit}s`,
  );
  t.match(trend?.text, /climbing 300 MiB\/min/);
  t.end();
});

void t.test('node pressure conditions', (t) => {
  const node = {
    metadata: { name: 'talos-worker-2' },
    status: {
      conditions: [
        {
          type: 'MemoryPressure',
          status: 'True',
          reason: 'KubeletHasInsufficientMemory',
          message: 'kubelet has insufficient memory available',
          lastTransitionTime: '2025-11-21T05:52:00Z',
        },
        {
          type: 'DiskPressure',
          status: 'False',
          reason: 'KubeletHasNoDiskPressure',
          message: 'kubelet has no disk pressure',
        },
        {
          type: 'PIDPressure',
          status: 'True',
          reason: 'KubeletHasInsufficientPID',
          message: 'kubelet has insufficient PID available',
        },
        {
          type: 'Ready',
          status: 'True',
          reason: 'KubeletReady',
          message: 'kubelet is posting ready status',
        },
      ],
    },
  };
  t.same(
    nodePressures(node).map((p) => p.type),
    ['MemoryPressure', 'PIDPressure'],
  );
  t.same(nodePressures({}), []);
  t.same(nodePressures(null), []);
  t.end();
});
