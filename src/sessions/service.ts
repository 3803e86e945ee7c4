import { EventEmitter } from 'node:events';
import type { Clock } from '../domain/clock.js';
import type { EndedStatus, Session, SessionStart } from '../domain/session.js';
import { HealerError } from '../domain/errors.js';
import { createSession } from './model.js';
import type { ListPage, ListQuery, SessionStore } from '../domain/stores.js';

export interface SessionEvents {
  started: [Session];
  ended: [Session];
}

export interface SessionServiceOptions {
  store: SessionStore;
  clock: Clock;
  agentStages: Record<string, string>;
  ttlHours: number;
  retentionDays: number;
}

/** Session lifecycle: start (atomic, durable), read, end, expire after inactivity, purge. */
export class SessionService extends EventEmitter<SessionEvents> {
  readonly #o: SessionServiceOptions;

  constructor(opts: SessionServiceOptions) {
    super();
    this.#o = opts;
  }

  /** Resolves after the new session is durable; an active session with that id → 409. */
  async start(input: SessionStart): Promise<Session> {
    const session = createSession(input, this.#o.clock.now(), this.#o.agentStages);
    const result = await this.#o.store.startSession(session);
    if (result.outcome === 'conflict') {
      throw new HealerError('SESSION_ACTIVE', 409, 'Session already exists and is active', {
        details: { session_id: input.play_id },
      });
    }
    this.emit('started', result.session);
    return result.session;
  }

  get(playId: string): Promise<Session | undefined> {
    return this.#o.store.getSession(playId);
  }

  /** The session as JSON text, exactly as stored (issues already redacted). */
  getJson(playId: string): Promise<string | undefined> {
    return this.#o.store.getSessionJson(playId);
  }

  list(query: ListQuery): Promise<ListPage> {
    return this.#o.store.listSessions(query);
  }

  active(): Promise<Session[]> {
    return this.#o.store.activeSessions();
  }

  async end(playId: string, status: EndedStatus, reason: string | null): Promise<Session> {
    const r = await this.#o.store.endSession(playId, status, reason, this.#o.clock.now());
    if (r.outcome === 'not_found') {
      throw new HealerError('SESSION_NOT_FOUND', 404, `Session not found: ${playId}`);
    }
    if (r.outcome === 'already_ended') {
      throw new HealerError('SESSION_ENDED', 409, `Session already ended (${r.session.status})`);
    }
    this.emit('ended', r.session);
    return r.session;
  }

  /** Records activity on an active session (any signal for its Play). */
  async update(
    playId: string,
    change: (s: Session) => Session | undefined,
  ): Promise<Session | undefined> {
    const now = this.#o.clock.now().toISOString();
    return this.#o.store.updateSession(playId, (s) => {
      const next = change(s);
      return next ? { ...next, last_updated: now } : undefined;
    });
  }

  /** Expires inactive sessions and purges old ended ones; returns what it did. */
  async sweep(): Promise<{ expired: number; purged: number }> {
    const now = this.#o.clock.now();
    const ttlMs = this.#o.ttlHours * 3_600_000;
    const expired = await this.#o.store.expireInactive(new Date(now.getTime() - ttlMs), now);
    for (const s of expired) this.emit('ended', s);
    const purged = await this.#o.store.purgeEnded(
      new Date(now.getTime() - this.#o.retentionDays * 86_400_000),
    );
    return { expired: expired.length, purged };
  }
}
