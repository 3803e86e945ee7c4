/**
 * Multi-literal search (Aho–Corasick, as a full DFA), ASCII case-insensitive, over a JavaScript
 * string or over UTF-8 bytes.
 *
 * The classifier's fast path: instead of running the alternation of every catalogue pattern at
 * every position (the regex engine tries each alternative in turn), it walks one automaton over
 * the text — one table lookup per character — to find the literals every pattern requires, and
 * runs the real patterns only on the lines where one occurs.
 *
 * How the inner loop stays cheap:
 * - the transition table holds rows (state × width), so a step is `row = delta[row + class]`;
 * - states where a literal ends, and one extra state entered on every `\n`, are numbered last, so
 *   one comparison (`row >= special`) tells the loop that something happened; the line breaks
 *   the automaton passes give each literal its line's start and number, with no search back;
 * - the input is cut in two at a line break and both halves are walked in the same loop: a step
 *   waits for the previous table lookup of its own half only, so the two lookups overlap (about
 *   1.5–2 times the throughput of one walk);
 * - the loop only writes down what happened (three numbers per literal end, in a typed array
 *   handed over every segment) and calls nothing: with any call in it, even a rare one, or a few
 *   more live variables, V8 compiles the whole loop markedly slower;
 * - bytes are classified through a 256-entry table: literals are ASCII, and an ASCII byte in UTF-8
 *   is always that ASCII character, so the bytes hold a literal exactly where the decoded string
 *   does. Only the candidate lines are decoded (by the classifier).
 */

/** Literals the scanner can take: ASCII, at least three characters. */
export const scannable = (literal: string): boolean =>
  literal.length >= 3 && [...literal].every((ch) => ch.charCodeAt(0) > 0 && ch.charCodeAt(0) < 128);

const NEWLINE = 10;

/**
 * Candidate lines of one scan, in input order: line `k` spans `[start[k], end[k])` (without its
 * `\n`), is line `line[k]` of the input (0-based), and contains the literals
 * `lits[litFrom[k]] … lits[litFrom[k + 1] - 1]` (a literal seen twice is listed twice).
 */
export class CandidateLines {
  /** Lines in the scanned input: its line breaks, plus one. */
  lines = 1;
  count = 0;
  start = new Int32Array(64);
  end = new Int32Array(64);
  line = new Int32Array(64);
  litFrom = new Int32Array(65);
  lits = new Int32Array(128);
  litCount = 0;

  /** Opens candidate `count` (its literals follow). */
  open(start: number, line: number): void {
    const k = this.count;
    if (k + 1 >= this.start.length) this.#growLines();
    this.start[k] = start;
    this.line[k] = line;
    this.litFrom[k] = this.litCount;
  }

  addLiteral(literal: number): void {
    if (this.litCount === this.lits.length) {
      const lits = new Int32Array(this.lits.length * 2);
      lits.set(this.lits);
      this.lits = lits;
    }
    this.lits[this.litCount++] = literal;
  }

  /** Closes the open candidate at `end`. */
  close(end: number): void {
    this.end[this.count++] = end;
    this.litFrom[this.count] = this.litCount;
  }

  /** Appends another scan's candidates, their line numbers shifted by `lineOffset`. */
  append(other: CandidateLines, lineOffset: number): void {
    for (let k = 0; k < other.count; k++) {
      this.open(other.start[k], other.line[k] + lineOffset);
      for (let q = other.litFrom[k]; q < other.litFrom[k + 1]; q++) this.addLiteral(other.lits[q]);
      this.close(other.end[k]);
    }
  }

  #growLines(): void {
    const n = this.start.length * 2;
    const grow = (a: Int32Array, size: number) => {
      const b = new Int32Array(size);
      b.set(a);
      return b;
    };
    this.start = grow(this.start, n);
    this.end = grow(this.end, n);
    this.line = grow(this.line, n);
    this.litFrom = grow(this.litFrom, n + 1);
  }
}

/** Characters a walk takes between two hand-overs of its events. */
const SEGMENT = 1 << 14;

/** Room for one lane's events in a segment: at most one event per character. */
const LANE_EVENTS = 3 * SEGMENT;

/**
 * One walk of the automaton over a range of the input. Its running state lives in arrays shared
 * by both lanes (one register each in the loop, instead of one per lane): `at[atBase]` is the
 * start of the current line, `at[atBase + 1]` its 0-based number within the walk; the segment's
 * events are `events[base …]`, three numbers for each literal end: the accepting state's row,
 * and the line's start and number.
 */
