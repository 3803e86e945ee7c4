import type { HelperDelegate } from 'handlebars';

/** Handlebars passes its options object last; every helper ignores it. */
const params = (args: unknown[]): unknown[] => args.slice(0, -1);

function str(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return v.toString();
  return JSON.stringify(v) ?? '';
}

/** Longest run of backticks in `text`. */
const longestBacktickRun = (text: string): number =>
  Math.max(0, ...Array.from(text.matchAll(/`+/g), (m) => m[0].length));

/** Fences `text` as a code block whose fence is longer than any backtick run inside it. */
export function codeblock(text: string, lang = ''): string {
  const fence = '`'.repeat(Math.max(3, longestBacktickRun(text) + 1));
  const body = text.endsWith('\n') ? text : `${text}\n`;
  return `${fence}${lang}\n${body}${fence}`;
}

/** Inline code safe inside a Markdown table cell; `—` for an empty value. */
export function inlineCode(value: unknown): string {
  const text = str(value).replace(/\r?\n/g, ' ').replace(/\|/g, '\\|');
  if (text === '') return '—';
  const fence = '`'.repeat(longestBacktickRun(text) + 1);
  const pad = text.startsWith('`') || text.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${text}${pad}${fence}`;
}

/** Plain text safe inside a Markdown table cell; `—` for an empty value. */
export const cell = (value: unknown): string =>
  str(value).replace(/\|/g, '\\|').replace(/\r?\n/g, '<br>') || '—';

/** Cuts `text` to at most `max` characters, ending with `…` when cut. */
export function truncate(value: unknown, max: unknown): string {
  const text = str(value);
  const n = typeof max === 'number' && max > 0 ? Math.floor(max) : 80;
  return text.length <= n ? text : `${text.slice(0, Math.max(0, n - 1))}…`;
}

/** The helpers of remediation.md §3, plus `or` (first non-empty argument), `code` and `cell`. */
export const HELPERS: Record<string, HelperDelegate> = {
  concat: (...args: unknown[]) =>
    params(args)
      .filter((a) => a !== null && a !== undefined)
      .map(str)
      .join(''),
  lowercase: (v: unknown) => str(v).toLowerCase(),
  uppercase: (v: unknown) => str(v).toUpperCase(),
  eq: (a: unknown, b: unknown) => a === b,
  json: (v: unknown) => JSON.stringify(v, null, 2),
  truncate: (v: unknown, max: unknown) => truncate(v, max),
  codeblock: (...args: unknown[]) => {
    const [text, lang] = params(args);
    return codeblock(str(text), typeof lang === 'string' ? lang : '');
  },
  or: (...args: unknown[]) =>
    params(args).find((a) => a !== null && a !== undefined && a !== '') ?? '',
  code: (v: unknown) => inlineCode(v),
  cell: (v: unknown) => cell(v),
};
