import { EventEmitter } from 'node:events';
import type { ActiveSessionsView } from '../domain/active-sessions.js';
import type { Session } from '../domain/session.js';

export interface ActiveSessionEvents {
  /** A session became active, changed status or left the store (`session` then undefined). */
  changed: [playId: string, session: Session | undefined];
}

/**
 * The active sessions in memory, as every stage reads them: the one cache of what is watched.
 * `remember`/`forget` change membership (and say so with `changed`); `refresh` only swaps the
 * document of a session that is still active (after an update written by a stage).
 */
export class ActiveSessions
  extends EventEmitter<ActiveSessionEvents>
  implements ActiveSessionsView
{
  #byId = new Map<string, Session>();

  get(playId: string): Session | undefined {
    return this.#byId.get(playId);
  }

  has(playId: string): boolean {
    return this.#byId.has(playId);
  }

  list(): Session[] {
    return [...this.#byId.values()];
  }

  playIds(): string[] {
    return [...this.#byId.keys()];
  }

  namespaces(): string[] {
    return [...new Set(this.list().map((s) => s.namespace))];
  }

  /** The stored state of a session: an active one is kept, an ended one dropped. */
  remember(s: Session): void {
    if (s.status === 'active') this.#byId.set(s.play_id, s);
    else this.#byId.delete(s.play_id);
    this.emit('changed', s.play_id, s);
  }

  /** The session is no longer stored. */
  forget(playId: string): void {
    this.#byId.delete(playId);
    this.emit('changed', playId, undefined);
  }

  /** Replaces every session (a load from the store). */
  replaceAll(sessions: readonly Session[]): void {
    const gone = this.playIds();
    this.#byId = new Map(sessions.map((s) => [s.play_id, s]));
    for (const id of gone) if (!this.#byId.has(id)) this.emit('changed', id, undefined);
    for (const s of sessions) this.emit('changed', s.play_id, s);
  }

  /** A newer document of a session a stage just wrote: kept when the session is active. */
  refresh(s: Session | undefined): void {
    if (s?.status === 'active') this.#byId.set(s.play_id, s);
  }
}
