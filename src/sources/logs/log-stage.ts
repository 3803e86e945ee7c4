import {
  applyPreflight,
  inPreflightWindow,
  markOf,
  PREFLIGHT_WINDOW_MS,
} from '../../detectors/patterns/index.js';
import type {
  ChecklistMark,
  ChecklistScanner,
  Classifier,
  Finding,
  PreflightFinding,
} from '../../detectors/patterns/index.js';
import { evaluateLog } from '../../detectors/registry.js';
import type { Correlation, LogSignal, RuleView } from '../../domain/signal.js';
import type { AlertDraft } from '../../domain/alert.js';
import type { Clock } from '../../domain/clock.js';
import { healConfigSchema } from '../../domain/heal-config.js';
import { isSidecarName } from '../../domain/pod-containers.js';
import type { PreflightItem, PreflightState, Session } from '../../domain/session.js';
import { normaliseAgent } from '../../domain/stages.js';
import { AgentRuns } from './agent-runs.js';
import { pushRing, type Run } from './checklist-runs.js';
import { LogEvidence } from './log-evidence.js';
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
  /**
   * What the log rules may read besides their signal, for a line of this session. Default: the
   * line's view — the session and the time, no cached Kubernetes objects, the default config
   * (the log rules read the session only).
   */
  ruleView?(session: Session | null): RuleView;
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

const safe = (line: string) => line.replace(/\r?\n/g, ' ');

/** The view of a line when the pipeline gives none: its session and the time, nothing cached. */
function lineView(clock: Clock): (session: Session | null) => RuleView {
  const config = healConfigSchema.parse({});
  return (session) => ({
    now: clock.now(),
    session,
    config,
    podsOfCodeRun: () => [],
    eventsFor: () => [],
    expectedFor: () => undefined,
  });
}

/** The signal of one classified line of an agent run, for the log rules. */
function lineSignal(
  f: PreflightFinding<Finding>,
  entry: LogEntry,
  c: Correlation,
  run: Run,
  evidence: string[],
): LogSignal {
  return {
    kind: 'log',
    finding: {
      alert: f.alert,
      severity: f.severity,
      issueType: f.issueType,
      family: f.family,
      patternId: f.patternId,
      priority: f.priority,
      preflight: f.preflight,
    },
    line: {
      namespace: entry.namespace,
      pod: entry.pod,
      container: entry.container,
      at: entry.time.toISOString(),
      text: entry.line,
    },
    correlation: c,
    containerStartedAt: run.startedAt === null ? null : new Date(run.startedAt).toISOString(),
    evidence,
  };
}

/**
 * The log stage (detection.md §4): every line goes through the classifier, is routed to its
 * session by pod and container, and its finding goes to the log rules (`detectors/rules`, A10–A12,
 * runtime, lifecycle) as a signal — a priority-1 match within 60 s of the container's `startedAt`
 * is a pre-flight failure. Checklist marks inside the window fill the agent run's pre-flight
 * checklist (`AgentRuns`), which freezes once the window (plus a grace for late lines) is over.
 * The evidence of each incident key is kept by `LogEvidence`.
 */
export function createLogStage(o: LogStageOptions): LogStage {
  return new LogLines(o);
}

class LogLines implements LogStage {
  readonly #o: LogStageOptions;
  readonly #windowMs: number;
  readonly #runs: AgentRuns;
  readonly #evidence: LogEvidence;
  readonly #viewOf: (session: Session | null) => RuleView;

