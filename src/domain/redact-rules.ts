/**
 * The patterns of the redactor (`redact.ts`): secret kinds, token shapes and the contexts
 * (headers, URLs, key/value pairs) that give an opaque secret away. Data, no logic.
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
  'sendgrid-key',
  'azure-key',
  'password',
  'token',
  'secret',
  'api-key',
  'access-key',
] as const;
export type RedactionKind = (typeof REDACTION_KINDS)[number];

/** `[REDACTED:<kind>]`; the kind is one of the above or the id of a gitleaks rule. */
export const tag = (kind: RedactionKind | (string & {})): string => `[REDACTED:${kind}]`;

/** Left boundary: not glued to a word, except after an escaped `\n`, `\r`, `\t` in JSON text. */
const B = String.raw`(?:(?<![A-Za-z0-9_-])|(?<=\\[nrt]))`;
/** Right boundary for fixed-length tokens. */
const E = String.raw`(?![A-Za-z0-9_-])`;

/**
 * Key names whose value is a secret: anything ending in one of these words (any case). `pass`,
 * `pwd` and `auth` only after a separator (`DB_PASS`, `MYSQL_PWD`, `_auth`), so `PWD=/workspace`
 * and `oauth` stay.
 */
const KEY_SUFFIX = String.raw`(?:password|passwd|passphrase|secret|token|api[_.-]?key|access[_.-]?key|secret[_.-]?key(?:[_.-]?base)?|private[_.-]?key|client[_.-]?secret|dockerconfigjson|dockercfg|(?:signing|encryption|encrypt|decryption|master|hmac|account|storage|shared|session|cipher|license|jwt)[_.-]?key|credentials?|[_.-](?:pass|pwd|auth))`;
const KEY = String.raw`[A-Za-z0-9_.-]*?${KEY_SUFFIX}`;
export const SECRET_KEY_RE = new RegExp(String.raw`^[A-Za-z0-9_.-]*?${KEY_SUFFIX}$`, 'i');

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

export interface Rule {
  name: string;
  source: string;
}

/**
 * Token-shaped secrets: the whole match is the secret. Order matters where prefixes overlap.
 * Formats with a distinctive prefix match even glued to the text before them
 * (`access_token%3Dghp_…`, `installatghs_…`); short or common prefixes keep a word boundary.
 */
export const TOKEN_RULES: { name: string; kind: RedactionKind; source: string; verify?: RegExp }[] =
  [
    {
      name: 'ant',
      kind: 'anthropic-key',
      source: String.raw`sk-ant-[A-Za-z0-9_-]{16,}`,
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
      source: String.raw`(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{20,}`,
    },
    { name: 'c7', kind: 'context7-key', source: String.raw`ctx7sk-[A-Za-z0-9_-]{16,}` },
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
    { name: 'ghpat', kind: 'github-pat', source: String.raw`github_pat_[A-Za-z0-9_]{30,}` },
    {
      name: 'gh',
      kind: 'github-token',
      source: String.raw`gh[pousr]_[A-Za-z0-9]{30,}`,
      verify: /^gh[pousr]_/,
    },
    { name: 'gl', kind: 'gitlab-token', source: String.raw`glpat-[A-Za-z0-9_-]{20,}` },
    {
      name: 'slack',
      kind: 'slack-token',
      source: String.raw`(?:xox[abprse](?:\.xox[a-z])?|xapp)-[A-Za-z0-9-]{10,}`,
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
      source: String.raw`npm_[A-Za-z0-9]{36}${E}`,
      verify: /^npm_/,
    },
    {
      name: 'sendgrid',
      kind: 'sendgrid-key',
      source: String.raw`SG\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}${E}`,
      verify: /^SG\./,
    },
    {
      name: 'hf',
      kind: 'huggingface-token',
      source: String.raw`${B}hf_[A-Za-z]{30,}`,
      verify: /^hf_(?=.*[A-Z])(?=.*[a-z])/,
    },
  ];