class Lane {
  row = 0;
  count = 0;
  found = new CandidateLines();
  /** The number of the line that is the open candidate, or -1. */
  openLine = -1;
  openStart = 0;

  constructor(
    readonly events: Int32Array,
    readonly base: number,
    readonly at: Int32Array,
    readonly atBase: number,
  ) {}

  reset(from: number): void {
    this.row = 0;
    this.at[this.atBase] = from;
    this.at[this.atBase + 1] = 0;
    this.found = new CandidateLines();
    this.openLine = -1;
  }

  /** Line breaks passed so far. */
  get line(): number {
    return this.at[this.atBase + 1];
  }
}

/** The trie of the literals over character classes: `next[state]` class → state, `out` matches. */
function trie(
  literals: readonly string[],
  classOf: Uint8Array | Int32Array | number[],
): { next: Map<number, number>[]; out: number[][] } {
  const next: Map<number, number>[] = [new Map<number, number>()];
  const out: number[][] = [[]];
  for (const [index, lit] of literals.entries()) {
    let s = 0;
    for (const ch of lit) {
      const k = classOf[ch.charCodeAt(0)];
      let t = next[s].get(k);
      if (t === undefined) {
        t = next.push(new Map<number, number>()) - 1;
        out.push([]);
        next[s].set(k, t);
      }
      s = t;
    }
    out[s].push(index);
  }
  return { next, out };
}

