import type { Silence } from '../../domain/action.js';
import type { SilenceStore } from '../../domain/stores.js';
import type { Database } from './database.js';
import { docs, putSilence } from './rows.js';

type Doc = { doc: string };

export class PostgresSilenceStore implements SilenceStore {
  readonly #db: Database;

  constructor(db: Database) {
    this.#db = db;
  }

  createSilence(silence: Silence): Promise<Silence> {
    return this.#db.tx(async (sql) => {
      await putSilence(sql, silence);
      return silence;
    });
  }

  async listSilences(now?: Date): Promise<Silence[]> {
    const rows = now
      ? await this.#db.query<Doc>(
          `SELECT doc FROM silences WHERE expired_at IS NULL AND ends_at > $1 AND starts_at <= $1
           ORDER BY starts_at DESC`,
          [now.toISOString()],
        )
      : await this.#db.query<Doc>('SELECT doc FROM silences ORDER BY starts_at DESC');
    return docs<Silence>(rows);
  }

  async getSilence(id: string): Promise<Silence | undefined> {
    return docs<Silence>(
      await this.#db.query<Doc>('SELECT doc FROM silences WHERE id = $1', [id]),
    )[0];
  }

  expireSilence(id: string, at: Date, by: string | null = null): Promise<Silence | undefined> {
    return this.#db.tx(async (sql) => {
      const { rows } = await sql.query<Doc>('SELECT doc FROM silences WHERE id = $1 FOR UPDATE', [
        id,
      ]);
      const s = docs<Silence>(rows)[0];
      if (!s) return undefined;
      if (s.expiredAt) return s;
      const next = { ...s, expiredAt: at.toISOString(), expiredBy: by };
      await putSilence(sql, next);
      return next;
    });
  }
}