  constructor(o: LogStageOptions) {
    this.#o = o;
    this.#windowMs = o.windowMs ?? PREFLIGHT_WINDOW_MS;
    this.#runs = new AgentRuns({
      clock: o.clock,
      session: (id) => o.session(id),
      containerStartedAt: (ns, pod, container) => o.containerStartedAt(ns, pod, container),
      onChecklist: (...args) => o.onChecklist(...args),
      freezeAfterMs: this.#windowMs + (o.freezeGraceMs ?? 15_000),
      warn: (obj, msg) => this.#warn(obj, msg),
    });
    const around = o.contextAround?.bind(o);
    this.#evidence = new LogEvidence({
      ...(around ? { contextAround: around } : {}),
      before: this.#before,
      after: o.contextAfter ?? 2,
    });
    this.#viewOf = o.ruleView?.bind(o) ?? lineView(o.clock);
  }

  get #before(): number {
    return this.#o.contextBefore ?? 3;
  }

  #warn(obj: object, msg: string): void {
    this.#o.logger?.warn(obj, msg);
  }

  #isAgent(ns: string, pod: string, container: string): boolean {
    return this.#o.isAgentContainer
      ? this.#o.isAgentContainer(ns, pod, container)
      : !isSidecarName(container);
  }

  async handle(namespace: string, entries: readonly LogEntry[]): Promise<void> {
    const groups = new Map<string, LogEntry[]>();
    for (const e of entries) {
      const k = `${e.pod}\u0000${e.container}`;
      const g = groups.get(k);
      if (g) g.push(e);
      else groups.set(k, [e]);
    }
    for (const group of groups.values()) await this.#handleRun(namespace, group);
  }

  async #handleRun(ns: string, group: LogEntry[]): Promise<void> {
    const { pod, container } = group[0];
    const c = this.#o.correlatePod(ns, pod);
    if (c.excluded !== null || !this.#isAgent(ns, pod, container)) return;
    if (!c.playId && !c.agent) return; // not an agent pod: no session, no agent
    const run = this.#runs.runOf(ns, pod, container, c);
    const lines = group.map((e) => safe(e.line));
    const findings = new Map<number, Finding>();
    // The batch continues the container's stream: structural rules see the lines before it.
    for (const f of this.#o.classifier.classifyChunk(lines.join('\n'), 1, run.window))
      findings.set(f.line - 1, f);
    for (const [i, entry] of group.entries()) {
      const finding = findings.get(i);
      const marks: ChecklistMark[] = this.#o.checklistScanner.scanLine(lines[i]);
      const mark = finding ? markOf(finding) : null;
      if (mark) marks.push(mark);
      if (marks.length && inPreflightWindow(entry.time, run.startedAt, this.#windowMs))
        run.marks.push(...marks);
      if (finding) await this.#emitFinding(finding, entry, c, run, group.slice(i + 1));
      pushRing(run.ring, lines[i], this.#o.contextAround ? 0 : this.#before);
    }
    await this.#runs.emitChecklist(run);
  }

  /** A finding's drafts from the log rules, each handed to `onDraft` (a failure is logged). */
  async #emitFinding(
    finding: Finding,
    entry: LogEntry,
    c: Correlation,
    run: Run,
    following: readonly LogEntry[],
  ): Promise<void> {
    const f = applyPreflight(finding, entry.time, run.startedAt, this.#windowMs);
    const key = [f.alert, c.playId ?? '', normaliseAgent(c.agent ?? ''), f.family].join('|');
    const ev = await this.#evidence.for(key, entry, run, following);
    const session = (c.playId ? this.#o.session(c.playId) : undefined) ?? null;
    const drafts = evaluateLog(
      lineSignal(f, entry, c, run, ev),
      this.#viewOf(session),
      (rule, err) => this.#warn({ alert: rule.id, err: String(err) }, 'a log rule failed'),
    );
    for (const draft of drafts) {
      try {
        await this.#o.onDraft(draft);
      } catch (err) {
        this.#warn(
          { play_id: c.playId, alert: f.alert, err: String(err) },
          'recording a log alert failed',
        );
      }
    }
  }

  async tick(): Promise<void> {
    for (const t of this.#o.activeRuns?.() ?? []) {
      const c = this.#o.correlatePod(t.namespace, t.pod);
      if (c.excluded === null && c.playId && c.agent)
        this.#runs.runOf(t.namespace, t.pod, t.container, c);
    }
    await this.#runs.sweep();
  }

  async gap(namespace: string, from: Date, to: Date): Promise<void> {
    for (const s of this.#o.sessionsIn?.(namespace) ?? []) {
      try {
        await this.#o.onGap?.(s.play_id, from, to);
      } catch (err) {
        this.#warn({ play_id: s.play_id, err: String(err) }, 'recording a log gap failed');
      }
    }
  }
}
