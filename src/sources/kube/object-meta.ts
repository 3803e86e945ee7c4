/** Defensive reads of an object's metadata: correlation sees whatever the API server sent. */

export interface OwnerRef {
  kind: string;
  name: string;
}

/** The few fields correlation reads; anything else may be present. */
export interface KubeLike {
  kind?: unknown;
  metadata?: unknown;
  spec?: unknown;
}

const rec = (v: unknown): Record<string, unknown> =>
  v !== null && typeof v === 'object' ? (v as Record<string, unknown>) : {};

const str = (v: unknown): string => (typeof v === 'string' ? v : '');

export const metaOf = (o: unknown): Record<string, unknown> => rec(rec(o).metadata);
export const specOf = (o: unknown): Record<string, unknown> => rec(rec(o).spec);
export const nameOf = (o: unknown): string => str(metaOf(o).name);
export const namespaceOf = (o: unknown): string => str(metaOf(o).namespace);

/** Labels with string values only. */
export function labelsOf(o: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(rec(metaOf(o).labels))) if (typeof v === 'string') out[k] = v;
  return out;
}

export function ownersOf(o: unknown): OwnerRef[] {
  const refs = metaOf(o).ownerReferences;
  if (!Array.isArray(refs)) return [];
  return refs
    .map((r) => ({ kind: str(rec(r).kind), name: str(rec(r).name) }))
    .filter((r) => r.kind !== '' && r.name !== '');
}

/** A CodeRun's `spec` field as a string (`githubApp`, `service`, `taskId` 4 → "4"). */
export function specString(o: unknown, field: string): string {
  const v = specOf(o)[field];
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  return str(v).trim();
}
