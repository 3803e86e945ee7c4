/** cyrb53: a fast 53-bit string hash (enough to tell lines apart within one stream and nanosecond). */
export function lineHash(text: string): number {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}

/** A stream's identity: its labels in name order. */
export const streamKey = (labels: Readonly<Record<string, string>>): string =>
  JSON.stringify(
    Object.keys(labels)
      .sort()
      .map((k) => [k, labels[k]]),
  );

/**
 * The lines already delivered whose timestamps may be read again (page boundaries, the overlap
 * between ticks): keyed by (stream, timestamp, line hash). Bounded twice: `prune` forgets lines
 * older than the window, and past `maxEntries` the oldest insertions go first.
 */
export class DedupWindow {
  readonly #seen = new Map<string, bigint>();
  readonly #max: number;

  constructor(maxEntries = 200_000) {
    this.#max = maxEntries;
  }

  get size(): number {
    return this.#seen.size;
  }

  /** True when the line is new (and remembers it); false when it was seen. */
  add(stream: string, tsNs: bigint, line: string): boolean {
    const key = `${stream}\u0000${tsNs}\u0000${lineHash(line)}`;
    if (this.#seen.has(key)) return false;
    this.#seen.set(key, tsNs);
    if (this.#seen.size > this.#max) {
      const oldest = this.#seen.keys().next();
      if (!oldest.done) this.#seen.delete(oldest.value);
    }
    return true;
  }

  /** Forgets every line older than `beforeNs`. */
  prune(beforeNs: bigint): void {
    for (const [key, ts] of this.#seen) if (ts < beforeNs) this.#seen.delete(key);
  }
}
