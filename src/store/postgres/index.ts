import type { Store } from '../../domain/stores.js';
import { HealerError } from '../../domain/errors.js';
import { composeStore, type StoreParts } from '../compose.js';
import { PostgresCursorStore } from './cursors.js';
import { PostgresOutcomeStore } from './outcomes.js';
import { Database } from './database.js';
import { PostgresIncidentStore } from './incidents.js';
import { migrate } from './migrations.js';
import { PostgresOutboxStore } from './outbox.js';
import { PostgresSessionStore } from './sessions.js';
import { SessionCache } from './session-cache.js';
import { PostgresSilenceStore } from './silences.js';

export function postgresStoreParts(db: Database, cache: SessionCache | null = null): StoreParts {
  return {
    sessions: new PostgresSessionStore(db, cache),
    incidents: new PostgresIncidentStore(db, cache),
    outbox: new PostgresOutboxStore(db),
    silences: new PostgresSilenceStore(db),
    cursors: new PostgresCursorStore(db),
    outcomes: new PostgresOutcomeStore(db),
    health: {
      kind: 'postgres',
      ping: () => db.ping(),
      close: async () => {
        await cache?.close();
        await db.close();
      },
    },
  };
}

/**
 * The shared store for several replicas: PostgreSQL through a `pg` pool. Connects and applies the
 * missing migrations (under an advisory lock) before it resolves; an unreachable server or a
 * failing migration throws a clear 503 HealerError and leaves nothing half-done.
 */
export async function openPostgresStore(
  url: string,
  opts: { max?: number; sessionCache?: boolean } = {},
): Promise<Store> {
  const db = new Database({ url, ...(opts.max !== undefined ? { max: opts.max } : {}) });
  try {
    await migrate(db.pool);
  } catch (err) {
    await db.close().catch(() => undefined);
    throw new HealerError(
      'STORE_UNAVAILABLE',
      503,
      `cannot open the PostgreSQL store at ${db.where}: ${err instanceof Error ? err.message : String(err)}`,
      { cause: err },
    );
  }
  // the read cache of session documents, invalidated by NOTIFY (off with { sessionCache: false })
  const cache = opts.sessionCache === false ? null : new SessionCache({ url });
  await cache?.start();
  return composeStore(postgresStoreParts(db, cache));
}
