/** Fields every kube rule fills the same way, from the signal's correlation. */
import type { AlertDraft } from '../../domain/alert.js';
import type { Pod } from '../../domain/kube.js';
import type { Correlation } from '../../domain/signal.js';

export type DraftBase = Pick<
  AlertDraft,
  'namespace' | 'playId' | 'taskId' | 'agent' | 'subject' | 'detectedAt'
>;

const str = (v: unknown): string => (typeof v === 'string' ? v : '');

/** Pod or CodeRun identity, tolerating odd objects. */
export const nameOf = (o: { metadata?: unknown } | null | undefined): string =>
  str((o?.metadata as { name?: unknown } | undefined)?.name);
export const namespaceOf = (o: { metadata?: unknown } | null | undefined): string =>
  str((o?.metadata as { namespace?: unknown } | undefined)?.namespace);
export const phaseOf = (o: { status?: unknown } | null | undefined): string =>
  str((o?.status as { phase?: unknown } | undefined)?.phase);
/** A pod being deleted: its containers are killed on purpose. */
export const isTerminating = (pod: Pod | null | undefined): boolean =>
  pod?.metadata?.deletionTimestamp != null;

export function draftBase(
  c: Correlation | null | undefined,
  namespace: string,
  subject: string,
  now: Date,
): DraftBase {
  return {
    namespace,
    playId: c?.playId || null,
    taskId: c?.taskId || null,
    agent: c?.agent || null,
    subject,
    detectedAt: now.toISOString(),
  };
}

/** `remediation: true` and the fingerprint served, for runs Healer created (else nothing). */
export function remediationContext(
  c: Correlation | null | undefined,
): Record<string, string | boolean | null> {
  return c?.remediation
    ? { remediation: true, servesFingerprint: c.servesFingerprint ?? null }
    : {};
}

/** The signal's object, or an empty one when a source sent null (rules never throw). */
export const orEmpty = <T extends object>(o: T | null | undefined): T => o ?? ({} as T);

/** Excluded or missing correlation: the rule stays silent. */
export const isIgnored = (c: Correlation | null | undefined): boolean => !c || c.excluded !== null;
