// Slack (Block Kit) and PagerDuty (Events API v2) notifications against local servers that check
// the documented payload shapes (test/sim/notify): what is sent, redaction, once per incident state,
// PagerDuty paging critical/high only and resolving what it paged, retries and Retry-After.
import t, { type Test } from 'tap';
import { ActionError, type ActionContext } from '../../src/actions/handler.js';
import { createActionHandlers } from '../../src/actions/index.js';
import { createPagerDutyHandler, createSlackHandler } from '../../src/actions/notify/index.js';
import { healConfigSchema, loadConfig } from '../../src/config/index.js';
import type { ActionRecord } from '../../src/domain/action.js';
import type { Incident } from '../../src/domain/incident.js';
import { createTemplateEngine } from '../../src/templates/index.js';
import { sampleA7Incident } from '../helpers/incidents.js';
import { startPagerDutySim, startSlackSim, type NotifySim } from '../sim/notify/index.js';

const NOW = new Date('2025-01-15T12:30:00Z');
const SECRET = 'ghp_abcdefghijklmnopqrstuvwxyz0123456789';
const ROUTING_KEY = 'R0UT1NGKEY0123456789abcdefABCDEF';
const DASHBOARD = 'https://healer.example.com';

const incident = (over: Partial<Incident> = {}): Incident =>
  sampleA7Incident({
    severity: 'critical',
    description: `rex crashed <!channel> & printed ${SECRET}`,
    githubIssue: { number: 7, url: 'https://github.com/5dlabs/cto/issues/7' },
    ...over,
  });

