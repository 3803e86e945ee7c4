// The read cache of session documents on PostgreSQL (issue #14: `GET /session/{id}` is the MCP
// server's hot read). Every replica keeps the documents it served; a trigger on the sessions table
// NOTIFYs `healer_sessions` with the play id of every row written, on commit, and every replica
// LISTENs on its own connection and drops that entry, so a write through any replica reaches the
// others' reads within the notification's delivery (milliseconds). A replica's own writes also
// drop their entries as soon as they commit (read-your-writes without waiting for the echo).
//
// Correctness rules: a read fills the cache only if no invalidation happened while it was reading
// (a global epoch; a write racing a read never leaves the older document behind); the cache is
// used only while the LISTEN connection is up — when it drops, the cache is cleared and bypassed
// until a new connection listens again (notifications sent meanwhile are lost, so nothing cached
// before can be trusted). Reconnection backs off with cockatiel.
import { ExponentialBackoff, handleAll, retry } from 'cockatiel';
import pg from 'pg';

export const SESSIONS_CHANNEL = 'healer_sessions';

export interface SessionCacheOptions {
  url: string;
  /** Most documents kept (oldest filled dropped first). Default 10,000. */
  maxEntries?: number;
  /** Called when the listening connection drops or comes back (for logs and tests). */
  onState?: (live: boolean, reason: string | null) => void;
}

export class SessionCache {
  readonly #o: SessionCacheOptions;
  readonly #docs = new Map<string, string>();
  #epoch = 0;
  #live = false;
  #client: pg.Client | null = null;
  #closed = false;
  readonly #stop = new AbortController();
  #connecting: Promise<void> | null = null;

  constructor(o: SessionCacheOptions) {
    this.#o = o;
  }

  /** Whether reads are served from the cache (the LISTEN connection is up). */
  get live(): boolean {
    return this.#live;
  }

  get size(): number {
    return this.#docs.size;
  }

  /** Starts listening; resolves once the first LISTEN is up or failed (the cache then waits). */
  start(): Promise<void> {
    this.#connecting ??= this.#listenWithRetry().finally(() => (this.#connecting = null));
    return Promise.race([this.#connecting, new Promise<void>((r) => setTimeout(r, 3_000))]);
  }

  /** The cached document, or `read()`'s (cached when nothing was invalidated meanwhile). */
  async get(playId: string, read: () => Promise<string | undefined>): Promise<string | undefined> {
    if (this.#live) {
      const hit = this.#docs.get(playId);
      if (hit !== undefined) return hit;
    }
    const epoch = this.#epoch;
    const doc = await read();
    if (doc !== undefined && this.#live && epoch === this.#epoch) this.#fill(playId, doc);
    return doc;
  }

  /** Drops one play id's document (a write committed, here or, via NOTIFY, on another replica). */
  evict(playId: string): void {
    this.#epoch++;
    this.#docs.delete(playId);
  }

  /** Drops everything (a purge, or the LISTEN connection lost). */
  clear(): void {
    this.#epoch++;
    this.#docs.clear();
  }

  async close(): Promise<void> {
    this.#closed = true;
    this.#stop.abort();
    this.#setLive(false, 'closed');
    const c = this.#client;
    this.#client = null;
    await c?.end().catch(() => undefined);
  }

  #fill(playId: string, doc: string): void {
    if (this.#docs.size >= (this.#o.maxEntries ?? 10_000) && !this.#docs.has(playId)) {
      const oldest = this.#docs.keys().next().value;
      if (oldest !== undefined) this.#docs.delete(oldest);
    }
    this.#docs.set(playId, doc);
  }

  #setLive(live: boolean, reason: string | null): void {
    this.clear();
    if (this.#live === live) return;
    this.#live = live;
    this.#o.onState?.(live, reason);
  }

  async #listenWithRetry(): Promise<void> {
    const policy = retry(handleAll, {
      maxAttempts: Number.MAX_SAFE_INTEGER,
      backoff: new ExponentialBackoff({ initialDelay: 200, maxDelay: 5_000 }),
    });
    await policy
      .execute(async () => {
        if (this.#closed) return;
        await this.#listen();
      }, this.#stop.signal)
      .catch(() => undefined);
  }

  async #listen(): Promise<void> {
    const client = new pg.Client({
      connectionString: this.#o.url,
      application_name: 'healer-listen',
      keepAlive: true,
      connectionTimeoutMillis: 3_000,
    });
    const lost = (reason: string) => {
      if (this.#client !== client) return;
      this.#client = null;
      this.#setLive(false, reason);
      client.removeAllListeners('notification');
      void client.end().catch(() => undefined);
      if (!this.#closed) void this.start();
    };
    client.on('error', (err) => lost(err.message));
    client.on('end', () => lost('connection ended'));
    client.on('notification', (n) => {
      if (n.channel === SESSIONS_CHANNEL && n.payload) this.evict(n.payload);
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${SESSIONS_CHANNEL}`);
    } catch (err) {
      client.removeAllListeners();
      client.on('error', () => undefined);
      await client.end().catch(() => undefined);
      throw err;
    }
    if (this.#closed) {
      await client.end().catch(() => undefined);
      return;
    }
    this.#client = client;
    this.#setLive(true, null);
  }
}
