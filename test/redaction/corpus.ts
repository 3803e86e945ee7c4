// The leak corpus: every secret format of remediation.md §4 in the places it really turns up
// (log lines, JSON, YAML, URLs, env dumps, headers, shell commands, multi-line PEM).
import {
  Rng,
  awsSecret,
  basicAuth,
  bearerOpaque,
  discordWebhook,
  opaque,
  pem,
  slackWebhook,
  tokenFakes,
  urlSafe,
} from './fakes.js';

export interface LeakCase {
  name: string;
  text: string;
  /** Substrings that must not survive redaction. */
  secrets: string[];
}

const TS = '2025-11-21T05:42:13.512Z';

/** Contexts in which a recognisable token must be caught by its shape alone. */
const TOKEN_CONTEXTS: [string, (s: string) => string][] = [
  ['log line', (s) => `${TS} ERROR agent: request rejected for credential ${s} (401)`],
  ['json value', (s) => `{"level":"error","msg":"auth failed","credential":"${s}","attempt":2}`],
  ['yaml value', (s) => `spec:\n  env:\n    - name: UPSTREAM\n      value: ${s}\n`],
  ['env dump', (s) => `HOME=/root\nCREDENTIAL=${s}\nPATH=/usr/bin`],
  ['url query', (s) => `GET https://api.example.com/v1/models?key=${s}&limit=10 HTTP/1.1`],
  ['bearer header', (s) => `Authorization: Bearer ${s}`],
  ['curl header', (s) => `curl -sS -H "Authorization: Bearer ${s}" https://api.example.com/v1`],
  ['escaped json', (s) => `{"log":"{\\"cred\\":\\"${s}\\",\\"ok\\":false}"}`],
  ['after escaped newline', (s) => `{"msg":"config dump:\\n${s}\\nend"}`],
  ['markdown code', (s) => `Use \`${s}\` as the key`],
  ['python repr', (s) => `{'credential': '${s}', 'retries': 3}`],
  ['glued after colon', (s) => `invalid api key:${s}`],
  ['parenthesised', (s) => `loaded key (${s}) from vault`],
  ['tab separated', (s) => `cred\t${s}\tactive`],
  ['line start', (s) => `${s}`],
  ['secret key json', (s) => `{"ANTHROPIC_API_KEY": "${s}"}`],
  ['secret key env', (s) => `export GITHUB_TOKEN=${s}`],
];

/** Secret key names (JSON/env keys ending in _API_KEY, _TOKEN, _SECRET, _PASSWORD and plain ones). */
const KEYS = [
  'password',
  'passwd',
  'token',
  'secret',
  'api_key',
  'apiKey',
  'api-key',
  'access_token',
  'refresh_token',
  'client_secret',
  'clientSecret',
  'DB_PASSWORD',
  'POSTGRES_PASSWORD',
  'GITHUB_TOKEN',
  'GH_TOKEN',
  'OPENAI_API_KEY',
  'ANTHROPIC_API_KEY',
  'WEBHOOK_SECRET',
  'JWT_SECRET',
  'SESSION_SECRET',
  'aws_secret_access_key',
  'AWS_SECRET_ACCESS_KEY',
  'SecretAccessKey',
  'SessionToken',
  'X-Api-Key',
  'private_key',
  'ssh_passphrase',
];

/** Contexts in which an opaque value is given away by its key. */
const KV_CONTEXTS: [string, (k: string, v: string) => string][] = [
  ['KEY=value', (k, v) => `${k}=${v}`],
  ['export KEY="value"', (k, v) => `export ${k}="${v}"`],
  ["KEY='value'", (k, v) => `${k}='${v}'`],
  ['key: value', (k, v) => `${k}: ${v}`],
  ['yaml nested', (k, v) => `data:\n  settings:\n    ${k}: ${v}\n    region: eu-west-1`],
  ['yaml quoted', (k, v) => `  ${k}: '${v}'`],
  ['json', (k, v) => `{"user":"svc","${k}": "${v}","port":5432}`],
  ['json compact', (k, v) => `{"${k}":"${v}"}`],
  ['escaped json', (k, v) => `"{\\"${k}\\":\\"${v}\\"}"`],
  ['cli flag', (k, v) => `exec /app/bin/server --${k}=${v} --verbose`],
  ['logfmt', (k, v) => `level=error ${k}=${v} msg="login failed" attempt=3`],
  ['ini', (k, v) => `[default]\n${k} = ${v}\n`],
  ['header', (k, v) => `${k}: ${v}\r\nAccept: application/json`],
  [
    'k8s env yaml',
    (k, v) => `        - name: ${k}\n          value: ${v}\n        - name: LOG_LEVEL`,
  ],
  ['k8s env json', (k, v) => `{"name":"${k}","value":"${v}"}`],
  ['xml', (k, v) => `<config><${k}>${v}</${k}></config>`],
  ['ruby hash', (k, v) => `{ ${k} => "${v}" }`],
];

