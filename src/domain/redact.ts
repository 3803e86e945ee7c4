/**
 * The one redactor everything leaving Healer passes through (remediation.md §4): issue bodies,
 * comments, prompts, notifications, API evidence. Secrets become `[REDACTED:<kind>]`.
 *
 * One combined, case-insensitive regular expression is run once over the text; each alternative is
 * a named group and the replacement callback decides the kind (and rejects look-alikes such as
 * lower-case Kubernetes names, token counts and placeholders). Pure, no I/O.
 */

/** Every kind this redactor can emit. */
export const REDACTION_KINDS = [
  'private-key',
  'authorization',
  'bearer-token',
  'basic-auth',
  'cookie',
  'discord-webhook',
  'slack-webhook',
  'anthropic-key',
  'openai-key',
  'context7-key',
  'perplexity-key',
  'xai-key',
  'google-api-key',
  'github-token',
  'github-pat',
  'gitlab-token',
  'slack-token',
  'aws-access-key',
  'aws-secret-key',
  'jwt',
  'npm-token',
  'huggingface-token',
  'stripe-key',
  'password',
  'token',
  'secret',
  'api-key',
  'access-key',
] as const;
export type RedactionKind = (typeof REDACTION_KINDS)[number];

const tag = (kind: RedactionKind): string => `[REDACTED:${kind}]`;

/** Left boundary: not glued to a word, except after an escaped `\n`, `\r`, `\t` in JSON text. */
const B = String.raw`(?:(?<![A-Za-z0-9_-])|(?<=\\[nrt]))`;
/** Right boundary for fixed-length tokens. */
const E = String.raw`(?![A-Za-z0-9_-])`;

/** Key names whose value is a secret: anything ending in one of these words (any case). */
const KEY_SUFFIX = String.raw`(?:password|passwd|passphrase|secret|token|api[_.-]?key|access[_.-]?key|secret[_.-]?key|private[_.-]?key|client[_.-]?secret)`;
const KEY = String.raw`[A-Za-z0-9_.-]*?${KEY_SUFFIX}`;
const SECRET_KEY_RE = new RegExp(String.raw`^[A-Za-z0-9_.-]*?${KEY_SUFFIX}$`, 'i');

/** A value after `=`/`:`: quoted, escaped-quoted (JSON in a JSON string), or bare. */
const value = (p: string, bareToEol: boolean): string =>
  [
    String.raw`"(?<${p}_dq>(?:[^"\\\r\n]|\\.)*)"`,
    String.raw`\\"(?<${p}_eq>(?:[^"\\\r\n]|\\[^"])*)\\"`,
    String.raw`'(?<${p}_sq>[^'\r\n]*)'`,
    bareToEol
      ? String.raw`(?<${p}_bare>[^\s][^\r\n]*)`
      : String.raw`(?<${p}_bare>["']?(?:[^\s"\\]|\\(?!"))+)`,
  ].join('|');

interface Rule {
  name: string;
  source: string;
}

/** Token-shaped secrets: the whole match is the secret. Order matters where prefixes overlap. */
const TOKEN_RULES: { name: string; kind: RedactionKind; source: string; verify?: RegExp }[] = [
  {
    name: 'ant',
    kind: 'anthropic-key',
    source: String.raw`${B}sk-ant-[A-Za-z0-9_-]{16,}`,
    verify: /^sk-ant-(?=.*[0-9])(?=.*[A-Z])/,
  },
  {
    name: 'oai',
    kind: 'openai-key',
    source: String.raw`${B}sk-(?:proj-|svcacct-|admin-|None-)?[A-Za-z0-9_-]{20,}`,
    verify: /^sk-(?=.*[0-9])(?=.*[A-Z])(?=.*[a-z])/,
  },
  {
    name: 'stripe',
    kind: 'stripe-key',
    source: String.raw`${B}(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{20,}`,
  },
  { name: 'c7', kind: 'context7-key', source: String.raw`${B}ctx7sk-[A-Za-z0-9_-]{16,}` },
  {
    name: 'pplx',
    kind: 'perplexity-key',
    source: String.raw`${B}pplx-[A-Za-z0-9]{24,}`,
    verify: /^pplx-(?=.*[0-9])(?=.*[a-z])/i,
  },
  {
    name: 'xai',
    kind: 'xai-key',
    source: String.raw`${B}xai-[A-Za-z0-9]{24,}`,
    verify: /^xai-(?=.*[0-9])(?=.*[A-Z])(?=.*[a-z])/,
  },
  {
    name: 'goog',
    kind: 'google-api-key',
    source: String.raw`${B}AIza[0-9A-Za-z_-]{35}${E}`,
    verify: /^AIza/,
  },
  { name: 'ghpat', kind: 'github-pat', source: String.raw`${B}github_pat_[A-Za-z0-9_]{30,}` },
  {
    name: 'gh',
    kind: 'github-token',
    source: String.raw`${B}gh[pousr]_[A-Za-z0-9]{30,}`,
    verify: /^gh[pousr]_/,
  },
  { name: 'gl', kind: 'gitlab-token', source: String.raw`${B}glpat-[A-Za-z0-9_-]{20,}` },
  {
    name: 'slack',
    kind: 'slack-token',
    source: String.raw`${B}(?:xox[abprse](?:\.xox[a-z])?|xapp)-[A-Za-z0-9-]{10,}`,
    verify: /^x(?:ox|app)/,
  },
  {
    name: 'aws',
    kind: 'aws-access-key',
    source: String.raw`${B}(?:AKIA|ASIA)[A-Z0-9]{16}(?![A-Za-z0-9])`,
    verify: /^(?:AKIA|ASIA)[A-Z0-9]{16}$/,
  },
  {
    name: 'jwt',
    kind: 'jwt',
    source: String.raw`${B}eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*`,
    verify: /^eyJ[^.]*\.eyJ/,
  },
  {
    name: 'npm',
    kind: 'npm-token',
    source: String.raw`${B}npm_[A-Za-z0-9]{36}${E}`,
    verify: /^npm_/,
  },
  {
    name: 'hf',
    kind: 'huggingface-token',
    source: String.raw`${B}hf_[A-Za-z]{30,}`,
    verify: /^hf_(?=.*[A-Z])(?=.*[a-z])/,
  },
];