export class LiteralScanner {
  /** Character class of each UTF-16 code unit: 0 for characters no literal uses, 1 for `\n`. */
  readonly #charClass = new Uint8Array(65536);
  /** The same for bytes. */
  readonly #byteClass: Uint8Array;
  /** delta[row + class] = row of the next state, where row = state * width. */
  readonly #delta: Int32Array;
  readonly #width: number;
  /** Rows at or above this one are accepting states or the newline state. */
  readonly #special: number;
  /** The row of the state entered on `\n` (the start state's transitions, no literal). */
  readonly #newline: number;
  /** Literals ending at each special state (own and inherited through failure links), by `(row − special) / width`. */
  readonly #out: Int32Array[];
  readonly #lengths: number[];
  readonly #events = new Int32Array(2 * LANE_EVENTS);
  readonly #at = new Int32Array(4);
  readonly #lanes = [
    new Lane(this.#events, 0, this.#at, 0),
    new Lane(this.#events, LANE_EVENTS, this.#at, 2),
  ] as const;

  /** `literals` must be lower case and scannable. */
  constructor(literals: readonly string[]) {
    if (literals.length === 0 || !literals.every(scannable))
      throw new Error('literals must be ASCII, 3+ characters');
    const classOf = this.#charClass;
    classOf[NEWLINE] = 1;
    let classes = 2;
    for (const lit of literals) {
      for (const ch of lit) {
        const c = ch.charCodeAt(0);
        if (classOf[c] === 0) {
          const k = classes++;
          classOf[c] = k;
          const upper = ch.toUpperCase().charCodeAt(0);
          if (upper < 128) classOf[upper] = k;
        }
      }
    }
    this.#byteClass = classOf.slice(0, 256);
    const width = (this.#width = classes);
    this.#lengths = literals.map((l) => l.length);

    const { next, out } = trie(literals, classOf);

    // Failure links, breadth first, folded into a complete transition table (state numbers).
    const states = next.length + 1; // the trie, and the newline state
    const newline = next.length;
    const delta = new Int32Array(states * width);
    const fail = new Int32Array(states);
    const queue: number[] = [];
    for (let k = 0; k < width; k++) {
      const t = next[0].get(k) ?? 0;
      delta[k] = t;
      if (t !== 0) queue.push(t);
    }
    for (let qi = 0; qi < queue.length; qi++) {
      const s = queue[qi];
      const f = fail[s];
      if (out[f].length) out[s] = [...out[s], ...out[f]];
      for (let k = 0; k < width; k++) {
        const t = next[s].get(k);
        if (t === undefined) {
          delta[s * width + k] = delta[f * width + k];
        } else {
          fail[t] = delta[f * width + k];
          delta[s * width + k] = t;
          queue.push(t);
        }
      }
    }
    // The newline state behaves like the start state; `\n` leads every state to it.
    out.push([]);
    for (let k = 0; k < width; k++) delta[newline * width + k] = delta[k];
    for (let s = 0; s < states; s++) delta[s * width + 1] = newline;

    // Renumber: plain states first, then accepting states, then the newline state; store rows.
    const order: number[] = [];
    for (let s = 0; s < newline; s++) if (out[s].length === 0) order.push(s);
    const firstSpecial = order.length;
    for (let s = 0; s < newline; s++) if (out[s].length > 0) order.push(s);
    order.push(newline);
    const renamed = new Int32Array(states);
    for (const [i, s] of order.entries()) renamed[s] = i;
    const rows = (this.#delta = new Int32Array(states * width));
    for (let s = 0; s < states; s++) {
      for (let k = 0; k < width; k++)
        rows[renamed[s] * width + k] = renamed[delta[s * width + k]] * width;
    }
    if (renamed[0] !== 0) throw new Error('the start state must stay first');
    this.#special = firstSpecial * width;
    this.#newline = renamed[newline] * width;
    this.#out = order.slice(firstSpecial).map((s) => Int32Array.from(out[s]));
  }

  /** Calls `hit(literalIndex, start)` for every occurrence, in increasing order of its end. */
  scan(text: string, hit: (literal: number, start: number) => void): void {
    const classOf = this.#charClass;
    const delta = this.#delta;
    const special = this.#special;
    let row = 0;
    for (let i = 0, n = text.length; i < n; i++) {
      row = delta[row + classOf[text.charCodeAt(i)]];
      if (row >= special && row !== this.#newline) {
        for (const index of this.#out[(row - special) / this.#width])
          hit(index, i - this.#lengths[index] + 1);
      }
    }
  }

  /**
   * The lines of `input` (a string, or UTF-8 bytes) that contain a literal, with the literals
   * each contains. Offsets are in the input's units (characters, or bytes).
   */
  lines(input: string | Uint8Array): CandidateLines {
    const n = input.length;
    const half = n >> 1;
    const cut =
      typeof input === 'string' ? input.indexOf('\n', half) : input.indexOf(NEWLINE, half);
    const mid = cut === -1 ? n : cut + 1; // the second half starts on a line of its own
    const [a, b] = this.#lanes;
    a.reset(0);
    b.reset(mid);
    const both = Math.min(mid, n - mid);
    if (typeof input === 'string') {
      this.#chars2(input, a, 0, b, mid, both);
      this.#chars1(input, a, both, mid);
      this.#chars1(input, b, mid + both, n);
    } else {
      // A plain Uint8Array view (a Buffer is a subclass): one element kind in the hot loop.
      const bytes = new Uint8Array(input.buffer, input.byteOffset, input.byteLength);
      this.#bytes2(bytes, a, 0, b, mid, both);
      this.#bytes1(bytes, a, both, mid);
      this.#bytes1(bytes, b, mid + both, n);
    }
    this.#finish(input, a, mid);
    this.#finish(input, b, n);
    a.found.append(b.found, a.line);
    a.found.lines = a.line + b.line + 1;
    return a.found;
  }

  // The four walks below are one loop written out for strings and bytes, two lanes and one (the
  // rest of the longer half). They are kept this bare on purpose (see the top of the file).

  /** Walks `len` characters from `aFrom` with lane `a` and from `bFrom` with lane `b`, interleaved. */
  #chars2(text: string, a: Lane, aFrom: number, b: Lane, bFrom: number, len: number): void {
    const classOf = this.#charClass;
    const delta = this.#delta;
    const special = this.#special;
    const newline = this.#newline;
    const ev = this.#events;
    const at = this.#at;
    for (let done = 0; done < len; done += SEGMENT) {
      let ra = a.row;
      let na = a.base;
      let rb = b.row;
      let nb = b.base;
      let i = aFrom + done;
      let j = bFrom + done;
      for (const end = i + Math.min(SEGMENT, len - done); i < end; i++, j++) {
        ra = delta[ra + classOf[text.charCodeAt(i)]];
        rb = delta[rb + classOf[text.charCodeAt(j)]];
        if (ra >= special) {
          if (ra !== newline) {
            ev[na] = ra;
            ev[na + 1] = at[0];
            ev[na + 2] = at[1];
            na += 3;
          } else {
            at[0] = i + 1;
            at[1]++;
          }
        }
        if (rb >= special) {
          if (rb !== newline) {
            ev[nb] = rb;
            ev[nb + 1] = at[2];
            ev[nb + 2] = at[3];
            nb += 3;
          } else {
            at[2] = j + 1;
            at[3]++;
          }
        }
      }
      a.row = ra;
      a.count = na;
      b.row = rb;
      b.count = nb;
      this.#flush(text, a);
      this.#flush(text, b);
    }
  }

  /** Walks `[from, to)` with one lane (the rest of the longer half). */
  #chars1(text: string, lane: Lane, from: number, to: number): void {
    const classOf = this.#charClass;
    const delta = this.#delta;
    const special = this.#special;
    const newline = this.#newline;
    const ev = this.#events;
    const at = this.#at;
    const k = lane.atBase;
    for (let i = from; i < to;) {
      let row = lane.row;
      let n = lane.base;
      for (const end = Math.min(i + SEGMENT, to); i < end; i++) {
        row = delta[row + classOf[text.charCodeAt(i)]];
        if (row >= special) {
          if (row !== newline) {
            ev[n] = row;
            ev[n + 1] = at[k];
            ev[n + 2] = at[k + 1];
            n += 3;
          } else {
            at[k] = i + 1;
            at[k + 1]++;
          }
        }
      }
      lane.row = row;
      lane.count = n;
      this.#flush(text, lane);
    }
  }

  /** `#chars2` over bytes. */
  #bytes2(bytes: Uint8Array, a: Lane, aFrom: number, b: Lane, bFrom: number, len: number): void {
    const classOf = this.#byteClass;
    const delta = this.#delta;
    const special = this.#special;
    const newline = this.#newline;
    const ev = this.#events;
    const at = this.#at;
    for (let done = 0; done < len; done += SEGMENT) {
      let ra = a.row;
      let na = a.base;
      let rb = b.row;
      let nb = b.base;
      let i = aFrom + done;
      let j = bFrom + done;
      for (const end = i + Math.min(SEGMENT, len - done); i < end; i++, j++) {
        ra = delta[ra + classOf[bytes[i]]];
        rb = delta[rb + classOf[bytes[j]]];
        if (ra >= special) {
          if (ra !== newline) {
            ev[na] = ra;
            ev[na + 1] = at[0];
            ev[na + 2] = at[1];
            na += 3;
          } else {
            at[0] = i + 1;
            at[1]++;
          }
        }
        if (rb >= special) {
          if (rb !== newline) {
            ev[nb] = rb;
            ev[nb + 1] = at[2];
            ev[nb + 2] = at[3];
            nb += 3;
          } else {
            at[2] = j + 1;
            at[3]++;
          }
        }
      }
      a.row = ra;
      a.count = na;
      b.row = rb;
      b.count = nb;
      this.#flush(bytes, a);
      this.#flush(bytes, b);
    }
  }

  /** `#chars1` over bytes. */
  #bytes1(bytes: Uint8Array, lane: Lane, from: number, to: number): void {
    const classOf = this.#byteClass;
    const delta = this.#delta;
    const special = this.#special;
    const newline = this.#newline;
    const ev = this.#events;
    const at = this.#at;
    const k = lane.atBase;
    for (let i = from; i < to;) {
      let row = lane.row;
      let n = lane.base;
      for (const end = Math.min(i + SEGMENT, to); i < end; i++) {
        row = delta[row + classOf[bytes[i]]];
        if (row >= special) {
          if (row !== newline) {
            ev[n] = row;
            ev[n + 1] = at[k];
            ev[n + 2] = at[k + 1];
            n += 3;
          } else {
            at[k] = i + 1;
            at[k + 1]++;
          }
        }
      }
      lane.row = row;
      lane.count = n;
      this.#flush(bytes, lane);
    }
  }

  /** Turns a lane's events into candidate lines. */
  #flush(input: string | Uint8Array, lane: Lane): void {
    const ev = lane.events;
    const found = lane.found;
    for (let k = lane.base; k < lane.count; k += 3) {
      const line = ev[k + 2];
      if (line !== lane.openLine) {
        if (lane.openLine !== -1) found.close(lineEnd(input, lane.openStart));
        lane.openLine = line;
        lane.openStart = ev[k + 1];
        found.open(lane.openStart, line);
      }
      const literals = this.#out[(ev[k] - this.#special) / this.#width];
      for (let q = 0; q < literals.length; q++) found.addLiteral(literals[q]);
    }
  }

  /** Closes the lane's open candidate, if any; `to` is the end of its range. */
  #finish(input: string | Uint8Array, lane: Lane, to: number): void {
    if (lane.openLine === -1) return;
    lane.found.close(Math.min(lineEnd(input, lane.openStart), to));
    lane.openLine = -1;
  }
}

/** Where the line starting at `start` ends: its line break, or the end of the input. */
function lineEnd(input: string | Uint8Array, start: number): number {
  const i = typeof input === 'string' ? input.indexOf('\n', start) : input.indexOf(NEWLINE, start);
  return i === -1 ? input.length : i;
}
