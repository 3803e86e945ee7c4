import t from 'tap';
import { join } from 'node:path';
import { MemoryStore } from '../../src/sessions/memory-store.js';
import { SqliteStore } from '../../src/sessions/sqlite-store.js';
import { storeContract } from './store-contract.js';
import { tmpDir } from '../helpers/healer.js';

void t.test('memory store', (t) => {
  storeContract(t, () => new MemoryStore());
  t.end();
});

void t.test('sqlite store', (t) => {
  storeContract(t, () => SqliteStore.open(join(tmpDir(), 'healer.db')));
  t.end();
});
