import type { AlertDraft } from '../domain/alert.js';
import type { Incident, IncidentQuery } from '../domain/incident.js';
import type { ActionRecord, Decision, Silence } from '../domain/action.js';
import type {
  EndedStatus,
  IncidentState,
  Session,
  SessionStatus,
  SessionSummary,
} from '../domain/session.js';

export type StartResult =
  | { outcome: 'started'; session: Session; replaced: SessionStatus | null }
  | { outcome: 'conflict'; session: Session };

export type EndResult =
  | { outcome: 'ended'; session: Session }
  | { outcome: 'not_found' }
  | { outcome: 'already_ended'; session: Session };

export interface ListQuery {
  status?: SessionStatus;
  limit: number;
  /** Opaque cursor from a previous page. */
  cursor?: string;
}

export interface ListPage {
  sessions: SessionSummary[];
  nextCursor: string | null;
}

/**
 * Healer's durable state. Sessions now; incidents, decisions, the action outbox and silences
 * join as further groups of methods, each multi-record change inside one transaction.
 * Every implementation passes `test/sessions/store-contract.ts`.
 */
export interface Store {
  readonly kind: 'sqlite' | 'memory';

  /**
   * Atomic check-and-insert: stores `session` unless an active session with that play id
   * exists (→ conflict). An ended one is replaced. Resolves only once the write is durable.
   */
  startSession(session: Session): Promise<StartResult>;
  getSession(playId: string): Promise<Session | undefined>;
  /** The stored session as JSON text (the read path of the API serves it without re-encoding). */
  getSessionJson(playId: string): Promise<string | undefined>;
  /** Newest `started_at` first. */
  listSessions(query: ListQuery): Promise<ListPage>;
  activeSessions(): Promise<Session[]>;
  /**
   * Atomic read-modify-write. `change` returns the new record, or undefined for no change.
   * Resolves with the stored record (undefined when the play id is unknown).
   */
  updateSession(
    playId: string,
    change: (current: Session) => Session | undefined,
  ): Promise<Session | undefined>;
  /** Ends an active session; `already_ended` leaves the stored record untouched. */
  endSession(
    playId: string,
    status: EndedStatus,
    reason: string | null,
    at: Date,
  ): Promise<EndResult>;
  /** Ends as `expired` every active session whose `last_updated` is before `cutoff`. */
  expireInactive(cutoff: Date, at: Date): Promise<Session[]>;
  /** Deletes ended sessions whose `ended_at` is before `cutoff`; returns how many. */
  purgeEnded(cutoff: Date): Promise<number>;
  countByStatus(): Promise<Record<SessionStatus, number>>;

  /**
   * Records one fingerprinted alert atomically: creates the incident, counts a repeat, or reopens
   * a resolved one; mirrors it into its session's `issues`.
   */
  recordAlert(
    draft: AlertDraft,
    fingerprint: string,
    at: Date,
  ): Promise<{ incident: Incident; outcome: RecordOutcome }>;
  getIncident(id: string): Promise<Incident | undefined>;
  /** Newest `lastSeen` first. */
  listIncidents(query: IncidentQuery): Promise<Incident[]>;
  countIncidentsByState(): Promise<Record<IncidentState, number>>;
  /** Every incident not resolved. */
  openIncidents(): Promise<Incident[]>;
  /** Atomic read-modify-write of an incident, mirrored into its session. */
  updateIncident(
    id: string,
    change: (current: Incident) => Incident | undefined,
  ): Promise<Incident | undefined>;

  /**
   * Stores a decision, its outbox actions and the incident change it implies, in one transaction
   * (remediation.md §2: actions are never lost between the decision and their dispatch).
   */
  commitDecision(input: {
    decision: Decision;
    actions: ActionRecord[];
    incident?: (current: Incident) => Incident;
  }): Promise<Incident | undefined>;
  decisionsFor(incidentId: string): Promise<Decision[]>;
  actionsFor(incidentId: string): Promise<ActionRecord[]>;
  /** Decisions and actions of every incident of a play, oldest first. */
  timeline(playId: string): Promise<{ decisions: Decision[]; actions: ActionRecord[] }>;
  /** Pending actions whose `nextAttemptAt` has come, oldest first. */
  dueActions(now: Date, limit: number): Promise<ActionRecord[]>;
  updateAction(
    id: string,
    change: (current: ActionRecord) => ActionRecord | undefined,
  ): Promise<ActionRecord | undefined>;
  /** Records an action's outcome and the incident change it implies, in one transaction. */
  finishAction(
    id: string,
    change: (current: ActionRecord) => ActionRecord,
    incident?: (current: Incident) => Incident,
  ): Promise<{ action: ActionRecord | undefined; incident: Incident | undefined }>;

  createSilence(silence: Silence): Promise<Silence>;
  /** Silences not expired and not past `endsAt` at `now` (all when `now` is omitted). */
  listSilences(now?: Date): Promise<Silence[]>;
  getSilence(id: string): Promise<Silence | undefined>;
  expireSilence(id: string, at: Date): Promise<Silence | undefined>;

  /** Small durable key/value state (Loki cursors per namespace, …). */
  getCursor(key: string): Promise<string | undefined>;
  setCursor(key: string, value: string): Promise<void>;

  /** Throws when the store cannot serve (used by `/ready`). */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export const emptyCounts = (): Record<SessionStatus, number> => ({
  active: 0,
  completed: 0,
  failed: 0,
  cancelled: 0,
  expired: 0,
});

/** Cursor of the list order (started_at desc, play_id desc). */
export const encodeCursor = (s: { started_at: string; play_id: string }): string =>
  Buffer.from(`${s.started_at}|${s.play_id}`).toString('base64url');

export function decodeCursor(cursor: string): { started_at: string; play_id: string } | undefined {
  const raw = Buffer.from(cursor, 'base64url').toString('utf8');
  const i = raw.indexOf('|');
  if (i <= 0) return undefined;
  return { started_at: raw.slice(0, i), play_id: raw.slice(i + 1) };
}

/** List order: newest started_at first, then play id descending for ties. */
export const listOrder = (a: SessionSummary, b: SessionSummary): number =>
  a.started_at === b.started_at
    ? a.play_id < b.play_id
      ? 1
      : a.play_id > b.play_id
        ? -1
        : 0
    : a.started_at < b.started_at
      ? 1
      : -1;

export type RecordOutcome = 'created' | 'repeat' | 'reopened';

export const emptyIncidentCounts = (): Record<IncidentState, number> => ({
  open: 0,
  remediating: 0,
  resolved: 0,
  escalated: 0,
  silenced: 0,
});
