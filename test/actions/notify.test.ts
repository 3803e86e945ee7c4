// Discord and generic webhook notifications against a local HTTP receiver: payload shapes,
// redaction, once per incident state change, and Discord's 429 `retry_after` honoured.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import t, { type Test } from 'tap';
import { createActionHandlers } from '../../src/actions/index.js';
import { ActionError, type ActionContext } from '../../src/actions/handler.js';
import {
  createDiscordHandler,
  createWebhookHandler,
  RESOLVED_COLOUR,
  SEVERITY_COLOURS,
} from '../../src/actions/notify/index.js';
import { createGitHubClient } from '../../src/sources/github/client.js';
import { healConfigSchema, loadConfig } from '../../src/config/index.js';
import type { ActionRecord, PlannedAction } from '../../src/domain/action.js';
import { incidentId, type Incident } from '../../src/domain/incident.js';
import { withIncidentDefaults } from '../../src/incidents/lifecycle.js';
import { createTemplateEngine } from '../../src/templates/index.js';

const NOW = new Date('2025-01-15T12:30:00Z');
const SECRET = 'ghp_abcdefghijklmnopqrstuvwxyz0123456789';
const FP = 'ab12cd34'.repeat(8);

function incident(over: Partial<Incident> = {}): Incident {
  return withIncidentDefaults({
    id: incidentId(FP),
    fingerprint: FP,
    alert: 'A7',
    severity: 'critical',
    issueType: 'agent_failure',
    title: 'Pod Failure: play-task-4-rex-abc',
    description: `rex crashed\n  (exit 1) after printing token ${SECRET}`,
    namespace: 'cto',
    playId: 'play-task-4',
    taskId: '4',
    agent: 'rex',
    subject: 'play-task-4',
    state: 'open',
    firstSeen: '2025-01-15T12:00:00Z',
    lastSeen: '2025-01-15T12:20:00Z',
    occurrences: 3,
    evidence: [],
    context: {},
    resolvedAt: null,
    resolution: null,
    githubIssue: { number: 7, url: 'https://github.com/5dlabs/cto/issues/7' },
    remediationSpawned: false,
    reopened: 0,
    ...over,
  });
}

function ctx(
  event: 'opened' | 'escalated' | 'resolved',
  inc: Incident,
  destination: ActionRecord['destination'],
): ActionContext {
  const action: PlannedAction = { kind: 'notify', event };
  return {
    action: {
      id: 'act-1',
      incidentId: inc.id,
      decisionId: 'dec-1',
      seq: 0,
      action,
      destination,
      state: 'pending',
      attempts: 0,
      nextAttemptAt: NOW.toISOString(),
      lastError: null,
      result: null,
      createdAt: NOW.toISOString(),
      updatedAt: NOW.toISOString(),
    },
    incident: inc,
    session: null,
    now: NOW,
    signal: AbortSignal.timeout(5_000),
  };
}

interface Received {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: Record<string, unknown>;
}

