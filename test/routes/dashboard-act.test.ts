// The dashboard for acting (issue 15 point 2), in headless Chromium (one launch for the file):
// filters and search kept in the URL, the history view with its time range, the incident page
// (evidence, decisions with reasons, actions, runs, links to issue, CodeRun, PR and the logs),
// acknowledge and silence from it (who and when recorded), expire a silence, live updates over
// server-sent events (no reload, no polling), pre-flight only where known and finished agents
// folded, 800 px, and the token asked for in the page when reads need it. Screenshots go to
// .tap/screenshots.
import { join } from 'node:path';
import t from 'tap';
import type { Browser, Page } from 'playwright-core';
import type { AlertDraft } from '../../src/domain/alert.js';
import type { ActionRecord, RemediationAttempt } from '../../src/domain/action.js';
import { PREFLIGHT_ITEMS } from '../../src/domain/preflight.js';
import type { Session } from '../../src/domain/session.js';
import { testHealer } from '../helpers/healer.js';
import { SCREENSHOTS, chromiumSkip, launchChromium, waitInPage } from '../helpers/chromium.js';

const T0 = '2026-11-21T10:00:00.000Z';
const PLAY = 'play-act-1';
const OTHER = 'play-act-2';
const TOKEN = 'dashboard-test-token-1234';
const GRAFANA = 'https://grafana.example.test/';
const XSS = '<img src=x onerror="window.__pwned = 1">';

const draft = (over: Partial<AlertDraft> = {}): AlertDraft => ({
  alert: 'A7',
  severity: 'critical',
  issueType: 'agent_failure',
  title: `Pod Failure ${XSS}`,
  description: `The rex pod failed ${XSS}`,
  namespace: 'cto',
  playId: PLAY,
  taskId: '4',
  agent: 'rex',
  subject: 'play-act-1-rex',
  evidence: [`exit code 137 ${XSS}`, 'OOMKilled'],
  context: {},
  detectedAt: T0,
  ...over,
});

const run = (n: number, over: Partial<RemediationAttempt> = {}): RemediationAttempt => ({
  attempt: n,
  coderun: `healer-a7-fix-${n}`,
  namespace: 'cto',
  phase: 'Succeeded',
  createdAt: '2026-11-21T10:01:00.000Z',
  finishedAt: '2026-11-21T10:05:00.000Z',
  pullRequestUrl: `https://github.com/5dlabs/cto-parallel-test/pull/${40 + n}`,
  ...over,
});

