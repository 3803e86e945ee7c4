import t from 'tap';
import { Classifier, envelopeOf, loadCatalogue } from '../../../src/detectors/patterns/index.js';

// Round 6: families by composition and the shapes around them (structure.ts, compositions.ts).
// The rules alone (no learned stage), so what is checked is the structure. Lines are real
// wording from the detection corpus's tuning rounds and the tools' own messages.

const rules = new Classifier(loadCatalogue(), { learned: null });
const chunk = (...lines: string[]) =>
  rules.classifyChunk(lines.join('\n')).map((f) => [f.line, f.alert, f.patternId]);
const one = (line: string) => chunk(line)[0] ?? null;

void t.test(
  'command-line level prefixes: charm/zerolog words, lower-case error:, miette ×',
  (t) => {
    const cases: [string, string | null][] = [
      ['ERRO error starting mcp client error="calling \\"initialize\\": EOF"', 'error'],
      ['WRN retrying upload', 'warn'],
      ['error: Failed to download distributions', 'error'],
      ['warn: ConnectionRefused downloading package manifest puppeteer. Retry 2/5...', 'warn'],
      ['  × Failed to download `mypy==0.991`', 'error'],
      ['    × rejects an expired token 5ms', null], // a test runner's failed test, with its duration
      ['error[E0425]: cannot find value `x` in this scope', null], // a compiler diagnostic
    ];
    for (const [line, level] of cases) t.equal(envelopeOf(line).level, level, line);
    t.end();
  },
);

void t.test('a cause under an error report is part of it; the headline is the finding', (t) => {
  t.same(
    chunk(
      '  × Failed to download `dipy==1.11.0`',
      '  ├─▶ Failed to write to the distribution cache',
      '  ├─▶ error decoding response body',
      '  ╰─▶ connection reset',
      '  help: If you want to add the package regardless of the failed resolution, provide the `--frozen` flag.',
    ).map((r) => r[0]),
    [1],
    "uv's miette report",
  );
  t.same(
    chunk(
      '320.0 error: Failed to download distributions',
      '320.0   Caused by: Failed to fetch wheel: scikit-image==0.21.0',
      '320.0   Caused by: request or response body error: operation timed out',
    ).map((r) => r[0]),
    [1],
    'inline `Caused by:` under BuildKit step prefixes',
  );
  t.same(
    chunk(
      'java.lang.RuntimeException: java.util.concurrent.TimeoutException',
      '\tat java.base/java.util.concurrent.CompletableFuture.timedGet(CompletableFuture.java:2004)',
      'Caused by: java.util.concurrent.TimeoutException',
    ).map((r) => r[0]),
    [1],
    "Java's cause under its frames",
  );
  t.end();
});

void t.test('a compiler summary and test output stay quiet; a tool error line does not', (t) => {
  t.same(chunk('error: could not compile `api` (bin "api") due to 1 previous error'), []);
  t.same(chunk('error: test failed, to rerun pass `--lib`'), []);
  t.same(
    chunk(
      'FAILED tests/test_client.py::test_stream - Failed: Error occurred: An error occurred (throttlingException) when calling the InvokeModel operation',
    ),
    [],
  );
  t.same(one('error: react-select@^5.8.0 failed to resolve'), [
    1,
    'runtime',
    'structure:error-envelope',
  ]);
  t.end();
});

void t.test(
  'a retry counter on a transient failure is runtime; a bare announcement is not',
  (t) => {
    t.same(one('warn: ConnectionRefused downloading package manifest puppeteer. Retry 2/5...'), [
      1,
      'runtime',
      'structure:retry-failure',
    ]);
    t.same(
      one(
        'WARN  GET https://registry.npmjs.org/pnpm error (429). Will retry in 10 seconds. 2 retries left.',
      )?.[1],
      'runtime',
    );
    t.same(chunk('Reconnecting... 2/5'), []);
    t.same(chunk('Retry 2/5: uploading artifact'), []);
    t.end();
  },
);

