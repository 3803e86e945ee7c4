import type { Rule } from './rule.js';
import type { Signal, RuleView } from '../domain/signal.js';
import type { AlertDraft, AlertId } from '../domain/alert.js';

/**
 * Every alert rule, registered explicitly (no folder scanning). A test checks ids are unique
 * and that every rule has a template.
 */
// --- Kubernetes rules (A2, A7, A8, A9, completion, eviction for a resource) ---
import { a2SilentFailure } from './rules/a2-silent-failure.js';
import { a7PodFailure } from './rules/a7-pod-failure.js';
import { a8StepTimeout } from './rules/a8-step-timeout.js';
import { a9StuckCodeRun } from './rules/a9-stuck-coderun.js';
import { completionCheck } from './rules/completion.js';
import { resourceEviction } from './rules/resource-eviction.js';
// --- Pull-request rules (A1, A3, A4, A5) ---
import { a1CommentOrder } from './rules/a1-comment-order.js';
import { a3StaleProgress } from './rules/a3-stale-progress.js';
import { a4ApprovalLoop } from './rules/a4-approval-loop.js';
import { a5PostTessCi } from './rules/a5-post-tess-ci.js';

export const RULES: readonly Rule[] = [
  a2SilentFailure,
  a7PodFailure,
  a8StepTimeout,
  a9StuckCodeRun,
  completionCheck,
  resourceEviction,
  a1CommentOrder,
  a3StaleProgress,
  a4ApprovalLoop,
  a5PostTessCi,
];

/** Alerts of the rules that never run on a watch event ({@link Rule.tickOnly}). */
export const TICK_ONLY_ALERTS: ReadonlySet<AlertId> = new Set(
  RULES.filter((r) => r.tickOnly).map((r) => r.id),
);

/** Whether a signal is one tick-only rules skip: an object as a watch event delivered it. */
export const isEventSignal = (signal: Signal): boolean =>
  'cause' in signal && signal.cause === 'event';

/**
 * Runs every rule that reads this signal kind (tick-only rules not on events); a rule that throws
 * is a bug, reported, never fatal.
 */
export function evaluateAll(
  signal: Signal,
  view: RuleView,
  onRuleError: (rule: Rule, err: unknown) => void = () => {},
  rules: readonly Rule[] = RULES,
): AlertDraft[] {
  const out: AlertDraft[] = [];
  for (const rule of rules) {
    if (!rule.kinds.includes(signal.kind)) continue;
    if (rule.tickOnly && isEventSignal(signal)) continue;
    if (view.config.alerts.disabled.includes(rule.id)) continue;
    try {
      out.push(...rule.evaluate(signal, view));
    } catch (err) {
      onRuleError(rule, err);
    }
  }
  return out;
}
