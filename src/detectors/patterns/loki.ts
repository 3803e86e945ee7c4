import { union } from './classifier.js';
import type { Catalogue } from './schema.js';

/**
 * The case-insensitive union of the catalogue as one RE2 regex: `(?i)(?:p1)|(?:p2)|…`.
 * Checklist signals are included by default, so the pass lines of the pre-flight checklist
 * reach Healer through the same server-side filter as the failures. The structural stage
 * (`structure.ts`) sees only lines that passed this filter on the Loki path: its window holds
 * them only, and a line it would flag from its shape alone (an event row, a status document, an
 * error envelope with no catalogue word) does not reach Healer through Loki.
 */
export function lokiUnion(catalogue: Catalogue, opts: { checklist?: boolean } = {}): string {
  const sources = catalogue.entries.map((e) => e.pattern);
  if (opts.checklist !== false) sources.push(...catalogue.checklist.map((k) => k.pattern));
  return `(?i)${union(sources)}`;
}

/** Escapes text for a LogQL double-quoted string (Go string syntax). */
export function logqlEscape(text: string): string {
  return text.replace(
    /[\\"\n\r\t]/g,
    (c) => ({ '\\': '\\\\', '"': '\\"', '\n': '\\n', '\r': '\\r', '\t': '\\t' })[c] ?? c,
  );
}

/**
 * The catalogue union, escaped to sit between the quotes of a LogQL line filter:
 * `{namespace="cto"} |~ "<lokiLineFilter(catalogue)>"`.
 */
export function lokiLineFilter(catalogue: Catalogue, opts: { checklist?: boolean } = {}): string {
  return logqlEscape(lokiUnion(catalogue, opts));
}
