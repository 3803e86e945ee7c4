import t from 'tap';
import { Classifier, loadCatalogue } from '../../../src/detectors/patterns/index.js';

// Round 11 (docs/detection.md): shapes and wording families that recur over the tuning rounds and
// tools — a build's verdict line, an exec that was refused, a scheduler's health check, a Go or
// TOML configuration decoder's error, a token that could not be refreshed, an error that ends in
// Forbidden, and the look-alikes around them (a timeout flag, a code view behind a build's elapsed
// time, IPython's traceback header, a body dumped under a debug line, a message cut after a comma).
// The rules alone (no learned stage). Each rule: real lines that must be found, real look-alikes
// that must not.

const rules = new Classifier(loadCatalogue(), { learned: null });
const alerts = (...lines: string[]) =>
  rules.classifyChunk(lines.join('\n')).map((f) => [f.line, f.alert]);

void t.test("a build's verdict line", (t) => {
  t.same(alerts('FAILED: Build did NOT complete successfully'), [[1, 'runtime']], 'Bazel');
  t.same(
    alerts('[ID: 7241520] Build finished after 205 secs, exit value: 126'),
    [[1, 'runtime']],
    'a build that finished with a non-zero exit value',
  );
  t.same(
    alerts(
      '× pip subprocess to install build dependencies did not run successfully.',
      '    │ exit code: 1',
      '    ╰─> [7 lines of output]',
    ),
    [[1, 'runtime']],
    "pip's diagnostic headline; its exit code is a field of it",
  );
  t.same(
    alerts('INFO: Build completed successfully, 4 total actions'),
    [],
    'a build that succeeded',
  );
  t.same(alerts('Build finished after 12 secs, exit value: 0'), [], 'exit value 0');
  t.end();
});

void t.test('an exec that was refused', (t) => {
  for (const line of [
    'standard_init_linux.go:211: exec user process caused "permission denied"',
    'src/main/tools/process-wrapper-legacy.cc:58: "execvp(external/local_config_cc/wrapped_clang, ...)": Permission denied',
    '[FATAL tini (2)] exec ./entrypoint.sh failed: Permission denied',
    'zsh:1: permission denied:',
  ])
    t.same(alerts(line), [[1, 'runtime']], line);
  t.same(alerts('exec ./entrypoint.sh'), [], 'an exec that is only a command');
  t.end();
});

void t.test("a scheduler's or an installer's health check", (t) => {
  t.same(
    alerts(
      '2023-03-30T22:59:10+02:00\t[nomad.service 💻 worker-01] [🐞] watch.checks: check became unhealthy. Will restart if check doesn\'t become healthy: alloc_id=df9c5c6e-a682-9014-f2b6-c4dad387b330 check="service: \\"nats-prometheus-exporter\\" check" task=group-nats',
      '2023-03-30T22:59:20+02:00\t[nomad.service 💻 worker-01] [🐞] watch.checks: restarting due to unhealthy check: alloc_id=df9c5c6e-a682-9014-f2b6-c4dad387b330 check="service: \\"nats-prometheus-exporter\\" check" task=group-nats',
    ),
    [
      [1, 'runtime'],
      [2, 'runtime'],
    ],
    "Nomad's check watcher; a `[tag]` after a timestamp starts a record, not a JSON array",
  );
  t.same(
    alerts('service: "some-service" check 29e746303a88592700688f2153ef98be9c0e6b94 critical'),
    [[1, 'runtime']],
    "Consul's check state",
  );
  t.same(
    alerts("[kubelet-check] It seems like the kubelet isn't running or healthy."),
    [[1, 'runtime']],
    'kubeadm',
  );
  t.same(
    alerts(
      'Task Group  Desired  Placed  Healthy  Unhealthy',
      'service     1        1       1        0',
    ),
    [],
    "a status table's header",
  );
  t.same(
    alerts('service: "some-service" check 29e746303a88592700688f2153ef98be9c0e6b94 passing'),
    [],
    'a passing check',
  );
  t.end();
});

void t.test("a Go or TOML configuration decoder's error", (t) => {
  t.same(alerts('2017/02/02 08:34:20 yaml: unmarshal errors:'), [[1, 'A11']], 'go-yaml');
  t.same(
    alerts(
      `Error: "config.toml:1:1": unmarshal failed: Near line 0 (last key parsed ''): bare keys cannot contain ':'`,
    ),
    [[1, 'A11']],
    'BurntSushi/toml',
  );
  t.same(
    alerts(
      'fatal: bad toml format, caused:',
      "   Near line 1 (last key parsed 'webroot'): expected value but found '/' instead",
    ),
    [[1, 'A11']],
    'the cause indented under the headline is part of it',
  );
  t.same(
    alerts("ERROR: The Compose file './docker-compose.yml' is invalid because:"),
    [[1, 'A11']],
    'Docker Compose',
  );
  t.same(alerts('yaml: unmarshal ok, 3 services'), [], 'no error');
  t.end();
});

