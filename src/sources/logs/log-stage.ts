import {
  applyPreflight,
  inPreflightWindow,
  markOf,
  PREFLIGHT_WINDOW_MS,
  StreamWindow,
} from '../../detectors/patterns/index.js';
import type {
  ChecklistMark,
  ChecklistScanner,
  Classifier,
  Finding,
} from '../../detectors/patterns/index.js';
import type { Correlation } from '../../domain/signal.js';
import type { AlertDraft } from '../../domain/alert.js';
import type { Clock } from '../../domain/clock.js';
import { isSidecarName } from '../../domain/pod-containers.js';
import type { PreflightItem, PreflightState, Session } from '../../domain/session.js';
import { normaliseAgent } from '../../domain/stages.js';
import { checklistOf, pushRing } from './checklist-runs.js';
import type { Run } from './checklist-runs.js';
import { logDraft } from './log-drafts.js';
import type { LogEntry, LogLogger } from './types.js';

/** What the pipeline drives: lines in, drafts and checklist updates out. */
export interface LogStage {
  /** Classifies a batch of one namespace's lines (in time order per container). */
  handle(namespace: string, entries: readonly LogEntry[]): Promise<void>;
  /** Freezes the checklists whose window has closed; call on a timer (a few seconds). */
  tick(): Promise<void>;
  /** Loki skipped `[from, to)` of a namespace: reported for each of its active sessions. */
  gap(namespace: string, from: Date, to: Date): Promise<void>;
}

export interface LogStageOptions {
  classifier: Classifier;
  checklistScanner: ChecklistScanner;
  /** The correlation of a pod (the cached object, or its name alone: play-id prefix). */
  correlatePod(namespace: string, pod: string): Correlation;
  session(playId: string): Session | undefined;
  /** `startedAt` of the container's current instance, null while unknown. */
  containerStartedAt(namespace: string, pod: string, container: string): Date | null;
  clock: Clock;
  /** One occurrence of a log alert (the pipeline records it with `tracker.occurrence`). */
  onDraft(draft: AlertDraft): void | Promise<void>;
  /** The checklist of an agent run changed (the pipeline writes `agents[].preflight`). */
  onChecklist(
    playId: string,
    agent: string,
    items: PreflightItem[],
    state: PreflightState,
  ): void | Promise<void>;
  /** Whether a container is the agent's. Default: any container not named like a sidecar. */
  isAgentContainer?(namespace: string, pod: string, container: string): boolean;
  /**
   * Unfiltered lines around a line, for the evidence of an incident's first occurrence (Loki,
   * whose line filter hides them: `LokiPoller.contextAround`). Without it the stage keeps the
   * last lines of every container itself (the pod-log path sees every line).
   */
  contextAround?(entry: LogEntry): Promise<{ before: string[]; after: string[] }>;
  /** Agent runs to freeze even when they print nothing that matches (e.g. the pod-log targets). */
  activeRuns?(): readonly { namespace: string; pod: string; container: string }[];
  /** Active sessions of a namespace (for gaps). */
  sessionsIn?(namespace: string): readonly Session[];
  onGap?(playId: string, from: Date, to: Date): void | Promise<void>;
  logger?: LogLogger;
  /** Pre-flight window after `startedAt`. Default 60 s. */
  windowMs?: number;
  /** Lines may arrive this late (Loki's ingest delay and tick) before the checklist freezes. Default 15 s. */
  freezeGraceMs?: number;
  /** Context lines before (and after) a first occurrence. Default 3 (and 2). */
  contextBefore?: number;
  contextAfter?: number;
}

/** Matching lines kept per incident key (alert, play, agent, family) as evidence. */
const MATCH_LINES = 10;
const MAX_RUNS = 5000;
const MAX_INCIDENT_KEYS = 5000;
const RUN_IDLE_MS = 3_600_000;

interface IncidentEvidence {
  context: string[];
  lines: string[];
}

const safe = (line: string) => line.replace(/\r?\n/g, ' ');

