import type { AlertDraft, AlertId } from '../domain/alert.js';
import type { HealConfig } from '../domain/heal-config.js';
import type { Session } from '../domain/session.js';
import type { RuleView, Signal } from '../domain/signal.js';
import type { ThresholdFor } from '../domain/threshold.js';
import { evaluateAll, isEventSignal, TICK_ONLY_ALERTS } from './registry.js';

/** Cluster lookups for a rule view (the informer caches), when a cluster is watched. */
export interface ViewSource {
  view(
    now: Date,
    session: Session | null,
    config: RuleView['config'],
    expectedFor: RuleView['expectedFor'],
  ): RuleView;
}

/** Rule lookups when no cluster is watched (PR rules still run). */
export const NO_CLUSTER: ViewSource = {
  view: (now, session, config, expectedFor) => ({
    now,
    session,
    config,
    podsOfCodeRun: () => [],
    eventsFor: () => [],
    expectedFor,
  }),
};

export interface RuleRunnerOptions {
  heal: Pick<HealConfig, 'alerts' | 'stages' | 'exclusions'>;
  clock: { now(): Date };
  /** The cluster's lookups, or undefined when no cluster is watched. */
  lookups: () => ViewSource | undefined;
  active: { get(playId: string): Session | undefined };
  expectedFor: RuleView['expectedFor'];
  /** The thresholds in force for a session's agents. */
  thresholds: { in(session: Session | null): ThresholdFor };
  /**
   * Where what the rules fired for an object goes. `keepFiring`: alerts that did not run on this
   * signal (tick-only rules on a watch event), whose incidents keep firing until the timer's pass.
   */
  tracker: {
    observe(
      key: string,
      drafts: AlertDraft[],
      receivedAt: number | undefined,
      keepFiring: ReadonlySet<AlertId> | undefined,
    ): Promise<void>;
  };
  /** A rule that throws is a bug: logged, skipped, never fatal. */
  logger: { error(obj: object, msg: string): void };
}

/** Every signal runs the registry's rules with its session's view; the drafts go on. */
export class RuleRunner {
  readonly #o: RuleRunnerOptions;

  constructor(o: RuleRunnerOptions) {
    this.#o = o;
  }

  evaluate = (signal: Signal, key: string, receivedAt: number | undefined): void => {
    const o = this.#o;
    const playId = signal.correlation.playId;
    const session = playId ? (o.active.get(playId) ?? null) : null;
    const view = {
      ...(o.lookups() ?? NO_CLUSTER).view(o.clock.now(), session, o.heal, o.expectedFor),
      thresholdFor: o.thresholds.in(session),
    };
    const drafts = evaluateAll(signal, view, (rule, err) =>
      o.logger.error({ err, rule: rule.id }, 'rule threw; skipped'),
    );
    // tick-only rules did not run on a watch event: what they fire keeps firing until the tick
    void o.tracker.observe(
      key,
      drafts,
      receivedAt,
      isEventSignal(signal) ? TICK_ONLY_ALERTS : undefined,
    );
  };
}