export function buildLeakCorpus(seed = 20251121): LeakCase[] {
  const r = new Rng(seed);
  const cases: LeakCase[] = [];

  for (const fake of tokenFakes(r)) {
    for (const [ctx, make] of TOKEN_CONTEXTS) {
      cases.push({ name: `${fake.kind} in ${ctx}`, text: make(fake.value), secrets: [fake.value] });
    }
  }

  for (const key of KEYS) {
    for (const [ctx, make] of KV_CONTEXTS) {
      const v = ctx === 'ruby hash' || ctx === 'xml' ? opaque(r).replace(/[<>]/g, 'x') : opaque(r);
      cases.push({ name: `${key} in ${ctx}`, text: make(key, v), secrets: [v] });
    }
  }

  for (const key of [
    'password',
    'token',
    'secret',
    'api_key',
    'access_token',
    'client_secret',
    'sig_token',
  ]) {
    const v = urlSafe(r);
    cases.push({
      name: `${key} in URL query (first)`,
      text: `https://svc.example.com/cb?${key}=${v}&state=xyz`,
      secrets: [v],
    });
    const w = urlSafe(r);
    cases.push({
      name: `${key} in URL query (later)`,
      text: `fetch https://svc.example.com/cb?state=xyz&${key}=${w}#frag`,
      secrets: [w],
    });
  }

  for (const scheme of [
    'postgres://app',
    'mysql://root',
    'redis://',
    'amqp://guest',
    'https://oauth2',
    'mongodb+srv://admin',
  ]) {
    const v = urlSafe(r);
    cases.push({
      name: `userinfo ${scheme}`,
      text: `connecting to ${scheme}:${v}@db.internal:5432/app?sslmode=require`,
      secrets: [v],
    });
  }
  for (const fake of tokenFakes(r).filter((f) => f.kind === 'github-token')) {
    cases.push({
      name: `token as git userinfo`,
      text: `git clone https://x-access-token:${fake.value}@github.com/5dlabs/cto.git`,
      secrets: [fake.value],
    });
    cases.push({
      name: `token as git user`,
      text: `remote: https://${fake.value}@github.com/5dlabs/cto.git`,
      secrets: [fake.value],
    });
    cases.push({
      name: `token user with password`,
      text: `https://${fake.value}:x-oauth-basic@github.com/5dlabs/cto`,
      secrets: [fake.value],
    });
  }

  for (const ctx of ['ini', 'env', 'json', 'yaml']) {
    const s = awsSecret(r);
    const text = {
      ini: `[default]\naws_access_key_id = AKIA${'Q'.repeat(16)}\naws_secret_access_key = ${s}`,
      env: `AWS_SECRET_ACCESS_KEY=${s}`,
      json: `{"Credentials":{"SecretAccessKey":"${s}","Expiration":"2025-11-21T06:00:00Z"}}`,
      yaml: `aws_secret_access_key: ${s}`,
    }[ctx]!;
    cases.push({ name: `aws secret key ${ctx}`, text, secrets: [s] });
  }

  for (const [name, make] of [
    ['Authorization: Bearer', (v: string) => `Authorization: Bearer ${v}`],
    ['authorization: bearer lower', (v: string) => `authorization: bearer ${v}`],
    ['Authorization: token', (v: string) => `Authorization: token ${v}`],
    ['json Authorization', (v: string) => `{"headers":{"Authorization":"Bearer ${v}"}}`],
    ['bare Bearer in log', (v: string) => `retrying with Bearer ${v} after 401`],
    ['Proxy-Authorization', (v: string) => `Proxy-Authorization: Bearer ${v}`],
  ] as const) {
    const v = bearerOpaque(r);
    cases.push({ name, text: make(v), secrets: [v] });
  }
  const basic = basicAuth(r);
  cases.push({
    name: 'Authorization: Basic',
    text: `Authorization: Basic ${basic}`,
    secrets: [basic],
  });
  const cookie = bearerOpaque(r);
  cases.push({
    name: 'Cookie header',
    text: `Cookie: session=${cookie}; theme=dark`,
    secrets: [cookie],
  });
  const setCookie = bearerOpaque(r);
  cases.push({
    name: 'Set-Cookie header',
    text: `Set-Cookie: sid=${setCookie}; Path=/; HttpOnly`,
    secrets: [setCookie],
  });

  for (const label of [
    'RSA PRIVATE KEY',
    'EC PRIVATE KEY',
    'PRIVATE KEY',
    'ENCRYPTED PRIVATE KEY',
    'OPENSSH PRIVATE KEY',
    'DSA PRIVATE KEY',
    'PGP PRIVATE KEY BLOCK',
  ]) {
    const k = pem(r, label);
    cases.push({
      name: `PEM ${label}`,
      text: `loaded key:\n${k.text}\nkey fingerprint ok`,
      secrets: k.body,
    });
    const j = pem(r, label, 6);
    cases.push({
      name: `PEM ${label} in JSON (escaped newlines)`,
      text: `{"type":"service_account","private_key":"${j.text.replace(/\n/g, '\\n')}\\n","client_email":"svc@example.iam"}`,
      secrets: j.body,
    });
  }
  const cut = pem(r, 'RSA PRIVATE KEY', 8);
  cases.push({
    name: 'PEM cut off before END',
    text: cut.text.split('\n').slice(0, 6).join('\n'),
    secrets: cut.body.slice(0, 5),
  });

  for (const label of ['RSA PRIVATE KEY', 'PRIVATE KEY', 'EC PRIVATE KEY']) {
    const b64 = Buffer.from(pem(r, label, 8).text).toString('base64');
    const secrets = [b64.slice(20, 80), b64.slice(200, 260), b64.slice(-60)];
    cases.push({
      name: `base64 ${label} in a Secret`,
      text: `apiVersion: v1\nkind: Secret\ndata:\n  tls.key: ${b64}\n  tls.crt: LS0t`,
      secrets,
    });
    cases.push({
      name: `base64 ${label} in a kubeconfig`,
      text: `    client-key-data: ${b64}`,
      secrets,
    });
  }
  const dockerAuth = Buffer.from(`robot$ci:${opaque(r, 30)}`).toString('base64');
  cases.push({
    name: 'docker config auth',
    text: `{"auths":{"ghcr.io":{"auth":"${dockerAuth}"}}}`,
    secrets: [dockerAuth],
  });
  const dockerCfg = Buffer.from(
    `{"auths":{"ghcr.io":{"username":"x","password":"${opaque(r)}"}}}`,
  ).toString('base64');
  cases.push({
    name: '.dockerconfigjson in a Secret',
    text: `data:\n  .dockerconfigjson: ${dockerCfg}\ntype: kubernetes.io/dockerconfigjson`,
    secrets: [dockerCfg],
  });
  const jsonPw = opaque(r);
  cases.push({
    name: 'unquoted JSON-ish value then more keys',
    text: `{password: ${jsonPw}, "user": "svc"}`,
    secrets: [jsonPw],
  });

  const discord = discordWebhook(r);
  cases.push({
    name: 'Discord webhook',
    text: `POST ${discord.url} 429 retry_after=1.2`,
    secrets: [discord.secret],
  });
  const slack = slackWebhook(r);
  cases.push({
    name: 'Slack webhook',
    text: `{"webhook":"${slack.url}"}`,
    secrets: [slack.secret],
  });

  const dump = tokenFakes(r);
  cases.push({
    name: 'env dump with every token',
    text: dump.map((f, i) => `VAR_${i}=${f.value}`).join('\n'),
    secrets: dump.map((f) => f.value),
  });
  return cases;
}
