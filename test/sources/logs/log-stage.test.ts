import t from 'tap';
import { ManualClock } from '../../../src/domain/clock.js';
import { PREFLIGHT_ITEMS } from '../../../src/domain/preflight.js';
import { at, entry, playSession, PLAY, REX_POD, stageHarness } from './helpers.js';

const START = new Date('2026-03-02T09:00:00Z');
const REX = `cto/${REX_POD}/rex`;
const MCP_FAIL =
  '2026-03-02T09:00:10.120Z ERROR codex_core::mcp: MCP server filesystem failed to initialize: handshake timed out';
const INVENTORY =
  'tool inventory mismatch - declared tools: [memory_create_entities, brave_web_search, read_file] - missing: [brave_web_search]';

function setup(opts: { startedAt?: Date | null; clockAt?: Date } = {}) {
  const clock = new ManualClock(opts.clockAt ?? at(START, 12));
  const session = playSession(START);
  const startedAt: Record<string, Date> =
    opts.startedAt === null ? {} : { [REX]: opts.startedAt ?? START };
  return { clock, session, ...stageHarness({ clock, sessions: [session], startedAt }) };
}

void t.test(
  'an MCP server failing 10 s after the agent started is a critical pre-flight A12 on that agent, its checklist item failed',
  async (t) => {
    const h = setup();
    await h.stage.handle('cto', [entry(MCP_FAIL, at(START, 10))]);
    t.equal(h.drafts.length, 1);
    const d = h.drafts[0];
    t.match(d, {
      alert: 'A12',
      severity: 'critical',
      issueType: 'mcp_init_failed',
      playId: PLAY,
      agent: 'rex',
      namespace: 'cto',
      subject: 'mcp-init',
      title: /^MCP Init Failure: rex \(pre-flight\)$/,
      description: /^Pre-flight failure: agent rex \(pod play-42-rex-7f9c2, container rex\)/,
      context: {
        patternId: 'a12-mcp-init-failed',
        preflight: true,
        pod: REX_POD,
        container: 'rex',
        containerStartedAt: START.toISOString(),
      },
      detectedAt: at(START, 10).toISOString(),
    });
    t.equal(d.evidence[0], MCP_FAIL, 'the raw matching line is the first evidence line');
    const u = h.last();
    t.match(u, { playId: PLAY, agent: 'rex', state: 'failed' });
    t.match(h.item(u, 'local_servers_initialised'), { state: 'failed', evidence: MCP_FAIL });
    t.same(
      u?.items.map((i) => i.id),
      PREFLIGHT_ITEMS.map((i) => i.id),
      'the eight items of domain/preflight.ts, in order',
    );
    t.ok(
      u?.items
        .filter((i) => i.id !== 'local_servers_initialised')
        .every((i) => i.state === 'unknown'),
      'items nothing was seen for stay unknown',
    );
  },
);

void t.test('the same line after the 60 s window keeps the catalogue severity', async (t) => {
  const h = setup({ clockAt: at(START, 120) });
  await h.stage.handle('cto', [entry(MCP_FAIL, at(START, 90))]);
  t.match(h.drafts, [{ alert: 'A12', severity: 'high', context: { preflight: false } }]);
  t.notMatch(h.drafts[0].title, /pre-flight/);
  t.ok(
    h.checklists.every((u) => h.item(u, 'local_servers_initialised')?.state === 'unknown'),
    'a mark outside the window does not touch the checklist',
  );
});

void t.test('without a known start time no line is a pre-flight failure', async (t) => {
  const h = setup({ startedAt: null });
  await h.stage.handle('cto', [entry(MCP_FAIL, at(START, 10))]);
  t.match(h.drafts, [
    { severity: 'high', context: { preflight: false, containerStartedAt: null } },
  ]);
  t.equal(h.checklists.length, 0);
});

