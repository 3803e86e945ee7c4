import type { AlertDraft } from '../domain/alert.js';
import type { Incident, IncidentQuery } from '../domain/incident.js';
import type { ActionRecord, Decision, Silence } from '../domain/action.js';
import type { EndedStatus, IncidentState, Session, SessionStatus } from '../domain/session.js';
import { applyIncident, nextIncident } from './model.js';
import { summarise } from '../domain/session.js';
import {
  decodeCursor,
  emptyCounts,
  emptyIncidentCounts,
  encodeCursor,
  listOrder,
  type EndResult,
  type RecordOutcome,
  type ListPage,
  type ListQuery,
  type StartResult,
  type Store,
} from './store.js';

const clone = <T>(v: T): T => structuredClone(v);

/** In-process store for tests: same contract as sqlite, nothing survives the process. */
export class MemoryStore implements Store {
  readonly kind = 'memory' as const;
  readonly #sessions = new Map<string, Session>();
  readonly #cursors = new Map<string, string>();
  readonly #incidents = new Map<string, Incident>();
  readonly #decisions: Decision[] = [];
  readonly #actions = new Map<string, ActionRecord>();
  readonly #silences = new Map<string, Silence>();
  #closed = false;

  startSession(session: Session): Promise<StartResult> {
    this.#check();
    const existing = this.#sessions.get(session.play_id);
    if (existing?.status === 'active')
      return resolved({ outcome: 'conflict', session: clone(existing) });
    this.#sessions.set(session.play_id, clone(session));
    return resolved({
      outcome: 'started',
      session: clone(session),
      replaced: existing?.status ?? null,
    });
  }

  getSessionJson(playId: string): Promise<string | undefined> {
    this.#check();
    const s = this.#sessions.get(playId);
    return resolved(s && JSON.stringify(s));
  }

  getSession(playId: string): Promise<Session | undefined> {
    this.#check();
    const s = this.#sessions.get(playId);
    return resolved(s && clone(s));
  }

