import t from 'tap';
import { PassThrough } from 'node:stream';
import { main } from '../../src/cli/index.js';
import { MCP_FIXTURE, testHealer } from '../helpers/healer.js';

function capture() {
  const out = new PassThrough();
  const err = new PassThrough();
  let o = '';
  let e = '';
  out.on('data', (d: Buffer) => (o += d.toString()));
  err.on('data', (d: Buffer) => (e += d.toString()));
  return { io: { out, err }, stdout: () => o, stderr: () => e };
}

void t.test('sessions and status query a running Healer', async (t) => {
  const { app } = await testHealer();
  t.teardown(() => app.close());
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  await app.inject({
    method: 'POST',
    url: '/api/v1/session/start',
    headers: { 'content-type': 'application/json' },
    payload: MCP_FIXTURE,
  });

  let c = capture();
  t.equal(await main(['sessions', '--url', url], c.io), 0);
  t.match(c.stdout(), /PLAY\s+REPOSITORY\s+STATUS/);
  t.match(c.stdout(), /play-mcp-format-test\s+5dlabs\/cto-parallel-test\s+active\s+1\s+0/);

  c = capture();
  t.equal(await main(['sessions', '--active', '--json', '--url', url], c.io), 0);
  t.match(JSON.parse(c.stdout()), {
    status: 'ok',
    count: 1,
    sessions: [{ play_id: 'play-mcp-format-test' }],
  });

  c = capture();
  t.equal(await main(['status', '--play-id', 'play-mcp-format-test', '--url', url], c.io), 0);
  t.match(c.stdout(), /play-mcp-format-test\s+active\s+5dlabs\/cto-parallel-test/);
  t.match(c.stdout(), /rex\s+implementation/);
  t.match(c.stdout(), /preflight=pending/);

  c = capture();
  t.equal(
    await main(['status', '--play-id', 'play-mcp-format-test', '--json', '--url', url], c.io),
    0,
  );
  t.match(JSON.parse(c.stdout()), {
    play_id: 'play-mcp-format-test',
    agents: [{ name: 'rex' }, { name: 'bolt' }],
  });

  c = capture();
  t.equal(await main(['status', '--play-id', 'play-nope', '--url', url], c.io), 1);
  t.equal(c.stderr(), 'healer: no session for play play-nope\n');
});

void t.test('a Healer that is not running gives a one-line reason and exit 1', async (t) => {
  const c = capture();
  t.equal(await main(['sessions', '--url', 'http://127.0.0.1:9'], c.io), 1);
  t.match(c.stderr(), /^healer: cannot reach Healer at http:\/\/127\.0\.0\.1:9/);
  t.equal(c.stderr().trim().split('\n').length, 1);
});

void t.test('--help on every command', async (t) => {
  for (const cmd of [[], ['serve'], ['check-config'], ['sessions'], ['status']]) {
    const c = capture();
    const code = await main([...cmd, '--help'], c.io);
    t.equal(code, 0, `${cmd.join(' ') || 'healer'} --help exits 0`);
    t.match(c.stdout(), /Usage: healer/);
  }
  const c = capture();
  t.equal(await main(['status'], c.io), 1, 'missing required option');
  t.match(c.stderr(), /--play-id/);
});

void t.test('an unknown command is named as such, with the list of commands', async (t) => {
  for (const argv of [['nonsense'], ['nonsense', 'more'], ['sesions', '--active']]) {
    const c = capture();
    t.equal(await main(argv, c.io), 1, `${argv.join(' ')} exits 1`);
    t.match(c.stderr(), new RegExp(`unknown command '${argv[0]}'`));
    t.notMatch(c.stderr(), /too many arguments/);
    t.match(c.stderr(), /serve.*check-config.*sessions/s, 'lists the commands');
  }
  const c = capture();
  t.equal(await main(['sesions'], c.io), 1);
  t.match(c.stderr(), /did you mean 'sessions'\?/, 'suggests the nearest command');
});
