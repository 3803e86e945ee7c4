/**
 * The one redactor everything leaving Healer passes through (remediation.md §4): issue bodies,
 * comments, prompts, notifications, API evidence. Secrets become `[REDACTED:<kind>]`.
 *
 * One combined, case-insensitive regular expression is run once over the text; each alternative is
 * a named group and the replacement callback decides the kind (and rejects look-alikes such as
 * lower-case Kubernetes names, token counts and placeholders). Pure, no I/O.
 */

import { gitleaksHits, gitleaksRules, shannon } from './redact-gitleaks.js';
import {
  CONTEXT_RULES,
  REDACTION_KINDS,
  SECRET_KEY_RE,
  TOKEN_RULES,
  tag,
  type RedactionKind,
} from './redact-rules.js';

export { REDACTION_KINDS, type RedactionKind };

const COMBINED = new RegExp(
  [
    ...CONTEXT_RULES.map((r) => `(?<${r.name}>${r.source})`),
    ...TOKEN_RULES.map((r) => `(?<${r.name}>${r.source})`),
  ].join('|'),
  'gi',
);

/** Values after a secret-looking key that are not secrets: placeholders, booleans, references. */
const PLACEHOLDER =
  /^(?:|null|nil|none|undefined|true|false|yes|no|redacted|\*+|x{3,}|\.{3}|-+|<[^>]*>|\$\{?[A-Za-z_][A-Za-z0-9_]*\}?|\{\{.*\}\}|\$\(.*\))$/i;

/** Kind of a secret found after `key`, from the key's wording. */
export function kindForKey(key: string): RedactionKind {
  const k = key.toLowerCase().replace(/[_.-]/g, '');
  if (k.endsWith('secretaccesskey')) return 'aws-secret-key';
  if (/pass(?:word|wd|phrase)$/.test(k)) return 'password';
  if (k.endsWith('privatekey')) return 'private-key';
  if (k.endsWith('apikey')) return 'api-key';
  if (k.endsWith('accesskey')) return 'access-key';
  if (k.endsWith('token')) return 'token';
  return 'secret';
}

/** True when a JSON/env key names a secret (`GITHUB_TOKEN`, `db_password`, `apiKey`, …). */
export const isSecretKey = (key: string): boolean => SECRET_KEY_RE.test(key);

const WHOLE_TOKEN = TOKEN_RULES.map((r) => ({ ...r, whole: new RegExp(`^(?:${r.source})$`, 'i') }));

/** The specific kind of a value that is itself a known token format, if any. */
function tokenKind(text: string): RedactionKind | null {
  for (const r of WHOLE_TOKEN) {
    if (r.whole.test(text) && (!r.verify || r.verify.test(text))) return r.kind;
  }
  return null;
}

type Groups = Record<string, string | undefined>;

/** `4096, "model": "x"}` → `4096`: an unquoted JSON value ends where the next key starts. */
function cutJsonContinuation(bare: string): string {
  const cut = bare.search(/,\s*\\?"[^"\\]+\\?"\s*:|\s*[}\]]+[,\s]*$/);
  return cut > 0 ? bare.slice(0, cut) : bare;
}

function redactValue(
  pre: string,
  val: string,
  whole: string,
  kind: RedactionKind,
  keyIsTokenish: boolean,
): string {
  const v = val.trim();
  if (v.includes('[REDACTED:') || PLACEHOLDER.test(v) || (keyIsTokenish && /^\d{1,9}$/.test(v))) {
    return pre + redact(whole.slice(pre.length));
  }
  return `${pre}${whole.slice(pre.length).replace(val, tag(tokenKind(v) ?? kind))}`;
}

/** Upper, lower and digit: what a random key has and an English word or a hex digest has not. */
const mixed = (s: string): boolean => /[A-Z]/.test(s) && /[a-z]/.test(s) && /[0-9]/.test(s);

/** A value random enough to be a secret: long, mixed and of high entropy per character. */
export function looksRandom(v: string): boolean {
  if (v.length < 16 || v.includes('[REDACTED:')) return false;
  const classes = [/[A-Z]/, /[a-z]/, /[0-9]/].filter((r) => r.test(v)).length;
  if (classes < 2) return false;
  const h = shannon(v);
  return v.length >= 20 ? h >= 3.5 : classes === 3 && h >= 3.2;
}

/** Named context rules, in the order their groups are tried. */
const CONTEXT_NAMES = [
  'dockerauth',
  'discord',
  'slackhook',
  'auth',
  'bearer',
  'cookie',
  'userinfo',
  'setcmd',
  'cliuser',
  'cmdp',
  'flagsp',
  'connstr',
  'query',
  'envpair',
  'xml',
  'kvcolon',
  'kveq',
  'entropykv',
] as const;

