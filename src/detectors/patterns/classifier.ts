import type { IssueType } from '../../domain/alert.js';
import { requiredLiterals } from './literals.js';
import { LiteralScanner, scannable } from './prefilter.js';
import { DEFAULT_ISSUE_TYPE } from './schema.js';
import type { Catalogue, Entry, Finding } from './schema.js';

interface Compiled {
  entry: Entry;
  issueType: IssueType;
  re: RegExp;
  /** The entry's `unless` patterns and shared filters: the line is suppressed when one matches. */
  unless: readonly RegExp[];
}

/** `(?:a)|(?:b)|…` — one alternation that keeps every pattern's own grouping intact. */
export const union = (sources: readonly string[]): string =>
  sources.map((s) => `(?:${s})`).join('|');

const asBuffer = (bytes: Uint8Array): Buffer =>
  Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);

const decode = (bytes: Uint8Array): string => asBuffer(bytes).toString('utf8');

/** True when one of the patterns matches (the order changes only how soon that is known). */
const suppressed = (unless: readonly RegExp[], text: string): boolean => {
  for (const re of unless) if (re.test(text)) return true;
  return false;
};

const lineCount = (text: string): number => {
  let n = 1;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) n++;
  return n;
};

const byPriority = (a: Entry, b: Entry): number => a.priority - b.priority;

/** The shared filters an entry applies: the ones it names, or all of them. */
export function filtersOf(catalogue: Catalogue, entry: Entry): string[] {
  const wanted = entry.filters ? new Set(entry.filters) : null;
  return catalogue.filters.filter((f) => !wanted || wanted.has(f.id)).map((f) => f.pattern);
}

/** Literal search over every entry's required literals, and which entries each literal serves. */
interface FastPath {
  scanner: LiteralScanner;
  entriesOf: number[][];
}

function fastPath(compiled: Compiled[]): FastPath | null {
  const index = new Map<string, number>();
  const entriesOf: number[][] = [];
  for (const [i, c] of compiled.entries()) {
    const literals = requiredLiterals(c.entry.pattern);
    if (!literals || !literals.every(scannable)) return null; // an opaque pattern: regex path
    for (const lit of literals) {
      let k = index.get(lit);
      if (k === undefined) {
        k = entriesOf.push([]) - 1;
        index.set(lit, k);
      }
      entriesOf[k].push(i);
    }
  }
  return { scanner: new LiteralScanner([...index.keys()]), entriesOf };
}

/**
 * The log classifier. One pass over a whole chunk (a string, or UTF-8 bytes) finds the candidate
 * lines — a multi-literal search for the literals every pattern requires (`prefilter.ts`), or,
 * when some pattern has none, one case-insensitive alternation of all patterns — and only those
 * lines are decoded and checked against the patterns their literals belong to (priority 1, 2, 3,
 * then catalogue order) and those entries' false-positive filters. A line gets at most one finding.
 */
export class Classifier {
  readonly #compiled: Compiled[];
  readonly #any: RegExp;
  readonly #fast: FastPath | null;

