/**
 * Multi-literal search (Aho–Corasick, as a full DFA) over a JavaScript string, ASCII
 * case-insensitive.
 *
 * The classifier's fast path: instead of running the alternation of every catalogue pattern at
 * every position (the regex engine tries each alternative in turn), it walks one automaton over
 * the text — one table lookup per character — to find the literals every pattern requires, and
 * runs the real patterns only on the lines where one occurs.
 */

/** Literals the scanner can take: ASCII, at least three characters. */
export const scannable = (literal: string): boolean =>
  literal.length >= 3 && [...literal].every((ch) => ch.charCodeAt(0) > 0 && ch.charCodeAt(0) < 128);

export class LiteralScanner {
  /** Character class of each UTF-16 code unit: 0 for characters no literal uses. */
  readonly #classOf = new Uint8Array(65536);
  /** delta[row + class] = row of the next state, where row = state * width. */
  readonly #delta: Int32Array;
  /** 1 at the row of every state where a literal ends. */
  readonly #accepts: Uint8Array;
  /** Literals ending at each such state (own and inherited through failure links), by row. */
  readonly #out = new Map<number, number[]>();
  readonly #lengths: number[];

  /** `literals` must be lower case and scannable. */
  constructor(literals: readonly string[]) {
    if (literals.length === 0 || !literals.every(scannable))
      throw new Error('literals must be ASCII, 3+ characters');
    let classes = 1;
    for (const lit of literals) {
      for (const ch of lit) {
        const c = ch.charCodeAt(0);
        if (this.#classOf[c] === 0) {
          const k = classes++;
          this.#classOf[c] = k;
          const upper = ch.toUpperCase().charCodeAt(0);
          if (upper < 128) this.#classOf[upper] = k;
        }
      }
    }
    const width = classes;
    this.#lengths = literals.map((l) => l.length);

    // The trie.
    const next: Map<number, number>[] = [new Map<number, number>()];
    const out: (number[] | null)[] = [null];
    for (const [index, lit] of literals.entries()) {
      let s = 0;
      for (const ch of lit) {
        const k = this.#classOf[ch.charCodeAt(0)];
        let t = next[s].get(k);
        if (t === undefined) {
          t = next.push(new Map<number, number>()) - 1;
          out.push(null);
          next[s].set(k, t);
        }
        s = t;
      }
      out[s] = [...(out[s] ?? []), index];
    }

    // Failure links, breadth first, folded into a complete transition table.
    const delta = (this.#delta = new Int32Array(next.length * width));
    const fail = new Int32Array(next.length);
    const queue: number[] = [];
    for (let k = 0; k < width; k++) {
      const t = next[0].get(k) ?? 0;
      delta[k] = t;
      if (t !== 0) queue.push(t);
    }
    for (let qi = 0; qi < queue.length; qi++) {
      const s = queue[qi];
      const f = fail[s];
      if (out[f]) out[s] = [...(out[s] ?? []), ...out[f]];
      for (let k = 0; k < width; k++) {
        const t = next[s].get(k);
        if (t === undefined) {
          delta[s * width + k] = delta[f * width + k]!;
        } else {
          fail[t] = delta[f * width + k]!;
          delta[s * width + k] = t;
          queue.push(t);
        }
      }
    }
    // Store rows instead of state numbers: one multiplication less per character.
    for (let i = 0; i < delta.length; i++) delta[i] = delta[i] * width;
    this.#accepts = new Uint8Array(delta.length + 1);
    for (const [state, o] of out.entries()) {
      if (!o) continue;
      this.#accepts[state * width] = 1;
      this.#out.set(state * width, o);
    }
  }

  /** Calls `hit(literalIndex, start)` for every occurrence, in increasing order of its end. */
  scan(text: string, hit: (literal: number, start: number) => void): void {
    const classOf = this.#classOf;
    const delta = this.#delta;
    const accepts = this.#accepts;
    let row = 0;
    for (let i = 0, n = text.length; i < n; i++) {
      row = delta[row + classOf[text.charCodeAt(i)]]!;
      if (accepts[row] === 1) {
        for (const index of this.#out.get(row)!) hit(index, i - this.#lengths[index] + 1);
      }
    }
  }
}
