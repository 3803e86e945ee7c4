import t from 'tap';
import { readdirSync, readFileSync } from 'node:fs';
import {
  Classifier,
  envelopeOf,
  loadCatalogue,
  StreamWindow,
  WINDOW_LINES,
} from '../../../src/detectors/patterns/index.js';

// Structure before strings (issue #12 item 2): envelopes, multi-line shapes and the window of
// preceding lines. Lines are real wording (the detection corpus's tune half and tools' docs).

const classifier = new Classifier(loadCatalogue());
const chunk = (...lines: string[]) =>
  classifier.classifyChunk(lines.join('\n')).map((f) => [f.line, f.alert, f.patternId]);

void t.test(
  'envelopes: the level of JSON events, klog, logrus, logfmt, prefixes and brackets',
  (t) => {
    const cases: [string, string | null, string | null][] = [
      ['{"level":"error","msg":"failed to sync"}', 'json', 'error'],
      ['{"level":50,"time":1,"msg":"request failed"}', 'json', 'error'], // pino
      ['{"level":60,"msg":"boom"}', 'json', 'fatal'], // bunyan fatal
      ['{"severity":"INFO","message":"ok"}', 'json', 'info'],
      ['{"type":"result","subtype":"error_max_turns","num_turns":40}', 'json', 'error'],
      [
        'E0518 13:39:57.882748   18190 controller.go:92] unable to sync kubernetes service',
        'klog',
        'error',
      ],
      ['F0821 06:18:42.480209 17 client_builder.go:273] unable to get token', 'klog', 'fatal'],
      [
        'Apr 05 05:33:40 master kubelet[4759]: F0405 05:33:40.511159    4759 server.go:274] failed to run Kubelet',
        'klog',
        'fatal',
      ],
      ["FATA[0001] invalid character 'U' looking for beginning of value", 'logrus', 'fatal'],
      ['time="2020-11-23T10:43:31Z" level=error msg="Failed to get pod"', 'logfmt', 'error'],
      ['2025-04-04 18:43:07.671 [error]  MCP: No server info found', 'bracket', 'error'],
      ['[WRN] SYTM: ExecuteTemplate error', 'bracket', 'warn'],
      ['INFO     Setting up STDIO servers with 120.0s timeout', 'prefix', 'info'],
      ['npm ERR! code ELIFECYCLE', 'npm', 'error'],
      [
        '  Warning  BackOff    2m (x373 over 1h)   kubelet, dk03  Back-off restarting',
        'event',
        'warn',
      ],
      ['just words', null, null],
    ];
    for (const [line, shape, level] of cases) {
      const e = envelopeOf(line);
      t.equal(e.shape, shape, `${line} shape`);
      t.equal(e.level, level, `${line} level`);
    }
    t.equal(
      envelopeOf('  Warning  Unhealthy  1s  kubelet  Liveness probe failed').reason,
      'Unhealthy',
    );
    t.equal(envelopeOf('{"level":"error","msg":"failed to sync"}').message, 'failed to sync');
    t.end();
  },
);

void t.test('a Python traceback is found on the exception that ends it', (t) => {
  t.same(
    chunk(
      'Traceback (most recent call last):',
      '  File "bot.py", line 165, in <module>',
      '    bot.run()',
      "KeyError: 'repo_name'",
    ),
    [[4, 'runtime', 'structure:traceback-end']],
  );
  // A REPL's syntax error has no Traceback header: quiet.
  t.same(chunk('  File "<stdin>", line 3', '    ^', 'SyntaxError: invalid syntax'), []);
  t.end();
});

void t.test('a Rust panic inside cargo test output is a test result; outside it, a crash', (t) => {
  t.same(
    chunk(
      '---- armed::syntax4 stdout ----',
      "thread 'armed::syntax4' panicked at tests/it.rs:26:23:",
      'assertion failed: ! 2 + 2 == 4',
    ),
    [],
  );
  t.same(chunk("thread 'main' panicked at src/client.rs:111:62:"), [
    [1, 'runtime', 'rt-rust-panic'],
  ]);
  t.end();
});

void t.test('a Go panic is one finding, also when its tail arrives in the next chunk', (t) => {
  const stream = new StreamWindow();
  const a = classifier.classifyChunk(
    'panic: runtime error: invalid memory address or nil pointer dereference',
    1,
    stream,
  );
  const b = classifier.classifyChunk(
    '[signal SIGSEGV: segmentation violation code=0x1 addr=0x28 pc=0x1385f7c]\ngoroutine 1 [running]:\nexit status 2',
    2,
    stream,
  );
  t.same(
    a.map((f) => f.patternId),
    ['rt-go-panic'],
  );
  t.same(b, [], 'the signal line and exit status belong to the panic above');
  // Without the window (a fresh stream), the same lines stand on their own.
  t.same(
    classifier
      .classifyChunk('[signal SIGSEGV: segmentation violation code=0x1]')
      .map((f) => f.patternId),
    ['rt-crash-signal'],
  );
  t.end();
});