function replaceMatch(match: string, g: Groups): string {
  if (g.pem !== undefined || g.pemb64 !== undefined || g.pemtail !== undefined)
    return tag('private-key');
  if (g.pemline !== undefined) return mixed(match) ? tag('private-key') : match;
  for (const r of TOKEN_RULES) {
    if (g[r.name] === undefined) continue;
    return !r.verify || r.verify.test(match) ? tag(r.kind) : match;
  }
  for (const name of CONTEXT_NAMES) {
    if (g[name] !== undefined) return contextReplacement(name, match, g);
  }
  return match;
}

/** The replacement of a match of the context rule `name` (a key, a flag, a URL, a header …). */
function contextReplacement(
  name: (typeof CONTEXT_NAMES)[number],
  match: string,
  g: Groups,
): string {
  const pre = g[`${name}_pre`] ?? '';
  const val =
    g[`${name}_val`] ??
    g[`${name}_dq`] ??
    g[`${name}_eq`] ??
    g[`${name}_sq`] ??
    g[`${name}_bare`] ??
    '';
  const key = g[`${name}_key`] ?? '';
  switch (name) {
    case 'dockerauth':
      return pre + tag('basic-auth');
    case 'discord':
      return pre + tag('discord-webhook');
    case 'slackhook':
      return pre + tag('slack-webhook');
    case 'auth': {
      const scheme = (g.auth_scheme ?? '').trim().toLowerCase();
      const kind =
        scheme === 'basic' ? 'basic-auth' : scheme === 'bearer' ? 'bearer-token' : 'authorization';
      return redactValue(pre, val, match, kind, false);
    }
    case 'bearer':
      return redactValue(pre, val, match, 'bearer-token', false);
    case 'cookie':
      return redactValue(pre, val, match, 'cookie', false);
    case 'cliuser':
      // `docker run -u 1000:1000` is a uid:gid, not a password
      return /^\d+$/.test(val)
        ? redact(pre) + match.slice(pre.length)
        : redactValue(redact(pre), val, redact(pre) + match.slice(pre.length), 'password', false);
    case 'cmdp':
      return redactValue(
        redact(pre),
        val,
        redact(pre) + match.slice(pre.length),
        'password',
        false,
      );
    case 'connstr':
      return redactValue(
        pre,
        val,
        match,
        /^pw?d$|^password$/i.test(pre.slice(0, -1)) ? 'password' : 'azure-key',
        false,
      );
    case 'entropykv':
      return looksRandom(val)
        ? pre + tag(tokenKind(val) ?? 'secret')
        : pre + redact(match.slice(pre.length));
    case 'userinfo':
      return redactValue(
        redact(pre),
        val,
        redact(pre) + match.slice(pre.length),
        'password',
        false,
      );
    default: {
      const kind = kindForKey(key);
      const bare = g[`${name}_bare`];
      const cut = name === 'kvcolon' && bare !== undefined && !PLACEHOLDER.test(bare.trim());
      const value = cut ? cutJsonContinuation(bare) : val;
      return redactValue(pre, value, match, kind, kind === 'token');
    }
  }
}

/** The built-in rules, one pass of the combined expression. */
function builtIn(text: string): string {
  return text.replace(COMBINED, (match: string, ...rest: unknown[]) => {
    const groups = rest[rest.length - 1] as Groups;
    return replaceMatch(match, groups);
  });
}

