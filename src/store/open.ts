import type { StoreSpec } from '../config/index.js';
import type { Store } from '../domain/stores.js';
import { openMemoryStore } from './memory/index.js';
import { openPostgresStore } from './postgres/index.js';
import { openSqliteStore } from './sqlite/index.js';

/**
 * Opens the store named by HEALER_STORE — every aggregate's store, as one composite {@link Store}
 * that each caller narrows to the interfaces it needs; throws a clear HealerError when it cannot.
 */
export async function openStore(spec: StoreSpec): Promise<Store> {
  switch (spec.kind) {
    case 'memory':
      return openMemoryStore();
    case 'sqlite':
      return openSqliteStore(spec.path);
    case 'postgres':
      return openPostgresStore(spec.url);
  }
}
