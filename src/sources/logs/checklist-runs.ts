import { foldChecklist } from '../../detectors/patterns/index.js';
import type { ChecklistMark, StreamWindow } from '../../detectors/patterns/index.js';
import type { PreflightItem, PreflightState } from '../../domain/session.js';

/** One agent run: a container instance (pod + container + its `startedAt`). */
export interface Run {
  key: string;
  namespace: string;
  pod: string;
  container: string;
  playId: string | null;
  agent: string | null;
  /** The container's `startedAt` (ms), null while unknown. */
  startedAt: number | null;
  /** Checklist marks from lines inside the pre-flight window. */
  marks: ChecklistMark[];
  /** The run was first seen after its checklist froze (Healer started late). */
  late: boolean;
  frozen: boolean;
  /** JSON of the last checklist handed on, to hand on changes only. */
  sent: string | null;
  /** The last lines seen (pod-log path: context for evidence). */
  ring: string[];
  /** The classifier's window over this container's stream (its structural rules read it). */
  window: StreamWindow;
  seenAt: number;
}

/**
 * The overall pre-flight state of a run: `failed` as soon as an item failed; once frozen,
 * `passed` when every item seen passed (and at least one was seen), `unknown` when none was;
 * `pending` before.
 */
export function runState(items: readonly PreflightItem[], frozen: boolean): PreflightState {
  if (items.some((i) => i.state === 'failed')) return 'failed';
  if (!frozen) return 'pending';
  return items.some((i) => i.state === 'passed') ? 'passed' : 'unknown';
}

/** The checklist of a run now: the folded items and the state. */
export function checklistOf(run: Run): { items: PreflightItem[]; state: PreflightState } {
  const items = foldChecklist(run.marks);
  return { items, state: runState(items, run.frozen) };
}

/** Bounded ring of the last `n` lines. */
export function pushRing(ring: string[], line: string, n: number): void {
  if (n <= 0) return;
  ring.push(line);
  if (ring.length > n) ring.splice(0, ring.length - n);
}
