import type { ActionRecord } from '../../domain/action.js';
import type { Incident } from '../../domain/incident.js';
import type { OutboxStore } from '../../domain/stores.js';
import { ProcessClaims } from '../claims.js';
import { clone, resolved, sortActions, type MemoryState } from './state.js';

export class MemoryOutboxStore implements OutboxStore {
  readonly #claims = new ProcessClaims();
  readonly #s: MemoryState;

  constructor(state: MemoryState) {
    this.#s = state;
  }

  actionsFor(incidentId: string): Promise<ActionRecord[]> {
    this.#s.check();
    return resolved(
      sortActions([...this.#s.actions.values()].filter((a) => a.incidentId === incidentId)).map(
        clone,
      ),
    );
  }

  dueActions(now: Date, limit: number): Promise<ActionRecord[]> {
    this.#s.check();
    const iso = now.toISOString();
    const due = sortActions(
      [...this.#s.actions.values()].filter((a) => a.state === 'pending' && a.nextAttemptAt <= iso),
    );
    return resolved(due.slice(0, limit).map(clone));
  }

  async claimDueActions(
    now: Date,
    limit: number,
    owner: string,
    leaseMs: number,
  ): Promise<ActionRecord[]> {
    // Every due action is read: those held by another owner are skipped, not counted.
    const due = await this.dueActions(now, Number.MAX_SAFE_INTEGER);
    return this.#claims.claim(due, limit, owner, leaseMs);
  }

  releaseClaims(owner: string): Promise<void> {
    this.#claims.release(owner);
    return Promise.resolve();
  }

  updateAction(
    id: string,
    change: (current: ActionRecord) => ActionRecord | undefined,
  ): Promise<ActionRecord | undefined> {
    this.#s.check();
    const current = this.#s.actions.get(id);
    if (!current) return resolved(undefined);
    const next = change(clone(current));
    if (next) {
      this.#s.actions.set(id, clone(next));
      this.#claims.end(id);
    }
    return resolved(clone(next ?? current));
  }

  finishAction(
    id: string,
    change: (current: ActionRecord) => ActionRecord,
    incident?: (current: Incident) => Incident,
  ): Promise<{ action: ActionRecord | undefined; incident: Incident | undefined }> {
    this.#s.check();
    const current = this.#s.actions.get(id);
    if (!current) return resolved({ action: undefined, incident: undefined });
    // every change is computed before anything is written: a failing one leaves both records alone
    const next = change(clone(current));
    const inc = this.#s.incidents.get(next.incidentId);
    const nextInc = inc && incident ? incident(clone(inc)) : inc;
    this.#s.actions.set(id, clone(next));
    this.#claims.end(id);
    if (nextInc && nextInc !== inc) this.#s.putIncident(nextInc, false);
    return resolved({ action: clone(next), incident: nextInc && clone(nextInc) });
  }
}
