import type { AlertDraft, AlertId } from '../domain/alert.js';
import type { RuleView, Signal, SignalKind } from '../domain/signal.js';

/** A pure alert rule: `evaluate` never throws, never does I/O, and is deterministic. */
export interface Rule {
  id: AlertId;
  name: string;
  /** Signal kinds the rule reads; the registry only calls it with these. */
  kinds: readonly SignalKind[];
  /** True when the rule has time conditions: it is re-run on the timer over cached objects. */
  timeBased: boolean;
  /**
   * Evaluated on the timer only, never on a watch event: the finding depends on how long a state
   * lasted, and an event can carry a state the object already left (a backlog or a replayed Play
   * delivered at once, a relist after a restart where pods list after CodeRuns). On the timer
   * every event received before it has been applied, so the rule sees each object as it is now.
   */
  tickOnly?: boolean;
  evaluate(signal: Signal, view: RuleView): AlertDraft[];
}