/** Rules with a kept prefix (`<name>_pre`) and a secret value. First listed wins at one position. */
const CONTEXT_RULES: Rule[] = [
  {
    name: 'pem',
    source: String.raw`-----BEGIN[ A-Z0-9]*PRIVATE KEY(?: BLOCK)?-----[\s\S]*?(?:-----END[ A-Z0-9]*PRIVATE KEY(?: BLOCK)?-----|$)`,
  },
  {
    name: 'discord',
    source: String.raw`(?<discord_pre>https?://(?:ptb\.|canary\.)?discord(?:app)?\.com/api/webhooks/\d+/)(?<discord_val>[A-Za-z0-9_-]+)`,
  },
  {
    name: 'slackhook',
    source: String.raw`(?<slackhook_pre>https?://hooks\.slack\.com/(?:services|workflows|triggers)/)(?<slackhook_val>[A-Za-z0-9/_-]+)`,
  },
  {
    name: 'auth',
    source: String.raw`(?<auth_pre>\b(?:proxy-)?authorization(?:\\?["'])?[ \t]*[:=][ \t]*(?:\\?["'])?(?<auth_scheme>(?:bearer|token|basic|bot|apikey)[ \t]+)?)(?<auth_val>[^\s"'\\,;]{8,})`,
  },
  {
    name: 'bearer',
    source: String.raw`(?<bearer_pre>\bbearer[ \t]+)(?<bearer_val>[A-Za-z0-9._~+/-]{12,}=*)`,
  },
  {
    name: 'cookie',
    source: String.raw`(?<cookie_pre>\b(?:set-)?cookie(?:\\?["'])?[ \t]*:[ \t]*(?:\\?["'])?)(?<cookie_val>[^\r\n"\\]{6,})`,
  },
  {
    name: 'userinfo',
    source: String.raw`(?<userinfo_pre>\b[a-z][a-z0-9+.-]{1,20}://[^\s:@/?#"'<>[\]]*:)(?<userinfo_val>[^\s@/?#"'<>[\]]+)(?=@)`,
  },
  {
    name: 'query',
    source: String.raw`(?<query_pre>[?&;](?<query_key>${KEY})=)(?<query_val>[^&#\s"'<>]+)`,
  },
  {
    name: 'envpair',
    source: String.raw`(?<envpair_pre>\bname(?:\\?["'])?[ \t]*:[ \t]*(?:\\?["'])?(?<envpair_key>${KEY})(?:\\?["'])?[ \t]*,?\s*?(?:-[ \t]*)?(?:\\?["'])?value(?:\\?["'])?[ \t]*:[ \t]*)(?:${value('envpair', false)})`,
  },
  {
    name: 'xml',
    source: String.raw`(?<xml_pre><(?<xml_key>${KEY})>)(?<xml_val>[^<\r\n]+)(?=</)`,
  },
  {
    name: 'kvcolon',
    source: String.raw`(?<kvcolon_pre>(?<![A-Za-z0-9_.-])(?<kvcolon_key>${KEY})(?:\\?["'])?[ \t]*:[ \t]*)(?:${value('kvcolon', true)})`,
  },
  {
    name: 'kveq',
    source: String.raw`(?<kveq_pre>(?<![A-Za-z0-9_.-])(?<kveq_key>${KEY})(?:\\?["'])?[ \t]*=>?[ \t]*)(?:${value('kveq', false)})`,
  },
];

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

function replaceMatch(match: string, g: Groups): string {
  if (g.pem !== undefined) return tag('private-key');
  for (const r of TOKEN_RULES) {
    if (g[r.name] === undefined) continue;
    return !r.verify || r.verify.test(match) ? tag(r.kind) : match;
  }
  for (const name of [
    'discord',
    'slackhook',
    'auth',
    'bearer',
    'cookie',
    'userinfo',
    'query',
    'envpair',
    'xml',
    'kvcolon',
    'kveq',
  ]) {
    if (g[name] === undefined) continue;
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
      case 'discord':
        return pre + tag('discord-webhook');
      case 'slackhook':
        return pre + tag('slack-webhook');
      case 'auth': {
        const scheme = (g.auth_scheme ?? '').trim().toLowerCase();
        const kind =
          scheme === 'basic'
            ? 'basic-auth'
            : scheme === 'bearer'
              ? 'bearer-token'
              : 'authorization';
        return redactValue(pre, val, match, kind, false);
      }
      case 'bearer':
        return redactValue(pre, val, match, 'bearer-token', false);
      case 'cookie':
        return redactValue(pre, val, match, 'cookie', false);
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
        return redactValue(pre, val, match, kind, kind === 'token');
      }
    }
  }
  return match;
}

/** Replaces every secret in `text` with `[REDACTED:<kind>]`. Idempotent. */
export function redact(text: string): string {
  if (text.length < 8) return text;
  return text.replace(COMBINED, (match: string, ...rest: unknown[]) => {
    const groups = rest[rest.length - 1] as Groups;
    return replaceMatch(match, groups);
  });
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
