import type { Store } from '../../domain/stores.js';
import { composeStore, type StoreParts } from '../compose.js';
import { SqliteCursorStore } from './cursors.js';
import { SqliteOutcomeStore } from './outcomes.js';
import { SqliteIncidentStore } from './incidents.js';
import { SqliteOutboxStore } from './outbox.js';
import { SqliteSessionStore } from './sessions.js';
import { SqliteSilenceStore } from './silences.js';
import { openDatabase, SqliteTables } from './tables.js';

/**
 * The default store: one SQLite file in WAL mode (Node's built-in `node:sqlite`), shared by the
 * per-aggregate stores. Writes are queued and committed together (group commit): each caller's
 * change runs in its own savepoint inside one transaction, and every promise resolves after that
 * transaction is on disk (`synchronous=FULL`), so a 200 is only ever sent for a durable write.
 * A change spanning aggregates (decision + outbox actions + incident) is one write function, so it
 * commits or rolls back as a whole.
 */
export function sqliteStoreParts(path: string): StoreParts {
  const tables = new SqliteTables(openDatabase(path));
  return {
    sessions: new SqliteSessionStore(tables),
    incidents: new SqliteIncidentStore(tables),
    outbox: new SqliteOutboxStore(tables),
    silences: new SqliteSilenceStore(tables),
    cursors: new SqliteCursorStore(tables),
    outcomes: new SqliteOutcomeStore(tables),
    health: {
      kind: 'sqlite',
      ping: () => {
        tables.stmt.ping.get();
        return Promise.resolve();
      },
      close: () => tables.close(),
    },
  };
}

/** Opens (creating if needed) the SQLite store at `path`; a corrupt or unwritable file throws. */
export const openSqliteStore = (path: string): Store => composeStore(sqliteStoreParts(path));
