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
  evaluate(signal: Signal, view: RuleView): AlertDraft[];
}