void t.test(
  'A10 names the tool the session expected for the agent that the line shows missing',
  async (t) => {
    const h = setup();
    await h.stage.handle('cto', [entry(INVENTORY, at(START, 8))]);
    t.match(h.drafts, [
      {
        alert: 'A10',
        severity: 'critical',
        issueType: 'tool_mismatch',
        subject: 'tool-inventory',
        title: 'Tool Inventory Mismatch: rex missing brave_web_search (pre-flight)',
        description:
          /The session expects brave_web_search for rex, and the line shows it missing\./,
        context: {
          missingTools: 'brave_web_search',
          missingExpected: 'brave_web_search',
          preflight: true,
        },
      },
    ]);
    t.match(h.item(h.last(), 'remote_tools_accessible'), { state: 'failed' });
  },
);

void t.test('A10 with an available list: expected tools absent from it are named', async (t) => {
  const h = setup({ clockAt: at(START, 300) });
  await h.stage.handle('cto', [
    entry(
      'ERROR healer::preflight: Tool inventory MISMATCH for agent rex available: [memory_create_entities, read_file]',
      at(START, 200),
    ),
  ]);
  t.match(h.drafts, [
    {
      alert: 'A10',
      severity: 'critical',
      title: 'Tool Inventory Mismatch: rex missing brave_web_search, write_file',
      context: { preflight: false },
    },
  ]);
});

void t.test('A10 for a tool the session does not expect says so and names it', async (t) => {
  const h = setup();
  await h.stage.handle('cto', [
    entry(
      'tool inventory mismatch - declared tools: [firecrawl_scrape] - missing: [firecrawl_scrape]',
      at(START, 5),
    ),
  ]);
  t.match(h.drafts, [
    {
      title: 'Tool Inventory Mismatch: rex missing firecrawl_scrape (pre-flight)',
      description: /none of them is among the tools the session expects for rex/,
      context: { missingTools: 'firecrawl_scrape', missingExpected: null },
    },
  ]);
});

void t.test('harmless lines raise nothing and mark nothing', async (t) => {
  const h = setup();
  await h.stage.handle('cto', [
    entry('config: timeout=30s retries=3 model=claude-sonnet-4-5', at(START, 2)),
    entry('level=info msg="connection refused, will retry" attempt=1', at(START, 3)),
    entry('lint finished: errors: 0, warnings: 2', at(START, 4)),
    entry('test tests::test_timeout_error_handling ... ok', at(START, 5)),
  ]);
  t.same(h.drafts, []);
  t.same(h.checklists, []);
});

void t.test(
  'the checklist fills from pass lines in the window, is pending until it freezes, then passed with unseen items unknown',
  async (t) => {
    const h = setup({ clockAt: at(START, 20) });
    await h.stage.handle('cto', [
      entry('║ rex - coder workflow starting', at(START, 1)),
      entry('  ✓ Copied prompt.md', at(START, 2)),
      entry('    └─ Remote tools: 4', at(START, 3)),
    ]);
    let u = h.last();
    t.equal(u?.state, 'pending');
    t.match(h.item(u, 'agent_type_identified'), {
      state: 'passed',
      evidence: '║ rex - coder workflow starting',
    });
    t.match(h.item(u, 'template_loaded'), { state: 'passed' });
    t.match(h.item(u, 'remote_tools_accessible'), { state: 'passed' });
    t.match(h.item(u, 'tools_server_reachable'), { state: 'unknown', evidence: null });

    const n = h.checklists.length;
    await h.stage.tick();
    t.equal(h.checklists.length, n, 'nothing new before the freeze');

    h.clock.set(at(START, 76)); // 60 s window + 15 s grace for late lines
    await h.stage.tick();
    u = h.last();
    t.equal(u?.state, 'passed', 'all seen items passed by the freeze');
    t.equal(u?.items.filter((i) => i.state === 'unknown').length, 5);

    const m = h.checklists.length;
    await h.stage.handle('cto', [
      entry('  ✅ Health check: OK (HTTP 200)', at(START, 70)),
      entry(
        'tools-server http://cto-tools:3000/mcp unreachable: connection refused',
        at(START, 71),
      ),
    ]);
    await h.stage.tick();
    t.equal(h.checklists.length, m, 'lines after the window change nothing: frozen');
    t.match(h.drafts, [{ alert: 'A12', severity: 'high', context: { preflight: false } }]);
  },
);

