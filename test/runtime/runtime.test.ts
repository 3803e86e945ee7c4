import t from 'tap';
import { setTimeout as delay } from 'node:timers/promises';
import {
  Background,
  IntervalJob,
  KeyedQueue,
  backoffDelay,
  sleep,
} from '../../src/runtime/index.js';

const logs = () => {
  const lines: { level: string; msg: string; err: unknown }[] = [];
  return {
    lines,
    warn: (o: { err?: unknown }, msg: string) => lines.push({ level: 'warn', msg, err: o.err }),
    error: (o: { err?: unknown }, msg: string) => lines.push({ level: 'error', msg, err: o.err }),
  };
};

void t.test('an interval job never overlaps itself and a failure never escapes', async (t) => {
  const logger = logs();
  let running = 0;
  let maxRunning = 0;
  let runs = 0;
  const job = new IntervalJob({
    name: 'slow pass',
    everyMs: 5,
    schedule: 'rate',
    logger,
    run: async () => {
      running++;
      maxRunning = Math.max(maxRunning, running);
      runs++;
      await delay(30);
      running--;
      if (runs === 1) throw new Error('first run broke');
    },
  });
  job.start();
  for (const until = Date.now() + 20_000; runs < 3 && Date.now() < until;) await delay(10);
  await job.stop();
  t.equal(maxRunning, 1, 'at most one run at a time although the slots came every 5 ms');
  t.ok(runs >= 2, `ran again after the failure (${runs} runs)`);
  t.equal(logger.lines[0]?.msg, 'slow pass failed; will run again');
  t.equal(logger.lines[0]?.level, 'error');
  t.match(String(logger.lines[0]?.err), /first run broke/);
  const after = runs;
  await delay(40);
  t.equal(runs, after, 'stop() ends the timer and waited for the run in progress');
  t.equal(running, 0);
});

void t.test(
  'delay schedule: the pause runs from the end of one run to the start of the next',
  async (t) => {
    const starts: number[] = [];
    const job = new IntervalJob({
      name: 'delayed',
      everyMs: 20,
      logger: logs(),
      run: async () => {
        starts.push(performance.now());
        await delay(20);
      },
    });
    job.start();
    for (const until = Date.now() + 20_000; starts.length < 3 && Date.now() < until;)
      await delay(10);
    await job.stop();
    t.ok(starts.length >= 2, `${starts.length} runs`);
    for (let i = 1; i < starts.length; i++)
      t.ok(
        starts[i] - starts[i - 1] >= 38,
        `gap ${Math.round(starts[i] - starts[i - 1])} ms ≥ run + pause`,
      );
  },
);

void t.test(
  'trigger coalesces; runNow queues behind and hands back result and failure',
  async (t) => {
    let runs = 0;
    let fail = false;
    const job = new IntervalJob({
      name: 'pass',
      everyMs: 60_000,
      immediate: false,
      logger: logs(),
      run: async () => {
        runs++;
        await delay(10);
        if (fail) throw new Error('boom');
        return runs;
      },
    });
    job.trigger();
    job.trigger();
    job.trigger();
    job.trigger();
    await job.idle();
    t.equal(runs, 2, 'one running, one waiting: four triggers made two runs');
    t.equal(await job.runNow(), 3);
    fail = true;
    await t.rejects(job.runNow(), /boom/, 'runNow hands the failure to its caller');
    await job.stop();
    job.trigger();
    await job.idle();
    t.equal(runs, 4, 'a stopped job ignores triggers');
    t.equal(
      await ((fail = false), job.runNow()),
      5,
      'runNow still runs a stopped job (CLI passes)',
    );
  },
);

void t.test(
  'keyed queue: serial per key, parallel across keys, failures stay with their task',
  async (t) => {
    const q = new KeyedQueue();
    const order: string[] = [];
    const task = (key: string, ms: number, fail = false) =>
      q.run(key, async () => {
        order.push(`start ${key}${ms}`);
        await delay(ms);
        order.push(`end ${key}${ms}`);
        if (fail) throw new Error(`${key} failed`);
        return `${key}${ms}`;
      });
    const a1 = task('a', 30, true);
    const a2 = task('a', 5);
    const b1 = task('b', 5);
    await t.rejects(a1, /a failed/);
    t.equal(await a2, 'a5', 'the next task of a key runs after a failure');
    t.equal(await b1, 'b5');
    t.same(order.slice(0, 2), ['start a30', 'start b5'], 'b did not wait for a');
    t.ok(order.indexOf('end a30') < order.indexOf('start a5'), 'a5 waited for a30');
    await q.idle();
    t.equal(q.size, 0, 'drained keys are dropped');
    const late = q.run('c', async () => {
      await delay(5);
      void q.run('c', () => Promise.resolve(void order.push('queued while draining')));
    });
    await late;
    await q.idle();
    t.ok(order.includes('queued while draining'), 'idle() waits for work queued meanwhile');
  },
);

void t.test('backoff: exponential, capped, jittered in [delay/2, delay]', async (t) => {
  t.equal(
    backoffDelay(0, 100, 1000, () => 1),
    100,
  );
  t.equal(
    backoffDelay(0, 100, 1000, () => 0),
    50,
  );
  t.equal(
    backoffDelay(3, 100, 1000, () => 1),
    800,
  );
  t.equal(
    backoffDelay(4, 100, 1000, () => 1),
    1000,
    'capped',
  );
  t.equal(
    backoffDelay(500, 100, 1000, () => 0),
    500,
    'huge attempt counts stay capped',
  );
  const ac = new AbortController();
  const began = performance.now();
  const s = sleep(10_000, ac.signal);
  ac.abort();
  await s;
  t.ok(performance.now() - began < 1000, 'sleep ends when aborted');
});

void t.test('background unit: starts in order, stops in reverse, idempotent', async (t) => {
  const seen: string[] = [];
  const worker = (name: string) => ({
    start: () => void seen.push(`start ${name}`),
    stop: () => Promise.resolve(void seen.push(`stop ${name}`)),
  });
  const bg = new Background()
    .add('source', worker('source'))
    .add('absent', undefined)
    .add('sink', worker('sink'));
  t.same(bg.names, ['source', 'sink']);
  await Promise.all([bg.start(), bg.start()]);
  t.ok(bg.started);
  await bg.stop();
  await bg.stop();
  t.same(seen, ['start source', 'start sink', 'stop sink', 'stop source']);
  await bg.start();
  t.same(seen.slice(4), ['start source', 'start sink'], 'a leadership gate can switch it on again');
  await bg.stop();
});