/** `kind: Secret` anywhere in the text (YAML or JSON, maybe escaped). */
const SECRET_KIND = /\\?["']?kind\\?["']?[ \t]*:[ \t]*\\?["']?Secret\b/;
const YAML_DATA = /^([ \t]*)(?:data|stringData)[ \t]*:[ \t]*$/;
const YAML_ENTRY = /^([ \t]+)(["']?[A-Za-z0-9_.-]+["']?[ \t]*:[ \t]*)(\S.*)$/;
const JSON_DATA = /(\\?"(?:data|stringData)\\?"[ \t]*:[ \t]*\{)([^{}]*)\}/g;
const JSON_ENTRY = /(\\?"[^"\\]+\\?"[ \t]*:[ \t]*\\?")((?:[^"\\]|\\[^"])*)(\\?")/g;

/**
 * Every value under `data:`/`stringData:` of a Kubernetes Secret, whatever its key is called
 * (YAML as `kubectl get -o yaml` prints it, or JSON). Only in texts that show `kind: Secret`.
 */
function secretData(text: string): string {
  if (!SECRET_KIND.test(text)) return text;
  let out = text.replace(JSON_DATA, (_m, open: string, body: string) => {
    return `${open}${body.replace(JSON_ENTRY, (e, k: string, v: string, q: string) => (v.includes('[REDACTED:') || v === '' ? e : `${k}${tag('secret')}${q}`))}}`;
  });
  if (!/(?:data|stringData)[ \t]*:[ \t]*(?:\r?\n)/.test(out)) return out;
  const lines = out.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const head = YAML_DATA.exec(lines[i].replace(/\r$/, ''));
    if (!head) continue;
    const indent = head[1].length;
    for (let j = i + 1; j < lines.length; j++) {
      const e = YAML_ENTRY.exec(lines[j]);
      if (!e || e[1].length <= indent) break;
      const v = e[3].replace(/\r$/, '');
      if (!v.includes('[REDACTED:') && !PLACEHOLDER.test(v.trim()) && v.trim() !== '|')
        lines[j] = `${e[1]}${e[2]}${tag('secret')}`;
    }
  }
  out = lines.join('\n');
  return out;
}

/** The published gitleaks rules over what the built-in rules left (keyword-prefiltered). */
function dataRules(text: string): string {
  const rules = gitleaksRules();
  if (!rules) return text;
  const hits = gitleaksHits(rules, text)
    .filter((h) => !text.slice(h.start, h.end).includes('[REDACTED:'))
    .sort((a, b) => a.start - b.start || b.end - a.end);
  if (hits.length === 0) return text;
  let out = '';
  let at = 0;
  for (const h of hits) {
    if (h.start < at) continue; // overlaps a span already replaced
    // never cut into a tag the built-in rules wrote
    const before = text.lastIndexOf('[REDACTED:', h.start);
    if (before !== -1 && text.indexOf(']', before) >= h.start) continue;
    out += text.slice(at, h.start) + tag(h.rule);
    at = h.end;
  }
  return out + text.slice(at);
}

/**
 * Replaces every secret in `text` with `[REDACTED:<kind>]`. Works on the whole text (a key or a
 * Secret printed over several lines is one secret), so clip only what this returned. Idempotent.
 */
export function redact(text: string): string {
  if (text.length < 8) return text;
  return dataRules(builtIn(secretData(text)));
}

/**
 * Redacts lines that belong together (evidence) as one text, so a secret that spans lines is
 * seen whole; the result may have fewer lines (a private key becomes one tag).
 */
export function redactLines(lines: readonly string[]): string[] {
  if (lines.length === 0) return [];
  return redact(lines.join('\n')).split('\n');
}

/** Redacts, then cuts to `max` characters (`…` at the end): never the other way round. */
export function redactClip(text: string, max: number): string {
  const r = redact(text);
  return r.length <= max ? r : `${r.slice(0, Math.max(0, max - 1))}…`;
}

/** Header-named keys whose whole value is a credential (`{"Authorization": "Bearer …"}`). */
const HEADER_KEY = /^(?:proxy-)?authorization$|^(?:set-)?cookie$/i;

function redactEntry(key: string, v: unknown): unknown {
  if (HEADER_KEY.test(key) && typeof v === 'string') {
    return redact(`${key}: ${v}`).slice(key.length + 2);
  }
  if (!isSecretKey(key)) return redactDeep(v);
  const kind = kindForKey(key);
  if (typeof v === 'string') {
    if (v.includes('[REDACTED:') || PLACEHOLDER.test(v.trim())) return redact(v);
    return tag(tokenKind(v.trim()) ?? kind);
  }
  if (typeof v === 'number' && kind !== 'token') return tag(kind);
  return redactDeep(v);
}

/**
 * Redacts every string in a JSON-able value and every value under a secret-named key
 * (`*_API_KEY`, `*_TOKEN`, `*_SECRET`, `*_PASSWORD`, …). Arrays of strings that carry a PEM block
 * across elements are redacted as one text (the block may then shrink to one element).
 */
export function redactDeep<T>(value: T): T {
  return redactAny(value) as T;
}

function redactAny(value: unknown): unknown {
  if (typeof value === 'string') return redact(value);
  if (Array.isArray(value)) {
    if (
      value.every((v) => typeof v === 'string') &&
      value.some((v) => /-----BEGIN[ A-Z0-9]*PRIVATE KEY/i.test(v))
    ) {
      return redact(value.join('\n')).split('\n');
    }
    return value.map((v) => redactAny(v));
  }
  if (
    value !== null &&
    typeof value === 'object' &&
    (Object.getPrototypeOf(value) === Object.prototype || Object.getPrototypeOf(value) === null)
  ) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = redactEntry(k, v);
    return out;
  }
  return value;
}
