import type { Test } from 'tap';
import type { RemediationOutcome } from '../../../src/domain/outcome.js';
import { at, type StoreFactory } from './fixtures.js';

const outcome = (
  id: string,
  minute: number,
  extra: Partial<RemediationOutcome> = {},
): RemediationOutcome => ({
  id,
  incidentId: id.split('#')[0],
  attempt: Number(id.split('#')[1] ?? 1),
  alert: 'A7',
  agent: 'rex',
  signature: 'error: connection refused to <host>:<n>',
  outcome: 'still-firing',
  coderun: `healer-a7-${id}`,
  issue: { number: 7, url: 'https://github.com/5dlabs/cto/issues/7' },
  pullRequestUrl: null,
  summary: 'attempt 1 ended Succeeded; the alert kept firing',
  startedAt: at(minute).toISOString(),
  at: at(minute + 1).toISOString(),
  ...extra,
});

/** The behaviour of every OutcomeStore. `make` returns a fresh, empty store. */
export function outcomeStoreContract(t: Test, make: StoreFactory): void {
  void t.test('outcomes: recorded, replaced per attempt, queried by class and time', async (t) => {
    const store = await make();
    t.teardown(() => store.close());
    t.same(await store.listOutcomes({ limit: 10 }), [], 'empty at first');
    await store.recordOutcome(outcome('inc-a#1', 1));
    await store.recordOutcome(outcome('inc-a#2', 5));
    await store.recordOutcome(outcome('inc-b#1', 3, { agent: 'blaze' }));
    await store.recordOutcome(outcome('inc-c#1', 4, { agent: null, alert: 'A2' }));
    await store.recordOutcome(
      outcome('inc-d#1', 6, { signature: 'fatal: authentication failed for <url>' }),
    );
    t.same(
      (await store.listOutcomes({ limit: 10 })).map((o) => o.id),
      ['inc-d#1', 'inc-a#2', 'inc-c#1', 'inc-b#1', 'inc-a#1'],
      'newest first',
    );
    t.same(
      (await store.listOutcomes({ limit: 2 })).map((o) => o.id),
      ['inc-d#1', 'inc-a#2'],
      'limited',
    );
    t.same(
      (
        await store.listOutcomes({
          alert: 'A7',
          agent: 'rex',
          signature: 'error: connection refused to <host>:<n>',
          limit: 10,
        })
      ).map((o) => o.id),
      ['inc-a#2', 'inc-a#1'],
      'one class: alert, agent and signature',
    );
    t.same(
      (await store.listOutcomes({ agent: null, limit: 10 })).map((o) => o.id),
      ['inc-c#1'],
      'agent null matches outcomes without an agent',
    );
    t.same(
      (await store.listOutcomes({ since: at(5).toISOString(), limit: 10 })).map((o) => o.id),
      ['inc-d#1', 'inc-a#2', 'inc-c#1'],
      'since: recorded at or after',
    );
    // the same attempt again: its later outcome replaces the earlier one
    await store.recordOutcome(
      outcome('inc-a#2', 5, {
        outcome: 'cleared',
        pullRequestUrl: 'https://github.com/5dlabs/cto/pull/9',
        at: at(20).toISOString(),
      }),
    );
    const all = await store.listOutcomes({ limit: 10 });
    t.equal(all.length, 5, 'still one record per attempt');
    t.match(all[0], {
      id: 'inc-a#2',
      outcome: 'cleared',
      pullRequestUrl: 'https://github.com/5dlabs/cto/pull/9',
      issue: { number: 7 },
    });
    t.same(
      (await store.listOutcomes({ incidentId: 'inc-a', limit: 10 })).map((o) => o.id),
      ['inc-a#2', 'inc-a#1'],
      'one incident',
    );
    t.same(
      await store.listOutcomes({ signature: 'nothing like it', limit: 10 }),
      [],
      'no match, no rows',
    );
  });
}
