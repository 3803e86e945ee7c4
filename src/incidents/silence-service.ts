import { randomUUID } from 'node:crypto';
import type { Silence } from '../domain/action.js';
import type { Clock } from '../domain/clock.js';
import { notFound } from '../domain/errors.js';
import type { SilenceStore } from '../domain/stores.js';
import { silenceFromBody, type SilenceBody } from './silences.js';

/**
 * Silences (api.md): matching alerts are recorded but not acted on until they end or expire.
 * Creating or expiring one tells the decisions at once (`onChange`), so the next decision reads
 * the silences again.
 */
export class SilenceService {
  readonly #o: { store: SilenceStore; clock: Clock; onChange: () => void };

  constructor(o: { store: SilenceStore; clock: Clock; onChange?: () => void }) {
    this.#o = { onChange: () => {}, ...o };
  }

  async create(body: SilenceBody): Promise<Silence> {
    const s = await this.#o.store.createSilence(
      silenceFromBody(body, `sil-${randomUUID()}`, this.#o.clock.now()),
    );
    this.#o.onChange();
    return s;
  }

  /** Active silences now, or every silence (`all`). */
  list(all = false): Promise<Silence[]> {
    return this.#o.store.listSilences(all ? undefined : this.#o.clock.now());
  }

  async get(id: string): Promise<Silence> {
    const s = await this.#o.store.getSilence(id);
    if (!s) throw notFound('Silence', id);
    return s;
  }

  async expire(id: string, by: string | null): Promise<Silence> {
    const s = await this.#o.store.expireSilence(id, this.#o.clock.now(), by);
    if (!s) throw notFound('Silence', id);
    this.#o.onChange();
    return s;
  }
}
