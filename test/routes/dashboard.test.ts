// The operator dashboard (operations.md §6): `GET /` renders active sessions and open incidents
// server-side, escapes every value, serves its script and stylesheet, and `GET
// /api/v1/dashboard/state` feeds the live refresh. Then the same page in headless Chromium:
// rows, live refresh, the timeline, the outage banner, no console errors, screenshots.
import { mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import t, { type Test } from 'tap';
import type { AlertDraft } from '../../src/domain/alert.js';
import type { RemediationAttempt } from '../../src/domain/action.js';
import { ManualClock } from '../../src/domain/clock.js';
import { PREFLIGHT_ITEMS } from '../../src/domain/preflight.js';
import type { Session } from '../../src/domain/session.js';
import { dashboardLink } from '../../src/actions/handler.js';
import { dashboardStateSchema, type DashboardState } from '../../src/routes/dashboard/state.js';
import { esc, safeUrl } from '../../src/routes/dashboard/format.js';
import { openMemoryStore } from '../../src/store/memory/index.js';
import { VERSION } from '../../src/version.js';
import { testHealer } from '../helpers/healer.js';
import { appOverFakes } from '../helpers/app-fakes.js';
import {
  SCREENSHOTS,
  chromiumSkip,
  launchChromium,
  waitInPage as waitInPageOf,
} from '../helpers/chromium.js';

const T0 = '2026-11-21T10:00:00.000Z';
const PLAY = 'play-dash-1';
const XSS_TITLE = '<script>window.__pwned = "title"</script> Pod Failure';
const XSS_EVIDENCE = '<img src=x onerror="window.__pwned = \'evidence\'"> exit code 137';
const XSS_PLAY = 'play-"><svg onload=window.__pwned=1>';
const TOKEN = 'ghp_' + 'A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8';

/** A Healer app (the dashboard is one of its route plugins). */
async function dashboardApp() {
  return testHealer();
}

type Harness = Awaited<ReturnType<typeof dashboardApp>>;

const draft = (over: Partial<AlertDraft> = {}): AlertDraft => ({
  alert: 'A7',
  severity: 'high',
  issueType: 'agent_failure',
  title: 'Pod Failure: play-dash-1-rex-abc',
  description: 'The rex pod failed',
  namespace: 'cto',
  playId: PLAY,
  taskId: '4',
  agent: 'rex',
  subject: 'play-dash-1-rex',
  evidence: ['exit code 1'],
  context: {},
  detectedAt: T0,
  ...over,
});

const attempt = (n: number, over: Partial<RemediationAttempt> = {}): RemediationAttempt => ({
  attempt: n,
  coderun: `healer-a7-fix-${n}`,
  namespace: 'cto',
  phase: 'Running',
  createdAt: `2026-11-21T10:0${n}:00.000Z`,
  finishedAt: null,
  pullRequestUrl: null,
  ...over,
});

/** One active session with agents in several states, and incidents worth showing. */
async function seed(h: Harness) {
  const start = await h.app.inject({
    method: 'POST',
    url: '/api/v1/session/start',
    payload: {
      play_id: PLAY,
      repository: '5dlabs/cto-parallel-test',
      service: 'svc',
      cto_config: {
        agents: { atlas: {}, tess: {}, rex: { githubApp: '5DLabs-Rex' }, cleo: {}, cipher: {} },
      },
      tasks: [{ id: '4', title: 'Task 4', dependencies: [] }],
    },
  });
  if (start.statusCode !== 200) throw new Error(start.body);
  await h.healer.sessions.update(PLAY, (s): Session => ({
    ...s,
    agents: s.agents.map((a) =>
      a.name === 'rex'
        ? {
            ...a,
            pod: 'play-dash-1-rex-abc',
            coderun: 'coderun-rex-1',
            phase: 'Running',
            started_at: '2026-11-21T09:55:00.000Z',
            preflight: {
              state: 'failed',
              items: PREFLIGHT_ITEMS.map((i, n) => ({
                id: i.id,
                label: i.label,
                state: n < 5 ? 'passed' : n === 5 ? 'failed' : 'unknown',
                evidence: n === 5 ? `${XSS_EVIDENCE} token ${TOKEN}` : null,
              })),
            },
          }
        : a,
    ),
    pr: {
      number: 42,
      url: 'https://github.com/5dlabs/cto-parallel-test/pull/42',
      state: 'open',
      mergeable: true,
      checks: { passed: 3, failed: 1, pending: 0 },
    },
  }));

  // A critical incident with every field the table shows, and hostile text everywhere.
  const { incident: crit } = await h.store.recordAlert(
    draft({
      severity: 'critical',
      title: XSS_TITLE,
      evidence: [XSS_EVIDENCE, `Authorization: Bearer ${TOKEN}`],
    }),
    'a'.repeat(64),
    new Date(T0),
  );
  await h.store.recordAlert(
    draft({
      severity: 'critical',
      title: XSS_TITLE,
      evidence: [XSS_EVIDENCE, `Authorization: Bearer ${TOKEN}`],
    }),
    'a'.repeat(64),
    new Date('2026-11-21T10:01:00.000Z'),
  );
  await h.store.commitDecision({
    decision: {
      id: 'dec-1',
      incidentId: crit.id,
      playId: PLAY,
      alert: 'A7',
      reason: 'new',
      detail: 'First sighting: open an issue and spawn remediation attempt 1 <b>now</b>',
      plan: [{ kind: 'open-issue' }, { kind: 'spawn-remediation', attempt: 1 }],
      at: '2026-11-21T10:00:30.000Z',
    },
    actions: [],
    incident: (i) => ({ ...i, lastDecision: 'new' }),
  });
  await h.store.updateIncident(crit.id, (i) => ({
    ...i,
    state: 'remediating',
    remediationSpawned: true,
    githubIssue: { number: 17, url: 'https://github.com/5dlabs/cto-parallel-test/issues/17' },
    evaluation: attempt(0, { coderun: 'healer-a7-eval', phase: 'Succeeded' }),
    attempts: [
      attempt(1, { phase: 'Failed', failure: 'A7 Pod Failure: healer-a7-fix-1' }),
      attempt(2, {
        pullRequestUrl: 'https://github.com/5dlabs/cto-parallel-test/pull/43',
      }),
    ],
  }));

  // A platform incident whose "links" are not http(s) and whose play id is hostile.
  const { incident: odd } = await h.store.recordAlert(
    draft({
      alert: 'A9',
      severity: 'medium',
      title: 'Stuck CodeRun',
      playId: XSS_PLAY,
      agent: null,
      taskId: null,
      subject: 'odd',
    }),
    'b'.repeat(64),
    new Date(T0),
  );
  await h.store.updateIncident(odd.id, (i) => ({
    ...i,
    githubIssue: { number: 7, url: 'javascript:alert(1)' },
    attempts: [attempt(1, { pullRequestUrl: 'javascript:alert(2)' })],
  }));

  // Resolved: not on the dashboard.
  const { incident: gone } = await h.store.recordAlert(
    draft({ alert: 'A3', title: 'Old news', subject: 'gone' }),
    'c'.repeat(64),
    new Date(T0),
  );
  await h.store.updateIncident(gone.id, (i) => ({
    ...i,
    state: 'resolved',
    resolvedAt: T0,
    resolution: 'cleared',
  }));
  return { crit, odd, gone };
}

const start = async (t: Test) => {
  const h = await dashboardApp();
  t.teardown(() => h.healer.stop());
  const seeded = await seed(h);
  return { ...h, ...seeded };
};

void t.test(
  'GET / renders the active session and the open incidents in the first paint',
  async (t) => {
    const { app, crit, odd } = await start(t);
    const res = await app.inject({ method: 'GET', url: '/' });
    t.equal(res.statusCode, 200);
    t.match(res.headers['content-type'], /^text\/html; charset=utf-8/);
    t.equal(res.headers['cache-control'], 'no-store');
    t.match(res.headers['content-security-policy'], /script-src 'self'/);
    t.notMatch(res.headers['content-security-policy'], /unsafe-inline/);
    const html = res.body;
    t.match(html, /^<!doctype html>/);
    t.match(html, /<html lang="en">/);

    // The session and each agent, in stage order, with stage, phase, pod and checklist.
    t.match(html, `data-play="${PLAY}"`);
    t.match(html, '5dlabs/cto-parallel-test');
    const agents = [...html.matchAll(/<tr class="agent" data-agent="([^"]+)">/g)].map((m) => m[1]);
    t.same(agents, ['rex', 'cleo', 'cipher', 'tess', 'atlas'], 'agents in stage order');
    t.match(html, /<th scope="row">rex<\/th><td data-label="Stage">implementation<\/td>/);
    t.match(html, '<span class="phase tone-run">Running</span>');
    t.match(html, '<code class="pod">play-dash-1-rex-abc</code>');
    t.match(html, '<code class="coderun">coderun-rex-1</code>');
    t.match(html, '<span class="pf pf-failed">failed</span>');
    t.match(html, '<span class="ck-count">5/8</span>');
    t.equal(html.match(/class="ck ck-passed"/g)?.length, 5, 'five passed badges');
    t.equal(html.match(/class="ck ck-failed"/g)?.length, 1, 'one failed badge');
    t.ok((html.match(/class="ck ck-unknown"/g)?.length ?? 0) >= 2, 'unknown badges');
    t.match(html, 'failed: MCP: remote tools accessible');
    t.match(html, 'PR #42');
    t.match(html, 'checks 3 passed, 1 failed, 0 pending');
    t.match(html, '2 open incidents');

    // The incidents: critical first, resolved absent.
    const rows = [...html.matchAll(/<tr class="incident sev-row-(\w+)" data-id="([^"]+)">/g)];
    t.same(
      rows.map((m) => [m[1], m[2]]),
      [
        ['critical', crit.id],
        ['medium', odd.id],
      ],
    );
    t.notMatch(html, 'Old news', 'resolved incidents are not shown');
    const critRow = html.slice(
      html.indexOf(`data-id="${crit.id}"`),
      html.indexOf(`data-id="${odd.id}"`),
    );
    t.match(critRow, '<span class="sev sev-critical">critical</span>');
    t.match(critRow, '<td data-label="Alert">A7</td>');
    t.match(critRow, '<td class="num" data-label="Occurrences">2</td>', 'occurrences');
    t.match(critRow, '<span class="state state-remediating">remediating</span>');
    t.match(critRow, '<span class="reason">new</span>');
    t.match(
      critRow,
      'spawn remediation attempt 1 &lt;b&gt;now&lt;/b&gt;',
      'decision sentence, escaped',
    );
    t.match(
      critRow,
      '<a href="https://github.com/5dlabs/cto-parallel-test/issues/17" target="_blank" rel="noopener noreferrer">#17</a>',
    );
    t.match(critRow, '<code class="coderun">healer-a7-fix-2</code>', 'latest CodeRun');
    t.match(critRow, 'attempt 2');
    t.match(critRow, 'href="https://github.com/5dlabs/cto-parallel-test/pull/43"');
    t.match(critRow, 'rex · task 4');
    t.match(critRow, 'evidence (2)');
    t.match(
      html,
      '<p id="summary" class="summary">1 active session · 2 open incidents (1 critical)</p>',
    );
  },
);

void t.test(
  'every value is escaped; only http(s) URLs become links; secrets are redacted',
  async (t) => {
    const { app } = await start(t);
    const html = (await app.inject({ method: 'GET', url: '/' })).body;
    t.notMatch(html, '<script>window.__pwned', 'no script from a title');
    t.match(html, '&lt;script&gt;window.__pwned = &quot;title&quot;&lt;/script&gt; Pod Failure');
    t.notMatch(html, '<img src=x', 'no element from evidence');
    t.match(html, '&lt;img src=x onerror=&quot;window.__pwned = &#39;evidence&#39;&quot;&gt;');
    t.notMatch(html, '<svg', 'no element from a play id');
    t.match(html, 'data-play="play-&quot;&gt;&lt;svg onload=window.__pwned=1&gt;"');
    t.notMatch(html, /href="javascript:/i, 'no javascript: link');
    t.match(html, '<span>#7</span>', 'a non-http issue URL stays text');
    t.notMatch(html, TOKEN, 'the token is redacted from evidence and checklist');
    t.match(html, '[REDACTED');
    // The only <script> element is the external one.
    t.same(
      [...html.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]),
      [html.match(/<script type="module" src="\/dashboard\.js\?v=[0-9a-f]{12}">/)?.[0]],
    );

    t.equal(
      esc(`<a href="x" onclick='y'>&`),
      '&lt;a href=&quot;x&quot; onclick=&#39;y&#39;&gt;&amp;',
    );
    t.equal(safeUrl('https://github.com/o/r/issues/1'), 'https://github.com/o/r/issues/1');
    for (const bad of [
      'javascript:alert(1)',
      'data:text/html,x',
      '//evil',
      '/relative',
      'https://a b',
      null,
    ])
      t.equal(safeUrl(bad), null, String(bad));
  },
);

void t.test(
  'static assets: script and stylesheet, no external URLs, script compiles',
  async (t) => {
    const { app } = await start(t);
    const html = (await app.inject({ method: 'GET', url: '/' })).body;
    const js = await app.inject({
      method: 'GET',
      url: html.match(/src="(\/dashboard\.js[^"]*)"/)![1],
    });
    t.equal(js.statusCode, 200);
    t.match(js.headers['content-type'], /^text\/javascript/);
    t.equal(js.headers['x-content-type-options'], 'nosniff');
    // a module script: Node checks its syntax as an ES module
    const file = join(mkdtempSync(join(tmpdir(), 'healer-dashboard-js-')), 'dashboard.mjs');
    writeFileSync(file, js.body);
    const check = spawnSync(process.execPath, ['--check', file], { encoding: 'utf8' });
    t.equal(check.status, 0, `the script parses ${check.stderr}`);
    t.notMatch(js.body, /innerHTML|outerHTML|insertAdjacentHTML|document\.write|eval\(/);
    const css = await app.inject({
      method: 'GET',
      url: html.match(/href="(\/dashboard\.css[^"]*)"/)![1],
    });
    t.equal(css.statusCode, 200);
    t.match(css.headers['content-type'], /^text\/css/);
    t.match(css.body, /prefers-color-scheme: dark/);
    t.notMatch(
      html,
      /<(script|img|iframe)[^>]+src="(https?:)?\/\//,
      'nothing loaded from elsewhere',
    );
    t.notMatch(html, /<link[^>]+href="(https?:)?\/\//, 'no external stylesheet or icon');
    for (const body of [html, js.body, css.body]) {
      t.notMatch(body, /@import|url\(\s*['"]?https?:/);
    }
  },
);

void t.test('the refresh interval: default, ?refresh_ms= in range, nonsense ignored', async (t) => {
  const { app } = await start(t);
  const attr = async (q: string) =>
    (await app.inject({ method: 'GET', url: `/${q}` })).body.match(/data-refresh-ms="(\d+)"/)?.[1];
  t.equal(await attr(''), '2000');
  t.equal(await attr('?refresh_ms=300'), '300');
  t.equal(await attr('?refresh_ms=5'), '2000', 'too short');
  t.equal(await attr('?refresh_ms=abc'), '2000');
  t.equal(await attr('?refresh_ms=99999999'), '2000', 'too long');
});

void t.test('GET /api/v1/dashboard/state: what the incidents API lacks, redacted', async (t) => {
  const { app, crit, odd } = await start(t);
  const res = await app.inject({ method: 'GET', url: '/api/v1/dashboard/state' });
  t.equal(res.statusCode, 200);
  t.equal(res.headers['cache-control'], 'no-store');
  const state = dashboardStateSchema.parse(res.json());
  t.equal(state.generated_at, T0, "Healer's clock");
  t.equal(state.version, VERSION);
  t.same(state.counts, {
    active_sessions: 1,
    open_incidents: 2,
    by_severity: { critical: 1, high: 0, medium: 1, low: 0, info: 0 },
  });
  t.same(state.truncated, { sessions: 0, incidents: 0 });
  t.equal(state.sessions[0].play_id, PLAY);
  t.equal(state.sessions[0].open_incidents, 1);
  t.same(
    state.sessions[0].agents.map((a) => a.stage),
    ['implementation', 'quality', 'security', 'testing', 'integration'],
  );
  const c = state.incidents[0];
  t.equal(c.id, crit.id);
  t.equal(c.occurrences, 2);
  t.same(c.last_decision, {
    reason: 'new',
    detail: 'First sighting: open an issue and spawn remediation attempt 1 <b>now</b>',
    at: '2026-11-21T10:00:30.000Z',
  });
  t.equal(c.attempts, 2);
  t.match(c.coderun, {
    kind: 'remediation',
    attempt: 2,
    name: 'healer-a7-fix-2',
    phase: 'Running',
    pull_request_url: 'https://github.com/5dlabs/cto-parallel-test/pull/43',
  });
  t.notMatch(JSON.stringify(state), TOKEN, 'redacted');
  t.equal(state.incidents[1].id, odd.id);
  t.equal(state.incidents[1].last_decision, null);

  const limited = await app.inject({ method: 'GET', url: '/api/v1/dashboard/state?limit=1' });
  t.same(limited.json<DashboardState>().truncated, { sessions: 0, incidents: 1 });
  const bad = await app.inject({ method: 'GET', url: '/api/v1/dashboard/state?limit=0' });
  t.equal(bad.statusCode, 400);
  t.match(bad.json(), { status: 'error', message: /limit/ });
});

void t.test(
  'the evaluation run is the latest CodeRun until a remediation run follows',
  async (t) => {
    const { app, store, crit } = await start(t);
    await store.updateIncident(crit.id, (i) => ({
      ...i,
      attempts: [],
      evaluation: attempt(0, { coderun: 'healer-a7-eval', phase: 'Running' }),
    }));
    const state = (
      await app.inject({ method: 'GET', url: '/api/v1/dashboard/state' })
    ).json<DashboardState>();
    t.match(state.incidents[0].coderun, { kind: 'evaluation', attempt: 0, name: 'healer-a7-eval' });
    const html = (await app.inject({ method: 'GET', url: '/' })).body;
    t.match(html, '<code class="coderun">healer-a7-eval</code>');
    t.match(html, '<div class="detail">evaluation</div>');
  },
);

void t.test('an empty Healer says so', async (t) => {
  const h = await dashboardApp();
  t.teardown(() => h.healer.stop());
  const html = (await h.app.inject({ method: 'GET', url: '/' })).body;
  t.match(html, 'No active sessions.');
  t.match(html, 'No open incidents.');
  t.match(html, '0 active sessions · 0 open incidents');
});

void t.test(
  'the page, the script and the stylesheet stay out of the OpenAPI document',
  async (t) => {
    const { app } = await start(t);
    await app.ready();
    const doc = app.swagger() as {
      paths: Record<string, Record<string, { operationId?: string }>>;
    };
    for (const p of ['/', '/dashboard.js', '/dashboard.css']) t.notOk(doc.paths[p], `${p} hidden`);
    t.equal(doc.paths['/api/v1/dashboard/state']?.get?.operationId, 'dashboardState');
  },
);

void t.test('a store that does not answer still gives a page, with the banner, 503', async (t) => {
  const store = openMemoryStore();
  // the app over fakes: the dashboard reads through services over this store, nothing else runs
  const { app } = await appOverFakes({
    store,
    clock: new ManualClock(T0),
    services: { sessions: { active: () => store.activeSessions() } as never },
    settings: { dashboardRefreshMs: 750 },
  });
  t.teardown(() => app.close());
  t.match((await app.inject({ method: 'GET', url: '/' })).body, 'data-refresh-ms="750"');
  await store.close();
  const res = await app.inject({ method: 'GET', url: '/' });
  t.equal(res.statusCode, 503);
  t.match(res.headers['content-type'], /text\/html/);
  t.match(res.body, /<div id="banner" class="banner" role="alert">Healer could not read its state/);
  t.notMatch(res.body, /store is closed/, 'no internal message');
  t.match(
    res.body,
    '<body data-refresh-ms="750" data-events-url="/api/v1/dashboard/events?period_ms=750" data-auth="none" class="stale">',
  );
});

// ---- headless Chromium --------------------------------------------------------------------

/**
 * Page-side code as text (the project's TypeScript has no DOM types): the tables' text and every
 * element with its sorted attributes, so two renderings can be compared exactly.
 */
const SNAPSHOT_JS = `(() => {
  const shape = (sel) => {
    const root = document.querySelector(sel);
    return {
      text: root.innerText,
      elements: Array.from(root.querySelectorAll('*')).map(
        (e) => e.tagName + '[' + Array.from(e.attributes).map((a) => a.name + '=' + a.value).sort().join(' ') + ']',
      ),
    };
  };
  return {
    sessions: shape('#sessions'),
    incidents: shape('#incidents-body'),
    summary: document.getElementById('summary').textContent,
  };
})()`;
void t.test(
  'in headless Chromium: rows, live refresh, timeline, outage banner, no console errors',
  {
    skip: chromiumSkip,
    timeout: 120_000,
  },
  async (t) => {
    const h = await start(t);
    const address = await h.app.listen({ host: '127.0.0.1', port: 0 });
    const browser = await launchChromium();
    t.teardown(() => browser.close());
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });

    // Chromium logs every failed request as a console error: expected only while the test
    // makes requests fail (outage, a play without a session); anything else is a bug.
    const consoleErrors: string[] = [];
    let outage = false;
    page.on('console', (m) => {
      if (m.type() !== 'error') return;
      if (outage && /^Failed to load resource/.test(m.text())) return;
      consoleErrors.push(m.text());
    });
    page.on('pageerror', (e) => consoleErrors.push(`pageerror: ${e.message}`));
    page.on('response', (r) => {
      if (r.status() >= 400 && !outage) consoleErrors.push(`HTTP ${r.status()} ${r.url()}`);
    });

    // 1. First paint equals the browser's own re-render (same markup from the JSON).
    await page.goto(`${address}/?refresh_ms=600000`);
    await page.waitForSelector('body[data-ready="true"]');
    const snapshot = () => page.evaluate<unknown>(SNAPSHOT_JS);
    const waitInPage = (expr: string, timeoutMs?: number) => waitInPageOf(page, expr, timeoutMs);
    const served = await snapshot();
    await page.evaluate("document.dispatchEvent(new Event('visibilitychange'))");
    await waitInPage("!document.getElementById('updated').textContent.includes('UTC')");
    const rerendered = await snapshot();
    t.same(rerendered, served, 'the script renders what the server rendered');

    // 2. Rows, hostile text as text, no script ran.
    await page.goto(`${address}/?refresh_ms=300`);
    await page.waitForSelector('body[data-ready="true"]');
    t.equal(await page.locator(`tbody.session[data-play="${PLAY}"] tr.agent`).count(), 5);
    t.equal(await page.locator('tr.incident').count(), 2);
    t.equal(
      await page.locator(`tr.incident[data-id="${h.crit.id}"] .title-text`).textContent(),
      XSS_TITLE,
      'the title shows as text',
    );
    t.equal(await page.locator('a[href^="javascript:" i]').count(), 0);
    t.equal(await page.evaluate('window.__pwned'), undefined);

    // 3. An incident recorded after load appears after a refresh interval.
    const { incident: late } = await h.store.recordAlert(
      draft({ alert: 'A3', severity: 'low', title: 'Stale progress <i>late</i>', subject: 'late' }),
      'd'.repeat(64),
      new Date(T0),
    );
    const lateRow = page.locator(`tr.incident[data-id="${late.id}"]`);
    await lateRow.waitFor({ timeout: 10_000 });
    t.equal(await lateRow.locator('.title-text').textContent(), 'Stale progress <i>late</i>');
    t.equal(await page.locator('#incidents-count').textContent(), '3');
    t.match(await page.title(), /3 open incidents/);
    t.match(await page.locator('#updated').textContent(), /^Updated \d\d:\d\d:\d\d$/);

    // 4. Choosing a play shows its timeline, kept across refreshes.
    await page.locator(`tbody.session[data-play="${PLAY}"] button.play`).click();
    const items = page.locator('#timeline-list li');
    await items.first().waitFor();
    const timeline = (await items.allInnerTexts()).join('\n');
    t.match(timeline, /session started/);
    t.match(timeline, /rex started \(implementation\)/);
    t.match(timeline, /A7 <script>window.__pwned/, 'alert entries, as text');
    t.match(timeline, /new: First sighting/, 'the decision with its reason');
    t.equal(await page.locator('#timeline-play').textContent(), `— ${PLAY}`);
    t.equal(
      await page
        .locator(`tbody.session[data-play="${PLAY}"] button.play`)
        .getAttribute('aria-pressed'),
      'true',
    );
    t.equal(new URL(page.url()).hash, `#play=${PLAY}`);
    await page.waitForTimeout(800); // a few refreshes later
    t.ok((await items.count()) > 3, 'timeline still shown after refreshes');
    t.equal(await page.evaluate('window.__pwned'), undefined);

    // A hostile play id with no session: a message, not an error.
    outage = true;
    await page.locator(`tr.incident[data-id="${h.odd.id}"] button.play`).click();
    await waitInPage("/no session/.test(document.getElementById('timeline-status').textContent)");
    t.equal(await items.count(), 0);
    outage = false;

    // 5. Screenshots (light and dark) of the play's timeline view.
    await page.locator(`tbody.session[data-play="${PLAY}"] button.play`).click();
    await items.first().waitFor();
    await page.locator(`details.evidence[data-id="${h.crit.id}"] summary`).click();
    await page.waitForTimeout(700); // the open evidence survives a refresh
    t.equal(
      await page.locator(`details.evidence[data-id="${h.crit.id}"]`).getAttribute('open'),
      '',
      'open evidence stays open across a refresh',
    );
    const dir = SCREENSHOTS;
    const light = join(dir, 'dashboard-light.png');
    const dark = join(dir, 'dashboard-dark.png');
    await page.screenshot({ path: light, fullPage: true });
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.screenshot({ path: dark, fullPage: true });
    for (const f of [light, dark]) t.ok(statSync(f).size > 10_000, `${f} is not empty`);
    t.comment(`screenshots: ${light} ${dark}`);

    // 6. The API goes away: a banner, the data stays; it comes back: the banner goes.
    outage = true;
    await page.route('**/api/v1/**', (route) => route.abort('connectionrefused'));
    // the live stream is one open connection: drop it, as a restart or a network cut would
    h.app.server.closeAllConnections();
    const banner = page.locator('#banner');
    await banner.waitFor({ state: 'visible', timeout: 10_000 });
    t.match(
      await banner.textContent(),
      /Cannot reach the Healer API since .*Retrying every 0\.3 s/,
    );
    t.equal(await banner.getAttribute('role'), 'alert');
    t.equal(await page.locator('tr.incident').count(), 3, 'the last data stays on screen');
    await page.screenshot({ path: join(dir, 'dashboard-outage.png') });
    await page.unroute('**/api/v1/**');
    await banner.waitFor({ state: 'hidden', timeout: 10_000 });
    outage = false;

    // An answer that is an error is reported as such.
    await page.route('**/api/v1/dashboard/events*', (route) =>
      route.fulfill({ status: 503, contentType: 'application/json', body: '{"status":"error"}' }),
    );
    outage = true;
    h.app.server.closeAllConnections();
    await banner.waitFor({ state: 'visible', timeout: 10_000 });
    // the dropped connection is reported first; the 503 of the reconnect replaces it
    await waitInPage("/HTTP 503/.test(document.getElementById('banner').textContent)");
    t.match(await banner.textContent(), /The Healer API is failing since .*HTTP 503/);
    await page.unroute('**/api/v1/dashboard/events*');
    await banner.waitFor({ state: 'hidden', timeout: 10_000 });
    outage = false;
    await page.waitForTimeout(400);

    t.same(consoleErrors, [], 'no console errors outside the simulated outage');
  },
);

void t.test(
  'the dashboard link of an incident (issues and notifications use it) leads to its HTML page',
  async (t) => {
    const { app, crit } = await start(t);
    // the link issues, Discord, Slack, PagerDuty and the webhook carry
    const linked = new URL(dashboardLink('https://healer.example.test/', crit.id)!);
    t.equal(linked.pathname, `/incidents/${crit.id}`);
    const res = await app.inject({ method: 'GET', url: linked.pathname });
    t.equal(res.statusCode, 200);
    t.match(res.headers['content-type'], /^text\/html/);
    t.match(res.body, `data-id="${crit.id}"`);
    const missing = await app.inject({ method: 'GET', url: '/incidents/inc-0123456789abcdef' });
    t.equal(missing.statusCode, 404);
    t.match(missing.headers['content-type'], /^text\/html/);
    t.match(missing.body, 'No incident “inc-0123456789abcdef”');
  },
);
