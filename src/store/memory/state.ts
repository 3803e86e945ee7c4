import type { ActionRecord, Decision, Silence } from '../../domain/action.js';
import type { Incident } from '../../domain/incident.js';
import type { RemediationOutcome } from '../../domain/outcome.js';
import type { Session } from '../../domain/session.js';
import { applyIncident } from '../../domain/session-issue.js';
import type { LogGap } from '../../domain/stores.js';
import { withIncidentDefaults } from '../../incidents/lifecycle.js';

export const clone = <T>(v: T): T => structuredClone(v);
export const resolved = <T>(v: T): Promise<T> => Promise.resolve(v);

export const sortActions = (rows: ActionRecord[]): ActionRecord[] =>
  rows.sort((a, b) =>
    a.createdAt === b.createdAt ? a.seq - b.seq : a.createdAt < b.createdAt ? -1 : 1,
  );

/**
 * The data of the in-process store, shared by its per-aggregate stores. Every method runs
 * synchronously, so a change spanning aggregates is atomic; nothing survives the process.
 */
export class MemoryState {
  readonly sessions = new Map<string, Session>();
  readonly cursors = new Map<string, string>();
  readonly logGaps = new Map<string, LogGap[]>();
  readonly incidents = new Map<string, Incident>();
  readonly decisions: Decision[] = [];
  readonly actions = new Map<string, ActionRecord>();
  readonly silences = new Map<string, Silence>();
  readonly outcomes = new Map<string, RemediationOutcome>();
  #closed = false;

  /** Writes an incident (every field filled, as the other stores read it) and mirrors it into its session. */
  putIncident(incident: Incident, add: boolean): void {
    this.incidents.set(incident.id, clone(withIncidentDefaults(incident)));
    const session = incident.playId ? this.sessions.get(incident.playId) : undefined;
    const updated = session && applyIncident(session, incident, add);
    if (updated) this.sessions.set(updated.play_id, updated);
  }

  close(): void {
    this.#closed = true;
  }

  check(): void {
    if (this.#closed) throw new Error('store is closed');
  }
}
