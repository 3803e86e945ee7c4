import type { ChecklistState, PreflightItem, PreflightState } from '../../domain/session.js';
import { PREFLIGHT_ITEMS } from '../../domain/preflight.js';
import type { PreflightItemId } from '../../domain/preflight.js';
import { union } from './classifier.js';
import type { Catalogue, ChecklistEntry, Finding } from './schema.js';

/** One observation about a checklist item: a line that passes or fails it. */
export interface ChecklistMark {
  item: PreflightItemId;
  result: 'pass' | 'fail';
  /** The log line that showed it. */
  evidence: string;
  /** The catalogue entry or checklist signal that matched. */
  patternId: string;
}

interface CompiledSignal {
  signal: ChecklistEntry;
  re: RegExp;
  unless: RegExp | null;
}

/** Matches the `checklist` section of the catalogue (pass signals and extra fail signals). */
export class ChecklistScanner {
  readonly #signals: CompiledSignal[];
  readonly #any: RegExp | null;

  constructor(catalogue: Catalogue) {
    this.#signals = catalogue.checklist.map((signal) => ({
      signal,
      re: new RegExp(signal.pattern, 'i'),
      unless: signal.unless.length ? new RegExp(union(signal.unless), 'i') : null,
    }));
    this.#any = this.#signals.length
      ? new RegExp(union(catalogue.checklist.map((s) => s.pattern)), 'i')
      : null;
  }

  /** Every checklist signal the line shows (usually none, sometimes one). */
  scanLine(text: string): ChecklistMark[] {
    if (!this.#any?.test(text)) return [];
    return this.#signals
      .filter((s) => s.re.test(text) && !s.unless?.test(text))
      .map((s) => ({
        item: s.signal.item,
        result: s.signal.result,
        evidence: text,
        patternId: s.signal.id,
      }));
  }
}

/** The checklist mark carried by an alert finding (`checklist:` on its catalogue entry), if any. */
export function markOf(finding: Finding): ChecklistMark | null {
  if (!finding.checklist) return null;
  return { ...finding.checklist, evidence: finding.text, patternId: finding.patternId };
}

/**
 * Folds the marks seen in the pre-flight window into the eight checklist items, in their fixed
 * order: `failed` when any fail mark, else `passed` when any pass mark, else `unknown`.
 * The evidence is the first line that decided the state.
 */
export function foldChecklist(marks: Iterable<ChecklistMark>): PreflightItem[] {
  const fail = new Map<PreflightItemId, string>();
  const pass = new Map<PreflightItemId, string>();
  for (const m of marks) {
    const seen = m.result === 'fail' ? fail : pass;
    if (!seen.has(m.item)) seen.set(m.item, m.evidence);
  }
  return PREFLIGHT_ITEMS.map(({ id, label }) => {
    const failed = fail.get(id);
    const passed = pass.get(id);
    const state: ChecklistState =
      failed !== undefined ? 'failed' : passed !== undefined ? 'passed' : 'unknown';
    return { id, label, state, evidence: failed ?? passed ?? null };
  });
}

/**
 * The overall pre-flight state: `failed` as soon as an item failed, `passed` when all passed,
 * `pending` while the window is still open, `unknown` once it closed with items undecided.
 */
export function preflightState(
  items: readonly PreflightItem[],
  windowOpen: boolean,
): PreflightState {
  if (items.some((i) => i.state === 'failed')) return 'failed';
  if (items.length > 0 && items.every((i) => i.state === 'passed')) return 'passed';
  return windowOpen ? 'pending' : 'unknown';
}
