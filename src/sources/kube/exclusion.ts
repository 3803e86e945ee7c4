/** Objects Healer ignores (detection.md §2 "Exclusions"). */
import type { HealConfig } from '../../domain/heal-config.js';
import { labelsOf, nameOf } from './object-meta.js';

export type Exclusions = HealConfig['exclusions'];

export const REMEDIATION_LABEL = 'healer.platform/remediation';
export const FINGERPRINT_LABEL = 'healer.platform/fingerprint';

/** A remediation run Healer created. */
export const isRemediation = (o: unknown): boolean => labelsOf(o)[REMEDIATION_LABEL] === 'true';

/**
 * Why `o` is excluded (`label healer.platform/exclude=true`, `prefix cto-controller`), or null.
 * Remediation runs are watched whatever their name (`healer-a7-…` must not hit the `healer`
 * prefix); only the explicit label excludes them.
 */
export function exclusionOf(o: unknown, ex: Exclusions, remediation: boolean): string | null {
  const label = ex?.label ?? 'healer.platform/exclude';
  if (labelsOf(o)[label] === 'true') return `label ${label}=true`;
  if (remediation) return null;
  const name = nameOf(o);
  const prefix = (ex?.prefixes ?? []).find((p) => p !== '' && name.startsWith(p));
  return prefix === undefined ? null : `prefix ${prefix}`;
}
