// The secret families a review from outside got through the first redactor (issue 13), each in the
// places it really turns up. Values come from a seeded generator, so they are not the ones the
// redactor was written against; none is a real secret.
import { Rng, pem } from './fakes.js';
import type { LeakCase } from './corpus.js';

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const B64 = ALNUM + '+/';
const B64URL = ALNUM + '-_';
const LOWER_DIGIT = 'abcdefghijklmnopqrstuvwxyz0123456789';
/** Passwords as people pick them, with the characters that broke URL parsing: `/`, `@`, `#`. */
const URL_HOSTILE = ALNUM + '/@#!$%^*()-_+.~';
const PW = ALNUM + '!%*+-.^_~';

/** A password with at least one of `/`, `@`, `#` in it (and the usual upper, lower, digit). */
function hostilePassword(r: Rng, n = 18): string {
  for (;;) {
    const s = r.mixed(URL_HOSTILE, n);
    if (/[/@#]/.test(s)) return s;
  }
}

const ghToken = (r: Rng, p = 'ghp'): string => `${p}_${r.mixed(ALNUM, 36)}`;

export function familyCases(seed = 1313): LeakCase[] {
  const r = new Rng(seed);
  const cases: LeakCase[] = [];
  const add = (family: string, name: string, text: string, ...secrets: string[]) =>
    cases.push({ name: `[${family}] ${name}`, text, secrets });

  // URL passwords containing `/`, `@` or `#`
  for (const scheme of [
    'postgres',
    'postgresql',
    'mysql',
    'redis',
    'amqps',
    'mongodb+srv',
    'https',
  ]) {
    const pw = hostilePassword(r);
    add(
      'url-password',
      scheme,
      `connecting to ${scheme}://app_user:${pw}@db-7.internal.example:5432/app?sslmode=require`,
      pw,
    );
    const pw2 = hostilePassword(r);
    add(
      'url-password',
      `${scheme} in JSON`,
      `{"level":"error","dsn":"${scheme}://svc:${pw2}@10.0.3.7/orders","msg":"dial failed"}`,
      pw2,
    );
  }
  const pwEnv = hostilePassword(r);
  add(
    'url-password',
    'DATABASE_URL env',
    `DATABASE_URL=postgres://rex:${pwEnv}@pg.cto.svc:5432/rex`,
    pwEnv,
  );

  // tokens glued to a preceding character
  for (const p of ['ghp', 'gho', 'ghu', 'ghs', 'ghr']) {
    const tok = ghToken(r, p);
    add(
      'glued-token',
      `${p} after %3D`,
      `GET /login/oauth/callback?code=1&access_token%3D${tok}%26scope%3Drepo`,
      tok,
    );
    const tok2 = ghToken(r, p);
    add('glued-token', `${p} after a word`, `token for installat${tok2} expired`, tok2);
  }
  const glpat = `glpat-${r.mixed(B64URL, 20)}`;
  add('glued-token', 'glpat glued', `private_token%3D${glpat}`, glpat);
  const xox = `xoxb-${r.pick('0123456789', 12)}-${r.pick('0123456789', 13)}-${r.mixed(ALNUM, 24)}`;
  add('glued-token', 'slack glued', `slack=tokxoxb${xox.slice(4)}`, xox.slice(5));
  const antGlued = `sk-ant-api03-${r.mixed(B64URL, 93)}AA`;
  add('glued-token', 'anthropic glued', `x-api-key:${antGlued}`, antGlued);

  // aws configure set
  const awsSecret = r.mixed(B64, 40);
  add(
    'aws-configure',
    'secret key',
    `+ aws configure set aws_secret_access_key ${awsSecret}`,
    awsSecret,
  );
  const awsSecret2 = r.mixed(B64, 40);
  add(
    'aws-configure',
    'profile secret key',
    `aws configure set profile.ci.aws_secret_access_key ${awsSecret2} && aws s3 ls`,
    awsSecret2,
  );
  const sess = r.mixed(B64, 120);
  add('aws-configure', 'session token', `aws configure set aws_session_token ${sess}`, sess);

  // command-line secrets
  const curlPw = r.mixed(PW, 16);
  add(
    'command-line',
    'curl -u',
    `+ curl -sS -u deploy:${curlPw} https://nexus.example.com/repository/`,
    curlPw,
  );
  const curlPw2 = r.mixed(PW, 16);
  add(
    'command-line',
    'curl --user',
    `curl --user "ci-bot:${curlPw2}" -X POST https://jenkins.example.com/job/x/build`,
    curlPw2,
  );
  const myPw = r.mixed(PW, 14);
  add('command-line', 'mysql -p', `+ mysql -h db -u root -p${myPw} orders -e 'select 1'`, myPw);
  const myPw2 = r.mixed(PW, 14);
  add(
    'command-line',
    'mysqldump -p',
    `mysqldump -uroot -p${myPw2} --all-databases > /tmp/all.sql`,
    myPw2,
  );
  const dockerPw = r.mixed(ALNUM, 24);
  add(
    'command-line',
    'docker login -p',
    `+ docker login -u robot -p ${dockerPw} registry.example.com`,
    dockerPw,
  );
  const dockerPw2 = r.mixed(ALNUM, 24);
  add(
    'command-line',
    'docker login --password',
    `docker login registry.example.com --username robot --password ${dockerPw2}`,
    dockerPw2,
  );
  const cliPw = r.mixed(PW, 20);
  add(
    'command-line',
    '--password PW',
    `exec /usr/bin/app --user admin --password ${cliPw} --port 8080`,
    cliPw,
  );
  const dashPw = `-${r.mixed(PW, 19)}`;
  add(
    'command-line',
    '--password -PW',
    `exec /usr/bin/app --password ${dashPw} --port 8080`,
    dashPw,
  );
  const cliPw3 = r.mixed(PW, 20);
  add('command-line', '--db-password PW', `+ ./migrate --db-password '${cliPw3}' up`, cliPw3);
  const kubeadm = `${r.pick(LOWER_DIGIT, 6)}.${r.pick(LOWER_DIGIT, 16)}`;
  add(
    'command-line',
    'kubeadm --token',
    `kubeadm join 10.0.0.10:6443 --token ${kubeadm} --discovery-token-ca-cert-hash sha256:${r.pick('0123456789abcdef', 64)}`,
    kubeadm,
  );
  const kubectlTok = r.mixed(B64URL, 40);
  add(
    'command-line',
    'kubectl --token=',
    `kubectl --token=${kubectlTok} get pods -n cto`,
    kubectlTok,
  );
  const gitPw = r.mixed(PW, 16);
  add('command-line', 'sshpass -p', `sshpass -p ${gitPw} ssh deploy@10.0.0.5`, gitPw);

  // variable names beyond *_PASSWORD/*_TOKEN/*_SECRET/*_API_KEY
  for (const key of [
    'DB_PASS',
    'MYSQL_PWD',
    'REDIS_PASS',
    'SECRET_KEY_BASE',
    'JWT_SIGNING_KEY',
    'ENCRYPTION_KEY',
    'MASTER_KEY',
    'GCP_CREDENTIALS',
    'AZURE_CREDENTIALS',
    'DOCKER_AUTH',
    'NPM_AUTH',
    'HMAC_KEY',
    'STORAGE_ACCOUNT_KEY',
  ]) {
    const v = r.mixed(PW, 28);
    add('key-name', `${key}=`, `${key}=${v}`, v);
    const v2 = r.mixed(PW, 28);
    add('key-name', `${key}: (yaml)`, `env:\n  ${key}: "${v2}"\n  LOG_LEVEL: info`, v2);
    const v3 = r.mixed(ALNUM, 28);
    add('key-name', `${key} (k8s env)`, `- name: ${key}\n  value: ${v3}`, v3);
  }
  const npmAuth = Buffer.from(`ci:${r.mixed(ALNUM, 20)}`).toString('base64');
  add(
    'key-name',
    '.npmrc _auth',
    `//registry.npmjs.org/:_auth=${npmAuth}\nalways-auth=true`,
    npmAuth,
  );
  const npmTok = r.mixed(ALNUM, 36);
  add('key-name', '.npmrc _authToken', `//npm.pkg.github.com/:_authToken=${npmTok}`, npmTok);

  // keys in a Secret's data:
  const d1 = Buffer.from(r.mixed(PW, 20)).toString('base64');
  const d2 = Buffer.from(`admin:${r.mixed(PW, 16)}`).toString('base64');
  const d3 = Buffer.from(r.mixed(ALNUM, 32)).toString('base64');
  add(
    'secret-data',
    'Secret YAML',
    `apiVersion: v1\ndata:\n  db: ${d1}\n  creds: ${d2}\n  signing: ${d3}\nkind: Secret\nmetadata:\n  name: app\ntype: Opaque`,
    d1,
    d2,
    d3,
  );
  const d4 = r.mixed(PW, 22);
  add(
    'secret-data',
    'Secret stringData',
    `kind: Secret\nmetadata:\n  name: app\nstringData:\n  conn: ${d4}\n  user: svc`,
    d4,
  );
  const d5 = Buffer.from(r.mixed(PW, 24)).toString('base64');
  add(
    'secret-data',
    'Secret JSON',
    `{"apiVersion":"v1","data":{"upstream":"${d5}"},"kind":"Secret","metadata":{"name":"x"}}`,
    d5,
  );

  // Azure and SendGrid
  const azure = r.mixed(B64, 86) + '==';
  add(
    'azure',
    'storage connection string',
    `AZURE_STORAGE_CONNECTION_STRING=DefaultEndpointsProtocol=https;AccountName=ctoartifacts;AccountKey=${azure};EndpointSuffix=core.windows.net`,
    azure,
  );
  const sas = r.mixed(B64, 43) + '=';
  add(
    'azure',
    'service bus',
    `Endpoint=sb://cto.servicebus.windows.net/;SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey=${sas}`,
    sas,
  );
  for (let i = 0; i < 3; i++) {
    const sg = `SG.${r.mixed(B64URL, 22)}.${r.mixed(B64URL, 43)}`;
    add('sendgrid', `key ${i}`, `mail: sending with ${sg} failed: 401`, sg);
  }

  // high-entropy values next to secret-ish keys that are not in any list
  for (const key of [
    'upstream_signature',
    'x-vault-sig',
    'sessionCookie',
    'authz_blob',
    'client-cert-key-material',
    'app_salt',
  ]) {
    const v = r.mixed(B64URL, 32);
    add('entropy', key, `level=error ${key}=${v} msg="rejected"`, v);
    const v2 = r.mixed(B64URL, 32);
    add('entropy', `${key} json`, `{"${key}":"${v2}","retry":2}`, v2);
  }

  // private keys: printed over several lines, and context that starts inside the key
  for (const label of ['RSA PRIVATE KEY', 'PRIVATE KEY', 'OPENSSH PRIVATE KEY', 'EC PRIVATE KEY']) {
    const k = pem(r, label, 10);
    const lines = k.text.split('\n');
    add(
      'private-key',
      `${label} without BEGIN`,
      ['...', ...lines.slice(4)].join('\n'),
      ...k.body.slice(3),
    );
    add(
      'private-key',
      `${label} middle only`,
      ['2026-11-21T10:00:00Z INFO dumping', ...lines.slice(3, 8), 'more log'].join('\n'),
      ...k.body.slice(2, 7),
    );
    add(
      'private-key',
      `${label} in a log prefix`,
      lines.map((l) => `2026-11-21T10:00:00Z stdout F ${l}`).join('\n'),
      ...k.body,
    );
  }
  return cases;
}

/** Family names of the cases above, in the order they appear. */
export const familiesOf = (cases: LeakCase[]): string[] => [
  ...new Set(cases.map((c) => /^\[([^\]]+)\]/.exec(c.name)?.[1] ?? 'base')),
];
