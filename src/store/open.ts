import type { StoreSpec } from '../config/index.js';
import { HealerError } from '../domain/errors.js';
import type { Store } from '../domain/stores.js';
import { openMemoryStore } from './memory/index.js';
import { openSqliteStore } from './sqlite/index.js';

/**
 * Opens the store named by HEALER_STORE — every aggregate's store, as one composite {@link Store}
 * that each caller narrows to the interfaces it needs; throws a clear HealerError when it cannot.
 */
export function openStore(spec: StoreSpec): Store {
  switch (spec.kind) {
    case 'memory':
      return openMemoryStore();
    case 'sqlite':
      return openSqliteStore(spec.path);
    case 'kubernetes':
      throw new HealerError(
        'STORE_UNSUPPORTED',
        500,
        'HEALER_STORE=kubernetes (ConfigMaps with leader election) is not available in this version; use sqlite:<path>',
      );
  }
}
