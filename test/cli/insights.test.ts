// Insights (issue #17 point 4): GET /api/v1/insights and `healer insights show|failures|export`
// against a running Healer on a SQLite store, before and after a restart of Healer on that file.
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import t from 'tap';
import { main } from '../../src/cli/index.js';
import type { AlertDraft } from '../../src/domain/alert.js';
import type { Incident } from '../../src/domain/incident.js';
import type { RemediationOutcome } from '../../src/domain/outcome.js';
import { computeInsights, median } from '../../src/incidents/history-insights.js';
import { evidenceSignature } from '../../src/incidents/history.js';
import { openSqliteStore } from '../../src/store/sqlite/index.js';
import { testHealer, tmpDir } from '../helpers/healer.js';
import { ManualClock } from '../../src/domain/clock.js';

const T0 = new Date('2026-11-21T10:00:00.000Z');
const at = (min: number) => new Date(T0.getTime() + min * 60_000);

const draft = (n: number, over: Partial<AlertDraft> = {}): AlertDraft => ({
  alert: 'A7',
  severity: 'high',
  issueType: 'agent_failure',
  title: `Pod Failure: play-ins-${n}-rex-abc`,
  description: 'The rex pod failed',
  namespace: 'cto',
  playId: `play-ins-${n}`,
  taskId: String(n),
  agent: 'rex',
  subject: `play-ins-${n}`,
  evidence: [`2026-11-21T10:0${n}:00Z Error: tools server at 10.0.0.${n}:3000 refused, connection`],
  context: {},
  detectedAt: at(n).toISOString(),
  ...over,
});

async function cli(args: string[], env: Record<string, string>) {
  const out = new PassThrough();
  const err = new PassThrough();
  let o = '';
  let e = '';
  out.on('data', (d: Buffer) => (o += d.toString()));
  err.on('data', (d: Buffer) => (e += d.toString()));
  const code = await main(args, { out, err }, env);
  return { code, out: o, err: e };
}

void t.test('insights are computed per alert and agent', (t) => {
  t.equal(median([]), null);
  t.equal(median([5, 1, 3]), 3);
  t.equal(median([4, 1, 3, 2]), 2.5);
  const r = computeInsights([], [], { minFailures: 3, windowDays: 30 });
  t.same(r, {
    rows: [],
    failing: [],
    totals: { incidents: 0, attempts: 0, successes: 0, failures: 0, merged: 0, successRate: null },
  });
  t.end();
});

