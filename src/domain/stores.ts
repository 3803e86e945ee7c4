import type { AlertDraft } from './alert.js';
import type { ActionRecord, Decision, Silence } from './action.js';
import type { Incident, IncidentQuery, IncidentState, RecordOutcome } from './incident.js';
import type { OutcomeQuery, RemediationOutcome } from './outcome.js';
import type { EndedStatus, Session, SessionStatus, SessionSummary } from './session.js';

/*
 * Healer's durable state, one interface per aggregate (ADR 0006). Each has a sqlite and a memory
 * implementation in `src/store/`, and one contract suite in `test/store/contract/` that every
 * implementation passes. Writes that span aggregates (an incident mirrored into its session, a
 * decision with its outbox actions and incident change) are one transaction in every
 * implementation, and each write resolves only once it is durable.
 */

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

/** Sessions (Plays) and their mirrored view of incidents. */
export interface SessionStore {
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
}

/** Incidents with their decisions (and, inside the incident record, remediation attempts). */
export interface IncidentStore {
  /**
   * Records one fingerprinted alert atomically through the incident lifecycle
   * (`incidents/lifecycle.ts`): creates the incident, counts a repeat, or reopens a resolved
   * one; mirrors it into its session's `issues`.
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
  /** Decisions and actions of every incident of a play, oldest first. */
  timeline(playId: string): Promise<{ decisions: Decision[]; actions: ActionRecord[] }>;
}

/** The durable outbox of actions decisions planned. */
export interface OutboxStore {
  actionsFor(incidentId: string): Promise<ActionRecord[]>;
  /** Pending actions whose `nextAttemptAt` has come, oldest first. */
  dueActions(now: Date, limit: number): Promise<ActionRecord[]>;
  /**
   * Due actions no other owner holds, claimed by `owner` for `leaseMs` (oldest first): two
   * dispatchers claiming at once (an old leader still finishing and a new one) take disjoint
   * actions. Recording an action (`finishAction`, `updateAction`) ends its claim; a claim whose
   * owner died lapses after `leaseMs`. PostgreSQL claims with `FOR UPDATE SKIP LOCKED`; the
   * one-process stores keep claims in the process.
   */
  claimDueActions(
    now: Date,
    limit: number,
    owner: string,
    leaseMs: number,
  ): Promise<ActionRecord[]>;
  /** Ends every claim `owner` holds (a leader that stops hands its claimed actions on at once). */
  releaseClaims(owner: string): Promise<void>;
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
}

export interface SilenceStore {
  createSilence(silence: Silence): Promise<Silence>;
  /** Silences not expired and not past `endsAt` at `now` (all when `now` is omitted). */
  listSilences(now?: Date): Promise<Silence[]>;
  getSilence(id: string): Promise<Silence | undefined>;
  /** Ends a silence now, recording who; an already expired one is returned unchanged. */
  expireSilence(id: string, at: Date, by?: string | null): Promise<Silence | undefined>;
}

/** A span of a Play's logs that was never read (Loki catch-up longer than its limit). */
export interface LogGap {
  from: string;
  to: string;
}

/** How many gaps are kept per Play (the oldest go first). */
export const MAX_LOG_GAPS = 100;

/** Read progress: cursors of the log sources, and the gaps they could not read. */
export interface CursorStore {
  /** Small durable key/value state (Loki cursors per namespace, …). */
  getCursor(key: string): Promise<string | undefined>;
  setCursor(key: string, value: string): Promise<void>;
  /** Appends one gap atomically (keeping the newest {@link MAX_LOG_GAPS} of the play). */
  addLogGap(playId: string, from: Date, to: Date): Promise<void>;
  /** The play's gaps, oldest first. */
  logGaps(playId: string): Promise<LogGap[]>;
}

/** What each remediation attempt led to (issue #17 point 3): the memory `decide()` consults. */
export interface OutcomeStore {
  /** Stores one attempt's outcome, replacing an earlier outcome of the same attempt (same id). */
  recordOutcome(outcome: RemediationOutcome): Promise<void>;
  /** Newest `at` first; every given field must match. */
  listOutcomes(query: OutcomeQuery): Promise<RemediationOutcome[]>;
}

export interface StoreHealth {
  /** `sqlite`, `memory`, … (shown by `/ready`). */
  readonly kind: string;
  /** Throws when the store cannot serve (used by `/ready`). */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Every aggregate at once, for the wiring and for callers not yet narrowed to the aggregate they
 * need. New code takes the narrow interface.
 */
export type Store = SessionStore &
  IncidentStore &
  OutboxStore &
  SilenceStore &
  CursorStore &
  OutcomeStore &
  StoreHealth;

/** Cursor of the session list order (started_at desc, play_id desc). */
export const encodeListCursor = (s: { started_at: string; play_id: string }): string =>
  Buffer.from(`${s.started_at}|${s.play_id}`).toString('base64url');

export function decodeListCursor(
  cursor: string,
): { started_at: string; play_id: string } | undefined {
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
