import type { Silence } from '../../domain/action.js';
import type { SilenceStore } from '../../domain/stores.js';
import { docs, type SqliteTables } from './tables.js';

export class SqliteSilenceStore implements SilenceStore {
  readonly #t: SqliteTables;
  readonly #byId;
  readonly #all;
  readonly #active;

  constructor(tables: SqliteTables) {
    this.#t = tables;
    const p = (sql: string) => tables.db.prepare(sql);
    this.#byId = p('SELECT doc FROM silences WHERE id = ?');
    this.#all = p('SELECT doc FROM silences ORDER BY starts_at DESC');
    this.#active =
      p(`SELECT doc FROM silences WHERE expired_at IS NULL AND ends_at > ? AND starts_at <= ?
                         ORDER BY starts_at DESC`);
  }

  createSilence(silence: Silence): Promise<Silence> {
    return this.#t.writes.run(() => {
      this.#t.putSilence(silence);
      return silence;
    });
  }

  listSilences(now?: Date): Promise<Silence[]> {
    const rows = now ? this.#active.all(now.toISOString(), now.toISOString()) : this.#all.all();
    return Promise.resolve(docs<Silence>(rows));
  }

  getSilence(id: string): Promise<Silence | undefined> {
    return Promise.resolve(this.#read(id));
  }

  expireSilence(id: string, at: Date, by: string | null = null): Promise<Silence | undefined> {
    return this.#t.writes.run(() => {
      const s = this.#read(id);
      if (!s) return undefined;
      if (s.expiredAt) return s;
      const next = { ...s, expiredAt: at.toISOString(), expiredBy: by };
      this.#t.putSilence(next);
      return next;
    });
  }

  #read(id: string): Silence | undefined {
    return docs<Silence>([this.#byId.get(id)].filter(Boolean))[0];
  }
}
