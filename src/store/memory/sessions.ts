import {
  emptySessionCounts,
  endedSession,
  summarise,
  type EndedStatus,
  type Session,
  type SessionStatus,
} from '../../domain/session.js';
import {
  decodeListCursor,
  encodeListCursor,
  listOrder,
  type EndResult,
  type ListPage,
  type ListQuery,
  type SessionStore,
  type StartResult,
} from '../../domain/stores.js';
import { clone, resolved, type MemoryState } from './state.js';

export class MemorySessionStore implements SessionStore {
  readonly #s: MemoryState;

  constructor(state: MemoryState) {
    this.#s = state;
  }

  startSession(session: Session): Promise<StartResult> {
    this.#s.check();
    const existing = this.#s.sessions.get(session.play_id);
    if (existing?.status === 'active')
      return resolved({ outcome: 'conflict', session: clone(existing) });
    this.#s.sessions.set(session.play_id, clone(session));
    return resolved({
      outcome: 'started',
      session: clone(session),
      replaced: existing?.status ?? null,
    });
  }

  getSessionJson(playId: string): Promise<string | undefined> {
    this.#s.check();
    const s = this.#s.sessions.get(playId);
    return resolved(s && JSON.stringify(s));
  }

  getSession(playId: string): Promise<Session | undefined> {
    this.#s.check();
    const s = this.#s.sessions.get(playId);
    return resolved(s && clone(s));
  }

  listSessions(query: ListQuery): Promise<ListPage> {
    this.#s.check();
    const after = query.cursor ? decodeListCursor(query.cursor) : undefined;
    const rows = [...this.#s.sessions.values()]
      .filter((s) => !query.status || s.status === query.status)
      .map(summarise)
      .sort(listOrder)
      .filter((s) => !after || listOrder(s, after as typeof s) > 0);
    const page = rows.slice(0, query.limit);
    const last = page[page.length - 1];
    return resolved({
      sessions: page,
      nextCursor: rows.length > query.limit && last ? encodeListCursor(last) : null,
    });
  }

  activeSessions(): Promise<Session[]> {
    this.#s.check();
    return resolved([...this.#s.sessions.values()].filter((s) => s.status === 'active').map(clone));
  }

  updateSession(
    playId: string,
    change: (current: Session) => Session | undefined,
  ): Promise<Session | undefined> {
    this.#s.check();
    const current = this.#s.sessions.get(playId);
    if (!current) return resolved(undefined);
    const next = change(clone(current));
    if (next) this.#s.sessions.set(playId, clone(next));
    return resolved(clone(next ?? current));
  }

  endSession(
    playId: string,
    status: EndedStatus,
    reason: string | null,
    at: Date,
  ): Promise<EndResult> {
    this.#s.check();
    return resolved(this.#end(playId, status, reason, at));
  }

  expireInactive(cutoff: Date, at: Date): Promise<Session[]> {
    this.#s.check();
    const stale = [...this.#s.sessions.values()].filter(
      (s) => s.status === 'active' && s.last_updated < cutoff.toISOString(),
    );
    const out: Session[] = [];
    for (const s of stale) {
      const r = this.#end(s.play_id, 'expired', 'no activity within the session TTL', at);
      if (r.outcome === 'ended') out.push(r.session);
    }
    return resolved(out);
  }

  purgeEnded(cutoff: Date): Promise<number> {
    this.#s.check();
    let n = 0;
    for (const [id, s] of this.#s.sessions) {
      if (s.ended_at && s.ended_at < cutoff.toISOString()) {
        this.#s.sessions.delete(id);
        n++;
      }
    }
    return resolved(n);
  }

  countByStatus(): Promise<Record<SessionStatus, number>> {
    this.#s.check();
    const counts = emptySessionCounts();
    for (const s of this.#s.sessions.values()) counts[s.status]++;
    return resolved(counts);
  }

  #end(playId: string, status: EndedStatus, reason: string | null, at: Date): EndResult {
    const current = this.#s.sessions.get(playId);
    if (!current) return { outcome: 'not_found' };
    if (current.status !== 'active') return { outcome: 'already_ended', session: clone(current) };
    const ended = endedSession(current, status, reason, at);
    this.#s.sessions.set(playId, ended);
    return { outcome: 'ended', session: clone(ended) };
  }
}
