/**
 * `spec.taskId` of a Healer CodeRun (remediation.md §2.2): the CRD wants an integer. The task id
 * itself when it is a number; otherwise a stable hash of it, so one incident always gets the same.
 */

const INT32_MAX = 0x7fffffff;

/** Java's `String.hashCode`: h = 31·h + code unit, wrapping at 32 bits (signed). */
export function hash31(text: string): number {
  let h = 0;
  for (let i = 0; i < text.length; i++) h = (Math.imul(h, 31) + text.charCodeAt(i)) | 0;
  return h;
}

/** A 32-bit hash folded to a positive 32-bit integer (sign bit dropped; 0 becomes 1). */
export const foldPositive = (h: number): number => h & INT32_MAX || 1;

/**
 * The task id when it is a non-negative integer that fits in 32 bits (`"7"` → 7), else
 * `foldPositive(hash31(taskId))`. Without a task id, the hash of `fallback` (the fingerprint).
 */
export function taskIdFor(taskId: string | null | undefined, fallback: string): number {
  const t = typeof taskId === 'string' ? taskId.trim() : '';
  if (/^\d{1,10}$/.test(t) && Number(t) <= INT32_MAX) return Number(t);
  return foldPositive(hash31(t !== '' ? t : fallback));
}