void t.test('the line above comes from the previous chunk of the same stream', (t) => {
  // quietDump reads only the line above (Context.previous()); at a chunk's first line that line is
  // the stream window's last one.
  const announce =
    '2024-03-06 10:54:27,185 - MainThread - botocore.parsers - DEBUG - Response body:';
  const body = `b'{"error":"invalid_grant","error_description":"Invalid refresh token provided"}'`;
  const stream = new StreamWindow();
  t.same(classifier.classifyChunk(announce, 1, stream), []);
  t.same(classifier.classifyChunk(body, 2, stream), [], 'the body under its debug line');
  t.same(
    classifier.classifyChunk(body, 1, new StreamWindow()).map((f) => f.alert),
    ['runtime'],
    'the same body at the start of a fresh stream',
  );
  t.same(
    classifier.classifyChunk(`${announce}\n${body}`).map((f) => f.alert),
    [],
    'and within one chunk',
  );
  t.end();
});

void t.test('continuations of a finding stay quiet; repeated records are each found', (t) => {
  t.same(
    chunk(
      'API Error: 401 ',
      '    {"type":"error","error":{"type":"authentication_error","message":"OAuth',
      '     token has expired. Please obtain a new token or refresh your existing ',
    ).map((r) => r[0]),
    [1],
    'a wrapped JSON body and wrapped text continue the 401 above',
  );
  t.same(
    chunk('kubernetes.client.rest.ApiException: (401)', 'Reason: Unauthorized').map((r) => r[0]),
    [1],
  );
  t.same(chunk('npm ERR! code ELIFECYCLE', 'npm ERR! errno 1', 'npm ERR! Exit status 1'), [
    [1, 'runtime', 'rt-build-failed'],
  ]);
  t.same(
    chunk('Permission denied, please try again.', 'Permission denied, please try again.').map(
      (r) => r[0],
    ),
    [1, 2],
  );
  // A stream-json event is a record of its own, even right after a finding.
  t.same(
    chunk(
      '[ERROR] MCP server "github" Connection failed: spawn npx ENOENT',
      '{"type":"user","message":{"content":[{"type":"tool_result","content":"<tool_use_error>Error: No such tool available: x</tool_use_error>"}]}}',
    ).map((r) => r[1]),
    ['A12', 'A10'],
  );
  t.end();
});

void t.test('kubectl describe event rows: Warning reasons are runtime, Normal rows quiet', (t) => {
  t.same(
    chunk(
      '  Type     Reason     Age                 From           Message',
      '  Warning  BackOff    2m (x373 over 1h)   kubelet, dk03  Back-off restarting failed contai',
      '  Normal   Started    13m               kubelet            Started container web',
      '  Warning  FailedScheduling  1m  default-scheduler  0/3 nodes are available: 3 Insufficient cpu.',
    ).map((r) => r[0]),
    [2, 4],
  );
  t.end();
});

void t.test('status documents and tables that mark an MCP server failed are A12', (t) => {
  t.same(
    chunk('[', '  {', '    "name": "my-failing-server",', '    "status": "failed"', '  }', ']'),
    [],
    'no MCP context: a bare "failed" status says nothing',
  );
  t.same(
    chunk(
      '  {',
      '    "name": "srv",',
      '    "status": "connected",',
      '    "serverInfo": {}',
      '  },',
      '    "status": "failed"',
    ),
    [[6, 'A12', 'structure:mcp-status-failed']],
  );
  t.same(chunk('http://127.0.0.1:4096/mcp', 'context7\t"failed"'), [
    [2, 'A12', 'structure:mcp-status-failed'],
  ]);
  t.same(chunk('X-mcp MCP Server', ' Status: × failed'), [
    [2, 'A12', 'structure:mcp-status-failed'],
  ]);
  t.same(chunk('X-mcp MCP Server', ' Status: ✔ connected'), []);
  t.end();
});

