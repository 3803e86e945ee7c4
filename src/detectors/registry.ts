import type { Rule, Signal, RuleView } from './rule.js';
import type { AlertDraft } from '../domain/alert.js';

/**
 * Every alert rule, registered explicitly (no folder scanning). A test checks ids are unique
 * and that every rule has a template.
 */
// --- Kubernetes rules (A2, A7, A8, A9, completion) ---
// (kube rules are added here)
// --- Pull-request rules (A1, A3, A4, A5) ---
// (pr rules are added here)

export const RULES: readonly Rule[] = [
  // kube-rules
  // pr-rules
];

/** Runs every rule that reads this signal kind; a rule that throws is a bug, reported, never fatal. */
export function evaluateAll(
  signal: Signal,
  view: RuleView,
  onRuleError: (rule: Rule, err: unknown) => void = () => {},
  rules: readonly Rule[] = RULES,
): AlertDraft[] {
  const out: AlertDraft[] = [];
  for (const rule of rules) {
    if (!rule.kinds.includes(signal.kind)) continue;
    if (view.config.alerts.disabled.includes(rule.id)) continue;
    try {
      out.push(...rule.evaluate(signal, view));
    } catch (err) {
      onRuleError(rule, err);
    }
  }
  return out;
}
