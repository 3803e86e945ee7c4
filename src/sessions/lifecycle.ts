import type { Logger } from 'pino';
import type { StageContext } from '../config/context.js';
import { HealerError } from '../domain/errors.js';
import type { CodeRun, ObjectKind, Pod, Workflow } from '../domain/kube.js';
import type {
  AgentThresholds,
  PreflightItem,
  PreflightState,
  PrSummary,
} from '../domain/session.js';
import type { Correlation } from '../domain/signal.js';
import { normaliseAgent } from '../domain/stages.js';
import type { CursorStore } from '../domain/stores.js';
import type { ActiveSessions } from './active.js';
import {
  applyAgentObservation,
  observeCodeRun,
  observePod,
  type AgentObservation,
} from './agents.js';
import type { RunHistory } from './run-history.js';
import type { SessionService } from './service.js';

export interface SessionLifecycleOptions {
  sessions: SessionService;
  active: ActiveSessions;
  history: RunHistory;
  logGaps: Pick<CursorStore, 'addLogGap'>;
  logger: Logger;
  stageOf: (agent: string) => string;
  /** The thresholds fixed on an agent when it is first seen. */
  thresholdsOf: (agent: string, stage: string) => AgentThresholds;
}

/** The agents' stages and the thresholds fixed on an agent first seen (`ThresholdBook`). */
export interface AgentThresholdSource {
  stageOf: (agent: string) => string;
  of: (agent: string, stage: string) => AgentThresholds;
}

/** Workflow phases that end a Play's session, and the status they end it with. */
const ENDING = { Succeeded: 'completed', Failed: 'failed', Error: 'failed' } as const;
/** Ending a session that another path already ended (or that left the store) is not a failure. */
const ALREADY_GONE = new Set(['SESSION_ENDED', 'SESSION_NOT_FOUND']);

/**
 * What the world writes to a session: its Workflow finishing ends it; its agents' pods and
 * CodeRuns are observed (phase, start and finish, thresholds fixed when first seen; successful
 * runs are remembered for learning); the pre-flight checklist read from its logs; its pull
 * request's summary; spans of logs never read. Keeps the active-session cache in step with
 * what the session service starts and ends.
 */
export class SessionLifecycle {
  readonly #o: SessionLifecycleOptions;

  /** Built from the session stage's parts and the thresholds in force. */
  static of(
    ctx: Pick<StageContext, 'store' | 'logger'>,
    parts: Pick<SessionLifecycleOptions, 'sessions' | 'active' | 'history'>,
    thresholds: AgentThresholdSource,
  ): SessionLifecycle {
    return new SessionLifecycle({
      ...parts,
      logGaps: ctx.store,
      logger: ctx.logger,
      stageOf: thresholds.stageOf,
      thresholdsOf: thresholds.of,
    });
  }

  constructor(o: SessionLifecycleOptions) {
    this.#o = o;
    o.sessions.on('started', (s) => {
      o.logger.info({ play_id: s.play_id, namespace: s.namespace }, 'session started');
      o.active.remember(s);
    });
    o.sessions.on('ended', (s) => {
      o.logger.info(
        { play_id: s.play_id, status: s.status, reason: s.end_reason },
        'session ended',
      );
      o.active.remember(s);
    });
  }

  /** A pod, CodeRun or Workflow of a Play changed. */
  objectChanged(kind: ObjectKind, obj: Pod | CodeRun | Workflow, c: Correlation): void {
    if (!c.playId) return;
    if (kind === 'workflow') return this.#workflowChanged(c.playId, obj as Workflow);
    if (kind !== 'pod' && kind !== 'coderun') return;
    const o = kind === 'pod' ? observePod(obj as Pod, c) : observeCodeRun(obj as CodeRun, c);
    if (o) this.#agentObserved(c.playId, o);
  }

  /** The checklist of an agent run changed: written to `agents[].preflight`. */
  async checklistRead(
    playId: string,
    agent: string,
    items: PreflightItem[],
    state: PreflightState,
  ): Promise<void> {
    const s = await this.#o.sessions.update(playId, (x) => {
      const i = x.agents.findIndex((a) => normaliseAgent(a.name) === normaliseAgent(agent));
      if (i < 0) return undefined;
      const agents = x.agents.map((a, j) => (j === i ? { ...a, preflight: { state, items } } : a));
      return { ...x, agents };
    });
    this.#o.active.refresh(s);
  }

  /** The Play's pull request changed: its summary is kept on the session (written when it differs). */
  async prChanged(playId: string, summary: PrSummary): Promise<void> {
    const s = await this.#o.sessions.update(playId, (x) =>
      JSON.stringify(x.pr) === JSON.stringify(summary) ? undefined : { ...x, pr: summary },
    );
    this.#o.active.refresh(s);
  }

  /** Logs of `[from, to)` were never read: recorded on the session (its timeline shows it). */
  logGap(playId: string, from: Date, to: Date): void {
    const { logger } = this.#o;
    logger.warn(
      { play_id: playId, from: from.toISOString(), to: to.toISOString() },
      'logs of this span were never read (Loki catch-up longer than 1 h)',
    );
    this.#o.logGaps
      .addLogGap(playId, from, to)
      .catch((err: unknown) => logger.warn({ err, play_id: playId }, 'could not record a log gap'));
  }

  #workflowChanged(playId: string, wf: Workflow): void {
    const phase = wf.status?.phase;
    if (wf.metadata?.name !== playId || !phase || !(phase in ENDING)) return;
    const status = ENDING[phase as keyof typeof ENDING];
    const reason = `workflow ${phase}${wf.status?.message ? `: ${wf.status.message}` : ''}`;
    this.#o.sessions.end(playId, status, reason).catch((err: unknown) => {
      if (err instanceof HealerError && ALREADY_GONE.has(err.code)) return;
      this.#o.logger.warn(
        { err, play_id: playId },
        'could not end the session of a finished workflow',
      );
    });
  }

  #agentObserved(playId: string, o: AgentObservation): void {
    const { active, sessions, stageOf, thresholdsOf, logger } = this.#o;
    this.#recordRun(playId, o);
    const current = active.get(playId);
    if (!current || !applyAgentObservation(current, o, stageOf, thresholdsOf)) return;
    sessions
      .update(playId, (s) => applyAgentObservation(s, o, stageOf, thresholdsOf))
      .then((s) => active.refresh(s))
      .catch((err: unknown) =>
        logger.warn({ err, play_id: playId }, 'could not update session agents'),
      );
  }

  /** A successful run of an agent: remembered for learning (a run seen again counts once). */
  #recordRun(playId: string, o: AgentObservation): void {
    if (!o.succeeded) return;
    const { logger } = this.#o;
    const agent = this.#o.active
      .get(playId)
      ?.agents.find((a) => normaliseAgent(a.name) === normaliseAgent(o.agent));
    // a CodeRun's times count only when none of its pods was seen (the pod's are more precise)
    if (o.coderun !== undefined && agent?.pod) return;
    const stage = agent?.stage ?? this.#o.stageOf(o.agent);
    const seconds = o.succeeded.seconds;
    this.#o.history
      .record(o.agent, stage, o.succeeded)
      .then(
        (added) =>
          added &&
          logger.debug(
            { agent: o.agent, stage, seconds, play_id: playId },
            'successful run recorded for learned thresholds',
          ),
      )
      .catch((err: unknown) => logger.warn({ err, agent: o.agent }, 'could not record a run'));
  }
}
