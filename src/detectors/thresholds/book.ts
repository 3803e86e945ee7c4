import type { HealConfig } from '../../domain/heal-config.js';
import type { AgentThresholds, Session } from '../../domain/session.js';
import { normaliseAgent } from '../../domain/stages.js';
import {
  THRESHOLD_KINDS,
  type ThresholdFor,
  type ThresholdKind,
  type ThresholdRow,
} from '../../domain/threshold.js';
import { describeThreshold, learnThreshold } from './adaptive.js';

/** The successful runs learned from (`sessions/run-history.ts`). */
export interface RunDurations {
  durations(agent: string, stage: string): number[];
  keys(): Iterable<{ agent: string; stage: string }>;
}

const PIN_KEY = {
  'step-timeout': 'stepTimeoutMinutes',
  'stuck-coderun': 'stuckCodeRunMinutes',
  'stale-progress': 'staleProgressMinutes',
} as const;

/**
 * The A8/A9/A3 thresholds in force per agent and stage (issue #18): pinned in heal-config,
 * learned from the agent's successful runs, or the configured value. Pure over the run history.
 */
export class ThresholdBook {
  readonly policy: { learn: boolean; minSamples: number; factor: number; floorSeconds: number };
  readonly #heal: Pick<HealConfig, 'alerts' | 'stages' | 'thresholds'>;
  readonly #runs: RunDurations;
  readonly #pinned: Map<string, HealConfig['thresholds']['pinned'][string]>;

  constructor(heal: Pick<HealConfig, 'alerts' | 'stages' | 'thresholds'>, runs: RunDurations) {
    const t = heal.thresholds;
    this.#heal = heal;
    this.#runs = runs;
    this.policy = {
      learn: t.learn,
      minSamples: t.minSamples,
      factor: t.factor,
      floorSeconds: t.floorMinutes * 60,
    };
    this.#pinned = new Map(Object.entries(t.pinned).map(([a, pin]) => [normaliseAgent(a), pin]));
  }

  /** The stage an agent runs in (heal-config `stages.agents`), `other` when not listed. */
  stageOf = (agent: string): string => this.#heal.stages.agents[normaliseAgent(agent)] ?? 'other';

  /** The threshold in force now (pinned, learned, or the configured value given). */
  learned: ThresholdFor = (kind, agent, stage, staticSeconds) => {
    const pin = this.#pinned.get(normaliseAgent(agent))?.[PIN_KEY[kind]];
    return learnThreshold(
      this.#runs.durations(agent, stage),
      staticSeconds,
      this.policy,
      pin === undefined ? null : pin * 60,
    );
  };

  /** Every kind for one agent and stage (fixed on an agent when it is first seen). */
  of = (agent: string, stage: string): AgentThresholds =>
    Object.fromEntries(
      THRESHOLD_KINDS.map((k) => [k, this.learned(k, agent, stage, this.#configured(k, stage))]),
    );

  /** The session's agent keeps the thresholds fixed when it was first seen; others are learned now. */
  in =
    (session: Session | null): ThresholdFor =>
    (kind, agent, stage, staticSeconds) =>
      session?.agents.find(
        (a) => normaliseAgent(a.name) === normaliseAgent(agent) && a.stage === stage,
      )?.thresholds?.[kind] ?? this.learned(kind, agent, stage, staticSeconds);

  /** One row per known agent and stage: configured, pinned, or with run history. */
  rows = (): ThresholdRow[] => {
    const known = new Map<string, { agent: string; stage: string }>();
    const add = (agent: string, stage: string) =>
      known.set(`${agent}/${stage}`, { agent: normaliseAgent(agent), stage });
    for (const [agent, stage] of Object.entries(this.#heal.stages.agents)) add(agent, stage);
    for (const agent of this.#pinned.keys()) add(agent, this.stageOf(agent));
    for (const k of this.#runs.keys()) add(k.agent, k.stage);
    return [...known.values()]
      .sort((a, b) => a.agent.localeCompare(b.agent) || a.stage.localeCompare(b.stage))
      .map(({ agent, stage }) => {
        const t = this.of(agent, stage);
        const row = {} as ThresholdRow['thresholds'];
        for (const k of THRESHOLD_KINDS)
          row[k] = { ...t[k]!, description: describeThreshold(t[k]!) };
        return { agent, stage, runs: this.#runs.durations(agent, stage).length, thresholds: row };
      });
  };

  #configured(kind: ThresholdKind, stage: string): number {
    const a = this.#heal.alerts;
    if (kind === 'stuck-coderun') return a.stuckCodeRunMinutes * 60;
    if (kind === 'stale-progress') return a.staleProgressMinutes * 60;
    return (a.stepTimeoutMinutes[stage] ?? a.defaultStepTimeoutMinutes) * 60;
  }
}
