import { envelopeOf } from '../structure.js';
import type { Envelope } from '../structure.js';

/**
 * The features of the learned stage (issue #12 item 5): what a line says, as a set of strings a
 * linear model weighs — lower-cased words (camelCase split, and since round 8 an acronym split
 * from the word after it, `HTTPError` → `http error`; numbers folded to `#` except HTTP-ish
 * status codes), word bigrams, the line's shape (envelope, level, indentation, a JSON fragment,
 * a status glyph, an exception name at its head, error-ish word suffixes) and, since round 8,
 * tool-agnostic word classes and their pairs (`classFeatures`).
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
/** An acronym before a capitalised word (`HTTPError` → `HTTP Error`). */
const ACRONYM = /([A-Z]+)([A-Z][a-z])/g;
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
  const split = text.replace(ACRONYM, '$1 $2').replace(CAMEL, '$1 $2');
  for (const w of split.toLowerCase().match(WORD) ?? []) {
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
  for (const f of classFeatures(env)) out.add(f);
  const ws = words(text);
  let prev: string | null = null;
  for (const w of ws) {
    if (w !== '#') out.add(`w:${w}`);
    if (prev !== null) out.add(`b:${prev} ${w}`);
    prev = w;
  }
  return [...out].sort();
}

/** Word classes: tool-agnostic groups of words a failure line is made of. */
const CLASSES: [string, RegExp][] = [
  [
    'fail',
    /\b(?:fail(?:ed|ure|s|ing)?|errors?|errored|unable|cannot|can't|couldn't|could not|exception|fatal|crash(?:ed)?|abort(?:ed)?)\b/i,
  ],
  [
    'absent',
    /\b(?:not found|missing|does not exist|doesn't exist|no such|undefined|unknown|not registered|not available|unavailable|not set|could not (?:locate|find)|couldn't find|unable to (?:locate|find)|absent)\b/i,
  ],
  [
    'invalid',
    /\b(?:invalid|unexpected|malformed|incomplete|unrecognized|unsupported|not valid|bad|parse error|syntax error|expected)\b/i,
  ],
  [
    'network',
    /\b(?:connection|connect(?:ing|ed)?|network|https?|url|download(?:ing)?|fetch(?:ing)?|resolve|dns|host|socket|index|registry|repodata|econnrefused|econnreset|etimedout|eai_again|enotfound|getaddrinfo|ssl|tls|certificate)\b|https?:\/\//i,
  ],
  ['timeout', /\b(?:timed? ?out|timeout|deadline)\b/i],
  [
    'template',
    /\b(?:templates?|layouts?|includes?|included|partials?|views?|render(?:ing)?|liquid|jinja\w*|handlebars)\b/i,
  ],
  [
    'server',
    /\b(?:servers?|mcp|clients?|initiali[sz]\w*|handshake|transport|stdio|sse|extensions?)\b/i,
  ],
  [
    'config',
    /\b(?:config\w*|settings?|property|properties|keys?|schema|pars(?:e|ing|er)|toml|ya?ml|json|fields?|values?|options?)\b/i,
  ],
  ['tools', /\btools?\b/i],
  ['agent', /\b(?:agents?|agent_type|subagents?|roles?|assistants?)\b/i],
  [
    'auth',
    /\b(?:tokens?|auth\w*|credentials?|password|unauthori[sz]ed|forbidden|permission|denied|401|403|login|session)\b/i,
  ],
  ['limit', /\b(?:limits?|max(?:imum)?|turns|iterations?|steps|budget|exceeded|quota|rate)\b/i],
  ['env', /\b(?:env(?:ironment)?|variables?|[A-Z][A-Z0-9]*_[A-Z0-9_]+)\b/],
  ['test', /\b(?:tests?|assert\w*|expect(?:ed|ation)?|spec|should|mock\w*)\b/i],
  [
    'build',
    /\b(?:build|compil\w*|install(?:ing)?|packages?|dependenc\w*|resolv\w*|gradle|maven|npm|pip|gem|bundler|nuget|conda|cargo)\b/i,
  ],
];
/** An error code: `NU1301`, `E0425`, `CS0246`, an errno (`ENOENT`, `EAI_AGAIN`), `ERR_MODULE_NOT_FOUND`. */
const ERROR_CODE =
  /\b(?:[A-Z]{1,4}\d{3,5}|E(?:ACCES|AGAIN|AI_[A-Z]+|CONN[A-Z]+|NOENT|PIPE|TIMEDOUT|NOTFOUND|ADDRINUSE|PERM|HOSTUNREACH|NETUNREACH|EXIST|MFILE|NOSPC)|ERR_[A-Z_]+)\b/;
const HTTP_STATUS =
  /\b(?:HTTP(?:\/\d(?:\.\d)?)?\s+|status(?: code)?:?\s+|code\s*[=:]?\s*)(\d{3})\b/i;

/**
 * Tool-agnostic features of a line's message (round 8): the word classes present (`c:fail`,
 * `c:template`, …), each pair of them (`cc:fail+network`: a failure word next to what failed),
 * an error code (`shape:error-code`) and an HTTP status class (`shape:http-4xx`). A new tool's
 * wording shares these with the tuning rounds' lines even where it shares no word with them.
 */
export function classFeatures(env: Envelope): string[] {
  const out: string[] = [];
  const msg = env.message;
  const present = CLASSES.filter(([, re]) => re.test(msg)).map(([c]) => c);
  for (const c of present) out.push(`c:${c}`);
  for (let i = 0; i < present.length; i++)
    for (let j = i + 1; j < present.length; j++) out.push(`cc:${present[i]}+${present[j]}`);
  if (ERROR_CODE.test(msg)) out.push('shape:error-code');
  const http = HTTP_STATUS.exec(msg);
  if (http) out.push(`shape:http-${http[1][0]}xx`);
  return out;
}
