// The pure part of leader election: reading a Lease as a record, deciding whether it is free,
// and the spec to write to acquire, renew or release it (the rules of client-go's leaderelection).
import { V1MicroTime, type V1Lease, type V1LeaseSpec } from '@kubernetes/client-node';

export interface LeaseRecord {
  holder: string | null;
  /** ISO time the current holder acquired the lease, or null. */
  acquireTime: string | null;
  renewTime: string | null;
  leaseDurationSeconds: number;
  transitions: number;
}

/** MicroTime fields come back from the typed client as strings (or Dates when we wrote them). */
function iso(v: unknown): string | null {
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? null : v.toISOString();
  if (typeof v !== 'string' || !v) return null;
  const d = new Date(v);
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}

export function readRecord(lease: V1Lease): LeaseRecord {
  const spec: V1LeaseSpec = lease.spec ?? {};
  return {
    holder: spec.holderIdentity ? spec.holderIdentity : null,
    acquireTime: iso(spec.acquireTime),
    renewTime: iso(spec.renewTime),
    leaseDurationSeconds: spec.leaseDurationSeconds ?? 0,
    transitions: spec.leaseTransitions ?? 0,
  };
}

/** Two observations are the same record when nothing a candidate reads has moved. */
export const sameRecord = (a: LeaseRecord | undefined, b: LeaseRecord): boolean =>
  a !== undefined &&
  a.holder === b.holder &&
  a.renewTime === b.renewTime &&
  a.acquireTime === b.acquireTime &&
  a.leaseDurationSeconds === b.leaseDurationSeconds &&
  a.transitions === b.transitions;

/**
 * Free for `me` when nobody holds it, `me` holds it, or the holder has not renewed for a whole
 * lease duration since we first saw this record (our own clock, never the holder's: clock skew
 * between nodes cannot shorten a lease).
 */
export function isFree(
  record: LeaseRecord,
  me: string,
  observedAtMs: number,
  nowMs: number,
): boolean {
  if (record.holder === null || record.holder === me) return true;
  return nowMs >= observedAtMs + record.leaseDurationSeconds * 1000;
}

/** The spec that makes `me` the holder (acquire) or keeps it so (renew). */
export function holdSpec(
  record: LeaseRecord | undefined,
  me: string,
  leaseDurationSeconds: number,
  now: Date,
): V1LeaseSpec {
  const renewing = record?.holder === me && record.acquireTime !== null;
  return {
    holderIdentity: me,
    leaseDurationSeconds,
    acquireTime: new V1MicroTime(renewing ? record.acquireTime! : now.getTime()),
    renewTime: new V1MicroTime(now.getTime()),
    leaseTransitions:
      record === undefined ? 0 : renewing ? record.transitions : record.transitions + 1,
  };
}

/** Given up on purpose: no holder, a one-second duration, so the next candidate takes it at once. */
export function releaseSpec(record: LeaseRecord, now: Date): V1LeaseSpec {
  return {
    holderIdentity: '',
    leaseDurationSeconds: 1,
    acquireTime: new V1MicroTime(now.getTime()),
    renewTime: new V1MicroTime(now.getTime()),
    leaseTransitions: record.transitions,
  };
}