/** A webhook receiver; `answer` decides each response (default 204). */
async function receiver(t: Test) {
  const received: Received[] = [];
  let answer = (res: ServerResponse): void => {
    res.writeHead(204).end();
  };
  const server = createServer((req, res) => {
    let text = '';
    req.on('data', (c: Buffer) => (text += c.toString()));
    req.on('end', () => {
      received.push({
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: JSON.parse(text) as Record<string, unknown>,
      });
      answer(res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.teardown(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/api/webhooks/123/secret-token`,
    received,
    answerWith(fn: (res: ServerResponse) => void) {
      answer = fn;
    },
  };
}

async function rejection(p: Promise<unknown>): Promise<ActionError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof ActionError) return err;
    throw err;
  }
  throw new Error('expected an ActionError');
}

void t.test('Discord: an embed with severity colour, alert, play, agent, links', async (t) => {
  const r = await receiver(t);
  const discord = createDiscordHandler({ url: r.url, dashboardUrl: 'https://healer.example.com/' });
  const inc = incident();
  const out = await discord.run(ctx('opened', inc, 'discord'));
  t.same(out.result, { event: 'opened', status: 204 });
  t.equal(r.received.length, 1);
  const { body, headers, method } = r.received[0];
  t.equal(method, 'POST');
  t.equal(headers['content-type'], 'application/json');
  t.match(headers['user-agent'], /^healer\//);
  t.same(body.allowed_mentions, { parse: [] }, 'untrusted text cannot ping anyone');
  const embed = (body.embeds as Record<string, unknown>[])[0];
  t.equal(embed.title, 'New incident: [HEAL-A7] Pod Failure: play-task-4-rex-abc');
  t.equal(embed.url, 'https://github.com/5dlabs/cto/issues/7');
  t.equal(embed.color, SEVERITY_COLOURS.critical);
  t.equal(embed.timestamp, NOW.toISOString());
  t.match(
    embed.description,
    /^rex crashed \(exit 1\) after printing token \[REDACTED:github-token\]$/,
  );
  t.notMatch(JSON.stringify(body), SECRET);
  t.match(embed.fields, [
    { name: 'Severity', value: 'critical' },
    { name: 'Alert', value: 'A7 · Pod Failure' },
    { name: 'Play', value: 'play-task-4' },
    { name: 'Agent', value: 'rex' },
    { name: 'Occurrences', value: '3' },
    {
      name: 'Links',
      value: `[Issue #7](https://github.com/5dlabs/cto/issues/7) · [Dashboard](https://healer.example.com/incidents/${inc.id})`,
    },
  ]);
  t.same(out.incident!(inc).notified, ['discord:opened']);

  await discord.run(
    ctx('resolved', { ...inc, state: 'resolved', resolution: 'Pod gone' }, 'discord'),
  );
  const resolved = (r.received[1].body.embeds as Record<string, unknown>[])[0];
  t.equal(resolved.color, RESOLVED_COLOUR);
  t.match(resolved.title, /^Resolved: /);
  t.match(resolved.fields, [{}, {}, {}, {}, {}, { name: 'Resolution', value: 'Pod gone' }]);
});

void t.test('each destination notifies once per incident state change', async (t) => {
  const r = await receiver(t);
  const discord = createDiscordHandler({ url: r.url, dashboardUrl: null });
  const webhook = createWebhookHandler({ url: r.url, dashboardUrl: null });
  // decide() marks what it announces ('open') when it plans the notification.
  let inc = incident({ notified: ['open'] });
  inc = (await discord.run(ctx('opened', inc, 'discord'))).incident!(inc);
  const repeat = await discord.run(ctx('opened', inc, 'discord'));
  t.same(repeat.result, { event: 'opened', skipped: 'already notified' });
  t.equal(repeat.incident, undefined);
  t.equal(r.received.length, 1);

  inc = (await webhook.run(ctx('opened', inc, 'webhook'))).incident!(inc);
  t.equal(r.received.length, 2, 'the webhook has its own record');
  t.same(inc.notified, ['open', 'discord:opened', 'webhook:opened']);
  t.match((await webhook.run(ctx('opened', inc, 'webhook'))).result, {
    skipped: 'already notified',
  });

  inc = (await discord.run(ctx('escalated', inc, 'discord'))).incident!(inc);
  t.equal(r.received.length, 3, 'a new state is a new message');
  const reopened = { ...inc, reopened: 1 };
  const again = await discord.run(ctx('opened', reopened, 'discord'));
  t.match(again.result, { status: 204 }, 'a reopened incident is announced again');
  t.same(again.incident!(reopened).notified, [
    'open',
    'discord:opened',
    'webhook:opened',
    'discord:escalated',
    'discord:opened#1',
  ]);

  const resolvedAt = {
    ...inc,
    state: 'resolved' as const,
    notified: [...inc.notified, 'resolved'],
  };
  const res = await webhook.run(ctx('resolved', resolvedAt, 'webhook'));
  t.match(res.result, { status: 204 }, "decide()'s own 'resolved' marker does not stop delivery");
});

void t.test(
  'Discord 429: retryable after its retry_after; 5xx and refusals retryable',
  async (t) => {
    const r = await receiver(t);
    const discord = createDiscordHandler({ url: r.url, dashboardUrl: null });
    r.answerWith((res) => {
      res.writeHead(429, { 'content-type': 'application/json', 'retry-after': '2' }).end(
        JSON.stringify({
          message: 'You are being rate limited.',
          retry_after: 1.234,
          global: false,
        }),
      );
    });
    const e = await rejection(discord.run(ctx('opened', incident(), 'discord')));
    t.equal(e.retryable, true);
    t.equal(e.retryAfterMs, 1234, 'the JSON retry_after (seconds) wins over the header');
    t.match(e.message, /Discord answered 429: You are being rate limited\./);

    r.answerWith((res) => {
      res.writeHead(502).end('bad gateway');
    });
    const bad = await rejection(discord.run(ctx('opened', incident(), 'discord')));
    t.equal(bad.retryable, true);

    const refused = createDiscordHandler({
      url: 'http://127.0.0.1:9/api/webhooks/1/x',
      dashboardUrl: null,
    });
    const down = await rejection(refused.run(ctx('opened', incident(), 'discord')));
    t.equal(down.retryable, true);
    t.match(down.message, /^Discord unreachable/);
  },
);

void t.test('4xx is permanent and never shows the webhook URL', async (t) => {
  const r = await receiver(t);
  const webhook = createWebhookHandler({ url: r.url, dashboardUrl: null });
  r.answerWith((res) => {
    res
      .writeHead(404, { 'content-type': 'application/json' })
      .end('{"message": "Unknown Webhook", "code": 10015}');
  });
  const e = await rejection(webhook.run(ctx('opened', incident(), 'webhook')));
  t.equal(e.retryable, false);
  t.match(e.message, /webhook answered 404: Unknown Webhook/);
  t.notMatch(e.message, 'secret-token');

  r.answerWith((res) => {
    res.writeHead(429, { 'retry-after': '3' }).end();
  });
  const limited = await rejection(webhook.run(ctx('opened', incident(), 'webhook')));
  t.equal(limited.retryAfterMs, 3000, 'Retry-After header');
});

void t.test('the generic webhook sends the documented JSON payload', async (t) => {
  const r = await receiver(t);
  const webhook = createWebhookHandler({ url: r.url, dashboardUrl: 'https://healer.example.com' });
  const inc = incident({
    attempts: [
      {
        attempt: 1,
        coderun: 'healer-a7-ab12cd34-1',
        namespace: 'cto',
        phase: 'Failed',
        createdAt: '2025-01-15T12:21:00Z',
        finishedAt: '2025-01-15T12:25:00Z',
        pullRequestUrl: null,
      },
    ],
  });
  await webhook.run(ctx('escalated', inc, 'webhook'));
  const { body, headers } = r.received[0];
  t.equal(headers['x-healer-event'], 'escalated');
  t.equal(headers['idempotency-key'], `${inc.id}:escalated`);
  t.same(body, {
    version: 1,
    source: 'healer',
    event: 'escalated',
    key: `${inc.id}:escalated`,
    sentAt: NOW.toISOString(),
    incident: {
      id: inc.id,
      fingerprint: FP,
      alert: 'A7',
      alertName: 'Pod Failure',
      severity: 'critical',
      state: 'open',
      title: '[HEAL-A7] Pod Failure: play-task-4-rex-abc',
      description: 'rex crashed (exit 1) after printing token [REDACTED:github-token]',
      namespace: 'cto',
      playId: 'play-task-4',
      taskId: '4',
      agent: 'rex',
      occurrences: 3,
      firstSeen: '2025-01-15T12:00:00Z',
      lastSeen: '2025-01-15T12:20:00Z',
      resolvedAt: null,
      resolution: null,
      attempts: [
        { attempt: 1, coderun: 'healer-a7-ab12cd34-1', phase: 'Failed', pullRequestUrl: null },
      ],
    },
    links: {
      issue: 'https://github.com/5dlabs/cto/issues/7',
      dashboard: `https://healer.example.com/incidents/${inc.id}`,
    },
  });
});

void t.test('createActionHandlers returns only the configured destinations', (t) => {
  const lines: string[] = [];
  const logger = { info: (_o: unknown, msg: string) => lines.push(msg), warn: () => undefined };
  const templates = createTemplateEngine();
  const none = createActionHandlers({
    config: {
      env: loadConfig({ env: {}, cwd: '/nonexistent' }).env,
      heal: healConfigSchema.parse({}),
    },
    templates,
    logger: logger as never,
  });
  t.same(none, []);
  t.match(lines[0], /off: GitHub issues \(no GitHub credentials\), remediation CodeRuns/);

  const env = loadConfig({
    env: {
      DISCORD_WEBHOOK_URL: 'https://discord.com/api/webhooks/1/x',
      HEALER_WEBHOOK_URL: 'https://example.com/hook',
    },
    cwd: '/nonexistent',
  }).env;
  const github = createGitHubClient({
    baseUrl: 'http://127.0.0.1:9',
    auth: { kind: 'token', token: 'x' },
  });
  const all = createActionHandlers({
    config: { env, heal: healConfigSchema.parse({}) },
    github,
    templates,
    logger: logger as never,
  });
  t.same(
    all.map((h) => [h.destination, h.kinds]),
    [
      ['github', ['open-issue', 'comment-issue', 'label-issue', 'relabel-severity', 'close-issue']],
      ['discord', ['notify']],
      ['webhook', ['notify']],
    ],
  );
  t.end();
});
