import { envelopeOf } from '../structure.js';
import type { Envelope } from '../structure.js';

/**
 * The features of the learned stage (issue #12 item 5): what a line says, as a set of strings a
 * linear model weighs — lower-cased words (camelCase split, numbers folded to `#` except HTTP-ish
 * status codes), word bigrams, and the line's shape (envelope, level, indentation, a JSON
 * fragment, a status glyph, an exception name at its head, error-ish word suffixes).
 * Deterministic and cheap; only lines that reach the learned stage are featurised.
 */

/** Words an error-shaped line carries (besides an error/fatal envelope). */
const ERRORISH =
  /\b(?:fail(?:ed|ure|s|ing)?|errors?|err|unable|cannot|can't|couldn't|could not|forbidden|denied|refused|invalid|timed? ?out|timeout|not found|no such|missing|unexpected|panic(?:ked)?|crash(?:ed)?|abort(?:ed)?|exceptions?|fatal|unauthori[sz]ed|expired|exceeded|rejected|not set|undefined|disconnected|killed)\b|[a-z](?:Error|Exception)\b/i;

/**
 * Whether a line is error-shaped: an error or fatal envelope, or a warn/unlevelled line that
 * states a failure in words. Info and debug lines, and Kubernetes event rows (the structural
 * stage's), never are.
 */
export function errorShaped(text: string, env: Envelope = envelopeOf(text)): boolean {
  if (env.shape === 'event') return false;
  if (env.level === 'error' || env.level === 'fatal') return true;
  if (env.level === 'info' || env.level === 'debug') return false;
  return ERRORISH.test(text);
}

const CAMEL = /([a-z0-9])([A-Z])/g;
const WORD = /[a-z][a-z0-9_]*|\d+/g;
const RAW_WORD = /[A-Za-z][A-Za-z0-9_]*/g;
const GLYPH = /^[│⎿✻●✖✗✘×⚠■❌▶•❯]/u;
const JSONISH = /^(?:[{[]|"[^"]{0,80}"\s*:)/;
const EXCEPTION_HEAD = /^[A-Za-z_][\w.$]*(?:Error|Exception|Failure)\b/;
const STATUS = /^[1-5]\d\d$/;
const LONG = 30;

/** The words of a line: camelCase split, lower-cased, numbers folded (status codes kept). */
export function words(text: string): string[] {
  const out: string[] = [];
  for (const w of text.replace(CAMEL, '$1 $2').toLowerCase().match(WORD) ?? []) {
    if (w.length > LONG) continue;
    out.push(w.charCodeAt(0) <= 57 ? (STATUS.test(w) ? w : '#') : w);
  }
  return out;
}

/** The features of one line, sorted and unique. */
export function features(text: string, env: Envelope = envelopeOf(text)): string[] {
  const out = new Set<string>();
  out.add(`shape:${env.shape ?? 'plain'}`);
  out.add(`level:${env.level ?? 'none'}`);
  const trimmed = text.trim();
  if (/^\s/.test(text)) out.add('shape:indented');
  if (JSONISH.test(trimmed)) out.add('shape:json-fragment');
  if (GLYPH.test(trimmed)) out.add('shape:glyph');
  if (EXCEPTION_HEAD.test(trimmed)) out.add('shape:exception-head');
  if (trimmed.endsWith(':')) out.add('shape:ends-with-colon');
  for (const raw of text.match(RAW_WORD) ?? []) {
    if (raw.length > LONG) continue;
    if (/[a-z](?:Error|Exception)$/.test(raw)) out.add('suffix:Error/Exception');
    if (/^[A-Z][A-Z0-9_]{3,}$/.test(raw) && raw.includes('_')) out.add('shape:CONSTANT_NAME');
  }
  const ws = words(text);
  let prev: string | null = null;
  for (const w of ws) {
    if (w !== '#') out.add(`w:${w}`);
    if (prev !== null) out.add(`b:${prev} ${w}`);
    prev = w;
  }
  return [...out].sort();
}
