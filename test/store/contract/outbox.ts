import type { Test } from 'tap';
import { at, seedDecision, type StoreFactory } from './fixtures.js';

/** The behaviour of every OutboxStore. `make` returns a fresh, empty store. */
export function outboxStoreContract(t: Test, make: StoreFactory): void {
  void t.test('due actions in order; updates; finishing records the incident change', async (t) => {
    const store = await make();
    t.teardown(() => store.close());
    const { incident } = await seedDecision(store);
    t.same(
      (await store.dueActions(at(2), 10)).map((a) => a.id),
      ['act-1'],
    );
    t.same(
      (await store.dueActions(at(6), 10)).map((a) => a.id),
      ['act-1', 'act-2'],
    );
    t.same(
      (await store.dueActions(at(6), 1)).map((a) => a.id),
      ['act-1'],
      'limit',
    );
    await store.updateAction('act-1', (a) => ({ ...a, state: 'done', result: { issue: 12 } }));
    t.same(
      (await store.dueActions(at(6), 10)).map((a) => a.id),
      ['act-2'],
    );
    t.same((await store.actionsFor(incident.id))[0]?.result, { issue: 12 });
    t.equal(await store.updateAction('nope', (a) => a), undefined);

    const done = await store.finishAction(
      'act-2',
      (a) => ({ ...a, state: 'done', result: { coderun: 'healer-a7-x-1' } }),
      (i) => ({ ...i, remediationSpawned: true }),
    );
    t.equal(done.action?.state, 'done');
    t.equal(done.incident?.remediationSpawned, true);
    t.equal((await store.getIncident(incident.id))?.remediationSpawned, true);
    t.equal((await store.getSession('play-o'))?.issues[0]?.remediation_spawned, true, 'mirrored');
    t.same(await store.dueActions(at(60), 10), []);
    t.same(await store.finishAction('nope', (a) => a), { action: undefined, incident: undefined });
  });

  void t.test('finishing an action whose incident change fails changes nothing', async (t) => {
    const store = await make();
    t.teardown(() => store.close());
    const { incident } = await seedDecision(store);
    await t.rejects(async () =>
      store.finishAction(
        'act-1',
        (a) => ({ ...a, state: 'done' }),
        () => {
          throw new Error('change failed');
        },
      ),
    );
    t.equal((await store.actionsFor(incident.id))[0]?.state, 'pending');
  });

  void t.test(
    'claims: two owners never take the same due action; recording, releasing or lapsing ends a claim',
    async (t) => {
      const store = await make();
      t.teardown(() => store.close());
      await seedDecision(store);
      const [a, b] = await Promise.all([
        store.claimDueActions(at(6), 1, 'replica-a', 60_000),
        store.claimDueActions(at(6), 1, 'replica-b', 60_000),
      ]);
      t.same(
        [...a, ...b].map((x) => x.id).sort(),
        ['act-1', 'act-2'],
        'each owner claimed one, not the same one',
      );
      t.same(await store.claimDueActions(at(6), 10, 'replica-c', 60_000), [], 'all held');
      t.same(
        (await store.claimDueActions(at(6), 10, 'replica-a', 60_000)).map((x) => x.id),
        a.map((x) => x.id),
        'an owner claims its own actions again',
      );
      t.same(
        (await store.dueActions(at(6), 10)).map((x) => x.id),
        ['act-1', 'act-2'],
        'dueActions stays a plain read',
      );
      await store.finishAction(a[0].id, (x) => ({ ...x, attempts: x.attempts + 1 }));
      t.same(
        (await store.claimDueActions(at(6), 10, 'replica-c', 60_000)).map((x) => x.id),
        [a[0].id],
        'recording an outcome ends the claim',
      );
      await store.releaseClaims('replica-b');
      t.same(
        (await store.claimDueActions(at(6), 10, 'replica-d', 50)).map((x) => x.id),
        [b[0].id],
        'released claims are free at once',
      );
      await new Promise((r) => setTimeout(r, 200));
      t.same(
        (await store.claimDueActions(at(6), 10, 'replica-e', 60_000)).map((x) => x.id).sort(),
        [b[0].id],
        'a claim lapses after its lease (replica-c still holds its claim)',
      );
    },
  );
}
