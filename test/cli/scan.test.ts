import t from 'tap';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { Command } from 'commander';
import { registerScan, runScan } from '../../src/cli/scan.js';

const dir = mkdtempSync(join(tmpdir(), 'healer-scan-'));
const LOG = [
  'hello',
  'Error: connect ECONNREFUSED 127.0.0.1:3000',
  'timeout=30s',
  'McpError: MCP error -32000: Connection closed',
].join('\n');
const file = join(dir, 'agent.log');
writeFileSync(file, `${LOG}\n`);

async function scan(opts: {
  files?: string[];
  json?: boolean;
  all?: boolean;
  fail?: boolean;
  explain?: boolean;
  stdin?: string;
}) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (d: Buffer) => (out += d.toString()));
  stderr.on('data', (d: Buffer) => (err += d.toString()));
  const code = await runScan({
    files: opts.files ?? [],
    json: opts.json ?? false,
    all: opts.all ?? false,
    fail: opts.fail ?? false,
    explain: opts.explain ?? false,
    stdin: Readable.from([opts.stdin ?? '']),
    stdout,
    stderr,
  });
  return { code, out, err };
}

void t.test('text output: one line per finding, exit 0', async (t) => {
  const r = await scan({ files: [file] });
  t.equal(r.code, 0);
  t.same(r.out.trim().split('\n'), [
    `${file}:2: high runtime rt-connection-refused: Error: connect ECONNREFUSED 127.0.0.1:3000`,
    `${file}:4: high A12 a12-mcp-sdk-connection-closed: McpError: MCP error -32000: Connection closed`,
  ]);
  t.equal(r.err, '2 findings\n');
});

void t.test('--json: one object per finding', async (t) => {
  const r = await scan({ files: [file], json: true });
  const rows = r.out
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
  t.match(rows, [
    {
      file,
      line: 2,
      alert: 'runtime',
      severity: 'high',
      pattern: 'rt-connection-refused',
      issueType: 'agent_error',
    },
    {
      file,
      line: 4,
      alert: 'A12',
      severity: 'high',
      pattern: 'a12-mcp-sdk-connection-closed',
      priority: 1,
    },
  ]);
});

void t.test('--all: one object for every input line, in order, from stdin', async (t) => {
  const r = await scan({ all: true, stdin: LOG });
  t.equal(r.code, 0);
  t.same(
    r.out
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as unknown),
    [
      { line: 1, alert: null, severity: null, pattern: null },
      { line: 2, alert: 'runtime', severity: 'high', pattern: 'rt-connection-refused' },
      { line: 3, alert: null, severity: null, pattern: null },
      { line: 4, alert: 'A12', severity: 'high', pattern: 'a12-mcp-sdk-connection-closed' },
    ],
  );
});

void t.test('nothing found is still exit 0', async (t) => {
  const r = await scan({ stdin: 'all good\nstill good\n' });
  t.equal(r.code, 0);
  t.equal(r.out, '');
});

void t.test('--fail: exit 1 on findings, 0 when clean, 2 on a read error', async (t) => {
  const found = await scan({ files: [file], fail: true });
  t.equal(found.code, 1);
  t.equal(found.err, '2 findings\n', 'the findings are still printed');
  t.equal(found.out.trim().split('\n').length, 2);
  t.equal((await scan({ files: [file], fail: true, json: true })).code, 1);
  t.equal((await scan({ stdin: 'all good\n', fail: true })).code, 0);
  t.equal((await scan({ files: [join(dir, 'nope.log')], fail: true })).code, 2);
});

void t.test('an unreadable file: exit 2 with a clear message', async (t) => {
  const missing = await scan({ files: [file, join(dir, 'nope.log')] });
  t.equal(missing.code, 2);
  t.match(missing.err, /^healer scan: cannot read .*nope\.log: no such file\n$/);
  t.equal(missing.out, '', 'nothing printed before the check');
  const folder = await scan({ files: [dir] });
  t.equal(folder.code, 2);
  t.match(folder.err, /is a directory/);
});

void t.test('a large file streams across chunk boundaries with correct line numbers', async (t) => {
  const big = join(dir, 'big.log');
  const filler = 'INFO ordinary line with nothing to report, padding padding padding padding';
  const lines = Array.from({ length: 60_000 }, (_, i) =>
    i % 10_000 === 9_999 ? 'fatal: the remote end hung up unexpectedly' : filler,
  );
  writeFileSync(big, lines.join('\n') + '\n');
  const r = await scan({ files: [big, file], all: true });
  const rows = r.out
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { file: string; line: number; pattern: string | null });
  t.equal(rows.length, 60_000 + 4);
  t.same(
    rows.filter((x) => x.pattern).map((x) => [x.file === big ? 'big' : 'small', x.line, x.pattern]),
    [
      ...[10_000, 20_000, 30_000, 40_000, 50_000, 60_000].map((n) => [
        'big',
        n,
        'rt-connection-reset',
      ]),
      ['small', 2, 'rt-connection-refused'],
      ['small', 4, 'a12-mcp-sdk-connection-closed'],
    ],
  );
});

void t.test('--explain: the reason for each finding and for each near miss', async (t) => {
  const stdin = [
    'INFO     Setting up STDIO servers with 120.0s timeout',
    'panic: runtime error: invalid memory address or nil pointer dereference',
    'goroutine 1 [running]:',
    'exit status 2',
    'nothing to see',
    '  Warning  BackOff    2m (x373 over 1h)   kubelet  Back-off restarting failed container',
  ].join('\n');
  const r = await scan({ explain: true, stdin });
  t.equal(r.code, 0);
  t.same(r.out.trimEnd().split('\n'), [
    '1: not flagged: INFO     Setting up STDIO servers with 120.0s timeout',
    '    rt-timeout: pattern matched "timeout", vetoed by the info level of its prefix envelope (filter info-level)',
    '2: flagged runtime (critical) by rt-go-panic: panic: runtime error: invalid memory address or nil pointer dereference',
    '    rt-go-panic: pattern matched "panic: r"',
    '4: not flagged: exit status 2',
    '    rt-exit-code: pattern matched "exit status 2"',
    '    structure:go-panic-tail: part of the Go panic above (signal, goroutine dump, exit status)',
    '6: flagged runtime (high) by rt-pod-failure: ' +
      '  Warning  BackOff    2m (x373 over 1h)   kubelet  Back-off restarting failed container',
    '    rt-pod-failure: pattern matched "Back-off restarting failed container"',
  ]);
  t.equal(r.err, '2 findings\n');
  const json = await scan({ explain: true, json: true, stdin });
  const rows = json.out
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { line: number; flagged: boolean; steps: { by: string }[] });
  t.same(
    rows.map((x) => [x.line, x.flagged, x.steps.map((s) => s.by)]),
    [
      [1, false, ['rt-timeout']],
      [2, true, ['rt-go-panic']],
      [4, false, ['rt-exit-code', 'structure:go-panic-tail']],
      [6, true, ['rt-pod-failure']],
    ],
  );
});

void t.test('registerScan adds `scan` and hands the exit code to run()', async (t) => {
  const out = new PassThrough();
  const err = new PassThrough();
  let got: Promise<number> | undefined;
  const program = new Command('healer').exitOverride();
  registerScan(program, { out, err }, (p) => {
    got = p;
  });
  await program.parseAsync(['scan', join(dir, 'missing.log')], { from: 'user' });
  t.equal(await got, 2);
  await program.parseAsync(['scan', '--fail', file], { from: 'user' });
  t.equal(await got, 1, '--fail reaches runScan');
});