void t.test(
  'a run that printed nothing freezes as unknown (it is among the active runs)',
  async (t) => {
    const clock = new ManualClock(at(START, 5));
    const session = playSession(START);
    const h = stageHarness({
      clock,
      sessions: [session],
      startedAt: { [REX]: START },
      extra: { activeRuns: () => [{ namespace: 'cto', pod: REX_POD, container: 'rex' }] },
    });
    await h.stage.tick();
    t.equal(h.checklists.length, 0, 'nothing to hand on while the window is open');
    clock.set(at(START, 80));
    await h.stage.tick();
    t.equal(h.last()?.state, 'unknown');
    t.ok(h.last()?.items.every((i) => i.state === 'unknown'));
    await h.stage.tick();
    t.equal(h.checklists.length, 1, 'handed on once');
  },
);

void t.test('a run first seen after its window leaves a decided checklist alone', async (t) => {
  const clock = new ManualClock(at(START, 600));
  const session = playSession(START);
  session.agents[0].preflight.state = 'passed';
  const h = stageHarness({ clock, sessions: [session], startedAt: { [REX]: START } });
  await h.stage.handle('cto', [entry('Error: connect ECONNREFUSED 10.0.0.1:443', at(START, 590))]);
  await h.stage.tick();
  t.equal(h.drafts.length, 1);
  t.same(h.checklists, []);
});

void t.test('a restarted container is a new run: its checklist starts again', async (t) => {
  const clock = new ManualClock(at(START, 5));
  const session = playSession(START);
  const startedAt: Record<string, Date> = { [REX]: START };
  const h = stageHarness({ clock, sessions: [session], startedAt });
  await h.stage.handle('cto', [entry(MCP_FAIL, at(START, 4))]);
  t.equal(h.last()?.state, 'failed');
  const restart = at(START, 300);
  startedAt[REX] = restart;
  clock.set(at(restart, 5));
  await h.stage.handle('cto', [entry('  ✓ Copied prompt.md', at(restart, 2))]);
  t.equal(h.last()?.state, 'pending');
  t.match(h.item(h.last(), 'local_servers_initialised'), { state: 'unknown' });
  t.match(h.item(h.last(), 'template_loaded'), { state: 'passed' });
});

void t.test('routing: other plays, excluded pods, sidecars and non-agent pods', async (t) => {
  const h = setup();
  const line = 'Error: connect ECONNREFUSED 10.0.0.1:443';
  await h.stage.handle('cto', [
    entry(line, at(START, 5), { pod: 'cto-controller-6d8f9-abcde', container: 'controller' }),
    entry(line, at(START, 5), { container: 'docker-daemon' }),
    entry(line, at(START, 5), { pod: 'grafana-7c9d-x2x', container: 'grafana' }),
    entry(line, at(START, 5), { pod: 'play-7-cleo-abc', container: 'cleo' }),
    entry(line, at(START, 6)),
  ]);
  t.equal(h.drafts.length, 2);
  t.match(
    h.drafts[0],
    { playId: null, agent: 'cleo', context: { pod: 'play-7-cleo-abc' } },
    'an agent pod of no session: platform',
  );
  t.match(h.drafts[1], { playId: PLAY, agent: 'rex', alert: 'runtime', subject: 'network' });
});