/** Rules with a kept prefix (`<name>_pre`) and a secret value. First listed wins at one position. */
export const CONTEXT_RULES: Rule[] = [
  {
    name: 'pem',
    source: String.raw`-----BEGIN[ A-Z0-9]*PRIVATE KEY(?: BLOCK)?-----[\s\S]*?(?:-----END[ A-Z0-9]*PRIVATE KEY(?: BLOCK)?-----|$)`,
  },
  {
    // the end of a key whose BEGIN line is not in the text (evidence context that starts inside it)
    name: 'pemtail',
    source: String.raw`(?:(?<![^\s])|(?<=\\n))[A-Za-z0-9+/]{1,76}={0,2}[ \t]*(?:\r?\n|\\n)[^\n]{0,80}?-----END[ A-Z0-9]*PRIVATE KEY(?: BLOCK)?-----`,
  },
  {
    // a body line of a PEM (64 wide) or OpenSSH (70 wide) key ending a line, after any log prefix
    name: 'pemline',
    source: String.raw`(?:(?<![^\s])|(?<=\\n))(?:[A-Za-z0-9+/]{64}|[A-Za-z0-9+/]{70})(?=[ \t]*(?:\r?\n|\\n|(?![\s\S])))`,
  },
  {
    // base64 of `-----BEGIN` (Kubernetes Secret `data:` values, kubeconfig `client-key-data`)
    name: 'pemb64',
    source: String.raw`LS0tLS1CRUdJTi[A-Za-z0-9+/]{16,}={0,2}`,
  },
  {
    // Docker config: `"auth": "<base64 user:password>"`
    name: 'dockerauth',
    source: String.raw`(?<dockerauth_pre>\\?"auth\\?"[ \t]*:[ \t]*\\?")(?<dockerauth_val>[A-Za-z0-9+/]{8,}={0,2})`,
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
    // the password runs to the LAST `@` that is followed by a host: passwords contain `/`, `@`, `#`
    name: 'userinfo',
    source: String.raw`(?<userinfo_pre>\b[a-z][a-z0-9+.-]{1,20}://[^\s:@/?#"'<>[\]]*:)(?<userinfo_val>(?!\d{1,5}(?:[/?#]|$))[^\s"'<>]{1,256})(?=@[A-Za-z0-9][A-Za-z0-9.-]*(?::\d{1,5})?(?:[/?#\s"'<>\\,;)]|$))`,
  },
  {
    // aws configure set aws_secret_access_key KEY, git config --global x.password PW, …
    name: 'setcmd',
    source: String.raw`(?<setcmd_pre>\b(?:set|config(?:[ \t]+--[a-z-]+)*|set-credentials)[ \t]+(?<setcmd_key>${KEY})[ \t]+)(?<setcmd_val>"[^"\r\n]*"|'[^'\r\n]*'|(?!--?[A-Za-z][A-Za-z0-9-]*(?:[=\s]|$))[^\s'"]+)`,
  },
  {
    // curl -u user:pw, --user user:pw, --proxy-user user:pw
    name: 'cliuser',
    source: String.raw`(?<cliuser_pre>(?<![\w-])(?:-u|--user|--proxy-user)(?:[ \t]+|=)["']?[^\s:'"@]+:)(?<cliuser_val>[^\s'"]+)`,
  },
  {
    // mysql -pPW (attached), sshpass -p PW, docker login -p PW
    name: 'cmdp',
    source: String.raw`(?<cmdp_pre>\b(?:(?:mysql|mysqladmin|mysqldump|mysqlimport|mysqlshow|mysqlcheck|mariadb|mariadb-dump)\b[^\n|;&]{0,200}?[ \t]-p(?=[^\s-])|sshpass[ \t]+-p[ \t]*|docker[ \t]+login\b[^\n|;&]{0,200}?[ \t]-p[ \t]+))(?<cmdp_val>"[^"\r\n]*"|'[^'\r\n]*'|[^\s'"]+)`,
  },
  {
    // --password PW, --db-password 'PW', --token T (a value separated by a blank)
    name: 'flagsp',
    source: String.raw`(?<flagsp_pre>(?<![\w-])--?(?<flagsp_key>${KEY})[ \t]+)(?<flagsp_val>"[^"\r\n]*"|'[^'\r\n]*'|(?!--?[A-Za-z][A-Za-z0-9-]*(?:[=\s]|$))[^\s'"]+)`,
  },
  {
    // Azure / .NET connection strings: AccountKey=…;EndpointSuffix=…
    name: 'connstr',
    source: String.raw`(?<connstr_pre>(?:(?<![A-Za-z0-9])(?:AccountKey|SharedAccessKey|SharedAccessSignature|SharedSecretValue)|(?<=;[ \t]*)(?:Password|Pwd))=)(?<connstr_val>[^;\s"'<>]+)`,
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
    source: String.raw`(?<kveq_pre>(?<![A-Za-z0-9_.-])(?<kveq_key>${KEY})(?:\\?["'])?[ \t]*(?:=>?|%3D)[ \t]*)(?:${value('kveq', false)})`,
  },
  {
    // any key with a secret-ish word in it and a random-looking value (checked by entropy)
    name: 'entropykv',
    source: String.raw`(?<entropykv_pre>(?<![A-Za-z0-9_.-])(?<entropykv_key>[A-Za-z0-9_.-]{0,40}?(?:auth|cred|secret|token|key|pass|pwd|sig|salt|private|session|cookie|cert|hmac|nonce)[A-Za-z0-9_.-]{0,40})(?:\\?["'])?[ \t]*(?:=>?|:)[ \t]*(?:\\?["'])?)(?<entropykv_val>[A-Za-z0-9+/=_.~-]{16,})`,
  },
];
