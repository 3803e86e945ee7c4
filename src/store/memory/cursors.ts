import { MAX_LOG_GAPS, type CursorStore, type LogGap } from '../../domain/stores.js';
import { clone, resolved, type MemoryState } from './state.js';

export class MemoryCursorStore implements CursorStore {
  readonly #s: MemoryState;

  constructor(state: MemoryState) {
    this.#s = state;
  }

  getCursor(key: string): Promise<string | undefined> {
    this.#s.check();
    return resolved(this.#s.cursors.get(key));
  }

  setCursor(key: string, value: string): Promise<void> {
    this.#s.check();
    this.#s.cursors.set(key, value);
    return resolved(undefined);
  }

  addLogGap(playId: string, from: Date, to: Date): Promise<void> {
    this.#s.check();
    const gaps = [
      ...(this.#s.logGaps.get(playId) ?? []),
      { from: from.toISOString(), to: to.toISOString() },
    ];
    this.#s.logGaps.set(playId, gaps.slice(-MAX_LOG_GAPS));
    return resolved(undefined);
  }

  logGaps(playId: string): Promise<LogGap[]> {
    this.#s.check();
    return resolved(clone(this.#s.logGaps.get(playId) ?? []));
  }
}