  listSessions(query: ListQuery): Promise<ListPage> {
    this.#check();
    const after = query.cursor ? decodeCursor(query.cursor) : undefined;
    const rows = [...this.#sessions.values()]
      .filter((s) => !query.status || s.status === query.status)
      .map(summarise)
      .sort(listOrder)
      .filter((s) => !after || listOrder(s, after as typeof s) > 0);
    const page = rows.slice(0, query.limit);
    const last = page[page.length - 1];
    return resolved({
      sessions: page,
      nextCursor: rows.length > query.limit && last ? encodeCursor(last) : null,
    });
  }

  activeSessions(): Promise<Session[]> {
    this.#check();
    return resolved([...this.#sessions.values()].filter((s) => s.status === 'active').map(clone));
  }

  updateSession(
    playId: string,
    change: (current: Session) => Session | undefined,
  ): Promise<Session | undefined> {
    this.#check();
    const current = this.#sessions.get(playId);
    if (!current) return resolved(undefined);
    const next = change(clone(current));
    if (next) this.#sessions.set(playId, clone(next));
    return resolved(clone(next ?? current));
  }

  endSession(
    playId: string,
    status: EndedStatus,
    reason: string | null,
    at: Date,
  ): Promise<EndResult> {
    this.#check();
    const current = this.#sessions.get(playId);
    if (!current) return resolved({ outcome: 'not_found' });
    if (current.status !== 'active')
      return resolved({ outcome: 'already_ended', session: clone(current) });
    const iso = at.toISOString();
    const ended: Session = {
      ...current,
      status,
      end_reason: reason,
      ended_at: iso,
      last_updated: iso,
    };
    this.#sessions.set(playId, ended);
    return resolved({ outcome: 'ended', session: clone(ended) });
  }

  async expireInactive(cutoff: Date, at: Date): Promise<Session[]> {
    const stale = [...this.#sessions.values()].filter(
      (s) => s.status === 'active' && s.last_updated < cutoff.toISOString(),
    );
    const out: Session[] = [];
    for (const s of stale) {
      const r = await this.endSession(
        s.play_id,
        'expired',
        'no activity within the session TTL',
        at,
      );
      if (r.outcome === 'ended') out.push(r.session);
    }
    return out;
  }

  purgeEnded(cutoff: Date): Promise<number> {
    this.#check();
    let n = 0;
    for (const [id, s] of this.#sessions) {
      if (s.ended_at && s.ended_at < cutoff.toISOString()) {
        this.#sessions.delete(id);
        n++;
      }
    }
    return resolved(n);
  }

  countByStatus(): Promise<Record<SessionStatus, number>> {
    this.#check();
    const counts = emptyCounts();
    for (const s of this.#sessions.values()) counts[s.status]++;
    return resolved(counts);
  }

  recordAlert(
    draft: AlertDraft,
    fingerprint: string,
    at: Date,
  ): Promise<{ incident: Incident; outcome: RecordOutcome }> {
    this.#check();
    const current = [...this.#incidents.values()].find((i) => i.fingerprint === fingerprint);
    const next = nextIncident(current, draft, fingerprint, at);
    this.#putIncident(next.incident, true);
    return resolved({ incident: clone(next.incident), outcome: next.outcome });
  }

  getIncident(id: string): Promise<Incident | undefined> {
    this.#check();
    const i = this.#incidents.get(id);
    return resolved(i && clone(i));
  }

  listIncidents(q: IncidentQuery): Promise<Incident[]> {
    this.#check();
    const rows = [...this.#incidents.values()]
      .filter(
        (i) =>
          (!q.state || i.state === q.state) &&
          (!q.playId || i.playId === q.playId) &&
          (!q.alert || i.alert === q.alert),
      )
      .sort((a, b) =>
        a.lastSeen === b.lastSeen ? (a.id < b.id ? 1 : -1) : a.lastSeen < b.lastSeen ? 1 : -1,
      );
    return resolved(rows.slice(0, q.limit).map(clone));
  }

  countIncidentsByState(): Promise<Record<IncidentState, number>> {
    this.#check();
    const counts = emptyIncidentCounts();
    for (const i of this.#incidents.values()) counts[i.state]++;
    return resolved(counts);
  }

  openIncidents(): Promise<Incident[]> {
    this.#check();
    return resolved([...this.#incidents.values()].filter((i) => i.state !== 'resolved').map(clone));
  }

  updateIncident(
    id: string,
    change: (current: Incident) => Incident | undefined,
  ): Promise<Incident | undefined> {
    this.#check();
    const current = this.#incidents.get(id);
    if (!current) return resolved(undefined);
    const next = change(clone(current));
    if (next) this.#putIncident(next, false);
    return resolved(clone(next ?? current));
  }

  #putIncident(incident: Incident, add: boolean): void {
    this.#incidents.set(incident.id, clone(incident));
    const session = incident.playId ? this.#sessions.get(incident.playId) : undefined;
    const updated = session && applyIncident(session, incident, add);
    if (updated) this.#sessions.set(updated.play_id, updated);
  }

  commitDecision(input: {
    decision: Decision;
    actions: ActionRecord[];
    incident?: (current: Incident) => Incident;
  }): Promise<Incident | undefined> {
    this.#check();
    const current = this.#incidents.get(input.decision.incidentId);
    const next = current && input.incident ? input.incident(clone(current)) : current;
    if (next && next !== current) this.#putIncident(next, false);
    this.#decisions.push(clone(input.decision));
    for (const a of input.actions) this.#actions.set(a.id, clone(a));
    return resolved(next && clone(next));
  }

  decisionsFor(incidentId: string): Promise<Decision[]> {
    this.#check();
    return resolved(this.#decisions.filter((d) => d.incidentId === incidentId).map(clone));
  }

  actionsFor(incidentId: string): Promise<ActionRecord[]> {
    this.#check();
    return resolved(
      sortActions([...this.#actions.values()].filter((a) => a.incidentId === incidentId)).map(
        clone,
      ),
    );
  }

  timeline(playId: string): Promise<{ decisions: Decision[]; actions: ActionRecord[] }> {
    this.#check();
    const ids = new Set(
      [...this.#incidents.values()].filter((i) => i.playId === playId).map((i) => i.id),
    );
    return resolved({
      decisions: this.#decisions.filter((d) => ids.has(d.incidentId)).map(clone),
      actions: sortActions([...this.#actions.values()].filter((a) => ids.has(a.incidentId))).map(
        clone,
      ),
    });
  }

  dueActions(now: Date, limit: number): Promise<ActionRecord[]> {
    this.#check();
    const iso = now.toISOString();
    const due = sortActions(
      [...this.#actions.values()].filter((a) => a.state === 'pending' && a.nextAttemptAt <= iso),
    );
    return resolved(due.slice(0, limit).map(clone));
  }

  updateAction(
    id: string,
    change: (current: ActionRecord) => ActionRecord | undefined,
  ): Promise<ActionRecord | undefined> {
    this.#check();
    const current = this.#actions.get(id);
    if (!current) return resolved(undefined);
    const next = change(clone(current));
    if (next) this.#actions.set(id, clone(next));
    return resolved(clone(next ?? current));
  }

  finishAction(
    id: string,
    change: (current: ActionRecord) => ActionRecord,
    incident?: (current: Incident) => Incident,
  ): Promise<{ action: ActionRecord | undefined; incident: Incident | undefined }> {
    this.#check();
    const current = this.#actions.get(id);
    if (!current) return resolved({ action: undefined, incident: undefined });
    const next = change(clone(current));
    this.#actions.set(id, clone(next));
    const inc = this.#incidents.get(next.incidentId);
    const nextInc = inc && incident ? incident(clone(inc)) : inc;
    if (nextInc && nextInc !== inc) this.#putIncident(nextInc, false);
    return resolved({ action: clone(next), incident: nextInc && clone(nextInc) });
  }

  createSilence(silence: Silence): Promise<Silence> {
    this.#check();
    this.#silences.set(silence.id, clone(silence));
    return resolved(clone(silence));
  }

  listSilences(now?: Date): Promise<Silence[]> {
    this.#check();
    const iso = now?.toISOString();
    const rows = [...this.#silences.values()].filter(
      (s) => !iso || (!s.expiredAt && s.endsAt > iso && s.startsAt <= iso),
    );
    return resolved(rows.sort((a, b) => (a.startsAt < b.startsAt ? 1 : -1)).map(clone));
  }

  getSilence(id: string): Promise<Silence | undefined> {
    this.#check();
    const s = this.#silences.get(id);
    return resolved(s && clone(s));
  }

  expireSilence(id: string, at: Date): Promise<Silence | undefined> {
    this.#check();
    const s = this.#silences.get(id);
    if (!s) return resolved(undefined);
    if (!s.expiredAt) this.#silences.set(id, { ...s, expiredAt: at.toISOString() });
    return resolved(clone(this.#silences.get(id)!));
  }

  getCursor(key: string): Promise<string | undefined> {
    this.#check();
    return resolved(this.#cursors.get(key));
  }

  setCursor(key: string, value: string): Promise<void> {
    this.#check();
    this.#cursors.set(key, value);
    return resolved(undefined);
  }

  ping(): Promise<void> {
    this.#check();
    return resolved(undefined);
  }

  close(): Promise<void> {
    this.#closed = true;
    return resolved(undefined);
  }

  #check(): void {
    if (this.#closed) throw new Error('store is closed');
  }
}

const resolved = <T>(v: T): Promise<T> => Promise.resolve(v);

const sortActions = (rows: ActionRecord[]): ActionRecord[] =>
  rows.sort((a, b) =>
    a.createdAt === b.createdAt ? a.seq - b.seq : a.createdAt < b.createdAt ? -1 : 1,
  );
