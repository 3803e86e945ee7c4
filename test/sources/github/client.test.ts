// Healer's GitHub client against the simulated GitHub, through the real Octokit and plugins:
// secondary rate limits, 5xx retries, deadlines, the rate-limit metric, auth modes.
import { generateKeyPairSync, verify } from 'node:crypto';
import { createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import t from 'tap';
import { githubAuthFromEnv, githubClientFromEnv } from '../../../src/sources/github/client.js';
import {
  HEALER_TOKEN,
  R,
  agentOctokit,
  healerClient,
  memoryLogger,
  metricValue,
  newSim,
} from './helpers.js';

const COMMENTS = 'POST /repos/{owner}/{repo}/issues/{issue_number}/comments';
const PULL = 'GET /repos/{owner}/{repo}/pulls/{pull_number}';

async function openPr(url: string): Promise<number> {
  const rex = agentOctokit(url, 'rex');
  const pr = await rex.rest.pulls.create({
    ...R,
    title: 'Task 4',
    head: 'feature/task-4',
    base: 'main',
  });
  return pr.data.number;
}

for (const status of [403, 429] as const) {
  void t.test(
    `a secondary rate limit (${status}) is retried once after retry-after, with no duplicate write`,
    async (t) => {
      const gh = await newSim(t);
      const n = await openPr(gh.url);
      const client = healerClient(gh.url);
      gh.resetStats();
      gh.faults.secondaryRateLimit({ count: 1, retryAfter: 1, status });
      const started = Date.now();
      await client.octokit.rest.issues.createComment({
        ...R,
        issue_number: n,
        body: 'Healer: incident opened',
      });
      const waited = Date.now() - started;
      t.ok(waited >= 950, `waited for retry-after (${waited} ms)`);
      t.ok(waited < 2500, 'and not much longer');
      t.same(
        gh.stats.byRouteStatus[COMMENTS],
        { [String(status)]: 1, '201': 1 },
        'one refusal, one write',
      );
      const comments = await client.octokit.rest.issues.listComments({ ...R, issue_number: n });
      t.equal(comments.data.length, 1, 'exactly one comment exists');
    },
  );
}

void t.test('a 5xx is retried with backoff and the read succeeds', async (t) => {
  const gh = await newSim(t);
  const n = await openPr(gh.url);
  const client = healerClient(gh.url);
  gh.resetStats();
  gh.faults.failRequests({ status: 502, count: 2 });
  const pr = await client.octokit.rest.pulls.get({ ...R, pull_number: n });
  t.equal(pr.status, 200);
  t.same(gh.stats.byRouteStatus[PULL], { '502': 2, '200': 1 });
  t.equal(
    await metricValue(client.registry, 'healer_github_requests_total', { outcome: 'error' }),
    2,
  );
  t.equal(
    await metricValue(client.registry, 'healer_github_requests_total', { outcome: '200' }),
    1,
  );
});

void t.test('retries are bounded: a 5xx that persists surfaces with its status', async (t) => {
  const gh = await newSim(t);
  const n = await openPr(gh.url);
  const client = healerClient(gh.url, { retries: 2 });
  gh.resetStats();
  gh.faults.failRequests({ status: 503, count: 10 });
  const err = await client.octokit.rest.pulls
    .get({ ...R, pull_number: n })
    .catch((e: { status: number }) => e);
  t.equal(err.status, 503);
  t.same(gh.stats.byRouteStatus[PULL], { '503': 3 }, 'first attempt + 2 retries');
});

void t.test('every call has a deadline: a hung answer fails fast and names the call', async (t) => {
  const gh = await newSim(t);
  const n = await openPr(gh.url);
  const client = healerClient(gh.url, { timeoutMs: 150, retries: 0 });
  gh.faults.delay(3_000);
  const started = Date.now();
  const err = await client.octokit.rest.pulls.get({ ...R, pull_number: n }).catch((e: Error) => e);
  const took = Date.now() - started;
  t.ok(err instanceof Error);
  t.match((err as Error).message, /did not answer GET .*\/pulls\/1 within 150 ms/);
  t.ok(took < 1_000, `gave up after ${took} ms`);
  t.equal(
    await metricValue(client.registry, 'healer_github_requests_total', { outcome: 'error' }),
    1,
  );
  gh.faults.clear();
});

void t.test('a timed-out attempt is retried like a 5xx', async (t) => {
  const gh = await newSim(t);
  const n = await openPr(gh.url);
  const client = healerClient(gh.url, { timeoutMs: 200, retries: 1 });
  gh.faults.delay(400);
  setTimeout(() => gh.faults.clear(), 100); // the retry finds a healthy server
  const pr = await client.octokit.rest.pulls.get({ ...R, pull_number: n });
  t.equal(pr.status, 200);
});

void t.test(
  'the rate-limit metric follows x-ratelimit-remaining; 304s leave it unspent',
  async (t) => {
    const gh = await newSim(t);
    const n = await openPr(gh.url);
    const client = healerClient(gh.url);
    await client.octokit.rest.pulls.get({ ...R, pull_number: n }); // starts the mergeability job
    const first = await client.octokit.rest.pulls.get({ ...R, pull_number: n });
    const remaining = Number(first.headers['x-ratelimit-remaining']);
    t.equal(remaining, 4998);
    t.equal(
      await metricValue(client.registry, 'healer_github_rate_limit_remaining', {
        resource: 'core',
      }),
      remaining,
    );
    for (let i = 0; i < 5; i++) {
      const e = await client.octokit.rest.pulls
        .get({ ...R, pull_number: n, headers: { 'if-none-match': first.headers.etag } })
        .catch((err: { status: number }) => err);
      t.equal(e.status, 304);
    }
    t.equal(
      await metricValue(client.registry, 'healer_github_rate_limit_remaining', {
        resource: 'core',
      }),
      remaining,
    );
    t.equal(
      await metricValue(client.registry, 'healer_github_requests_total', { outcome: '304' }),
      5,
    );
    t.equal(gh.stats.rateLimitUsed[HEALER_TOKEN]?.core, 2, 'only the two 200s were counted');
  },
);

void t.test(
  'a GitHub App installation authenticates with a JWT-minted installation token',
  async (t) => {
    const gh = await newSim(t);
    const n = await openPr(gh.url);
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const pem = privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
    const minted: { iss: unknown; path: string }[] = [];
    // The simulator has no Apps API: a small front answers the token exchange (checking the JWT's
    // RS256 signature with the App's public key) and passes everything else to the simulator.
    const front = createServer((req, res) => {
      const m = /^\/app\/installations\/(\d+)\/access_tokens$/.exec(req.url ?? '');
      if (req.method === 'POST' && m) {
        const jwt = /^bearer (.+)$/i.exec(req.headers.authorization ?? '')?.[1] ?? '';
        const [h, p, s] = jwt.split('.');
        const ok =
          Boolean(h && p && s) &&
          verify('RSA-SHA256', Buffer.from(`${h}.${p}`), publicKey, Buffer.from(s, 'base64url'));
        if (!ok) {
          res
            .writeHead(401, { 'content-type': 'application/json' })
            .end('{"message":"A JSON web token could not be decoded"}');
          return;
        }
        minted.push({
          iss: (JSON.parse(Buffer.from(p, 'base64url').toString()) as { iss: unknown }).iss,
          path: req.url!,
        });
        res.writeHead(201, { 'content-type': 'application/json' }).end(
          JSON.stringify({
            token: 'login:healer-app[bot]',
            expires_at: new Date(Date.now() + 3_600_000).toISOString().replace(/\.\d+Z$/, 'Z'),
            permissions: {
              pull_requests: 'read',
              issues: 'write',
              checks: 'read',
              statuses: 'read',
            },
            repository_selection: 'all',
          }),
        );
        return;
      }
      const target = new URL(gh.url);
      const proxied = httpRequest(
        {
          host: target.hostname,
          port: target.port,
          path: req.url,
          method: req.method,
          headers: req.headers,
        },
        (up) => {
          res.writeHead(up.statusCode ?? 502, up.headers);
          up.pipe(res);
        },
      );
      req.pipe(proxied);
    });
    await new Promise<void>((r) => front.listen(0, '127.0.0.1', r));
    t.teardown(() => new Promise<void>((r) => front.close(() => r())));
    const url = `http://127.0.0.1:${(front.address() as AddressInfo).port}`;

    const auth = githubAuthFromEnv({
      GITHUB_API_URL: url,
      GITHUB_APP_ID: '123456',
      GITHUB_APP_PRIVATE_KEY: pem.replace(/\n/g, '\\n'), // as pasted into a one-line env var
      GITHUB_APP_INSTALLATION_ID: '7890',
    });
    t.same(auth && { ...auth, privateKey: auth.kind === 'app' ? auth.privateKey === pem : null }, {
      kind: 'app',
      appId: 123456,
      privateKey: true,
      installationId: 7890,
    });
    const client = healerClient(url, { auth: auth! });
    t.equal(client.authKind, 'app');
    const a = await client.octokit.rest.pulls.get({ ...R, pull_number: n });
    const b = await client.octokit.rest.issues.listComments({ ...R, issue_number: n });
    t.equal(a.status, 200);
    t.equal(b.status, 200);
    t.same(
      minted,
      [{ iss: 123456, path: '/app/installations/7890/access_tokens' }],
      'one token, cached',
    );
    t.equal(
      gh.stats.rateLimitUsed['login:healer-app[bot]']?.core,
      2,
      'requests ran as the installation',
    );
  },
);

void t.test('auth from the environment: token first, nothing → off, said once', (t) => {
  t.same(githubAuthFromEnv({ GITHUB_API_URL: 'https://api.github.com', GITHUB_TOKEN: 'ghp_x' }), {
    kind: 'token',
    token: 'ghp_x',
  });
  t.equal(
    githubAuthFromEnv({ GITHUB_API_URL: 'https://api.github.com', GITHUB_APP_ID: '1' }),
    null,
  );
  const logger = memoryLogger();
  const off = githubClientFromEnv({ GITHUB_API_URL: 'https://api.github.com' }, { logger });
  t.equal(off.client, null);
  t.match(off.reason, /GITHUB_TOKEN/);
  t.equal(logger.lines.length, 1, 'one line');
  t.equal(logger.lines[0].level, 'warn');
  t.match(logger.lines[0].msg, /A1, A3, A4, A5 .* off/);
  const on = githubClientFromEnv(
    { GITHUB_API_URL: 'https://ghe.example.com/api/v3/', GITHUB_TOKEN: 'ghp_x' },
    { logger: memoryLogger() },
  );
  t.equal(on.client?.baseUrl, 'https://ghe.example.com/api/v3');
  t.equal(on.client?.authKind, 'token');
  t.end();
});

void t.test(
  'a 304 (not modified) is routine: logged at debug, never at error or warn',
  async (t) => {
    const gh = await newSim(t);
    const n = await openPr(gh.url);
    const logger = memoryLogger();
    const client = healerClient(gh.url, { logger });
    const { ConditionalReader } = await import('../../../src/sources/github/conditional.js');
    const reader = new ConditionalReader(client);
    const url = `/repos/${R.owner}/${R.repo}/pulls/${n}`;
    t.ok((await reader.get(url, (d) => d)).fresh);
    await reader.get(url, (d) => d); // the first read computes mergeability (a new ETag)
    gh.resetStats();
    for (let i = 0; i < 5; i++) {
      const again = await reader.get(url, (d) => d);
      t.notOk(again.fresh, 'answered 304 from the cache');
    }
    t.equal(gh.stats.byStatus['304'], 5);
    t.same(
      logger.lines.filter((l) => l.level === 'error' || l.level === 'warn'),
      [],
      'no error or warning for a 304',
    );
    // A real failure still reaches the log at error level.
    await reader.get(`/repos/${R.owner}/${R.repo}/pulls/999999`, (d) => d).catch(() => undefined);
    t.ok(
      logger.lines.some((l) => l.level === 'error' && /404/.test(l.msg)),
      'a failed request is still an error',
    );
  },
);
