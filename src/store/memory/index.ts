import type { Store } from '../../domain/stores.js';
import { composeStore, type StoreParts } from '../compose.js';
import { MemoryCursorStore } from './cursors.js';
import { MemoryOutcomeStore } from './outcomes.js';
import { MemoryIncidentStore } from './incidents.js';
import { MemoryOutboxStore } from './outbox.js';
import { MemorySessionStore } from './sessions.js';
import { MemorySilenceStore } from './silences.js';
import { MemoryState, resolved } from './state.js';

/** In-process stores for tests: same contracts as sqlite, nothing survives the process. */
export function memoryStoreParts(): StoreParts {
  const state = new MemoryState();
  return {
    sessions: new MemorySessionStore(state),
    incidents: new MemoryIncidentStore(state),
    outbox: new MemoryOutboxStore(state),
    silences: new MemorySilenceStore(state),
    cursors: new MemoryCursorStore(state),
    outcomes: new MemoryOutcomeStore(state),
    health: {
      kind: 'memory',
      ping: () => {
        state.check();
        return resolved(undefined);
      },
      close: () => {
        state.close();
        return resolved(undefined);
      },
    },
  };
}

export const openMemoryStore = (): Store => composeStore(memoryStoreParts());