/**
 * The log stage (detection.md §4): every line goes through the classifier, is routed to its
 * session by pod and container, and becomes an alert draft — a priority-1 match within 60 s of
 * the container's `startedAt` is a critical pre-flight failure, A10 names the tools the session
 * expected and the line shows missing. Checklist marks inside the window fill the agent run's
 * pre-flight checklist, which freezes once the window (plus a grace for late lines) is over.
 *
 * Evidence of an incident key (alert, play, agent, family): the last matching lines (raw; the
 * store keeps them, redaction happens where they are shown), then, for its first occurrence only,
 * a few lines of context. Loki's line filter hides context lines, so with `contextAround` one
 * small unfiltered query per new key fetches them; the pod-log path sees every line and keeps a
 * small ring buffer per container instead (lines before, plus lines after within the same batch).
 */
export function createLogStage(o: LogStageOptions): LogStage {
  const windowMs = o.windowMs ?? PREFLIGHT_WINDOW_MS;
  const freezeAfter = windowMs + (o.freezeGraceMs ?? 15_000);
  const before = o.contextBefore ?? 3;
  const after = o.contextAfter ?? 2;
  const runs = new Map<string, Run>();
  const incidents = new Map<string, IncidentEvidence>();
  const isAgent = (ns: string, pod: string, container: string): boolean =>
    o.isAgentContainer ? o.isAgentContainer(ns, pod, container) : !isSidecarName(container);

  const warn = (obj: object, msg: string) => o.logger?.warn(obj, msg);

  function runOf(ns: string, pod: string, container: string, c: Correlation): Run {
    const key = `${ns}/${pod}/${container}`;
    const now = o.clock.now().getTime();
    const startedAt = o.containerStartedAt(ns, pod, container)?.getTime() ?? null;
    let run = runs.get(key);
    if (run && startedAt !== null && run.startedAt !== null && run.startedAt !== startedAt)
      run = undefined; // the container restarted: a new run
    if (!run) {
      run = {
        key,
        namespace: ns,
        pod,
        container,
        playId: c.playId,
        agent: c.agent,
        startedAt,
        marks: [],
        late: startedAt !== null && now >= startedAt + freezeAfter,
        frozen: false,
        sent: null,
        ring: [],
        window: new StreamWindow(),
        seenAt: now,
      };
      runs.delete(key);
      runs.set(key, run);
      if (runs.size > MAX_RUNS) runs.delete(runs.keys().next().value!);
    }
    if (run.startedAt === null && startedAt !== null) {
      run.startedAt = startedAt;
      run.late = now >= startedAt + freezeAfter;
    }
    run.playId ??= c.playId;
    run.agent ??= c.agent;
    run.seenAt = now;
    return run;
  }

  async function emitChecklist(run: Run): Promise<void> {
    if (!run.playId || !run.agent || run.startedAt === null) return;
    const now = o.clock.now().getTime();
    if (!run.frozen && now >= run.startedAt + freezeAfter) run.frozen = true;
    if (!run.frozen && run.marks.length === 0) return; // still the session's initial checklist
    const { items, state } = checklistOf(run);
    const json = JSON.stringify([items, state]);
    if (json === run.sent) return;
    if (run.late && run.marks.length === 0 && !agentPending(run)) {
      run.sent = json; // a run Healer saw only after its window: leave what the session has
      return;
    }
    run.sent = json;
    try {
      await o.onChecklist(run.playId, run.agent, items, state);
    } catch (err) {
      warn({ play_id: run.playId, agent: run.agent, err: String(err) }, 'checklist update failed');
    }
  }

  function agentPending(run: Run): boolean {
    const s = run.playId ? o.session(run.playId) : undefined;
    const want = normaliseAgent(run.agent ?? '');
    const agent = s?.agents.find((a) => normaliseAgent(a.name) === want);
    return agent?.preflight.state === 'pending';
  }

  async function evidenceFor(
    key: string,
    entry: LogEntry,
    run: Run,
    following: readonly LogEntry[],
  ): Promise<string[]> {
    let ev = incidents.get(key);
    if (!ev) {
      let ctx: { before: string[]; after: string[] };
      if (o.contextAround) {
        ctx = await o.contextAround(entry).catch(() => ({ before: [], after: [] }));
      } else {
        ctx = {
          before: run.ring.slice(-before),
          after: following.slice(0, after).map((e) => e.line),
        };
      }
      const context =
        ctx.before.length || ctx.after.length
          ? [
              `--- context (${entry.pod}/${entry.container} at ${entry.time.toISOString()}) ---`,
              ...ctx.before,
              `» ${entry.line}`,
              ...ctx.after,
            ]
          : [];
      ev = { context, lines: [] };
      incidents.set(key, ev);
      if (incidents.size > MAX_INCIDENT_KEYS) incidents.delete(incidents.keys().next().value!);
    }
    ev.lines.push(entry.line);
    if (ev.lines.length > MATCH_LINES) ev.lines.splice(0, ev.lines.length - MATCH_LINES);
    return [...ev.lines, ...ev.context];
  }

  async function handleRun(ns: string, group: LogEntry[]): Promise<void> {
    const { pod, container } = group[0];
    const c = o.correlatePod(ns, pod);
    if (c.excluded !== null || !isAgent(ns, pod, container)) return;
    if (!c.playId && !c.agent) return; // not an agent pod: no session, no agent
    const run = runOf(ns, pod, container, c);
    const session = c.playId ? o.session(c.playId) : undefined;
    const lines = group.map((e) => safe(e.line));
    const findings = new Map<number, Finding>();
    // The batch continues the container's stream: structural rules see the lines before it.
    for (const f of o.classifier.classifyChunk(lines.join('\n'), 1, run.window))
      findings.set(f.line - 1, f);
    for (const [i, entry] of group.entries()) {
      const finding = findings.get(i);
      const marks: ChecklistMark[] = o.checklistScanner.scanLine(lines[i]);
      const mark = finding ? markOf(finding) : null;
      if (mark) marks.push(mark);
      if (marks.length && inPreflightWindow(entry.time, run.startedAt, windowMs))
        run.marks.push(...marks);
      if (finding) {
        const f = applyPreflight(finding, entry.time, run.startedAt, windowMs);
        const key = [f.alert, c.playId ?? '', normaliseAgent(c.agent ?? ''), f.family].join('|');
        const evidence = await evidenceFor(key, entry, run, group.slice(i + 1));
        const draft = logDraft({
          finding: f,
          entry,
          correlation: c,
          session,
          startedAt: run.startedAt,
          evidence,
        });
        try {
          await o.onDraft(draft);
        } catch (err) {
          warn(
            { play_id: c.playId, alert: f.alert, err: String(err) },
            'recording a log alert failed',
          );
        }
      }
      pushRing(run.ring, lines[i], o.contextAround ? 0 : before);
    }
    await emitChecklist(run);
  }

  return {
    async handle(namespace, entries) {
      const groups = new Map<string, LogEntry[]>();
      for (const e of entries) {
        const k = `${e.pod}\u0000${e.container}`;
        const g = groups.get(k);
        if (g) g.push(e);
        else groups.set(k, [e]);
      }
      for (const group of groups.values()) await handleRun(namespace, group);
    },

    async tick() {
      for (const t of o.activeRuns?.() ?? []) {
        const c = o.correlatePod(t.namespace, t.pod);
        if (c.excluded === null && c.playId && c.agent) runOf(t.namespace, t.pod, t.container, c);
      }
      const now = o.clock.now().getTime();
      for (const run of [...runs.values()]) {
        await emitChecklist(run);
        if (run.frozen && now - run.seenAt > RUN_IDLE_MS) runs.delete(run.key);
      }
    },

    async gap(namespace, from, to) {
      for (const s of o.sessionsIn?.(namespace) ?? []) {
        try {
          await o.onGap?.(s.play_id, from, to);
        } catch (err) {
          warn({ play_id: s.play_id, err: String(err) }, 'recording a log gap failed');
        }
      }
    },
  };
}