async function seeded(env: Record<string, string>) {
  const h = await testHealer({ env });
  const headers = env.HEALER_API_TOKEN ? { authorization: `Bearer ${TOKEN}` } : {};
  for (const play of [PLAY, OTHER]) {
    const res = await h.app.inject({
      method: 'POST',
      url: '/api/v1/session/start',
      headers,
      payload: {
        play_id: play,
        repository: '5dlabs/cto-parallel-test',
        cto_config: { agents: { rex: {}, cleo: {}, tess: {} } },
        tasks: [{ id: '4', title: 'Task 4', dependencies: [] }],
      },
    });
    if (res.statusCode !== 200) throw new Error(res.body);
  }
  // rex has a pre-flight result; cleo finished; tess has reported nothing yet.
  await h.healer.sessions.update(PLAY, (s): Session => ({
    ...s,
    agents: s.agents.map((a) =>
      a.name === 'rex'
        ? {
            ...a,
            phase: 'Running',
            pod: 'play-act-1-rex-abc',
            preflight: {
              state: 'passed',
              items: PREFLIGHT_ITEMS.map((i, n) => ({
                id: i.id,
                label: i.label,
                state: n < 3 ? 'passed' : 'unknown',
                evidence: null,
              })),
            },
          }
        : a.name === 'cleo'
          ? { ...a, phase: 'Succeeded' }
          : a,
    ),
  }));

  const { incident: crit } = await h.store.recordAlert(draft(), 'a'.repeat(64), new Date(T0));
  const action: ActionRecord = {
    id: 'act-1',
    incidentId: crit.id,
    decisionId: 'dec-1',
    seq: 0,
    action: { kind: 'open-issue' },
    destination: 'github',
    state: 'done',
    attempts: 1,
    nextAttemptAt: T0,
    lastError: null,
    result: { issue: 17 },
    createdAt: T0,
    updatedAt: '2026-11-21T10:00:40.000Z',
  };
  await h.store.commitDecision({
    decision: {
      id: 'dec-1',
      incidentId: crit.id,
      playId: PLAY,
      alert: 'A7',
      reason: 'new',
      detail: `First sighting: open an issue and spawn remediation attempt 1 ${XSS}`,
      plan: [{ kind: 'open-issue' }, { kind: 'spawn-remediation', attempt: 1 }],
      at: '2026-11-21T10:00:30.000Z',
    },
    actions: [action],
    incident: (i) => ({ ...i, lastDecision: 'new' }),
  });
  await h.store.updateIncident(crit.id, (i) => ({
    ...i,
    state: 'remediating',
    githubIssue: { number: 17, url: 'https://github.com/5dlabs/cto-parallel-test/issues/17' },
    attempts: [run(1)],
  }));
  const { incident: med } = await h.store.recordAlert(
    draft({
      alert: 'A3',
      severity: 'medium',
      title: 'Stale progress',
      playId: OTHER,
      agent: 'tess',
      subject: 'play-act-2-tess',
      evidence: ['no progress for 30 min'],
    }),
    'b'.repeat(64),
    new Date(T0),
  );
  // Resolved the day before: only in the history.
  const { incident: old } = await h.store.recordAlert(
    draft({ alert: 'A9', severity: 'high', title: 'Stuck CodeRun (old)', subject: 'old' }),
    'c'.repeat(64),
    new Date('2026-11-20T08:00:00.000Z'),
  );
  await h.store.updateIncident(old.id, (i) => ({
    ...i,
    state: 'resolved',
    resolvedAt: '2026-11-20T09:00:00.000Z',
    resolution: 'cleared',
  }));
  const address = await h.app.listen({ host: '127.0.0.1', port: 0 });
  return { ...h, crit, med, old, address };
}

type World = Awaited<ReturnType<typeof seeded>>;

const rows = (page: Page) =>
  page.locator('tr.incident').evaluateAll((trs) => trs.map((r) => r.getAttribute('data-id')));