function ctx(
  event: 'opened' | 'escalated' | 'resolved',
  inc: Incident,
  destination: ActionRecord['destination'],
): ActionContext {
  const at = NOW.toISOString();
  return {
    action: {
      id: 'act-1',
      incidentId: inc.id,
      decisionId: 'dec-1',
      seq: 0,
      action: { kind: 'notify', event },
      destination,
      state: 'pending',
      attempts: 0,
      nextAttemptAt: at,
      lastError: null,
      result: null,
      createdAt: at,
      updatedAt: at,
    },
    incident: inc,
    session: null,
    now: NOW,
    signal: AbortSignal.timeout(5_000),
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

async function sim(t: Test, start: () => Promise<NotifySim>): Promise<NotifySim> {
  const s = await start();
  t.teardown(s.close);
  return s;
}
type Obj = Record<string, unknown>;

void t.test('Slack: a Block Kit message the webhook accepts, redacted and escaped', async (t) => {
  const slack = await sim(t, startSlackSim);
  const handler = createSlackHandler({ url: slack.url, dashboardUrl: DASHBOARD });
  const inc = incident();
  const out = await handler.run(ctx('opened', inc, 'slack'));
  t.same(out.result, { event: 'opened', status: 200 });
  t.same(slack.received[0].problems, [], 'the documented shape');
  const body = slack.received[0].body as { text: string; blocks: Obj[] };
  const all = JSON.stringify(body);
  t.notMatch(all, SECRET, 'redacted');
  t.notMatch(all, '<!channel>', 'no mention from untrusted text');
  t.match(all, '&lt;!channel&gt; &amp; printed [REDACTED:github-token]');
  t.match(body.text, /New incident: \[HEAL-A7\]/);
  t.match(body.blocks, [
    { type: 'header', text: { type: 'plain_text', text: /^New incident: \[HEAL-A7\] / } },
    { type: 'section', text: { type: 'mrkdwn', text: /^:red_circle: rex crashed/ } },
    {
      type: 'section',
      fields: [
        { text: '*Severity*\ncritical' },
        { text: '*Alert*\nA7 · Pod Failure' },
        { text: '*Play*\nplay-task-4' },
        { text: '*Agent*\nrex' },
        { text: '*Occurrences*\n3' },
      ],
    },
    {
      type: 'actions',
      elements: [
        {
          type: 'button',
          text: { text: 'Issue #7' },
          url: 'https://github.com/5dlabs/cto/issues/7',
        },
        { type: 'button', text: { text: 'Dashboard' }, url: `${DASHBOARD}/incidents/${inc.id}` },
      ],
    },
    { type: 'context', elements: [{ type: 'mrkdwn', text: `Healer · ${inc.id}` }] },
  ]);
  t.same(out.incident!(inc).notified, ['slack:opened']);

  // Once per state: the same event again is skipped without a request.
  const told = out.incident!(inc);
  t.match((await handler.run(ctx('opened', told, 'slack'))).result, {
    skipped: 'already notified',
  });
  t.equal(slack.received.length, 1);
  const resolved = { ...told, state: 'resolved' as const, resolution: 'Pod gone' };
  await handler.run(ctx('resolved', resolved, 'slack'));
  t.same(slack.received[1].problems, []);
  t.match(JSON.stringify(slack.received[1].body), /Resolved: .*\*Resolution\*\\nPod gone/);

  // A very long description and title stay inside Block Kit's limits.
  const long = incident({ title: 'x'.repeat(400), description: 'y'.repeat(5000) });
  await handler.run(ctx('escalated', long, 'slack'));
  t.same(slack.received[2].problems, [], 'clipped to the limits');
});

void t.test('Slack: 429 waits for Retry-After, 5xx retries, 4xx is permanent', async (t) => {
  const slack = await sim(t, startSlackSim);
  const handler = createSlackHandler({ url: slack.url, dashboardUrl: null });
  slack.answerNext({ status: 429, headers: { 'retry-after': '7' }, body: 'rate_limited' });
  const limited = await rejection(handler.run(ctx('opened', incident(), 'slack')));
  t.equal(limited.retryable, true);
  t.equal(limited.retryAfterMs, 7000);
  slack.answerNext({ status: 503, body: 'service unavailable' });
  t.equal((await rejection(handler.run(ctx('opened', incident(), 'slack')))).retryable, true);
  slack.answerNext({ status: 404, body: 'no_service' });
  const gone = await rejection(handler.run(ctx('opened', incident(), 'slack')));
  t.equal(gone.retryable, false);
  t.match(gone.message, /Slack answered 404: no_service \(check the Slack URL/);
  t.notMatch(gone.message, 'slack-secret-token', 'the URL (a secret) is never shown');
  // without buttons (no links) the message is still valid
  await handler.run(ctx('opened', incident({ githubIssue: null }), 'slack'));
  t.same(slack.received.at(-1)?.problems, []);
  t.notMatch(JSON.stringify(slack.received.at(-1)?.body), '"actions"');
});

void t.test(
  'PagerDuty: trigger critical/high with the fingerprint as dedup_key; resolve what it paged',
  async (t) => {
    const pd = await sim(t, startPagerDutySim);
    const handler = createPagerDutyHandler({
      routingKey: ROUTING_KEY,
      url: pd.url,
      dashboardUrl: DASHBOARD,
    });
    let inc = incident();
    const opened = await handler.run(ctx('opened', inc, 'pagerduty'));
    t.same(opened.result, { event: 'opened', status: 202 });
    t.same(pd.received[0].problems, [], 'the documented shape');
    t.notMatch(JSON.stringify(pd.received[0].body), SECRET);
    t.match(pd.received[0].body, {
      routing_key: ROUTING_KEY,
      event_action: 'trigger',
      dedup_key: inc.fingerprint,
      payload: {
        summary: /^\[HEAL-A7\] /,
        source: 'play-task-4',
        severity: 'critical',
        timestamp: NOW.toISOString(),
        component: 'rex',
        group: 'cto',
        class: 'A7 Pod Failure',
        custom_details: { incident: inc.id, play: 'play-task-4', agent: 'rex', occurrences: 3 },
      },
      client: 'Healer',
      client_url: `${DASHBOARD}/incidents/${inc.id}`,
      links: [
        { href: 'https://github.com/5dlabs/cto/issues/7', text: 'GitHub issue #7' },
        { href: `${DASHBOARD}/incidents/${inc.id}`, text: 'Healer dashboard' },
      ],
    });
    inc = opened.incident!(inc);
    t.match((await handler.run(ctx('opened', inc, 'pagerduty'))).result, {
      skipped: 'already notified',
    });
    const escalated = await handler.run(ctx('escalated', inc, 'pagerduty'));
    inc = escalated.incident!(inc);
    t.match(pd.received[1].body, {
      event_action: 'trigger',
      dedup_key: inc.fingerprint,
      payload: { summary: /^Needs a human: / },
    });
    const resolved = await handler.run(ctx('resolved', { ...inc, state: 'resolved' }, 'pagerduty'));
    t.same(resolved.result, { event: 'resolved', status: 202 });
    t.same(pd.received[2].body, {
      routing_key: ROUTING_KEY,
      dedup_key: inc.fingerprint,
      event_action: 'resolve',
    });
    t.same(pd.received[2].problems, []);
    t.equal(pd.received.length, 3);

    // medium and below are not paged, and what was never paged is not resolved
    const medium = incident({ severity: 'medium' });
    t.same((await handler.run(ctx('opened', medium, 'pagerduty'))).result, {
      event: 'opened',
      skipped: 'medium is not paged (critical and high only)',
    });
    t.match((await handler.run(ctx('resolved', medium, 'pagerduty'))).result, {
      skipped: 'never paged: nothing to resolve',
    });
    const high = await handler.run(ctx('opened', incident({ severity: 'high' }), 'pagerduty'));
    t.match(high.result, { status: 202 });
    t.match(pd.received[3].body, { payload: { severity: 'error' } }, 'high pages as error');
    t.equal(pd.received.length, 4);
  },
);

void t.test(
  'PagerDuty: 429 and 5xx retry (Retry-After honoured), an invalid event is permanent',
  async (t) => {
    const pd = await sim(t, startPagerDutySim);
    const handler = createPagerDutyHandler({
      routingKey: ROUTING_KEY,
      url: pd.url,
      dashboardUrl: null,
    });
    pd.answerNext({ status: 429, headers: { 'retry-after': '30' } });
    const limited = await rejection(handler.run(ctx('opened', incident(), 'pagerduty')));
    t.equal(limited.retryable, true);
    t.equal(limited.retryAfterMs, 30_000);
    pd.answerNext({ status: 500 });
    t.equal((await rejection(handler.run(ctx('opened', incident(), 'pagerduty')))).retryable, true);

    const wrongKey = createPagerDutyHandler({
      routingKey: 'short',
      url: pd.url,
      dashboardUrl: null,
    });
    const invalid = await rejection(wrongKey.run(ctx('opened', incident(), 'pagerduty')));
    t.equal(invalid.retryable, false);
    t.match(invalid.message, /^PagerDuty answered 400: Event object is invalid/);
    t.match(
      pd.received.at(-1)?.problems,
      [/routing_key/],
      'the sim checks the key as PagerDuty does',
    );
    t.notMatch(invalid.message, ROUTING_KEY);
  },
);

void t.test('SLACK_WEBHOOK_URL and PAGERDUTY_ROUTING_KEY turn the destinations on', (t) => {
  const lines: string[] = [];
  const logger = { info: (_o: unknown, msg: string) => lines.push(msg), warn: () => undefined };
  const env = loadConfig({
    env: {
      SLACK_WEBHOOK_URL: 'https://hooks.slack.com/services/T0/B0/x',
      PAGERDUTY_ROUTING_KEY: ROUTING_KEY,
      PAGERDUTY_EVENTS_URL: 'http://127.0.0.1:9/v2/enqueue',
    },
    cwd: '/nonexistent',
  }).env;
  const handlers = createActionHandlers({
    config: { env, heal: healConfigSchema.parse({}) },
    templates: createTemplateEngine(),
    logger: logger as never,
  });
  t.same(
    handlers.map((h) => [h.destination, h.kinds]),
    [
      ['slack', ['notify']],
      ['pagerduty', ['notify']],
    ],
  );
  t.notMatch(lines[0], /Slack|PagerDuty/, 'neither is listed as off');
  const none = createActionHandlers({
    config: {
      env: loadConfig({ env: {}, cwd: '/nonexistent' }).env,
      heal: healConfigSchema.parse({}),
    },
    templates: createTemplateEngine(),
    logger: logger as never,
  });
  t.same(none, []);
  t.match(lines[1], /Slack \(SLACK_WEBHOOK_URL unset\), PagerDuty \(PAGERDUTY_ROUTING_KEY unset\)/);
  t.end();
});
