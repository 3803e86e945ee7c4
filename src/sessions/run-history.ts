/**
 * How long each agent's successful runs took, per agent and stage (issue #18): the basis of the
 * learned thresholds. Kept in memory for the rules (which read it synchronously) and persisted as
 * one small JSON document in the store's key/value state, so a restart keeps what was learned and
 * needs no schema change on any backend. The newest {@link MAX_RUNS} runs per agent and stage are
 * kept; a run (a pod) seen twice — a relist after a restart — counts once.
 */
import type { CursorStore } from '../domain/stores.js';
import type { RunRecord } from '../domain/threshold.js';
import { normaliseAgent } from '../domain/stages.js';
import { KeyedQueue } from '../runtime/index.js';

export const RUN_HISTORY_KEY = 'run-history/v1';
export const MAX_RUNS = 50;

const keyOf = (agent: string, stage: string) => `${normaliseAgent(agent)}/${stage}`;

const isRun = (r: unknown): r is RunRecord =>
  !!r &&
  typeof (r as RunRecord).run === 'string' &&
  typeof (r as RunRecord).seconds === 'number' &&
  Number.isFinite((r as RunRecord).seconds) &&
  typeof (r as RunRecord).finishedAt === 'string';

export class RunHistory {
  readonly #store: Pick<CursorStore, 'getCursor' | 'setCursor'>;
  readonly #runs = new Map<string, RunRecord[]>();
  readonly #writes = new KeyedQueue();

  constructor(store: Pick<CursorStore, 'getCursor' | 'setCursor'>) {
    this.#store = store;
  }

  /** Reads the persisted history (a damaged document is dropped: learning starts again). */
  async load(): Promise<{ keys: number; dropped: boolean }> {
    const raw = await this.#store.getCursor(RUN_HISTORY_KEY);
    this.#runs.clear();
    if (!raw) return { keys: 0, dropped: false };
    let doc: unknown;
    try {
      doc = JSON.parse(raw);
    } catch {
      return { keys: 0, dropped: true };
    }
    if (!doc || typeof doc !== 'object' || Array.isArray(doc)) return { keys: 0, dropped: true };
    for (const [key, runs] of Object.entries(doc as Record<string, unknown>))
      if (Array.isArray(runs)) this.#runs.set(key, runs.filter(isRun).slice(-MAX_RUNS));
    return { keys: this.#runs.size, dropped: false };
  }

  /** Seconds of the kept successful runs of an agent in a stage, oldest first. */
  durations(agent: string, stage: string): number[] {
    return (this.#runs.get(keyOf(agent, stage)) ?? []).map((r) => r.seconds);
  }

  /** Every agent and stage with at least one run. */
  keys(): { agent: string; stage: string; runs: number }[] {
    return [...this.#runs].map(([key, runs]) => {
      const i = key.lastIndexOf('/');
      return { agent: key.slice(0, i), stage: key.slice(i + 1), runs: runs.length };
    });
  }

  /**
   * Records a successful run; false when it was already recorded (or not a usable duration).
   * Resolves once the history is durable.
   */
  async record(agent: string, stage: string, run: RunRecord): Promise<boolean> {
    if (!isRun(run) || run.seconds <= 0) return false;
    const key = keyOf(agent, stage);
    const runs = this.#runs.get(key) ?? [];
    if (runs.some((r) => r.run === run.run)) return false;
    this.#runs.set(key, [...runs, run].slice(-MAX_RUNS));
    // one document: writes are serialised so the last one written holds every run
    await this.#writes.run(RUN_HISTORY_KEY, () =>
      this.#store.setCursor(RUN_HISTORY_KEY, JSON.stringify(Object.fromEntries(this.#runs))),
    );
    return true;
  }

  idle(): Promise<void> {
    return this.#writes.idle();
  }
}
