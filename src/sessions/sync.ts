import type { Logger } from 'pino';
import type { SessionStore } from '../domain/stores.js';
import { IntervalJob } from '../runtime/index.js';
import type { ActiveSessions } from './active.js';
import type { RunHistory } from './run-history.js';
import type { SessionService } from './service.js';

const SWEEP_INTERVAL_MS = 60_000;
const SESSION_SYNC_MS = 2_000;

export interface SessionSyncOptions {
  store: Pick<SessionStore, 'activeSessions' | 'listSessions' | 'getSession'>;
  sessions: SessionService;
  active: ActiveSessions;
  history: RunHistory;
  logger: Logger;
  /** How often the leader reads which sessions other replicas started or ended (shared store). */
  syncMs?: number;
}

/**
 * The active-session cache kept true to the store: loaded when the leader starts, swept on a
 * timer (sessions inactive past their TTL expire, old ended ones are purged) and, on a shared
 * store, synced with what other replicas started or ended.
 */
export class SessionSync {
  readonly #o: SessionSyncOptions;
  /** Sessions other replicas started or ended (only on a shared store). */
  readonly syncJob: IntervalJob;
  readonly #sweepJob: IntervalJob;

  constructor(o: SessionSyncOptions) {
    this.#o = o;
    const { logger } = o;
    this.#sweepJob = new IntervalJob({
      name: 'session sweep',
      everyMs: SWEEP_INTERVAL_MS,
      run: () => this.sweep(),
      logger,
      immediate: false,
    });
    this.syncJob = new IntervalJob({
      name: 'session sync',
      everyMs: o.syncMs ?? SESSION_SYNC_MS,
      run: () => this.syncActive(),
      logger,
    });
  }

  /** Expiry and purge: once when started (awaited), then every minute. */
  readonly sweeper = {
    start: async (): Promise<void> => {
      await this.sweep();
      this.#sweepJob.start();
    },
    stop: (): Promise<void> => this.#sweepJob.stop(),
  };

  /** Loads the run history and the active sessions (the leader's first step). */
  async load(): Promise<void> {
    const h = await this.#o.history.load();
    if (h.dropped)
      this.#o.logger.warn('the stored run history was unreadable; thresholds are learned again');
    this.#o.active.replaceAll(await this.#o.store.activeSessions());
  }

  /** Expires inactive sessions and purges old ended ones; a failure is logged and retried. */
  async sweep(): Promise<void> {
    try {
      const r = await this.#o.sessions.sweep();
      if (r.expired || r.purged) this.#o.logger.info(r, 'session sweep');
    } catch (err) {
      this.#o.logger.warn({ err }, 'session sweep failed; will retry');
    }
  }

  /**
   * Sessions other replicas started or ended (they share the store): reads the active play ids
   * (no documents) and fetches only what changed.
   */
  async syncActive(): Promise<void> {
    const { store, active } = this.#o;
    const stored = new Map<string, string>();
    let cursor: string | undefined;
    do {
      const page = await store.listSessions({
        status: 'active',
        limit: 1000,
        ...(cursor ? { cursor } : {}),
      });
      for (const x of page.sessions) stored.set(x.play_id, x.started_at);
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    const changed = [
      ...[...stored].filter(([id, at]) => active.get(id)?.started_at !== at).map(([id]) => id),
      ...active.playIds().filter((id) => !stored.has(id)),
    ];
    for (const playId of changed) {
      const s = await store.getSession(playId);
      if (s) active.remember(s);
      else active.forget(playId);
    }
  }
}
