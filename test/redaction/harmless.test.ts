import t from 'tap';
import { redact, redactDeep } from '../../src/domain/redact.js';
import { Rng } from './fakes.js';

/** Ordinary text from pods, CodeRuns, git and GitHub that must come through byte for byte. */
const HARMLESS = [
  'commit 3f786850e387550fdab836ed7e6dc881de23001b',
  'HEAD is now at 9fceb02d0ae598e95dc970b74767f19372d61af8 fix: retry push',
  'request id 123e4567-e89b-12d3-a456-426614174000 done',
  'pod play-task-4-rex-abc in namespace cto is Running',
  'play-task-4-abc-step-123 atlas-conflict-monitor-xyz cto-controller-794646b4c7-tg28b',
  'healer-a7-3f786850-1 created',
  'token count: 12',
  'token: 12',
  'max_tokens=4096 input_tokens: 1234 output_tokens: 987 cache_read_tokens=0',
  '"usage":{"input_tokens":1234,"output_tokens":56}',
  'tokenizer: cl100k_base',
  'task-12345678901234567890abcdefghij finished',
  'desk-top layout: sk-learn pipeline for risk-assessment-model-training-job',
  'mask-abcdefghijklmnopqrstuvwxyz0123456789',
  'scikit-learn==1.5.2 numpy==2.1.0',
  'model: claude-opus-4-5-20251101 provider: anthropic',
  'model xai-grok-4 and pplx-sonar-pro are configured',
  'secretName: cto-github-app',
  'kind: Secret',
  'type: kubernetes.io/service-account-token',
  'automountServiceAccountToken: false',
  'valueFrom:\n  secretKeyRef:\n    name: cto-secrets\n    key: github-token',
  '- name: GITHUB_TOKEN\n  valueFrom:\n    secretKeyRef:',
  'env: GITHUB_TOKEN=${GITHUB_TOKEN} OPENAI_API_KEY=$OPENAI_API_KEY',
  'password: null',
  'api_key: ""',
  'token: <your-token-here>',
  'secret: {{ .Values.secret }}',
  'password: ********',
  'PWD=/workspace/cto',
  'FATAL: password authentication failed for user "postgres"',
  'remote: Invalid username or password.',
  'error: missing Authorization: Bearer header',
  'WWW-Authenticate: Bearer realm="api", error="invalid_token"',
  'Authorization: Bearer $TOKEN',
  'Authorization header missing',
  'token_type: bearer',
  '{"token_type":"Bearer","expires_in":3600}',
  'image: ghcr.io/5dlabs/cto:v1.2.3@sha256:0e5751c026e543b2e8ab2eb06099daa1d1e5df47778f7787faab45cdf12fe3a8',
  'https://github.com/5dlabs/cto/pull/123#issuecomment-2345678901',
  'git@github.com:5dlabs/cto.git',
  'http://localhost:8080/api/v1/sessions?status=active&limit=50',
  'http://cto-tools.cto.svc.cluster.local:3000/mcp',
  'level=info msg="token refreshed" expires_in=3600',
  'I1121 05:42:13.512345       1 controller.go:123] reconciled CodeRun cto/healer-a7-3f786850-1',
  'CONFLICT (content): Merge conflict in src/main.rs',
  "fatal: Authentication failed for 'https://github.com/5dlabs/cto.git/'",
  'Using API key from environment variable',
  '--api-key-file /var/run/secrets/api-key',
  'secret_name=cto-secrets secret_namespace=cto',
  'tokens: 1234',
  'The token expired at 2025-11-21T05:42:13Z; refreshing',
  '## Success markers\n- `git push`\n- `PR created`',
  'AKIA is the prefix of AWS access key ids',
  'eyJ is how a base64 JSON object starts',
  'Container agent terminated: exitCode=1 reason=Error startedAt=2025-11-21T05:40:00Z',
  'sha512-abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+/== integrity',
  '[REDACTED:github-token] was already redacted',
  'Warning  BackOff  2m (x12 over 10m)  kubelet  Back-off restarting failed container agent',
  'panic: runtime error: index out of range [3] with length 3',
  '{"max_token": 4096, "model": "claude-opus-4-5-20251101", "stream": true}',
  '{"automountServiceAccountToken": false, "serviceAccountName": "cto-agent"}',
  'type: kubernetes.io/dockerconfigjson',
  '"auth": "none"',
  'short',
  '',
  // look-alikes of the families added for issue 13
  'docker run --rm -u 1000:1000 -v /src:/src builder:1',
  'kubeadm token create --ttl 24h --print-join-command',
  'exec /app/server --token-ttl 24h --password-file /run/secrets/db',
  'mysql -u root -p orders',
  'always-auth=true',
  'https://registry.npmjs.org:443/@types/node',
  'http://localhost:8080/api/v1/sessions',
  'sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
  'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
  'DefaultEndpointsProtocol=https;AccountName=ctoartifacts;EndpointSuffix=core.windows.net',
  'kind: ConfigMap\ndata:\n  LOG_LEVEL: info\n  REGION: eu-west-1',
  'secret_key_ref: cto-secrets',
  'OLDPWD=/root',
  'oauth: enabled',
];

void t.test('ordinary text comes through unchanged', (t) => {
  const changed = HARMLESS.filter((line) => redact(line) !== line).map((line) => ({
    line,
    out: redact(line),
  }));
  t.same(changed, [], `${HARMLESS.length} harmless lines unchanged`);
  t.end();
});

void t.test('redactDeep leaves ordinary values and non-secret keys alone', (t) => {
  const value = {
    pod: 'play-task-4-rex-abc',
    sha: '3f786850e387550fdab836ed7e6dc881de23001b',
    counts: { input_tokens: 12, max_tokens: 4096 },
    automountServiceAccountToken: false,
    secretName: 'cto-secrets',
    tokens: ['a', 'b'],
    nested: [{ url: 'https://github.com/5dlabs/cto/pull/1' }],
  };
  t.same(redactDeep(value), value);
  t.end();
});

// How long these take (and that doubling the input about doubles the time) is measured by
// `npx tsx bench/redaction.ts` against a reference pass in the same run (docs/benchmarks.md):
// tests do not assert wall time. Here: each is redacted completely, and redacting is idempotent.
void t.test('pathological input is redacted whole, and redacting it again changes nothing', (t) => {
  const r = new Rng(5);
  const alphabet = 'aZ9=:"\\ -_.\n/@?&tokenpasswordBEGIN';
  const inputs = [
    'a'.repeat(500_000),
    'password'.repeat(60_000),
    'token='.repeat(80_000),
    'x: '.repeat(150_000),
    '-----BEGIN RSA PRIVATE KEY-----\n'.repeat(10_000),
    'https://'.repeat(60_000),
    r.pick(alphabet, 500_000),
  ];
  for (const input of inputs) {
    const once = redact(input);
    t.type(once, 'string');
    t.ok(
      redact(once) === once,
      `${JSON.stringify(input.slice(0, 16))}… (${input.length} chars): idempotent`,
    );
  }
  t.equal(redact(inputs[0]), inputs[0], 'a run of one letter is no secret');
  t.end();
});