void t.test(
  'the dashboard for acting, in headless Chromium',
  { skip: chromiumSkip, timeout: 240_000 },
  async (t) => {
    const browser: Browser = await launchChromium();
    t.teardown(() => browser.close());
    const open = await seeded({ HEALER_GRAFANA_URL: GRAFANA });
    t.teardown(() => open.healer.stop());

    /** A fresh tab; collects page errors and every request it makes. */
    const tab = async (w: World, width = 1280) => {
      const context = await browser.newContext({ viewport: { width, height: 900 } });
      const page = await context.newPage();
      const errors: string[] = [];
      const requests: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      page.on('console', (m) => {
        if (m.type() === 'error') errors.push(m.text());
      });
      page.on('request', (r) => requests.push(new URL(r.url()).pathname));
      const go = async (path: string) => {
        await page.goto(`${w.address}${path}`);
        await page.waitForSelector('body[data-ready="true"]');
      };
      return { page, errors, requests, go, close: () => context.close() };
    };

    await t.test('open incidents first; filters and search live in the URL', async (t) => {
      const { page, go, errors, close } = await tab(open);
      await go('/');
      t.same(
        await page.locator('main h2').evaluateAll((hs) => hs.map((h) => h.id)),
        ['incidents-h', 'sessions-h', 'silences-h', 'timeline-h'],
        'the incidents come before the sessions',
      );
      t.same(await rows(page), [open.crit.id, open.med.id], 'most severe first, resolved absent');

      // A select applies at once and lands in the URL.
      await page.selectOption('#filters select[name="severity"]', 'medium');
      await page.waitForURL(/severity=medium/);
      t.same(await rows(page), [open.med.id]);
      t.match(await page.locator('#view').textContent(), /1 of 2 open incidents match/);

      // Search, by Enter; the URL carries both filters, and loading it again shows the same view.
      await page.fill('#filters input[name="q"]', 'progress');
      await page.press('#filters input[name="q"]', 'Enter');
      await page.waitForURL(/q=progress/);
      const shared = new URL(page.url());
      t.equal(shared.searchParams.get('severity'), 'medium');
      t.equal(shared.searchParams.get('q'), 'progress');
      t.same(await rows(page), [open.med.id]);
      await go(`${shared.pathname}${shared.search}`);
      t.same(await rows(page), [open.med.id], 'a shared link shows the same view');
      t.equal(await page.inputValue('#filters input[name="q"]'), 'progress');

      // play, agent, alert and state filters; a search that finds nothing says so.
      await go(`/?play=${PLAY}`);
      t.same(await rows(page), [open.crit.id]);
      t.equal(await page.locator(`tbody.session`).count(), 1, 'sessions of that play only');
      await go('/?agent=tess');
      t.same(await rows(page), [open.med.id]);
      await go('/?alert=a7&state=remediating');
      t.same(await rows(page), [open.crit.id]);
      await go('/?q=evidence-that-is-nowhere');
      t.same(await rows(page), []);
      t.match(await page.locator('#incidents-body').textContent(), /No open incidents match/);
      // What is not understood is said, not a 400.
      await go('/?severity=catastrophic');
      t.match(await page.locator('#view').textContent(), /ignored: severity=catastrophic/);
      t.same(await rows(page), [open.crit.id, open.med.id]);
      t.same(errors, [], 'no page errors');
      await close();
    });

    await t.test('the history view: incidents of a time range, resolved ones too', async (t) => {
      const { page, go, close } = await tab(open);
      await go('/');
      await page.check('#filters input[name="view"][value="history"]');
      await page.waitForURL(/view=history/);
      t.match(await page.locator('#incidents-h').textContent(), /Incident history/);
      t.same(
        await rows(page),
        [open.med.id, open.crit.id, open.old.id],
        'the default range (7 days) has all three, newest last seen first (then id, descending)',
      );
      await page.fill('#filters input[name="from"]', '2026-11-20T00:00');
      await page.fill('#filters input[name="to"]', '2026-11-20T23:59');
      await page.click('#filters button[type="submit"]');
      await page.waitForURL(/from=2026-11-20T00%3A00/);
      t.same(await rows(page), [open.old.id], 'only the day before');
      t.match(
        await page.locator(`tr.incident[data-id="${open.old.id}"]`).textContent(),
        /resolved: cleared/,
      );
      await go('/?view=history&from=2026-11-20&to=2026-11-20&state=resolved');
      t.same(await rows(page), [open.old.id], 'a bare date is the whole day');
      await go('/?view=history&from=2026-11-21T09:00&alert=A7');
      t.same(await rows(page), [open.crit.id]);
      await page.screenshot({ path: join(SCREENSHOTS, 'dashboard-history.png'), fullPage: true });
      await close();
    });

    await t.test('the incident page: evidence, decisions, actions, runs, links', async (t) => {
      const { page, go, errors, close } = await tab(open);
      await go('/');
      await page.click(`tr.incident[data-id="${open.crit.id}"] a.title-text`);
      await page.waitForURL(new RegExp(`/incidents/${open.crit.id}$`));
      await page.waitForSelector('body[data-ready="true"]');
      const view = page.locator('#view');
      t.match(
        await page.locator('h2#incident-h').textContent(),
        `Pod Failure ${XSS}`,
        'title as text',
      );
      t.match(
        await page.locator('pre.evidence-all').textContent(),
        `exit code 137 ${XSS}\nOOMKilled`,
      );
      const decision = page.locator('#decisions tr.decision');
      t.equal(await decision.count(), 1);
      t.match(
        await decision.textContent(),
        /new.*First sighting: open an issue.*open-issue, spawn-remediation/,
      );
      t.match(
        await page.locator('#actions tr.action').textContent(),
        /open-issue.*github.*done.*issue=17/,
      );
      t.match(
        await page.locator('#runs tr.run-row').textContent(),
        /attempt 1.*cto\/healer-a7-fix-1.*Succeeded/,
      );
      t.equal(
        await view.locator('a.issue').getAttribute('href'),
        'https://github.com/5dlabs/cto-parallel-test/issues/17',
      );
      t.equal(
        await view.locator('.links a.pr').getAttribute('href'),
        'https://github.com/5dlabs/cto-parallel-test/pull/41',
      );
      t.match(await view.locator('.coderun-link').textContent(), 'CodeRun cto/healer-a7-fix-1');
      const logs = new URL((await view.locator('.links a.logs').getAttribute('href'))!);
      t.equal(`${logs.origin}${logs.pathname}`, 'https://grafana.example.test/explore');
      const panes = JSON.parse(logs.searchParams.get('panes')!) as {
        a: { queries: { expr: string }[]; range: { from: string; to: string } };
      };
      t.equal(panes.a.queries[0].expr, `{namespace="cto"} |= "${PLAY}"`);
      t.equal(
        Number(panes.a.range.from),
        Date.parse(T0) - 15 * 60_000,
        'from 15 min before first seen',
      );
      const runLogs = new URL((await page.locator('#runs a.logs').getAttribute('href'))!);
      t.match(runLogs.searchParams.get('panes'), '|= \\"healer-a7-fix-1\\"', "the CodeRun's logs");
      t.equal(await page.evaluate('window.__pwned'), undefined, 'no injected script ran');
      await page.screenshot({ path: join(SCREENSHOTS, 'incident-page.png'), fullPage: true });
      t.same(errors, []);
      await close();
    });

    await t.test(
      'acknowledge and silence from the incident page, expire the silence: who and when recorded, shown live',
      async (t) => {
        const { page, go, errors, requests, close } = await tab(open);
        await go(`/incidents/${open.crit.id}`);
        await page.evaluate('window.__sameDocument = true');

        // Nobody named: nothing is sent.
        await page.click('#ack-form button[type="submit"]');
        t.match(await page.locator('#act-status').textContent(), /Type your name first/);
        t.equal((await open.store.getIncident(open.crit.id))?.acknowledged ?? null, null);

        await page.fill('#who', 'Ada');
        await page.fill('#ack-form input[name="comment"]', 'on it <b>now</b>');
        await page.click('#ack-form button[type="submit"]');
        await waitInPage(
          page,
          "/Acknowledged by Ada/.test(document.getElementById('act-status').textContent)",
        );
        const acked = await open.store.getIncident(open.crit.id);
        t.match(
          acked?.acknowledged,
          { by: 'Ada', at: T0, comment: 'on it <b>now</b>' },
          "who and when (Healer's clock)",
        );
        await waitInPage(page, "/by Ada/.test(document.getElementById('acked').textContent)");
        t.match(
          await page.locator('#acked').textContent(),
          /by Ada .*on it <b>now<\/b>/,
          'shown live, as text',
        );

        // Silence: the matchers are prefilled from the incident.
        const boxes = await page.locator('#silence-form input[type="checkbox"]').evaluateAll((bs) =>
          bs.map((b) => {
            const i = b as unknown as { name: string; value: string; checked: boolean };
            return `${i.name}=${i.value}:${i.checked}`;
          }),
        );
        t.same(boxes, [
          'm_alert=A7:true',
          `m_play_id=${PLAY}:true`,
          'm_agent=rex:true',
          'm_namespace=cto:false',
        ]);
        t.equal(await page.inputValue('#silence-form input[name="duration"]'), '2h');
        await page.fill('#silence-form input[name="duration"]', 'soon');
        await page.fill('#silence-form input[name="comment"]', 'known OOM, fix in review');
        await page
          .locator('#silence-form')
          .evaluate((f) => (f as unknown as { requestSubmit(): void }).requestSubmit());
        t.match(await page.locator('#act-status').textContent(), /duration must look like 2h/);
        t.same(await open.store.listSilences(), [], 'a bad duration sends nothing');
        await page.fill('#silence-form input[name="duration"]', '1h30m');
        await page.uncheck('#silence-form input[name="m_agent"]');
        await page.click('#silence-form button[type="submit"]');
        await waitInPage(
          page,
          "/Silenced by Ada/.test(document.getElementById('act-status').textContent)",
        );
        const [sil] = await open.store.listSilences();
        t.match(sil, {
          matchers: { alert: 'A7', play_id: PLAY },
          createdBy: 'Ada',
          startsAt: T0,
          comment: 'known OOM, fix in review',
          expiredAt: null,
        });
        t.notOk('agent' in sil.matchers, 'the unchecked matcher is left out');
        // Healer's now (its clock, learnt from the live view) + 1h30m, plus the real seconds
        // since the page last heard from Healer (this test's clock stands still)
        const ends = Date.parse(sil.endsAt) - Date.parse(T0);
        t.ok(
          ends >= 90 * 60_000 && ends < 90 * 60_000 + 60_000,
          `ends 1h30m after Healer's now (${sil.endsAt})`,
        );
        const listed = page.locator(`li.silence[data-silence="${sil.id}"]`);
        await listed.waitFor({ timeout: 10_000 });
        t.match(await listed.textContent(), /alert=A7 play_id=play-act-1.*by Ada/);
        await page.screenshot({ path: join(SCREENSHOTS, 'incident-acted.png'), fullPage: true });

        // Expire it from the page.
        await listed.locator('button.expire').click();
        await listed.waitFor({ state: 'detached', timeout: 10_000 });
        t.match(
          await open.store.getSilence(sil.id),
          { expiredAt: T0, expiredBy: 'Ada' },
          "expired by who, at Healer's now",
        );
        t.match(
          await page.locator('#act-status').textContent(),
          `Silence ${sil.id} expired by Ada.`,
        );

        t.equal(await page.evaluate('window.__sameDocument'), true, 'no reload happened');
        t.notOk(requests.includes('/api/v1/dashboard/state'), 'no polling of the state');
        t.same(errors, []);
        await close();
      },
    );

    await t.test(
      'live: a new incident appears over server-sent events without a reload; pre-flight and finished agents',
      async (t) => {
        const { page, go, errors, requests, close } = await tab(open);
        const streams: string[] = [];
        page.on('response', (r) => {
          if (r.url().includes('/api/v1/dashboard/events'))
            streams.push(r.headers()['content-type'] ?? '');
        });
        await go('/?refresh_ms=300');
        await page.evaluate('window.__sameDocument = true');
        const { incident: late } = await open.store.recordAlert(
          draft({ alert: 'A2', severity: 'high', title: 'Late <i>one</i>', subject: 'late' }),
          'd'.repeat(64),
          new Date(T0),
        );
        const row = page.locator(`tr.incident[data-id="${late.id}"]`);
        await row.waitFor({ timeout: 10_000 });
        t.equal(await row.locator('.title-text').textContent(), 'Late <i>one</i>');
        t.equal(await page.evaluate('window.__sameDocument'), true, 'no reload');
        t.match(streams[0], /^text\/event-stream/);
        t.notOk(requests.includes('/api/v1/dashboard/state'), 'no polling');

        // rex reported pre-flight checks; tess nothing (no checklist); cleo finished (folded).
        const session = page.locator(`tbody.session[data-play="${PLAY}"]`);
        t.equal(await session.locator('tr.agent[data-agent="rex"] ul.checklist').count(), 1);
        t.equal(await session.locator('tr.agent[data-agent="tess"] ul.checklist').count(), 0);
        t.equal(
          await session.locator('tr.agent[data-agent="tess"] td.preflight').textContent(),
          '—',
        );
        const folded = session.locator('details.finished');
        t.match(await folded.locator('summary').textContent(), '1 finished: cleo (Succeeded)');
        t.notOk(await folded.getAttribute('open'), 'collapsed');
        t.notOk(await folded.locator('tr.agent[data-agent="cleo"]').isVisible());
        await folded.locator('summary').click();
        t.ok(await folded.locator('tr.agent[data-agent="cleo"]').isVisible(), 'opens on a click');
        await page.waitForTimeout(900); // a few live periods: it stays open
        t.equal(await folded.getAttribute('open'), '', 'stays open across live updates');
        t.same(errors, []);
        await close();
      },
    );

    await t.test('readable at 800 px', async (t) => {
      const { page, go, close } = await tab(open, 800);
      await go('/');
      const overflow = await page.evaluate<number>(
        'document.documentElement.scrollWidth - document.documentElement.clientWidth',
      );
      t.equal(overflow, 0, 'no horizontal scrolling of the page');
      const tableOverflow = await page.evaluate<number>(
        "(() => { const s = document.querySelector('#incidents').parentElement; return s.scrollWidth - s.clientWidth; })()",
      );
      t.equal(tableOverflow, 0, 'the incidents table fits without its own scrollbar');
      const label = await page.evaluate<string>(
        "getComputedStyle(document.querySelector('tr.incident td[data-label=\"State\"]'), '::before').content",
      );
      t.match(label, /State/, 'each cell is labelled');
      await page.screenshot({ path: join(SCREENSHOTS, 'dashboard-800px.png'), fullPage: true });
      await go(`/incidents/${open.crit.id}`);
      t.equal(
        await page.evaluate<number>(
          'document.documentElement.scrollWidth - document.documentElement.clientWidth',
        ),
        0,
        'the incident page too',
      );
      await page.screenshot({ path: join(SCREENSHOTS, 'incident-800px.png'), fullPage: true });
      await close();
    });

    await t.test(
      'a token for writes only: reading needs none, acknowledging asks for it',
      async (t) => {
        const writes = await seeded({ HEALER_API_TOKEN: TOKEN });
        t.teardown(() => writes.healer.stop());
        const { page, go, close } = await tab(writes);
        await go(`/incidents/${writes.crit.id}`);
        t.notOk(await page.locator('#token-form').isVisible(), 'not asked to read');
        await page.fill('#who', 'Lin');
        await page.click('#ack-form button[type="submit"]');
        await page.locator('#token-form').waitFor({ state: 'visible', timeout: 10_000 });
        t.match(await page.locator('#token-why').textContent(), /need the API token/);
        t.equal((await writes.store.getIncident(writes.crit.id))?.acknowledged ?? null, null);
        await page.fill('#token-input', TOKEN);
        await page.click('#token-form button[type="submit"]');
        await waitInPage(
          page,
          "/Acknowledged by Lin/.test(document.getElementById('act-status').textContent)",
        );
        t.equal(
          (await writes.store.getIncident(writes.crit.id))?.acknowledged?.by,
          'Lin',
          'sent again with the token',
        );
        await close();
      },
    );

    await t.test(
      'HEALER_API_TOKEN_READS=true: the page asks for the token instead of a 401',
      async (t) => {
        const locked = await seeded({ HEALER_API_TOKEN: TOKEN, HEALER_API_TOKEN_READS: 'true' });
        t.teardown(() => locked.healer.stop());
        const { page, errors, close } = await tab(locked);
        const first = await page.goto(`${locked.address}/`);
        t.equal(first?.status(), 200, 'the page, not a 401');
        await page.waitForSelector('body[data-ready="true"]');
        t.ok(await page.locator('#token-form').isVisible(), 'the token form');
        t.equal(await page.locator('tr.incident').count(), 0, 'no data without the token');
        t.notMatch(await page.content(), 'Pod Failure', 'nothing of the incidents in the page');
        const api = await page.request.get(`${locked.address}/api/v1/dashboard/state`);
        t.equal(api.status(), 401, 'the API still answers 401 without it');

        await page.fill('#token-input', 'wrong-token-123');
        await page.click('#token-form button[type="submit"]');
        await waitInPage(
          page,
          "/not accepted/.test(document.getElementById('token-msg').textContent)",
        );
        t.ok(await page.locator('#token-form').isVisible(), 'asked again');
        await page.screenshot({ path: join(SCREENSHOTS, 'dashboard-token.png') });

        await page.fill('#token-input', TOKEN);
        await page.click('#token-form button[type="submit"]');
        await page.locator(`tr.incident[data-id="${locked.crit.id}"]`).waitFor({ timeout: 10_000 });
        t.notOk(await page.locator('#token-form').isVisible(), 'the form goes away');

        // The token stays for the tab: the incident page shows and acknowledging works.
        await page.goto(`${locked.address}/incidents/${locked.crit.id}`);
        await page.locator('#ack-form').waitFor({ timeout: 10_000 });
        await page.fill('#who', 'Grace');
        await page.click('#ack-form button[type="submit"]');
        await waitInPage(
          page,
          "/Acknowledged by Grace/.test(document.getElementById('act-status').textContent)",
        );
        t.equal((await locked.store.getIncident(locked.crit.id))?.acknowledged?.by, 'Grace');
        t.same(
          errors.filter((e) => !/401/.test(e)),
          [],
          'no page errors (the refused token is a 401 in the console)',
        );
        await close();
      },
    );
  },
);
