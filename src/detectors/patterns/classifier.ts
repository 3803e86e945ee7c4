import type { IssueType } from '../../domain/alert.js';
import { requiredLiterals } from './literals.js';
import { LiteralScanner, scannable } from './prefilter.js';
import { DEFAULT_ISSUE_TYPE } from './schema.js';
import type { Catalogue, Entry, Finding } from './schema.js';

interface Compiled {
  entry: Entry;
  issueType: IssueType;
  re: RegExp;
  /** The entry's shared filters and `unless` patterns as one alternation; null when it has none. */
  unless: RegExp | null;
}

/** `(?:a)|(?:b)|…` — one alternation that keeps every pattern's own grouping intact. */
export const union = (sources: readonly string[]): string =>
  sources.map((s) => `(?:${s})`).join('|');

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
 * The log classifier. One pass over a whole chunk finds the candidate lines — a multi-literal
 * search for the literals every pattern requires (or, when some pattern has none, one
 * case-insensitive alternation of all patterns) — and only those lines are checked against the
 * individual patterns (priority 1, 2, 3, then catalogue order) and their false-positive filters.
 * A line gets at most one finding.
 */
export class Classifier {
  readonly #compiled: Compiled[];
  readonly #any: RegExp;
  readonly #fast: FastPath | null;

  constructor(catalogue: Catalogue) {
    const cache = new Map<string, RegExp | null>();
    const unlessFor = (sources: string[]): RegExp | null => {
      const key = sources.join('\u0000');
      if (!cache.has(key)) cache.set(key, sources.length ? new RegExp(union(sources), 'i') : null);
      return cache.get(key) ?? null;
    };
    // Array.prototype.sort is stable: equal priorities keep catalogue order.
    this.#compiled = [...catalogue.entries].sort(byPriority).map((entry) => ({
      entry,
      issueType: entry.issueType ?? DEFAULT_ISSUE_TYPE[entry.alert],
      re: new RegExp(entry.pattern, 'i'),
      unless: unlessFor([...filtersOf(catalogue, entry), ...entry.unless]),
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

  /** The first entry (in priority order) that matches and is not suppressed; `only` narrows it. */
  #classify(text: string, line: number, only: Uint8Array | null): Finding | null {
    const t = text.endsWith('\r') ? text.slice(0, -1) : text;
    for (const [i, c] of this.#compiled.entries()) {
      if ((only && !only[i]) || !c.re.test(t) || c.unless?.test(t)) continue;
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

  /** Findings of a block of lines, in line order; `firstLineNo` numbers its first line. */
  classifyChunk(text: string, firstLineNo = 1): Finding[] {
    return this.#fast
      ? this.#byLiterals(this.#fast, text, firstLineNo)
      : this.#byRegex(text, firstLineNo);
  }

  #byLiterals(fast: FastPath, text: string, firstLineNo: number): Finding[] {
    const findings: Finding[] = [];
    const marks = new Uint8Array(this.#compiled.length);
    let start = -1;
    let end = -1;
    let lineNo = firstLineNo;
    let counted = 0;
    const flush = () => {
      if (start < 0) return;
      for (
        let i = text.indexOf('\n', counted);
        i !== -1 && i < start;
        i = text.indexOf('\n', i + 1)
      )
        lineNo++;
      counted = start;
      const finding = this.#classify(text.slice(start, end), lineNo, marks);
      if (finding) findings.push(finding);
      marks.fill(0);
    };
    fast.scanner.scan(text, (literal, pos) => {
      if (pos >= end) {
        flush();
        start = text.lastIndexOf('\n', pos - 1) + 1;
        const nl = text.indexOf('\n', pos);
        end = nl === -1 ? text.length : nl;
      }
      for (const i of fast.entriesOf[literal]) marks[i] = 1;
    });
    flush();
    return findings;
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
