import {
  matchesOutcome,
  outcomeOrder,
  type OutcomeQuery,
  type RemediationOutcome,
} from '../../domain/outcome.js';
import type { OutcomeStore } from '../../domain/stores.js';
import { clone, resolved, type MemoryState } from './state.js';

export class MemoryOutcomeStore implements OutcomeStore {
  readonly #s: MemoryState;

  constructor(state: MemoryState) {
    this.#s = state;
  }

  recordOutcome(outcome: RemediationOutcome): Promise<void> {
    this.#s.check();
    this.#s.outcomes.set(outcome.id, clone(outcome));
    return resolved(undefined);
  }

  listOutcomes(query: OutcomeQuery): Promise<RemediationOutcome[]> {
    this.#s.check();
    const rows = [...this.#s.outcomes.values()].filter((o) => matchesOutcome(o, query));
    return resolved(rows.sort(outcomeOrder).slice(0, query.limit).map(clone));
  }
}
