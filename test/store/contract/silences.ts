import type { Test } from 'tap';
import { at, type StoreFactory } from './fixtures.js';

/** The behaviour of every SilenceStore. `make` returns a fresh, empty store. */
export function silenceStoreContract(t: Test, make: StoreFactory): void {
  void t.test('silences: active at a time, expired, listed', async (t) => {
    const store = await make();
    t.teardown(() => store.close());
    const silence = {
      id: 'sil-1',
      matchers: { alert: 'A7' },
      startsAt: at(0).toISOString(),
      endsAt: at(30).toISOString(),
      comment: 'noisy',
      createdBy: 'ops',
      expiredAt: null,
    };
    await store.createSilence(silence);
    t.same(
      (await store.listSilences(at(10))).map((s) => s.id),
      ['sil-1'],
    );
    t.same(await store.listSilences(at(31)), [], 'past endsAt');
    await store.expireSilence('sil-1', at(11), 'carol');
    t.same(await store.listSilences(at(12)), [], 'expired');
    t.equal((await store.listSilences()).length, 1, 'still listed without now');
    t.match(await store.getSilence('sil-1'), {
      expiredAt: at(11).toISOString(),
      expiredBy: 'carol',
    });
    await store.expireSilence('sil-1', at(20), 'dave');
    t.match(
      await store.getSilence('sil-1'),
      { expiredAt: at(11).toISOString(), expiredBy: 'carol' },
      'the first expiry stands',
    );
    t.equal(await store.expireSilence('nope', at(1)), undefined);
  });
}