void t.test('an MCP connection lost during a tool call is runtime; at start-up, A12', (t) => {
  t.same(chunk('Error calling tool execute_sql: McpError: MCP error -32000: Connection closed'), [
    [1, 'runtime', 'a12-mcp-sdk-connection-closed'],
  ]);
  const f = classifier.classifyChunk('  ⎿  Error: MCP error -32000: Connection closed')[0];
  t.match(f, { alert: 'runtime', rule: 'structure:mcp-during-call', issueType: 'agent_error' });
  t.same(
    chunk(
      "Error during discovery for server 'x': Connection failed for 'x': MCP error -32000: Connection closed",
    ).map((r) => r[1]),
    ['A12'],
  );
  t.end();
});

void t.test('error envelopes that state a failure are runtime; INFO lines are not', (t) => {
  t.same(
    chunk(
      'E0518 13:39:57.882748   18190 controller.go:92] unable to sync kubernetes service',
      "FATA[0001] invalid character 'U' looking for beginning of value",
      'I0518 13:39:57.882748   18190 controller.go:92] unable to sync kubernetes service',
      'INFO     Setting up STDIO servers with 120.0s timeout',
    ),
    [
      [1, 'runtime', 'structure:error-envelope'],
      [2, 'runtime', 'structure:error-envelope'],
    ],
  );
  t.equal(classifier.classifyLine("FATA[0001] invalid character 'U'")?.severity, 'critical');
  t.end();
});

void t.test('explainLine names what matched and what vetoed it', (t) => {
  const veto = classifier.explainLine('INFO     Setting up STDIO servers with 120.0s timeout');
  t.equal(veto.finding, null);
  t.match(veto.steps, [{ by: 'rt-timeout', outcome: 'vetoed', detail: /info level/ }]);
  const filtered = classifier.explainLine('test tests::test_timeout_error_handling ... ok');
  t.equal(filtered.finding, null);
  t.match(filtered.steps, [{ outcome: 'vetoed', detail: /filter test-names/ }]);
  const hit = classifier.explainLine('Error: connect ETIMEDOUT 140.82.112.6:443');
  t.match(hit, {
    finding: { patternId: 'rt-timeout' },
    steps: [{ by: 'rt-timeout', outcome: 'matched' }],
  });
  const tail = classifier.explainLine('exit status 2', [
    'panic: runtime error: x',
    'goroutine 1 [running]:',
  ]);
  t.match(tail.steps, [
    { by: 'rt-exit-code', outcome: 'matched' },
    { by: 'structure:go-panic-tail', outcome: 'vetoed' },
  ]);
  t.end();
});

// Every tuning half and the older corpus (never the held-out half): `healer scan --explain` says
// of each line what the scan does, including lines the scan's candidate search never looks at
// (three once differed: a structural finding explained on a line with no structural literal).
const EXPLAINED = [
  new URL('../../fixtures/logs/', import.meta.url),
  ...['tune', ...readdirSync(new URL('../../fixtures/detection-corpus/', import.meta.url))]
    .filter((d) => d === 'tune' || /^round\d+$/.test(d))
    .map((d) => new URL(`../../fixtures/detection-corpus/${d}/`, import.meta.url)),
];

void t.test(
  'line by line with explainLine gives the findings classifyChunk gives (every tuning half)',
  (t) => {
    for (const dir of EXPLAINED) {
      for (const file of readdirSync(dir).filter((f) => f.endsWith('.log'))) {
        const lines = readFileSync(new URL(file, dir), 'utf8').replace(/\n$/, '').split('\n');
        const want = classifier.classifyChunk(lines.join('\n')).map((f) => [f.line, f.patternId]);
        const got: [number, string][] = [];
        let last: { line: number; text: string } | null = null;
        lines.forEach((line, i) => {
          const before = lines.slice(Math.max(0, i - WINDOW_LINES), i);
          const lf = last ? { back: i + 1 - last.line, text: last.text } : null;
          const { finding } = classifier.explainLine(line, before, lf);
          if (finding) {
            got.push([i + 1, finding.patternId]);
            last = { line: i + 1, text: line };
          }
        });
        t.same(got, want, `${dir.pathname.split('/').slice(-2, -1)[0]}/${file}`);
      }
    }
    t.end();
  },
);