void t.test(
  'an MCP client that fails to start is A12 whatever the wording; in a tool call, runtime',
  (t) => {
    for (const line of [
      'ERRO error initializing mcp client error="transport error: transport not started yet"',
      "MCPClient errored connecting to MCP server fetch { error: 'spawn docker ENOENT' }",
      'Error initializing MCP client for connection 3cb562fa: Error [MCPClientError]: Connection closed',
      '  > Can\'t start duckduckgo: failed to connect: calling "initialize": EOF',
    ])
      t.equal(one(line)?.[1], 'A12', line);
    t.equal(
      one('        "text": "Error calling tool: Failed to connect to MCP server"')?.[1],
      'runtime',
      'a tool call that failed to reach its server',
    );
    t.same(chunk('Attempting to connect to MCP server neo4j...'), []);
    t.same(
      chunk(
        '- A failed listener start during save never leaves the visible state claiming the MCP server is up',
      ),
      [],
      'a failure word and a phase apart are no start-up failure',
    );
    t.end();
  },
);

void t.test('a configuration or a credential that fails to load is A11', (t) => {
  t.equal(one('Failed to parse MCP servers from JSON. Please check the format')?.[1], 'A11');
  t.equal(
    one(
      'Failed to start MCP Servers: Failed to read configuration from C:\\Users\\y\\.copilot\\mcp-config.json: [',
    )?.[1],
    'A11',
    'the configuration is the cause, not the MCP start-up',
  );
  t.equal(
    one(
      'MissingCredentialsError: API Key is required: Set LIVEKIT_API_KEY, run with --api-key',
    )?.[1],
    'A11',
  );
  t.not(one('Error: Invalid API key provided: sk-***')?.[1], 'A11', 'a rejected key is runtime');
  t.equal(
    one('Error: No API key provided. Set the ACME_API_KEY environment variable.')?.[1],
    'A11',
    'the credential between `no` and a participle (round 7)',
  );
  t.equal(
    one(
      'ValueError: Did not find acme_api_key, please add an environment variable `ACME_API_KEY` which contains it',
    )?.[1],
    'A11',
    "LangChain's get_from_env message (round 7)",
  );
  t.same(chunk('No API key required for local models'), [], 'no key needed is no failure');
  t.same(
    chunk('No GITHUB_TOKEN set.'),
    [],
    'a variable name after `no` carries no structural literal: left alone, as --explain leaves it',
  );
  t.same(chunk('Loaded settings from ~/.config/goose/config.yaml'), []);
  t.end();
});

void t.test('no tools, run limits and unknown agents by their wording', (t) => {
  t.equal(
    one('[runner] MCP server "typefully" connected but contributed no tools to this run')?.[1],
    'A10',
  );
  t.equal(one('Error [MCPClientError]: Server does not support tools')?.[1], 'A10');
  t.equal(
    one('Tool "shell" could not be loaded. Did you mean one of: "glob", "task"?')?.[1],
    'A10',
  );
  t.same(chunk('Finished with no tool calls'), []);
  t.equal(
    one('  🔴 git-mcp-server - Disconnected (0 tools cached)')?.[1],
    'A12',
    'a server state with a tool count is the server failing, not an empty inventory',
  );
  t.equal(one('[YOLO MODE] Task failed: Too many consecutive mistakes (3)')?.[1], 'lifecycle');
  t.equal(
    one(
      'RuntimeError: Agent reached maximum iteration. Current iteration: 500, max iteration: 500',
    )?.[1],
    'lifecycle',
  );
  t.equal(one('unable to find agent with name: reviewer')?.[1], 'lifecycle');
  t.equal(
    one(
      '2025-01-01 10:00:00 - agent - WARNING - Agent stopped after reaching max iterations (50)',
    )?.[1],
    'lifecycle',
    'a limit reached in the progressive form, at warn level (round 7)',
  );
  t.not(one('429 Too Many Requests')?.[1], 'lifecycle', 'a rate limit is not a run limit');
  t.same(chunk('User-Agent not found in request headers, using default'), []);
  t.end();
});

