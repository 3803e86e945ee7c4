import type { Test } from 'tap';
import { at, type StoreFactory } from './fixtures.js';

/** The behaviour of every CursorStore (cursors and log gaps). `make` returns a fresh, empty store. */
export function cursorStoreContract(t: Test, make: StoreFactory): void {
  void t.test('cursors are durable key/values', async (t) => {
    const store = await make();
    t.teardown(() => store.close());
    t.equal(await store.getCursor('loki:cto'), undefined);
    await store.setCursor('loki:cto', '123');
    await store.setCursor('loki:cto', '456');
    t.equal(await store.getCursor('loki:cto'), '456');
    await store.ping();
  });

  void t.test('log gaps: appended in order, per play, the newest 100 kept', async (t) => {
    const store = await make();
    t.teardown(() => store.close());
    t.same(await store.logGaps('play-g'), []);
    await store.addLogGap('play-g', at(1), at(2));
    await store.addLogGap('play-g', at(3), at(4));
    await store.addLogGap('play-h', at(5), at(6));
    t.same(await store.logGaps('play-g'), [
      { from: at(1).toISOString(), to: at(2).toISOString() },
      { from: at(3).toISOString(), to: at(4).toISOString() },
    ]);
    t.same(await store.logGaps('play-h'), [
      { from: at(5).toISOString(), to: at(6).toISOString() },
    ]);
    // concurrent gaps are all kept (an atomic append, not a read-modify-write of a list)
    await Promise.all(
      Array.from({ length: 120 }, (_, i) =>
        store.addLogGap('play-g', new Date(at(10).getTime() + i * 1000), at(50)),
      ),
    );
    const gaps = await store.logGaps('play-g');
    t.equal(gaps.length, 100, 'capped at the newest 100');
    t.equal(gaps[0].from, new Date(at(10).getTime() + 20_000).toISOString(), 'oldest dropped');
    t.equal(gaps[99].from, new Date(at(10).getTime() + 119_000).toISOString());
    t.equal((await store.logGaps('play-h')).length, 1, 'other plays untouched');
  });
}
