// The amtool-like CLI against a running Healer (a real listening app with its store): incidents,
// incident, silence add/list/expire, ack — with HEALER_URL/HEALER_API_TOKEN defaults and
// --output table|json|yaml — plus the acknowledge API and its effect on decisions.
import t from 'tap';
import { PassThrough } from 'node:stream';
import { parse } from 'yaml';
import { main } from '../../src/cli/index.js';
import { parseDuration } from '../../src/cli/alerts.js';
import type { AlertDraft } from '../../src/domain/alert.js';
import { acknowledgement } from '../../src/domain/incident.js';
import { decide } from '../../src/incidents/decide.js';
import { withIncidentDefaults } from '../../src/incidents/lifecycle.js';
import { DEFAULT_POLICY } from '../../src/incidents/policy.js';
import { testHealer } from '../helpers/healer.js';

const TOKEN = 'cli-test-token-123';
const T0 = '2026-11-21T10:00:00.000Z';

const draft = (over: Partial<AlertDraft> = {}): AlertDraft => ({
  alert: 'A7',
  severity: 'critical',
  issueType: 'agent_failure',
  title: 'Pod Failure: play-cli-1-rex-abc',
  description: 'The rex pod failed',
  namespace: 'cto',
  playId: 'play-cli-1',
  taskId: '4',
  agent: 'rex',
  subject: 'play-cli-1-rex',
  evidence: ['exit code 1'],
  context: {},
  detectedAt: T0,
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

void t.test('incidents, incident, silence and ack against a running Healer', async (t) => {
  const h = await testHealer({ env: { HEALER_API_TOKEN: TOKEN, HEALER_API_TOKEN_READS: 'true' } });
  t.teardown(() => h.app.close());
  const url = await h.app.listen({ host: '127.0.0.1', port: 0 });
  const env = { HEALER_URL: url, HEALER_API_TOKEN: TOKEN, USER: 'alice' };
  const { incident: a7 } = await h.store.recordAlert(draft(), 'a'.repeat(64), new Date(T0));
  await h.store.recordAlert(
    draft({
      alert: 'A3',
      severity: 'medium',
      title: 'Stale progress',
      subject: 'play-cli-2',
      playId: 'play-cli-2',
    }),
    'b'.repeat(64),
    new Date(T0),
  );

  const table = await cli(['incidents'], env);
  t.equal(table.code, 0, table.err);
  const lines = table.out.trim().split('\n');
  t.match(lines[0], /^ID\s+STATE\s+SEVERITY\s+ALERT\s+PLAY\s+AGENT\s+COUNT\s+LAST SEEN\s+ISSUE$/);
  t.equal(lines.length, 3, 'header and two incidents');
  t.match(table.out, new RegExp(`${a7.id}\\s+open\\s+critical\\s+A7\\s+play-cli-1\\s+rex\\s+1`));

  const json = await cli(['incidents', '--alert', 'a7', '--output', 'json'], env);
  const rows = JSON.parse(json.out) as { id: string }[];
  t.same(
    rows.map((r) => r.id),
    [a7.id],
    '--alert filters (any case)',
  );
  const yaml = await cli(['incidents', '--play', 'play-cli-2', '-o', 'yaml'], env);
  t.match(parse(yaml.out), [{ alert: 'A3', play_id: 'play-cli-2' }]);
  t.equal((await cli(['incidents', '--state', 'resolved'], env)).out, 'no incidents\n');
  const bad = await cli(['incidents', '-o', 'xml'], env);
  t.not(bad.code, 0);
  t.match(bad.err, /Allowed choices are table, json, yaml/);

  const one = await cli(['incident', a7.id], env);
  t.match(one.out, /^FIELD\s+VALUE$/m);
  t.match(one.out, /^state\s+open$/m);
  const oneJson = JSON.parse((await cli(['incident', a7.id, '-o', 'json'], env)).out) as {
    incident: { id: string };
    decisions: unknown[];
  };
  t.equal(oneJson.incident.id, a7.id);
  const missing = await cli(['incident', 'inc-nope'], env);
  t.equal(missing.code, 1);
  t.equal(missing.err, 'healer: 404: Incident not found: inc-nope\n');

  // Without the token (HEALER_API_TOKEN_READS): a clear 401 with the hint.
  const denied = await cli(['incidents'], { HEALER_URL: url });
  t.equal(denied.code, 1);
  t.match(denied.err, /401: .*\(set HEALER_API_TOKEN or --token\)/);
  t.equal((await cli(['incidents', '--token', TOKEN], { HEALER_URL: url })).code, 0, '--token');
  const down = await cli(['incidents', '--url', 'http://127.0.0.1:9'], env);
  t.equal(down.code, 2);
  t.match(down.err, /cannot reach Healer at http:\/\/127\.0\.0\.1:9/);

  // silence add / list / expire
  const added = await cli(
    [
      'silence',
      'add',
      '--alert',
      'A7',
      '--agent',
      'rex',
      '--duration',
      '2h',
      '--comment',
      'deploying a fix',
    ],
    env,
  );
  t.equal(added.code, 0, added.err);
  const id = added.out.trim();
  t.match(id, /^sil-/);
  const [silence] = await h.store.listSilences(h.clock.now());
  t.same(silence.matchers, { alert: 'A7', agent: 'rex' });
  t.equal(silence.createdBy, 'alice', '$USER is the author');
  t.equal(silence.comment, 'deploying a fix');
  const list = await cli(['silence', 'list'], env);
  t.match(
    list.out,
    new RegExp(`^${id}\\s+alert=A7,agent=rex\\s+\\S+\\s+yes\\s+alice\\s+deploying a fix$`, 'm'),
  );
  t.equal((await cli(['silence', 'expire', id], env)).out, `expired ${id} (by alice)\n`);
  t.match(await h.store.getSilence(id), { expiredBy: 'alice', expiredAt: String }, 'who and when');
  t.equal((await cli(['silence', 'list'], env)).out, 'no silences\n');
  const listed = JSON.parse((await cli(['silence', 'list', '--all', '-o', 'json'], env)).out) as {
    id: string;
    active: boolean;
  }[];
  t.match(listed, [{ id, active: false, expired_by: 'alice' }]);
  const badDuration = await cli(
    ['silence', 'add', '--alert', 'A7', '--duration', '2 hours', '--comment', 'x'],
    env,
  );
  t.equal(badDuration.code, 2);
  t.match(badDuration.err, /--duration must look like 2h/);
  const noMatcher = await cli(['silence', 'add', '--duration', '1h', '--comment', 'x'], env);
  t.equal(noMatcher.code, 1);
  t.match(noMatcher.err, /400: .*at least one matcher/);

  // ack: recorded with who and when
  const acked = await cli(['ack', a7.id, '--comment', 'looking at it'], env);
  t.equal(acked.code, 0, acked.err);
  t.equal(acked.out, `acknowledged ${a7.id} by alice\n`);
  const stored = await h.store.getIncident(a7.id);
  t.match(stored?.acknowledged, {
    by: 'alice',
    at: h.clock.now().toISOString(),
    comment: 'looking at it',
    state: 'open',
  });
  t.match((await cli(['incidents', '-o', 'json'], env)).out, /"acknowledged": \{\s+"by": "alice"/);
  t.match((await cli(['incidents'], env)).out, /open \(ack\)/);
  t.equal((await cli(['ack', 'inc-nope'], env)).code, 1);
});

void t.test(
  'POST /api/v1/incidents/{id}/ack: validation, resolved incidents, and the token',
  async (t) => {
    const h = await testHealer({ env: { HEALER_API_TOKEN: TOKEN } });
    t.teardown(() => h.app.close());
    const { incident } = await h.store.recordAlert(draft(), 'c'.repeat(64), new Date(T0));
    const auth = { authorization: `Bearer ${TOKEN}` };
    const post = (id: string, payload: unknown, headers: Record<string, string> = auth) =>
      h.app.inject({
        method: 'POST',
        url: `/api/v1/incidents/${id}/ack`,
        payload: payload as object,
        headers,
      });
    t.equal(
      (await post(incident.id, { by: 'bob' }, {})).statusCode,
      401,
      'a write needs the token',
    );
    t.equal((await post(incident.id, { by: '' })).statusCode, 400);
    t.equal(
      (await post(incident.id, { by: 'bob', extra: 1 })).statusCode,
      400,
      'unknown fields refused',
    );
    t.equal((await h.store.getIncident(incident.id))?.acknowledged, null, 'nothing changed');
    const ok = await post(incident.id, { by: 'bob' });
    t.equal(ok.statusCode, 200);
    t.match(ok.json(), {
      incident: { acknowledged: { by: 'bob', at: '2026-11-21T10:00:00.000Z', comment: null } },
    });
    t.equal((await post('inc-0000000000000000', { by: 'bob' })).statusCode, 404);
    await h.store.updateIncident(incident.id, (i) => ({ ...i, state: 'resolved' }));
    const late = await post(incident.id, { by: 'bob' });
    t.equal(late.statusCode, 409);
    t.match(late.json(), { message: /resolved/ });
  },
);

void t.test('an acknowledged incident is not notified or escalated until it changes', (t) => {
  const base = {
    id: 'inc-x',
    fingerprint: 'f'.repeat(64),
    ...draft(),
    state: 'open' as const,
    firstSeen: T0,
    lastSeen: T0,
    occurrences: 4,
    resolvedAt: null,
    resolution: null,
    githubIssue: { number: 3, url: 'https://github.com/5dlabs/cto/issues/3' },
    // the issue carries the incident's severity label (as the open-issue handler records), so
    // the only steps in question are the ones an acknowledgement holds back
    labelledSeverity: draft().severity,
    remediationSpawned: true,
    reopened: 0,
    attempts: [1, 2, 3].map((n) => ({
      attempt: n,
      coderun: `healer-a7-${n}`,
      namespace: 'cto',
      phase: 'Failed',
      createdAt: T0,
      finishedAt: T0,
      pullRequestUrl: null,
    })),
  };
  const input = (incident: typeof base & { acknowledged?: unknown }) => ({
    // as a store returns it: every field filled
    incident: withIncidentDefaults(incident as never),
    outcome: 'repeat' as const,
    draft: draft(),
    now: new Date('2026-11-21T12:00:00Z'),
    policy: DEFAULT_POLICY,
    silences: [],
    runningRemediations: 0,
  });
  const plain = decide(input(base));
  t.equal(plain.reason, 'attempts-exhausted');
  t.ok(
    plain.plan.some((p) => p.kind === 'notify'),
    'without ack: escalation and notification',
  );
  t.equal(plain.incidentChange?.state, 'escalated');

  const ack = {
    by: 'carol',
    at: T0,
    comment: null,
    state: 'open',
    severity: 'critical',
    reopened: 0,
  };
  const quiet = decide(input({ ...base, acknowledged: ack }));
  t.equal(quiet.reason, 'attempts-exhausted');
  t.same(quiet.plan, [], 'no notification, no needs-human label, no escalation comment');
  t.equal(quiet.incidentChange?.state, undefined, 'not escalated');
  t.match(
    quiet.detail,
    /acknowledged by carol at 2026-11-21T10:00:00.000Z: no notification or escalation/,
  );

  // The incident changed since (severity rose): the acknowledgement no longer holds.
  const changed = {
    ...base,
    severity: 'high' as const,
    acknowledged: { ...ack, severity: 'medium' },
  };
  t.equal(acknowledgement(changed as never), null);
  t.ok(decide(input(changed)).plan.some((p) => p.kind === 'notify'));
  t.end();
});

void t.test('durations', (t) => {
  t.equal(parseDuration('2h'), 7_200_000);
  t.equal(parseDuration('1h30m'), 5_400_000);
  t.equal(parseDuration('1d'), 86_400_000);
  for (const bad of ['', '2', 'h', '2x', '1h 30m', '-1h']) t.throws(() => parseDuration(bad), bad);
  t.end();
});

void t.test('healer completion bash|zsh', async (t) => {
  const bash = await cli(['completion', 'bash'], {});
  t.equal(bash.code, 0);
  t.match(bash.out, /complete -F _healer healer/);
  for (const word of ['incidents', 'incident', 'silence', 'ack', 'completion', 'serve'])
    t.match(bash.out, new RegExp(`\\b${word}\\b`), word);
  t.match(bash.out, /silence:add\) echo "[^"]*--duration[^"]*--comment/);
  const zsh = await cli(['completion', 'zsh'], {});
  t.match(zsh.out, /^#compdef healer\n/);
  t.match(zsh.out, /bashcompinit/);
  const fish = await cli(['completion', 'fish'], {});
  t.equal(fish.code, 2);
  t.match(fish.err, /bash or zsh/);
});
