import type { Silence } from '../../domain/action.js';
import type { SilenceStore } from '../../domain/stores.js';
import { clone, resolved, type MemoryState } from './state.js';

export class MemorySilenceStore implements SilenceStore {
  readonly #s: MemoryState;

  constructor(state: MemoryState) {
    this.#s = state;
  }

  createSilence(silence: Silence): Promise<Silence> {
    this.#s.check();
    this.#s.silences.set(silence.id, clone(silence));
    return resolved(clone(silence));
  }

  listSilences(now?: Date): Promise<Silence[]> {
    this.#s.check();
    const iso = now?.toISOString();
    const rows = [...this.#s.silences.values()].filter(
      (s) => !iso || (!s.expiredAt && s.endsAt > iso && s.startsAt <= iso),
    );
    return resolved(rows.sort((a, b) => (a.startsAt < b.startsAt ? 1 : -1)).map(clone));
  }

  getSilence(id: string): Promise<Silence | undefined> {
    this.#s.check();
    const s = this.#s.silences.get(id);
    return resolved(s && clone(s));
  }

  expireSilence(id: string, at: Date, by: string | null = null): Promise<Silence | undefined> {
    this.#s.check();
    const s = this.#s.silences.get(id);
    if (!s) return resolved(undefined);
    if (!s.expiredAt)
      this.#s.silences.set(id, { ...s, expiredAt: at.toISOString(), expiredBy: by });
    return resolved(clone(this.#s.silences.get(id)!));
  }
}
