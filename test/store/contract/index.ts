import type { Test } from 'tap';
import { cursorStoreContract } from './cursors.js';
import type { StoreFactory } from './fixtures.js';
import { incidentStoreContract } from './incidents.js';
import { outboxStoreContract } from './outbox.js';
import { outcomeStoreContract } from './outcomes.js';
import { sessionStoreContract } from './sessions.js';
import { silenceStoreContract } from './silences.js';

export type { StoreFactory } from './fixtures.js';

/**
 * Every store contract, one subtest per aggregate. A backend (sqlite, memory, PostgreSQL, …)
 * proves itself by calling this with a factory of fresh, empty stores.
 */
export function storeContracts(t: Test, make: StoreFactory): void {
  void t.test('session store', (t) => (sessionStoreContract(t, make), t.end()));
  void t.test('incident store', (t) => (incidentStoreContract(t, make), t.end()));
  void t.test('outbox store', (t) => (outboxStoreContract(t, make), t.end()));
  void t.test('silence store', (t) => (silenceStoreContract(t, make), t.end()));
  void t.test('cursor store', (t) => (cursorStoreContract(t, make), t.end()));
  void t.test('outcome store', (t) => (outcomeStoreContract(t, make), t.end()));
}