void t.test('round 2: records that are not continuations, and trailers that are', (t) => {
  // A quoted sentence is a record of its own, not a field of a JSON document.
  t.same(
    chunk(
      'stream error: exceeded retry limit, last status: 401 Unauthorized',
      '"Error: exceeded retry limit, last status: 401 Unauthorized, request id: ”',
    ).map((r) => r[0]),
    [1, 2],
  );
  t.same(
    chunk(
      'Exception fetching from github Unexpected response code: 401',
      '  "message": "Bad credentials",',
    ).map((r) => r[0]),
    [1],
    'a field of a JSON body right under the failure is still a continuation',
  );
  // A JSON document opened on its own line after a finding is a new record, not its body.
  t.same(
    chunk(
      '[Headless Task] Auth failure (fallback detection): Subscription token may be expired or revoked.',
      '{',
      '  "type": "result",',
      '  "subtype": "error_max_turns",',
      '  "is_error": true,',
      '  "terminal_reason": "max_turns",',
      '  "errors": ["Reached maximum number of turns (20)"]',
      '}',
    ),
    [
      [1, 'runtime', 'rt-unauthorized'],
      [4, 'lifecycle', 'lc-limit-reached'],
    ],
  );
  // Wrapped text continues the finding right above it, not a line after an unrelated record.
  t.same(
    chunk(
      'exceeded retry limit, last status: 401 Unauthorized, request id: 9a5793386e39fede-SIN',
      'Route Error (400 Invalid Session): "Your authorization session was not initialized or has expired"',
      ' unexpected status 401 Unauthorized: Invalid API key, url: http://localhost:20128/v1/responses',
    ).map((r) => r[0]),
    [1, 2, 3],
  );
  // The exit status printed right after the failure belongs to it; alone, it is the finding.
  t.same(
    chunk(
      'Error executing binary: spawn /opt/agent-browser/bin/agent-browser-darwin-arm64 EACCES',
      'error: "agent-browser" exited with code 1',
    ).map((r) => r[0]),
    [1],
  );
  t.same(chunk('error: "agent-browser" exited with code 1').length, 1);
  t.same(
    chunk(
      'npm ERR! code EAI_AGAIN',
      'npm ERR! errno EAI_AGAIN',
      'npm ERR! request to https://registry.npmjs.org/left-pad failed, reason: getaddrinfo EAI_AGAIN registry.npmjs.org',
      'npm ERR! syscall getaddrinfo',
    ).map((r) => r[0]),
    [3],
    "npm's network block: its code and errno fields are no finding, the message line is (round 7)",
  );
  t.same(
    chunk(
      '#9 41.20 npm error code ETIMEDOUT',
      '#9 41.20 npm error network request to https://registry.npmjs.org/left-pad failed, reason: connect ETIMEDOUT 104.16.0.35:443',
      '#9 41.20 npm error errno ETIMEDOUT',
      '#9 41.20 npm error A complete log of this run can be found in: /root/.npm/_logs/debug-0.log',
    ).map((r) => r[0]),
    [2],
    "the same behind BuildKit's step prefix, with npm 7's lower-case `npm error`",
  );
  t.end();
});

void t.test('round 2: a log viewer gutter, REPL answers, MCP status rows and fields', (t) => {
  const e = envelopeOf(
    '09:21:05 |   | ERROR: kubernetes-wait-pod: Exception waiting for job: (401)',
  );
  t.equal(e.level, 'error');
  t.same(
    chunk(
      '09:21:05 |   | ERROR: kubernetes-wait-pod: Exception waiting for job: (401)',
      '09:21:05 |   | Reason: Unauthorized',
    ).map((r) => r[0]),
    [1],
    'the field under it behind the same gutter is a continuation',
  );
  t.same(
    chunk(
      '>>> 1 / 0',
      'Traceback (most recent call last):',
      '  File "<python-input-1>", line 1, in <module>',
      '    1 / 0',
      'ZeroDivisionError: division by zero',
    ),
    [],
    "an interpreter's answer to its prompt",
  );
  t.same(
    chunk(
      'Traceback (most recent call last):',
      '  File "app.py", line 3, in <module>',
      '    1 / 0',
      'ZeroDivisionError: division by zero',
    ),
    [[4, 'runtime', 'structure:traceback-end']],
    'the same traceback from a program',
  );
  t.same(
    chunk(
      ' Manage MCP servers',
      ' 1 server',
      ' ❯ 1. ft_generate_mcp_server  ✘ failed · Enter to view details',
    ),
    [[3, 'A12', 'structure:mcp-status-failed']],
  );
  t.same(
    chunk(
      ' Manage MCP servers',
      ' ❯ 1. ft_generate_mcp_server  ✔ connected · Enter to view details',
    ),
    [],
  );
  t.same(chunk('  ⎿  ⎿  MCP Server Status', '     ⎿  • ec2mario-mcp-server: disconnected'), [
    [2, 'A12', 'structure:mcp-status-failed'],
  ]);
  t.same(chunk('     ⎿  • worker-3: disconnected'), [], 'no MCP context');
  t.same(chunk('server unavailable key=xcode type=local status=failed'), [
    [1, 'A12', 'structure:mcp-status-failed'],
  ]);
  // no MCP transport on the record: the structural rule leaves it. (The learned stage then judges
  // it as an error-shaped line no rule decided; lr-bfe1467d called it A12 at 0.74 from `status
  // failed` alone, lr-2ac2fc57 a near miss at 0.54, lr-a81e582b (threshold 0.7) under its near-miss
  // band — a weak call this test does not cover, see docs/detection.md.)
  t.same(
    chunk('deploy finished key=web type=rolling status=failed').filter((f) =>
      String(f[2]).startsWith('structure:'),
    ),
    [],
  );
  t.end();
});

