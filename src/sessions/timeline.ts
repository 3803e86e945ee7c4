import type { ActionRecord, Decision } from '../domain/action.js';
import { notFound } from '../domain/errors.js';
import type { Incident, IncidentQuery } from '../domain/incident.js';
import { redact } from '../domain/redact.js';
import type { Session } from '../domain/session.js';
import type { LogGap } from '../domain/stores.js';

export const TIMELINE_TYPES = [
  'session',
  'agent',
  'alert',
  'decision',
  'action',
  'resolution',
  'log-gap',
] as const;

export interface TimelineEntry {
  at: string;
  type: (typeof TIMELINE_TYPES)[number];
  incident_id: string | null;
  summary: string;
  detail: Record<string, unknown>;
}

export interface TimelineSources {
  session(playId: string): Promise<Session | undefined>;
  incidents(query: IncidentQuery): Promise<Incident[]>;
  decisionsAndActions(playId: string): Promise<{ decisions: Decision[]; actions: ActionRecord[] }>;
  logGaps(playId: string): Promise<LogGap[]>;
}

/** What happened to a Play, and why Healer did what it did, in time order (text redacted). */
export async function sessionTimeline(
  src: TimelineSources,
  playId: string,
): Promise<TimelineEntry[]> {
  const s = await src.session(playId);
  if (!s) throw notFound('Session', playId, { session: null });
  const entries: TimelineEntry[] = [];
  const add = (at: string | null | undefined, e: Omit<TimelineEntry, 'at'>) =>
    at && entries.push({ at, ...e });
  sessionEntries(s, add);
  for (const i of await src.incidents({ playId, limit: 5000 })) incidentEntries(i, add);
  const { decisions, actions } = await src.decisionsAndActions(playId);
  for (const d of decisions) {
    add(d.at, {
      type: 'decision',
      incident_id: d.incidentId,
      summary: `${d.reason}: ${redact(d.detail)}`,
      detail: { reason: d.reason, plan: d.plan.map((p) => p.kind) },
    });
  }
  for (const a of actions) {
    add(a.updatedAt, {
      type: 'action',
      incident_id: a.incidentId,
      summary: `${a.action.kind} → ${a.destination}: ${a.state}${a.lastError ? ` (${redact(a.lastError)})` : ''}`,
      detail: { state: a.state, attempts: a.attempts, result: a.result },
    });
  }
  for (const g of await src.logGaps(playId)) {
    add(g.from, {
      type: 'log-gap',
      incident_id: null,
      summary: `logs from ${g.from} to ${g.to} were never read (Loki catch-up limit)`,
      detail: { from: g.from, to: g.to },
    });
  }
  add(s.ended_at, {
    type: 'session',
    incident_id: null,
    summary: `session ${s.status}`,
    detail: { reason: s.end_reason },
  });
  return entries.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
}

type Add = (at: string | null | undefined, e: Omit<TimelineEntry, 'at'>) => unknown;

function sessionEntries(s: Session, add: Add): void {
  add(s.started_at, {
    type: 'session',
    incident_id: null,
    summary: 'session started',
    detail: { repository: s.repository, tasks: s.tasks.length },
  });
  for (const a of s.agents) {
    add(a.started_at, {
      type: 'agent',
      incident_id: null,
      summary: `${a.name} started (${a.stage})`,
      detail: { pod: a.pod, coderun: a.coderun, phase: a.phase },
    });
  }
}

function incidentEntries(i: Incident, add: Add): void {
  add(i.firstSeen, {
    type: 'alert',
    incident_id: i.id,
    summary: `${i.alert} ${redact(i.title)}`,
    detail: { severity: i.severity, occurrences: i.occurrences, last_seen: i.lastSeen },
  });
  add(i.resolvedAt, {
    type: 'resolution',
    incident_id: i.id,
    summary: `resolved: ${i.resolution ?? ''}`,
    detail: {},
  });
}
