import { StreamWindow } from '../../detectors/patterns/index.js';
import type { Correlation } from '../../domain/signal.js';
import type { Clock } from '../../domain/clock.js';
import type { PreflightItem, PreflightState, Session } from '../../domain/session.js';
import { normaliseAgent } from '../../domain/stages.js';
import { checklistOf, type Run } from './checklist-runs.js';

const MAX_RUNS = 5000;
const RUN_IDLE_MS = 3_600_000;

export interface AgentRunsOptions {
  clock: Clock;
  session(playId: string): Session | undefined;
  /** `startedAt` of the container's current instance, null while unknown. */
  containerStartedAt(namespace: string, pod: string, container: string): Date | null;
  onChecklist(
    playId: string,
    agent: string,
    items: PreflightItem[],
    state: PreflightState,
  ): void | Promise<void>;
  /** Pre-flight window plus the grace for late lines: the checklist freezes after it. */
  freezeAfterMs: number;
  warn(obj: object, msg: string): void;
}

/**
 * The agent runs the log stage has seen (one per container instance, at most 5000, idle ones
 * forgotten after an hour): their stream window, context ring and pre-flight checklist, handed on
 * when it changes and frozen once the window is over.
 */
export class AgentRuns {
  readonly #o: AgentRunsOptions;
  readonly #runs = new Map<string, Run>();

  constructor(o: AgentRunsOptions) {
    this.#o = o;
  }

  /** The run of a container's current instance (a restart starts a new one). */
  runOf(ns: string, pod: string, container: string, c: Correlation): Run {
    const key = `${ns}/${pod}/${container}`;
    const now = this.#o.clock.now().getTime();
    const startedAt = this.#o.containerStartedAt(ns, pod, container)?.getTime() ?? null;
    let run = this.#runs.get(key);
    if (run && startedAt !== null && run.startedAt !== null && run.startedAt !== startedAt)
      run = undefined; // the container restarted: a new run
    if (!run) {
      run = this.#fresh(key, ns, pod, container, c, startedAt, now);
      this.#runs.delete(key);
      this.#runs.set(key, run);
      if (this.#runs.size > MAX_RUNS) this.#runs.delete(this.#runs.keys().next().value!);
    }
    if (run.startedAt === null && startedAt !== null) {
      run.startedAt = startedAt;
      run.late = now >= startedAt + this.#o.freezeAfterMs;
    }
    run.playId ??= c.playId;
    run.agent ??= c.agent;
    run.seenAt = now;
    return run;
  }

  #fresh(
    key: string,
    namespace: string,
    pod: string,
    container: string,
    c: Correlation,
    startedAt: number | null,
    now: number,
  ): Run {
    return {
      key,
      namespace,
      pod,
      container,
      playId: c.playId,
      agent: c.agent,
      startedAt,
      marks: [],
      late: startedAt !== null && now >= startedAt + this.#o.freezeAfterMs,
      frozen: false,
      sent: null,
      ring: [],
      window: new StreamWindow(),
      seenAt: now,
    };
  }

  /** Hands on the run's checklist when it changed (freezing it once its window is over). */
  async emitChecklist(run: Run): Promise<void> {
    if (!run.playId || !run.agent || run.startedAt === null) return;
    const now = this.#o.clock.now().getTime();
    if (!run.frozen && now >= run.startedAt + this.#o.freezeAfterMs) run.frozen = true;
    if (!run.frozen && run.marks.length === 0) return; // still the session's initial checklist
    const { items, state } = checklistOf(run);
    const json = JSON.stringify([items, state]);
    if (json === run.sent) return;
    if (run.late && run.marks.length === 0 && !this.#agentPending(run)) {
      run.sent = json; // a run Healer saw only after its window: leave what the session has
      return;
    }
    run.sent = json;
    try {
      await this.#o.onChecklist(run.playId, run.agent, items, state);
    } catch (err) {
      this.#o.warn(
        { play_id: run.playId, agent: run.agent, err: String(err) },
        'checklist update failed',
      );
    }
  }

  #agentPending(run: Run): boolean {
    const s = run.playId ? this.#o.session(run.playId) : undefined;
    const want = normaliseAgent(run.agent ?? '');
    const agent = s?.agents.find((a) => normaliseAgent(a.name) === want);
    return agent?.preflight.state === 'pending';
  }

  /** Every run's checklist handed on (or frozen); frozen runs idle for an hour are forgotten. */
  async sweep(): Promise<void> {
    const now = this.#o.clock.now().getTime();
    for (const run of [...this.#runs.values()]) {
      await this.emitChecklist(run);
      if (run.frozen && now - run.seenAt > RUN_IDLE_MS) this.#runs.delete(run.key);
    }
  }
}