void t.test('round 4: parts of a shape whatever their words', (t) => {
  // The source line of a traceback frame is code, even when it names a timeout.
  t.same(
    chunk(
      'Traceback (most recent call last):',
      '  File "/app/.venv/lib/python3.10/site-packages/litellm/llms/custom_httpx/http_handler.py", line 765, in post',
      '    raise litellm.Timeout(',
      'litellm.exceptions.Timeout: litellm.Timeout: Connection timed out after 600.0 seconds.',
    ).map((r) => r[0]),
    [4],
  );
  t.same(
    chunk('  File "app.py", line 12, in handler', '    log.error("request timed out")'),
    [],
    'a frame source line that logs the words',
  );
  // Rust anyhow's cause list: the error above it is the finding.
  t.same(
    chunk(
      'Failed to add MCP server: Error: failed to load configuration',
      'Caused by:',
      '    0: /home/dev/.codex/config.toml:3:16: unknown variant `default`, expected `fast` or `flex`',
      '    1: TOML parse error at line 3, column 16',
    ),
    [[1, 'A11', 'a11-agent-config-invalid']],
  );
  t.same(
    chunk('    0: /home/dev/.codex/config.toml:3:16: unknown variant `default`, expected `fast`'),
    [[1, 'A11', 'a11-agent-config-invalid']],
    'the same cause with no `Caused by:` above it stands on its own',
  );
  t.end();
});

void t.test('round 4: REPL frames, Node error fields, logger reports, nested klog levels', (t) => {
  t.same(
    chunk(
      'Traceback (most recent call last):',
      '  File "<frozen runpy>", line 88, in _run_code',
      '  File "<python-input-0>", line 2',
      'SyntaxError: mapping pattern checks duplicate key (0j)',
    ),
    [],
    'a traceback of typed input is the REPL answering',
  );
  t.same(
    chunk(
      '247 silly fetchPackageMetaData Error: getaddrinfo EAI_AGAIN registry.npmjs.org:443',
      '247 silly fetchPackageMetaData     at errnoException (dns.js:33:15)',
      "247 silly fetchPackageMetaData   code: 'EAI_AGAIN',",
    ).map((r) => r[0]),
    [1],
  );
  t.same(
    chunk(
      '189 error code EAI_AGAIN',
      '190 error errno EAI_AGAIN',
      '191 error syscall getaddrinfo',
    ).map((r) => r[0]),
    [1],
    "npm debug log's numbered block trailer",
  );
  const gradle = '12:08:57.840 [ERROR] [org.gradle.internal.buildevents.BuildExceptionReporter]';
  t.same(
    chunk(
      `${gradle} FAILURE: Build failed with an exception.`,
      gradle,
      `${gradle} * What went wrong:`,
      `${gradle} Execution failed for task ':test'.`,
      `${gradle} > There were failing tests. See the report at: file:///build/reports/tests/test/index.html`,
    ).map((r) => r[0]),
    [1],
    'the details of one logger report under the failure it began with',
  );
  t.same(
    chunk(
      '[ERROR] [com.acme.Sync] Failed to reach the store',
      '[ERROR] [com.acme.Sync] Failed to reach the store',
    ).map((r) => r[0]),
    [1, 2],
    'a repeated record is found each time',
  );
  t.same(
    chunk(
      '[ERROR] [com.acme.Sync] Failed to reach the store',
      '[ERROR] [com.acme.Index] Failed to open the index',
    ).map((r) => r[0]),
    [1, 2],
    'another logger starts a record of its own',
  );
  const nested = envelopeOf(
    '2025-05-20 13:46:29.975 [info] E0520 13:46:29.975004 78921 interceptor.go:70] failed to get server instance',
  );
  t.match(nested, { shape: 'klog', level: 'error' });
  t.equal(envelopeOf('2025-05-20 13:46:29.975 [info] Extension host started').level, 'info');
  t.end();
});