void t.test(
  'one incident key per (alert, play, agent, family): context for the first occurrence, matching lines kept',
  async (t) => {
    const h = setup({ clockAt: at(START, 200) });
    await h.stage.handle('cto', [
      entry('$ npm ci', at(START, 100)),
      entry('fetching https://packages.example.com/undici', at(START, 101)),
      entry('Error: connect ECONNREFUSED 10.0.0.1:443', at(START, 102)),
      entry(
        '    at TCPConnectWrap.afterConnect [as oncomplete] (node:net:1607:16)',
        at(START, 103),
      ),
    ]);
    await h.stage.handle('cto', [
      entry('Error: connect ECONNREFUSED 10.0.0.2:443', at(START, 150)),
    ]);
    t.equal(h.drafts.length, 2);
    t.same(h.drafts[0].evidence, [
      'Error: connect ECONNREFUSED 10.0.0.1:443',
      `--- context (${REX_POD}/rex at ${at(START, 102).toISOString()}) ---`,
      '$ npm ci',
      'fetching https://packages.example.com/undici',
      '» Error: connect ECONNREFUSED 10.0.0.1:443',
      '    at TCPConnectWrap.afterConnect [as oncomplete] (node:net:1607:16)',
    ]);
    t.same(h.drafts[1].evidence.slice(0, 2), [
      'Error: connect ECONNREFUSED 10.0.0.1:443',
      'Error: connect ECONNREFUSED 10.0.0.2:443',
    ]);
    t.equal(h.drafts[1].evidence.length, 7, 'the first context stays');
  },
);

void t.test('with a context source (Loki) it is asked once per incident key', async (t) => {
  const clock = new ManualClock(at(START, 200));
  const asked: string[] = [];
  const h = stageHarness({
    clock,
    sessions: [playSession(START)],
    startedAt: { [REX]: START },
    extra: {
      contextAround: (e) => {
        asked.push(e.line);
        return Promise.resolve({ before: ['b1', 'b2'], after: ['a1'] });
      },
    },
  });
  await h.stage.handle('cto', [
    entry('Error: connect ECONNREFUSED 10.0.0.1:443', at(START, 100)),
    entry('Error: connect ECONNREFUSED 10.0.0.2:443', at(START, 101)),
  ]);
  t.same(asked, ['Error: connect ECONNREFUSED 10.0.0.1:443']);
  t.same(h.drafts[0].evidence.slice(1), [
    `--- context (${REX_POD}/rex at ${at(START, 100).toISOString()}) ---`,
    'b1',
    'b2',
    '» Error: connect ECONNREFUSED 10.0.0.1:443',
    'a1',
  ]);
});

void t.test('a multi-line entry is classified as one line', async (t) => {
  const h = setup({ clockAt: at(START, 200) });
  await h.stage.handle('cto', [
    entry('starting\nError: connect ECONNREFUSED 10.0.0.1:443', at(START, 100)),
    entry('Error: connect ECONNREFUSED 10.0.0.3:443', at(START, 101)),
  ]);
  t.equal(h.drafts.length, 2);
  t.match(h.drafts[1].context, { lineTime: at(START, 101).toISOString() });
});

void t.test('a gap is reported on every active session of the namespace', async (t) => {
  const clock = new ManualClock(START);
  const sessions = [
    playSession(START),
    playSession(START, 'play-43'),
    playSession(START, 'play-44', 'other'),
  ];
  const h = stageHarness({ clock, sessions, startedAt: {} });
  await h.stage.gap('cto', at(START, -7200), at(START, -3600));
  t.same(
    h.gaps.map((g) => g.playId),
    [PLAY, 'play-43'],
  );
});

void t.test('a failing sink does not stop the stage', async (t) => {
  const clock = new ManualClock(at(START, 12));
  const warnings: string[] = [];
  const h = stageHarness({
    clock,
    sessions: [playSession(START)],
    startedAt: { [REX]: START },
    extra: {
      onDraft: () => Promise.reject(new Error('store down')),
      logger: {
        debug: () => undefined,
        info: () => undefined,
        warn: (_o, m) => void warnings.push(m),
      },
    },
  });
  await h.stage.handle('cto', [entry(MCP_FAIL, at(START, 10)), entry(MCP_FAIL, at(START, 11))]);
  t.equal(warnings.filter((w) => /recording a log alert failed/.test(w)).length, 2);
  t.equal(h.last()?.state, 'failed', 'the checklist still updates');
});
