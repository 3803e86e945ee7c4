import { union } from './classifier.js';
import type { Catalogue } from './schema.js';
import { STRUCTURE_FILTER } from './structure.js';

/**
 * The case-insensitive union of the catalogue as one RE2 regex: `(?i)(?:p1)|(?:p2)|…`.
 * Checklist signals are included by default, so the pass lines of the pre-flight checklist
 * reach Healer through the same server-side filter as the failures; so are the literals of the
 * structural stage (`STRUCTURE_FILTER`: event rows, status documents, error envelopes), so a line
 * it would flag from its shape alone reaches Healer through Loki as it does through a file. The
 * union is tens of KB: the poller sends it in a POST form, never in a URL.
 */
export function lokiUnion(
  catalogue: Catalogue,
  opts: { checklist?: boolean; structure?: boolean } = {},
): string {
  const sources = catalogue.entries.map((e) => e.pattern);
  if (opts.checklist !== false) sources.push(...catalogue.checklist.map((k) => k.pattern));
  if (opts.structure !== false) sources.push(STRUCTURE_FILTER);
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
export function lokiLineFilter(
  catalogue: Catalogue,
  opts: { checklist?: boolean; structure?: boolean } = {},
): string {
  return logqlEscape(lokiUnion(catalogue, opts));
}
