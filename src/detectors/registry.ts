import type { Rule } from './rule.js';
import type { LogSignal, Signal, RuleView } from '../domain/signal.js';
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
// --- Log rules (A10, A11, A12, runtime, lifecycle): a classified line in, its draft out ---
import { a10ToolInventory } from './rules/a10-tool-inventory.js';
import {
  a11ConfigInvalid,
  a12McpInit,
  lifecycleIssue,
  runtimeError,
} from './rules/log-findings.js';

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
  a10ToolInventory,
  a11ConfigInvalid,
  a12McpInit,
  runtimeError,
  lifecycleIssue,
];

/** The rules of classified log lines (the log stage hands them its signals). */
export const LOG_RULES: readonly Rule[] = RULES.filter((r) => r.kinds.includes('log'));

/** Alerts of the rules that never run on a watch event ({@link Rule.tickOnly}). */
export const TICK_ONLY_ALERTS: ReadonlySet<AlertId> = new Set(
  RULES.filter((r) => r.tickOnly).map((r) => r.id),
);

/** Whether a signal is one tick-only rules skip: an object as a watch event delivered it. */
export const isEventSignal = (signal: Signal): boolean =>
  'cause' in signal && signal.cause === 'event';

/**
 * The drafts of one classified log line. Unlike {@link evaluateAll}, `alerts.disabled` does not
 * drop them here: a disabled log alert is recorded and decided `excluded` (as it always was).
 */
export function evaluateLog(
  signal: LogSignal,
  view: RuleView,
  onRuleError: (rule: Rule, err: unknown) => void = () => {},
): AlertDraft[] {
  const out: AlertDraft[] = [];
  for (const rule of LOG_RULES) {
    try {
      out.push(...rule.evaluate(signal, view));
    } catch (err) {
      onRuleError(rule, err);
    }
  }
  return out;
}

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