void t.test('API and CLI, on a store that survives a restart', async (t) => {
  const path = join(tmpDir(), 'healer.db');
  const clock = new ManualClock(at(120).toISOString());
  const store = openSqliteStore(path);
  // three A7 incidents on rex (two resolved after 10 and 30 min), one A2 on blaze
  const recorded: Incident[] = [];
  for (const n of [1, 2, 3])
    recorded.push((await store.recordAlert(draft(n), String(n).repeat(64), at(n))).incident);
  await store.recordAlert(
    draft(4, { alert: 'A2', agent: 'blaze', evidence: ['exit code 137 OOMKilled'] }),
    '4'.repeat(64),
    at(4),
  );
  for (const [i, minutes] of [
    [recorded[0], 10],
    [recorded[1], 30],
  ] as const)
    await store.updateIncident(i.id, (c) => ({
      ...c,
      state: 'resolved',
      resolvedAt: at(Number(c.taskId) + minutes).toISOString(),
    }));
  const signature = evidenceSignature(recorded[0]);
  t.equal(signature, evidenceSignature(recorded[2]), 'the three share one signature');
  const outcome = (
    i: number,
    kind: RemediationOutcome['outcome'],
    min: number,
  ): RemediationOutcome => ({
    id: `${recorded[i].id}#1`,
    incidentId: recorded[i].id,
    attempt: 1,
    alert: 'A7',
    agent: 'rex',
    signature,
    outcome: kind,
    coderun: `healer-a7-${i}-1`,
    issue: null,
    pullRequestUrl: null,
    summary: `attempt 1 ${kind}`,
    startedAt: at(min - 5).toISOString(),
    at: at(min).toISOString(),
  });
  await store.recordOutcome(outcome(0, 'cleared', 11));
  await store.recordOutcome(outcome(1, 'still-firing', 20));
  await store.recordOutcome(outcome(2, 'run-failed', 25));

  const check = async (label: string) => {
    const h = await testHealer({ store, clock });
    t.teardown(() => h.app.close());
    const res = await h.app.inject({ method: 'GET', url: '/api/v1/insights' });
    t.equal(res.statusCode, 200, `${label}: 200`);
    const body = res.json();
    t.match(
      body,
      {
        status: 'ok',
        truncated: false,
        policy: { history_failures: 3, history_window_days: 30 },
        totals: { incidents: 4, attempts: 3, successes: 1, failures: 2, success_rate: 0.333 },
        insights: [
          {
            alert: 'A7',
            agent: 'rex',
            incidents: 3,
            resolved: 2,
            attempts: 3,
            successes: 1,
            failures: 2,
            success_rate: 0.333,
            median_time_to_resolve_seconds: 1200,
            top_signatures: [{ signature, incidents: 3, attempts: 3, successes: 1, failures: 2 }],
          },
          { alert: 'A2', agent: 'blaze', incidents: 1, attempts: 0, success_rate: null },
        ],
        failing: [
          { alert: 'A7', agent: 'rex', signature, failures: 2, successes: 1, refused: false },
        ],
      },
      `${label}: the figures`,
    );
    t.equal(body.insights.length, 2);
    return h;
  };
  const h = await check('first run');
  const bad = await h.app.inject({ method: 'GET', url: '/api/v1/insights?since=yesterday' });
  t.equal(bad.statusCode, 400, 'a bad since is a 400');
  t.match(bad.json(), { status: 'error', message: /since/ });
  const one = await h.app.inject({ method: 'GET', url: '/api/v1/insights?agent=blaze' });
  t.same(
    one.json().insights.map((r: { alert: string }) => r.alert),
    ['A2'],
    'filtered by agent',
  );
  const later = await h.app.inject({
    method: 'GET',
    url: `/api/v1/insights?since=${encodeURIComponent(at(21).toISOString())}`,
  });
  t.match(later.json().totals, { attempts: 1, failures: 1 }, 'since narrows the outcomes');

  const url = await h.app.listen({ host: '127.0.0.1', port: 0 });
  const env = { HEALER_URL: url };
  const show = await cli(['insights', 'show'], env);
  t.equal(show.code, 0, show.err);
  const lines = show.out.trim().split('\n');
  t.match(
    lines[0],
    /^ALERT\s+AGENT\s+INCIDENTS\s+RESOLVED\s+ATTEMPTS\s+SUCCESS\s+MEDIAN TTR\s+TOP SIGNATURE$/,
  );
  t.match(
    lines[1],
    /^A7\s+rex\s+3\s+2\s+3\s+33%\s+20m\s+<time> error: tools server at <ip> refused/,
  );
  t.match(lines[2], /^A2\s+blaze\s+1\s+0\s+0\s+-\s+-\s+exit code <n> oomkilled$/);
  t.match(show.out, /4 incidents, 3 attempts, success 33% since/);
  const failures = await cli(['insights', 'failures', '-o', 'json'], env);
  t.equal(failures.code, 0, failures.err);
  t.match(JSON.parse(failures.out), [{ alert: 'A7', failures: 2, refused: false }]);
  const csv = await cli(['insights', 'export', '--format', 'csv'], env);
  t.equal(csv.code, 0, csv.err);
  const rows = csv.out.split('\r\n');
  t.equal(
    rows[0],
    'alert,agent,incidents,resolved,attempts,successes,failures,merged,success_rate,median_time_to_resolve_seconds,top_signatures',
  );
  t.equal(
    rows[1],
    `A7,rex,3,2,3,1,2,0,0.333,1200,"${signature}"`,
    'a signature with a comma is quoted',
  );
  t.equal(rows.at(-1), '', 'CRLF after the last row');
  const json = await cli(['insights', 'export', '--since', '10000d', '--alert', 'a2'], env);
  t.match(JSON.parse(json.out), { insights: [{ alert: 'A2' }] });
  const wrong = await cli(['insights', 'export', '--format', 'xml'], env);
  t.not(wrong.code, 0, 'an unknown format is refused');
  t.match(wrong.err, /xml.*invalid|invalid.*xml|Allowed choices are json, csv/);
  const dur = await cli(['insights', 'show', '--since', 'soon'], env);
  t.equal(dur.code, 2);
  t.match(dur.err, /--since must look like 7d/);
  await h.app.close();

  // Healer restarts on the same file: the same figures
  await store.close();
  const reopened = openSqliteStore(path);
  t.teardown(() => reopened.close());
  const h2 = await testHealer({ store: reopened, clock });
  t.teardown(() => h2.app.close());
  const again = await h2.app.inject({ method: 'GET', url: '/api/v1/insights' });
  t.match(again.json().totals, { incidents: 4, attempts: 3, successes: 1, failures: 2 });
});