  constructor(catalogue: Catalogue) {
    const cache = new Map<string, RegExp>();
    const unlessFor = (sources: string[]): RegExp[] =>
      sources.map((source) => {
        let re = cache.get(source);
        if (!re) cache.set(source, (re = new RegExp(source, 'i')));
        return re;
      });
    // Array.prototype.sort is stable: equal priorities keep catalogue order.
    this.#compiled = [...catalogue.entries].sort(byPriority).map((entry) => ({
      entry,
      issueType: entry.issueType ?? DEFAULT_ISSUE_TYPE[entry.alert],
      re: new RegExp(entry.pattern, 'i'),
      // The entry's own false positives first: the likelier to match, and a match ends the test.
      unless: unlessFor([...entry.unless, ...filtersOf(catalogue, entry)]),
    }));
    this.#any = new RegExp(union(this.#compiled.map((c) => c.entry.pattern)), 'gim');
    this.#fast = fastPath(this.#compiled);
  }

  /** True when the literal fast path is in use (every pattern has scannable required literals). */
  get literalPrefilter(): boolean {
    return this.#fast !== null;
  }

  /** The finding for one line (without its line break), or null. */
  classifyLine(text: string, line = 1): Finding | null {
    return this.#classify(text, line, null);
  }

  /**
   * The first entry (in priority order) that matches and is not suppressed; `only` narrows it to
   * these entries (indices into the priority order, ascending).
   */
  #classify(text: string, line: number, only: readonly number[] | null): Finding | null {
    const t = text.endsWith('\r') ? text.slice(0, -1) : text;
    const compiled = this.#compiled;
    const n = only ? only.length : compiled.length;
    for (let k = 0; k < n; k++) {
      const c = compiled[only ? only[k] : k];
      if (!c.re.test(t) || suppressed(c.unless, t)) continue;
      const e = c.entry;
      const finding: Finding = {
        line,
        text: t,
        patternId: e.id,
        alert: e.alert,
        severity: e.severity,
        priority: e.priority,
        issueType: c.issueType,
        family: e.family,
      };
      if (e.checklist) finding.checklist = e.checklist;
      return finding;
    }
    return null;
  }

  /**
   * Findings of a block of lines, in line order; `firstLineNo` numbers its first line. The block
   * is a string, or UTF-8 bytes (then only the candidate lines are decoded).
   */
  classifyChunk(text: string | Uint8Array, firstLineNo = 1): Finding[] {
    return this.scanChunk(text, firstLineNo).findings;
  }

  /** `classifyChunk`, and the number of lines in the block (its line breaks, plus one). */
  scanChunk(text: string | Uint8Array, firstLineNo = 1): { findings: Finding[]; lines: number } {
    if (this.#fast) return this.#byLiterals(this.#fast, text, firstLineNo);
    const str = typeof text === 'string' ? text : decode(text);
    return { findings: this.#byRegex(str, firstLineNo), lines: lineCount(str) };
  }

  #byLiterals(
    fast: FastPath,
    input: string | Uint8Array,
    firstLineNo: number,
  ): { findings: Finding[]; lines: number } {
    const findings: Finding[] = [];
    const found = fast.scanner.lines(input);
    const bytes = typeof input === 'string' ? null : asBuffer(input);
    const { start, end, line, litFrom, lits } = found;
    // The entries a candidate line's literals serve, in priority order; `seen[i]` is the number of
    // the last line (plus one) that picked entry i.
    const seen = new Int32Array(this.#compiled.length);
    const picked: number[] = [];
    for (let k = 0; k < found.count; k++) {
      picked.length = 0;
      for (let q = litFrom[k]; q < litFrom[k + 1]; q++) {
        for (const i of fast.entriesOf[lits[q]]) {
          if (seen[i] === k + 1) continue;
          seen[i] = k + 1;
          picked.push(i);
        }
      }
      if (picked.length > 1) picked.sort((x, y) => x - y);
      const text = bytes
        ? bytes.toString('utf8', start[k], end[k])
        : (input as string).slice(start[k], end[k]);
      const finding = this.#classify(text, firstLineNo + line[k], picked);
      if (finding) findings.push(finding);
    }
    return { findings, lines: found.lines };
  }

  #byRegex(text: string, firstLineNo: number): Finding[] {
    const findings: Finding[] = [];
    const any = this.#any;
    any.lastIndex = 0;
    let lineNo = firstLineNo;
    let counted = 0; // newlines before this offset are already in lineNo
    let m: RegExpExecArray | null;
    while ((m = any.exec(text)) !== null) {
      const start = text.lastIndexOf('\n', m.index - 1) + 1;
      const nl = text.indexOf('\n', m.index);
      const end = nl === -1 ? text.length : nl;
      for (
        let i = text.indexOf('\n', counted);
        i !== -1 && i < start;
        i = text.indexOf('\n', i + 1)
      )
        lineNo++;
      counted = start;
      const finding = this.classifyLine(text.slice(start, end), lineNo);
      if (finding) findings.push(finding);
      if (nl === -1) break;
      any.lastIndex = nl + 1; // next candidate: the next line at the earliest
    }
    return findings;
  }
}
