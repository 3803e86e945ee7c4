// Insights (issue #17 point 4): per alert and agent, how many incidents, how many remediation
// attempts and how they ended, the median time to resolve and the most frequent evidence
// signatures, computed from the store (incidents and recorded outcomes), so they survive restarts.
// Pure: the route and the CLI read the store and format.
import type { Incident } from '../domain/incident.js';
import { FAILURE_OUTCOMES, SUCCESS_OUTCOMES, type RemediationOutcome } from '../domain/outcome.js';
import { evidenceSignature, historySaysNo, type ClassHistory } from './history.js';

export interface SignatureInsight {
  signature: string;
  incidents: number;
  attempts: number;
  successes: number;
  failures: number;
}

export interface InsightRow {
  alert: string;
  agent: string | null;
  incidents: number;
  resolved: number;
  attempts: number;
  successes: number;
  failures: number;
  /** Attempts whose pull request was merged and whose condition cleared (`pr-merged`, a success). */
  merged: number;
  /** Successes over settled attempts (successes + failures); null when none is settled. */
  successRate: number | null;
  /** Median of resolvedAt − firstSeen over the resolved incidents, in seconds; null when none. */
  medianTimeToResolveSeconds: number | null;
  /** The most frequent evidence signatures, at most `topSignatures`. */
  topSignatures: SignatureInsight[];
}

/** A class (alert, agent, signature) with failures: what `history-says-no` reads. */
export interface FailingClass {
  alert: string;
  agent: string | null;
  signature: string;
  failures: number;
  successes: number;
  lastFailureAt: string;
  /** `history-says-no` holds for the next incident of this class (failures ≥ threshold, no success). */
  refused: boolean;
  /** The latest failure's summary (redacted when recorded). */
  lastSummary: string;
}

export interface Insights {
  rows: InsightRow[];
  failing: FailingClass[];
  totals: {
    incidents: number;
    attempts: number;
    successes: number;
    failures: number;
    merged: number;
    successRate: number | null;
  };
}

const key = (alert: string, agent: string | null) => `${alert}\u0000${agent ?? ''}`;
const rate = (s: number, f: number) =>
  s + f === 0 ? null : Math.round((s / (s + f)) * 1000) / 1000;

export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const v = [...values].sort((a, b) => a - b);
  const mid = Math.floor(v.length / 2);
  return v.length % 2 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
}

interface Acc {
  alert: string;
  agent: string | null;
  incidents: Incident[];
  outcomes: RemediationOutcome[];
}

function signatures(acc: Acc, top: number): SignatureInsight[] {
  const by = new Map<string, SignatureInsight>();
  const get = (signature: string) => {
    let s = by.get(signature);
    if (!s)
      by.set(signature, (s = { signature, incidents: 0, attempts: 0, successes: 0, failures: 0 }));
    return s;
  };
  for (const i of acc.incidents) get(evidenceSignature(i)).incidents++;
  for (const o of acc.outcomes) {
    const s = get(o.signature);
    s.attempts++;
    if (SUCCESS_OUTCOMES.has(o.outcome)) s.successes++;
    if (FAILURE_OUTCOMES.has(o.outcome)) s.failures++;
  }
  return [...by.values()]
    .sort(
      (a, b) =>
        b.incidents - a.incidents ||
        b.attempts - a.attempts ||
        a.signature.localeCompare(b.signature),
    )
    .slice(0, top);
}

function row(acc: Acc, top: number): InsightRow {
  const successes = acc.outcomes.filter((o) => SUCCESS_OUTCOMES.has(o.outcome)).length;
  const failures = acc.outcomes.filter((o) => FAILURE_OUTCOMES.has(o.outcome)).length;
  const resolved = acc.incidents.filter((i) => i.state === 'resolved' && i.resolvedAt);
  const durations = resolved
    .map((i) => (Date.parse(i.resolvedAt!) - Date.parse(i.firstSeen)) / 1000)
    .filter((s) => Number.isFinite(s) && s >= 0);
  return {
    alert: acc.alert,
    agent: acc.agent,
    incidents: acc.incidents.length,
    resolved: resolved.length,
    attempts: acc.outcomes.length,
    successes,
    failures,
    merged: acc.outcomes.filter((o) => o.outcome === 'pr-merged').length,
    successRate: rate(successes, failures),
    medianTimeToResolveSeconds: median(durations),
    topSignatures: signatures(acc, top),
  };
}

/** The classes with failures, the refused ones first, then by failures. */
function failingClasses(
  outcomes: readonly RemediationOutcome[],
  minFailures: number,
  windowDays: number,
): FailingClass[] {
  const by = new Map<string, RemediationOutcome[]>();
  for (const o of outcomes) {
    const k = `${key(o.alert, o.agent)}\u0000${o.signature}`;
    by.set(k, [...(by.get(k) ?? []), o]);
  }
  const out: FailingClass[] = [];
  for (const rows of by.values()) {
    const failures = rows.filter((o) => FAILURE_OUTCOMES.has(o.outcome));
    if (failures.length === 0) continue;
    const successes = rows.filter((o) => SUCCESS_OUTCOMES.has(o.outcome));
    const last = [...failures].sort((a, b) => b.at.localeCompare(a.at))[0];
    const h: ClassHistory = {
      class: { alert: last.alert, agent: last.agent, signature: last.signature },
      windowDays,
      failures,
      successes,
    };
    out.push({
      alert: last.alert,
      agent: last.agent,
      signature: last.signature,
      failures: failures.length,
      successes: successes.length,
      lastFailureAt: last.at,
      refused: historySaysNo(h, minFailures) !== null,
      lastSummary: last.summary,
    });
  }
  return out.sort(
    (a, b) =>
      Number(b.refused) - Number(a.refused) ||
      b.failures - a.failures ||
      b.lastFailureAt.localeCompare(a.lastFailureAt),
  );
}

/**
 * Insights over the given incidents and outcomes (the caller reads them for one time range):
 * one row per alert and agent, busiest first, and the failing classes.
 */
export function computeInsights(
  incidents: readonly Incident[],
  outcomes: readonly RemediationOutcome[],
  opts: { topSignatures?: number; minFailures: number; windowDays: number },
): Insights {
  const accs = new Map<string, Acc>();
  const acc = (alert: string, agent: string | null) => {
    const k = key(alert, agent);
    let a = accs.get(k);
    if (!a) accs.set(k, (a = { alert, agent, incidents: [], outcomes: [] }));
    return a;
  };
  for (const i of incidents) acc(i.alert, i.agent).incidents.push(i);
  for (const o of outcomes) acc(o.alert, o.agent).outcomes.push(o);
  const rows = [...accs.values()]
    .map((a) => row(a, opts.topSignatures ?? 5))
    .sort(
      (a, b) =>
        b.incidents - a.incidents ||
        b.attempts - a.attempts ||
        a.alert.localeCompare(b.alert) ||
        (a.agent ?? '').localeCompare(b.agent ?? ''),
    );
  const successes = rows.reduce((n, r) => n + r.successes, 0);
  const failures = rows.reduce((n, r) => n + r.failures, 0);
  return {
    rows,
    failing: failingClasses(outcomes, opts.minFailures, opts.windowDays),
    totals: {
      incidents: incidents.length,
      attempts: outcomes.length,
      successes,
      failures,
      merged: rows.reduce((n, r) => n + r.merged, 0),
      successRate: rate(successes, failures),
    },
  };
}
