/**
 * Workflow family of a pod name (remediation.md §1): pods of one workflow share it, so they share
 * one incident. Split on `-`:
 * `play-task-<n>-…` → `play-task-<n>`; `healer-remediation-…` → `healer-remediation`;
 * `atlas-conflict-…` / `atlas-batch-…` → first three parts; other `atlas-…` → first two;
 * anything else → first two parts (one part → the whole name).
 */
export function workflowFamily(podName: string): string {
  const name = typeof podName === 'string' ? podName : '';
  const parts = name.split('-');
  const first = (n: number): string => parts.slice(0, n).join('-');
  if (parts.length < 2) return name;
  const [a, b, c] = parts;
  if (a === 'play' && b === 'task' && c !== undefined && /^\d+$/.test(c)) return first(3);
  if (a === 'healer' && b === 'remediation') return first(2);
  if (a === 'atlas' && (b === 'conflict' || b === 'batch')) return first(3);
  return first(2);
}
