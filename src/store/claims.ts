import type { ActionRecord } from '../domain/action.js';

/**
 * Outbox claims of a store only one process uses (SQLite, memory): kept in the process, with the
 * same rules as PostgreSQL's claim columns (an owner's claim hides an action from other owners
 * until it is recorded, released, or its lease lapses).
 */
export class ProcessClaims {
  readonly #claims = new Map<string, { owner: string; until: number }>();
  readonly #now: () => number;

  constructor(now: () => number = Date.now) {
    this.#now = now;
  }

  /** Claims, in order, up to `limit` of `due` that no other owner holds. */
  claim(due: ActionRecord[], limit: number, owner: string, leaseMs: number): ActionRecord[] {
    const now = this.#now();
    const out: ActionRecord[] = [];
    for (const a of due) {
      if (out.length >= limit) break;
      const c = this.#claims.get(a.id);
      if (c && c.owner !== owner && c.until > now) continue;
      this.#claims.set(a.id, { owner, until: now + leaseMs });
      out.push(a);
    }
    return out;
  }

  /** The action's outcome was recorded: its claim ends. */
  end(id: string): void {
    this.#claims.delete(id);
  }

  release(owner: string): void {
    for (const [id, c] of this.#claims) if (c.owner === owner) this.#claims.delete(id);
  }
}