void t.test('a token or credentials that could not be refreshed or fetched', (t) => {
  for (const line of [
    'Error: aws_production: operation error STS: GetCallerIdentity, get identity: get credentials: failed to refresh cached credentials,',
    '                    WARNING  Refreshing token failed during the mandatory refresh period.',
    'Failed to get about: Get https://www.googleapis.com/drive/v3/about?alt=json: oauth2: cannot fetch token: 400 Bad Request',
  ])
    t.same(alerts(line), [[1, 'runtime']], line);
  t.same(
    alerts(
      'Error: aws_production: operation error STS: GetCallerIdentity, get identity: get credentials: failed to refresh cached credentials,',
      'refresh cached SSO token failed, unable to refresh SSO token, operation error SSO OIDC: CreateToken,',
    ),
    [[1, 'runtime']],
    'the message goes on after a comma: one finding',
  );
  t.same(alerts('Refreshing access token before it expires'), [], 'a refresh announced');
  t.end();
});

void t.test('an error that ends in Forbidden or Unauthorized', (t) => {
  t.same(alerts('io.kubernetes.client.ApiException: Forbidden'), [[1, 'runtime']], 'Java client');
  t.same(
    alerts(
      'Error: Post "https://x.x.x.x:6443/apis/authorization.k8s.io/v1/selfsubjectaccessreviews": Forbidden',
    ),
    [[1, 'runtime']],
    "Go's HTTP error",
  );
  t.same(
    alerts(
      'io.kubernetes.client.ApiException: Forbidden',
      '        at io.kubernetes.client.ApiClient.handleResponse(ApiClient.java:882)',
    ),
    [[1, 'runtime']],
    'its stack frames are not',
  );
  t.same(alerts('Forbidden'), [], 'the word alone');
  t.end();
});

void t.test('a configuration file that does not parse, and the parser message under it', (t) => {
  t.same(
    alerts(
      ' 加载失败：invalid JSON at C:\\Users\\dev\\.gemini\\config\\mcp_config.json:',
      ' EOF while parsing a value at line 1 column 0',
    ),
    [[1, 'A11']],
    'the file is the finding, its parser message a cause',
  );
  t.same(
    alerts('Error: EOF while parsing a value at line 1 column 0'),
    [[1, 'A11']],
    'the parser message on its own',
  );
  t.same(alerts('- No server is enabled'), [[1, 'A11']], "the Docker MCP gateway's");
  t.same(alerts('- Watching config at /Users/edgar/.docker/mcp/config.yaml'), [], 'its info');
  t.end();
});

void t.test('an MCP start-up failure whose record names MCP on the lines above', (t) => {
  t.same(
    alerts(
      '[2025-08-25 16:28:57.643] WARN 67736 [parallel-1]',
      '[io.modelcontextprotocol.client.LifecycleInitializer] :',
      ' Failed to initialize',
    ),
    [[3, 'A12']],
    'the MCP Java SDK',
  );
  t.same(
    alerts(
      '    args:',
      "      - '@playwright/mcp@latest'",
      'Failed to connect to "Browser search"',
    ),
    [[3, 'A12']],
    "a client's failed connect under the server's arguments",
  );
  t.same(
    alerts('Loaded 3 MCP servers', '', '', 'Failed to connect to "db.internal:5432"'),
    [],
    'MCP further up is another record',
  );
  t.end();
});

void t.test('the Error: field of a report printed as indented fields', (t) => {
  t.same(
    alerts(
      `2025-06-04 14:19:53.747 [error] 'McpHost' Failed to connect to MCP server "mcp-feedback-enhanced"`,
      '  Command: uvx mcp-feedback-enhanced@latest',
      '  Args:',
      '  Error: MCP error -2: Request timed out',
      '  Stderr:',
    ),
    [[1, 'A12']],
    'the headline is the finding',
  );
  t.same(
    alerts('Connecting to registry', '  Error: connect ETIMEDOUT 104.16.0.35:443'),
    [[2, 'runtime']],
    'an indented error with no report above it',
  );
  t.end();
});

void t.test('look-alikes', (t) => {
  t.same(alerts('yarn install --network-timeout 100000'), [], 'a timeout flag');
  t.same(
    alerts(
      '37.66     →  742│                 raise ReadTimeoutError(self._pool, None, "Read timed out.") from e',
    ),
    [],
    "a code view behind a build's elapsed time",
  );
  t.same(
    alerts('TimeoutError                              Traceback (most recent call last)'),
    [],
    "IPython's traceback header",
  );
  t.same(
    alerts(
      '2024-03-06 10:54:27,185 - MainThread - botocore.parsers - DEBUG - Response body:',
      `b'{"error":"invalid_grant","error_description":"Invalid refresh token provided"}'`,
    ),
    [],
    'a body dumped under the debug line that announced it',
  );
  t.same(
    alerts(`b'{"error":"invalid_grant","error_description":"Invalid refresh token provided"}'`),
    [[1, 'runtime']],
    'the same body on its own',
  );
  t.same(
    alerts(
      '2016-07-23T08:54:12.92+0530 [STG/0]      OUT        npm ERR! code ETIMEDOUT',
      '2016-07-23T08:54:12.92+0530 [STG/0]      OUT        npm ERR! errno ETIMEDOUT',
    ),
    [[1, 'runtime']],
    "npm's block behind cf logs' prefix: the errno is its trailer",
  );
  t.end();
});