void t.test(
  'templates and prompts that are missing are lifecycle; their source lines are not',
  (t) => {
    t.equal(one('jinja2.exceptions.TemplateNotFound: signup.html')?.[1], 'lifecycle');
    t.equal(one('Error: The partial header could not be found')?.[1], 'lifecycle');
    t.equal(
      one('Error: Input must be provided through stdin or --prompt when running with --print')?.[1],
      'lifecycle',
    );
    t.same(chunk('>--> 187         raise TemplateNotFound(template)'), [], 'IPython context line');
    t.same(chunk('Using prompt caching for the system prompt'), []);
    t.end();
  },
);

void t.test('a credential that was refused is runtime; a parser token is not', (t) => {
  t.equal(one('Error: Your session has expired. Please log in again.')?.[1], 'runtime');
  t.same(chunk('SyntaxError: Invalid or unexpected token'), []);
  t.equal(
    one('Request failed with status 401 (attempt 3/5), retrying in 4s')?.[1],
    'runtime',
    'a 401 inside a retry counter',
  );
  t.end();
});

void t.test('MCP at info level, a server writing non-JSON, a recovered Go panic', (t) => {
  t.equal(
    one(
      '2025-07-03 22:00:06,491 - mcp_manager.py - 252 - INFO - Failed in connecting to MCP server:',
    )?.[1],
    'A12',
    'an MCP start-up failure stated at info level, with no recovery',
  );
  t.same(
    chunk('[DEBUG] MCP server "github": Connection failed, retrying in 1s'),
    [],
    'a failure the line says it recovers from',
  );
  t.equal(
    one(
      `  2025-07-21T10:27:01.451Z [youtube-mcp-server] [error] Unexpected token 'Y', "YouTube MC"... is not valid JSON`,
    )?.[1],
    'A12',
  );
  t.equal(one('Boom!! runtime error: index out of range [1] with length 1.')?.[1], 'runtime');
  t.end();
});

void t.test(
  'round 9: shapes of any tool (a marker before a level, a refusal status, a build verdict)',
  (t) => {
    const cases: [string, string | null][] = [
      // a build script's marker before a level word: the level decides
      ['>>> ERROR: geckodriver: rootbld failed', 'runtime'],
      ['==> ERROR: A failure occurred in check().', 'runtime'],
      // a request refused with 401/403 as a status, next to a failure word
      [
        '2022-05-13 11:00:16 WARN  WatchConnectionManager:125 - Exec Failure: HTTP 403, Status: 403 - Forbidden',
        'runtime',
      ],
      [
        "*** ERROR: [Microsoft.Rest.HttpOperationException]: Operation returned an invalid status code 'Forbidden'",
        'runtime',
      ],
      ['[i] Status code : 401', null], // an echo of a status, no failure stated
      [
        'D0123 12:00:02.000000       1 round_trippers.go:553] GET https://10.96.0.1:443/api/v1/pods 401 Unauthorized in 3 milliseconds',
        null,
      ],
      // a package path is no test name
      [
        'go: github.com/golang/mock@v1.4.4: Get "https://proxy.golang.org/github.com/golang/mock/@v/v1.4.4.mod": dial tcp: i/o timeout',
        'runtime',
      ],
    ];
    for (const [line, alert] of cases) t.equal(one(line)?.[1] ?? null, alert, line);
    // zap's console encoder with a month-day stamp: the INFO record stays quiet
    t.same(
      chunk(
        'Jan  5 08:40:27.735330\tINFO\tbuild failed\t{"error": "docker build failed: returned a non-zero code: 1"}',
      ),
      [],
    );
    // Docker's verdict under the step's error is a finding of its own
    const docker = chunk(
      'go: github.com/golang/mock@v1.4.4: Get "https://proxy.golang.org/github.com/golang/mock/@v/v1.4.4.mod": dial tcp: i/o timeout',
      "The command '/bin/sh -c go mod download' returned a non-zero code: 1",
    );
    t.equal(docker.length, 2);
    t.end();
  },
);
