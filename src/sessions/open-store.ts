import type { StoreSpec } from '../config/index.js';
import { HealerError } from '../domain/errors.js';
import { MemoryStore } from './memory-store.js';
import { SqliteStore } from './sqlite-store.js';
import type { Store } from './store.js';

/** Opens the store named by HEALER_STORE; throws a clear HealerError when it cannot. */
export function openStore(spec: StoreSpec): Store {
  switch (spec.kind) {
    case 'memory':
      return new MemoryStore();
    case 'sqlite':
      return SqliteStore.open(spec.path);
    case 'kubernetes':
      throw new HealerError(
        'STORE_UNSUPPORTED',
        500,
        'HEALER_STORE=kubernetes (ConfigMaps with leader election) is not available in this version; use sqlite:<path>',
      );
  }
}
