/**
 * Required literals of a pattern: a set of lower-case strings such that every line the pattern
 * matches contains at least one of them. The classifier searches for these literals first (one
 * alternation of plain strings is far cheaper for the regex engine than the full patterns) and
 * runs the real patterns only on the lines that contain one.
 *
 * Handles the catalogue's regex subset: literals and escapes, classes, `. \d \w \s`, groups,
 * alternation, `? * + {n,m}` (greedy or lazy), and the zero-width `^ $ \b \B`. Anything else
 * makes the pattern "opaque" (null), and the classifier scans for it with its full regex.
 */

interface Info {
  /** Every string the node can match, when that set is small; null otherwise. */
  exact: Set<string> | null;
  /** Strings of which every match contains one; null when there is no such set. */
  factors: Set<string> | null;
}

const MAX_EXACT = 16;
const ANY: Info = { exact: null, factors: null };
const EMPTY: Info = { exact: new Set(['']), factors: null };

function cross(a: Set<string>, b: Set<string>): Set<string> | null {
  if (a.size * b.size > MAX_EXACT) return null;
  const out = new Set<string>();
  for (const x of a) for (const y of b) out.add(x + y);
  return out;
}

const minLen = (s: Set<string>): number => Math.min(...[...s].map((x) => x.length));

/** The better of two factor sets: longer shortest string, then fewer strings. */
function better(a: Set<string> | null, b: Set<string> | null): Set<string> | null {
  const ok = (s: Set<string> | null): s is Set<string> => s !== null && s.size > 0 && !s.has('');
  if (!ok(a)) return ok(b) ? b : null;
  if (!ok(b)) return a;
  const la = minLen(a);
  const lb = minLen(b);
  return la !== lb ? (la > lb ? a : b) : a.size <= b.size ? a : b;
}

class Parser {
  i = 0;
  constructor(readonly src: string) {}

  alternation(): Info {
    const branches = [this.sequence()];
    while (this.src[this.i] === '|') {
      this.i++;
      branches.push(this.sequence());
    }
    if (branches.length === 1) return branches[0];
    const exact = branches.every((b) => b.exact)
      ? new Set(branches.flatMap((b) => [...b.exact!]))
      : null;
    const parts = branches.map((b) => better(b.factors, b.exact));
    const factors = parts.every((p) => p !== null) ? new Set(parts.flatMap((p) => [...p])) : null;
    return { exact: exact && exact.size <= MAX_EXACT ? exact : null, factors };
  }

  sequence(): Info {
    let cur = new Set(['']); // exact strings of the current run of exact items
    let best: Set<string> | null = null;
    let exact = true; // every item so far exact, and their product small
    while (this.i < this.src.length && this.src[this.i] !== '|' && this.src[this.i] !== ')') {
      const item = this.quantified();
      if (item.exact) {
        const next = cross(cur, item.exact);
        if (next) {
          cur = next;
          continue;
        }
        best = better(best, cur); // too many combinations: close the run here
        cur = item.exact;
        exact = false;
        continue;
      }
      best = better(better(best, cur), item.factors);
      cur = new Set(['']);
      exact = false;
    }
    best = better(best, cur);
    return { exact: exact ? cur : null, factors: best };
  }

  quantified(): Info {
    const atom = this.atom();
    const c = this.src[this.i];
    let min = 1;
    let max = 1;
    if (c === '?' || c === '*' || c === '+') {
      this.i++;
      [min, max] = c === '?' ? [0, 1] : c === '*' ? [0, Infinity] : [1, Infinity];
    } else if (c === '{') {
      const m = /^\{(\d+)(,(\d*))?\}/.exec(this.src.slice(this.i));
      if (m) {
        this.i += m[0].length;
        min = Number(m[1]);
        max = m[2] ? (m[3] ? Number(m[3]) : Infinity) : min;
      }
    }
    if (min !== 1 || max !== 1) {
      if (this.src[this.i] === '?') this.i++; // lazy
      if (min === 0 && max === 1 && atom.exact)
        return { exact: new Set([...atom.exact, '']), factors: null };
      return { exact: null, factors: min >= 1 ? better(atom.factors, atom.exact) : null };
    }
    return atom;
  }

  atom(): Info {
    const c = this.src[this.i++];
    if (c === '(') {
      if (this.src[this.i] === '?') {
        if (this.src[this.i + 1] !== ':') throw new Error('opaque group');
        this.i += 2;
      }
      const inner = this.alternation();
      if (this.src[this.i++] !== ')') throw new Error('unbalanced');
      return inner;
    }
    if (c === '[') return this.klass();
    if (c === '.') return ANY;
    if (c === '^' || c === '$') return EMPTY;
    if (c === '\\') {
      const e = this.src[this.i++];
      if ('bB'.includes(e)) return EMPTY;
      if ('dDwWsS'.includes(e)) return ANY;
      if (/[a-zA-Z0-9]/.test(e)) throw new Error('opaque escape');
      return { exact: new Set([e.toLowerCase()]), factors: null };
    }
    return { exact: new Set([c.toLowerCase()]), factors: null };
  }

  /** A class of at most four plain characters is an exact set; anything else matches "anything". */
  klass(): Info {
    const end = this.src.indexOf(']', this.i + (this.src[this.i] === ']' ? 1 : 0));
    if (end === -1) throw new Error('unbalanced class');
    const body = this.src.slice(this.i, end);
    this.i = end + 1;
    if (body.startsWith('^') || /[\\]|.-./.test(body) || body.length > 4) return ANY;
    return { exact: new Set([...body.toLowerCase()]), factors: null };
  }
}

/** The pattern's required literals (lower case), or null when it has none the classifier can use. */
export function requiredLiterals(pattern: string): string[] | null {
  try {
    const p = new Parser(pattern);
    const info = p.alternation();
    if (p.i !== pattern.length) return null;
    const set = better(info.factors, info.exact);
    return set ? [...set] : null;
  } catch {
    return null;
  }
}

const isWordChar = (c: string | undefined): boolean => c !== undefined && /[a-z0-9_]/.test(c);

/**
 * A small set of trigger strings that covers every literal (each literal contains one), chosen
 * greedily among word-initial substrings of 4 to 10 characters. A handful of short words scans
 * much faster than hundreds of phrases; the phrases are then checked on the few lines that hit.
 */
export function triggerWords(literals: Iterable<string>): string[] {
  const uncovered = new Set([...literals].filter((l) => l.length > 0));
  const chosen: string[] = [];
  while (uncovered.size > 0) {
    const score = new Map<string, number>();
    for (const lit of uncovered) {
      const seen = new Set<string>();
      for (let p = 0; p < lit.length; p++) {
        if (isWordChar(lit[p - 1]) && isWordChar(lit[p])) continue; // not at a word start
        for (let len = 4; len <= 10 && p + len <= lit.length; len++)
          seen.add(lit.slice(p, p + len));
      }
      if (lit.length < 4) seen.add(lit);
      for (const s of seen) score.set(s, (score.get(s) ?? 0) + 1);
    }
    let best = '';
    let bestScore = 0;
    for (const [s, n] of score) {
      if (n > bestScore || (n === bestScore && s.length > best.length)) [best, bestScore] = [s, n];
    }
    if (!best) {
      // a literal without a word start of 4+ characters: use it whole
      best = uncovered.values().next().value as string;
    }
    chosen.push(best);
    for (const lit of [...uncovered]) if (lit.includes(best)) uncovered.delete(lit);
  }
  return chosen;
}
