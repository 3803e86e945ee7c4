import type { Run } from './checklist-runs.js';
import type { LogEntry } from './types.js';

/** Matching lines kept per incident key (alert, play, agent, family) as evidence. */
const MATCH_LINES = 10;
const MAX_INCIDENT_KEYS = 5000;

interface IncidentEvidence {
  context: string[];
  lines: string[];
}

export interface LogEvidenceOptions {
  /** Unfiltered lines around a line (Loki); without it the run's ring and the batch are used. */
  contextAround?(entry: LogEntry): Promise<{ before: string[]; after: string[] }>;
  before: number;
  after: number;
}

/**
 * Evidence of an incident key (alert, play, agent, family): the last matching lines (raw; the
 * store keeps them, redaction happens where they are shown), then, for its first occurrence only,
 * a few lines of context. Loki's line filter hides context lines, so with `contextAround` one
 * small unfiltered query per new key fetches them; the pod-log path sees every line and keeps a
 * small ring buffer per container instead (lines before, plus lines after within the same batch).
 */
export class LogEvidence {
  readonly #o: LogEvidenceOptions;
  readonly #byKey = new Map<string, IncidentEvidence>();

  constructor(o: LogEvidenceOptions) {
    this.#o = o;
  }

  async for(
    key: string,
    entry: LogEntry,
    run: Run,
    following: readonly LogEntry[],
  ): Promise<string[]> {
    let ev = this.#byKey.get(key);
    if (!ev) {
      ev = { context: await this.#context(entry, run, following), lines: [] };
      this.#byKey.set(key, ev);
      if (this.#byKey.size > MAX_INCIDENT_KEYS)
        this.#byKey.delete(this.#byKey.keys().next().value!);
    }
    ev.lines.push(entry.line);
    if (ev.lines.length > MATCH_LINES) ev.lines.splice(0, ev.lines.length - MATCH_LINES);
    return [...ev.lines, ...ev.context];
  }

  async #context(entry: LogEntry, run: Run, following: readonly LogEntry[]): Promise<string[]> {
    const ctx = this.#o.contextAround
      ? await this.#o.contextAround(entry).catch(() => ({ before: [], after: [] }))
      : {
          before: run.ring.slice(-this.#o.before),
          after: following.slice(0, this.#o.after).map((e) => e.line),
        };
    return ctx.before.length || ctx.after.length
      ? [
          `--- context (${entry.pod}/${entry.container} at ${entry.time.toISOString()}) ---`,
          ...ctx.before,
          `» ${entry.line}`,
          ...ctx.after,
        ]
      : [];
  }
}
