import t from 'tap';
import { Classifier, loadCatalogue } from '../../../src/detectors/patterns/index.js';

// Round 10 (docs/detection.md): shapes that recur over the tuning rounds and tools — MCP status
// rows inside a terminal panel's borders, a pattern vetoed by the info/debug level leaving the
// line to the compositions, a run stopped because of a limit, a template file that cannot be
// found or read, a configuration document's syntax error at a line and column, a server process
// that could not be spawned under an MCP client, runc's and Docker's container start failures.
// The rules alone (no learned stage). Each rule: real lines that must be found, real look-alikes
// that must not.

const rules = new Classifier(loadCatalogue(), { learned: null });
const found = (...lines: string[]) =>
  rules.classifyChunk(lines.join('\n')).map((f) => [f.line, f.alert, f.patternId]);
const alerts = (...lines: string[]) => found(...lines).map((r) => [r[0], r[1]]);

void t.test("MCP status rows inside a terminal panel's side borders", (t) => {
  t.same(
    alerts(
      '│   MCP Servers:                                      │',
      '│                                                     │',
      '│   • brave_search                             failed │',
    ),
    [[3, 'A12']],
    "Claude Code's status panel",
  );
  t.same(
    alerts(
      '│ Manage MCP servers                       │',
      '│                                          │',
      '│ ❯1. mindpilot  ✘ failed · Enter to view  │',
    ),
    [[3, 'A12']],
    "the /mcp panel's row",
  );
  t.same(
    alerts('Configured MCP servers:', '● ✗ datalens failed'),
    [[2, 'A12']],
    'a failure glyph before the name',
  );
  t.same(
    alerts(
      '│ Manage MCP servers                       │',
      '│ ❯1. mindpilot  ✔ connected               │',
    ),
    [],
    'a healthy row',
  );
  t.same(
    alerts(
      '│   Tests:                                 │',
      '│   • build                         failed │',
    ),
    [],
    'a failed row of a panel that is not about MCP',
  );
  t.end();
});

void t.test('a pattern vetoed by the info/debug level leaves the line to the compositions', (t) => {
  t.same(
    alerts(
      '[DEBUG] MCP server "mcp-server-firecrawl": Connection failed: Error: Connection to MCP server "mcp-server-firecrawl" timed out after 30000ms',
    ),
    [[1, 'A12']],
    'an MCP start-up failure at debug level that announces no recovery',
  );
  t.same(
    alerts('[DEBUG] MCP server "github": Connection failed, retrying in 1s'),
    [],
    'one that announces its retry stays quiet (the older corpus)',
  );
  t.same(
    alerts('INFO     Setting up STDIO servers with 120.0s timeout'),
    [],
    'an info line about a timeout setting',
  );
  t.end();
});

void t.test('a run that stopped because of a limit, or stuck in a loop', (t) => {
  for (const line of [
    'Agent stopped due to max iterations.',
    'Task output: Agent stopped due to iteration limit or time limit.',
    'Agent stopped after reaching the maximum of 2 iterations.',
    'langgraph.pregel.GraphRecursionError: Recursion limit of 25 reachedwithout hitting a stop condition.',
    'AgentStuckInLoopError: Agent got stuck in a loop',
  ])
    t.same(alerts(line), [[1, 'lifecycle']], line);
  for (const line of [
    'agent = initialize_agent(tools, llm, max_iterations=5, early_stopping_method="force")',
    'The build stopped due to a network error.',
  ])
    t.same(
      found(line).filter((r) => r[1] === 'lifecycle'),
      [],
      line,
    );
  t.end();
});

void t.test('a template file that cannot be found or read', (t) => {
  for (const line of [
    'fatal: [10.0.3.67] => unable to read FULLPATH/ansible/roles/mysql-master/files/auth-keys/mysql-backup-restrict-rsync.j2',
    'fatal: [dev-1]: FAILED! => {"failed": true, "msg": "ERROR! the template file domain.xml.j2 could not be found for the lookup"}',
    "Liquid Exception: Couldn't find file '{{ include.icon }}' in /_layouts/post.html",
    "Failed to render layout: 'layouts/application.tmpl, got error: layouts/application.tmpl not found",
    '2019/04/22 19:34:18 http: panic serving [::1]:49586: open templates/hello.html: no such file or directory',
    'failed to load templates, Unknown layout main.html',
    'panic: template: layout:6: missing value for block clause',
  ])
    t.same(alerts(line), [[1, 'lifecycle']], line);
  t.same(
    alerts(" [WARNING]: Unable to find 'foo.xml.j2' in expected paths (use -vvvvv to see paths)"),
    [],
    "Ansible's warning: it goes on with the next path",
  );
  t.same(
    found(
      "[-] Client couldn't be copied: [Errno 2] No such file or directory: 'templates/chromepass-build/target/release/chromepass.exe'",
    ).filter((r) => r[1] === 'lifecycle'),
    [],
    'a path under templates/ that is no template',
  );
  t.end();
});

void t.test("a configuration document's syntax error at a line and column", (t) => {
  for (const line of [
    'Unexpected non-whitespace character after JSON at position 3063 (line 113 column 3)',
    '[error] Expected double-quoted property name in JSON at position 731 (line 23 column 9)',
    'error adding server: JSON.parse: unexpected character at line1 column 1 of the json data',
    "2025-11-09 15:06:22,211 [ERROR] [MainThread] [root/config.py:124]: The file 'C:\\Users\\u\\.config\\yasb\\config.yaml' contains Parser Error(s). Please fix:",
  ])
    t.same(alerts(line), [[1, 'A11']], line);
  t.same(
    found('Error: error decoding response body: expected value at line 1 column 1').filter(
      (r) => r[1] === 'A11',
    ),
    [],
    'a response body that does not parse',
  );
  t.same(
    found(
      'MCP optics_mcp: Unexpected non-whitespace character after JSON at position 26 (line 1 column 27)',
    ).filter((r) => r[1] === 'A11'),
    [],
    'a server writing non-JSON to its client is no configuration error',
  );
  t.same(
    alerts(
      '  Invalid JSON: trailing characters at line 20 column 1 [type=json_invalid, input_value=\'{\\n  "mcpServers": {}\', input_type=str]',
    ),
    [],
    "an item of pydantic's report",
  );
  t.end();
});

void t.test('a server process that could not be spawned under an MCP client', (t) => {
  t.same(
    alerts(
      "  spawnargs: [ '-y', '@modelcontextprotocol/server-sequential-thinking' ]",
      '}',
      'spawn npx ENOENT spawn npx ENOENT',
    ),
    [[3, 'A12']],
    "Cline's MCP hub",
  );
  t.same(
    alerts(
      'Using MCP server command: npx with args',
      'Failed to spawn process: No such file or directory',
    ),
    [[2, 'A12']],
    'Claude Desktop',
  );
  t.same(
    alerts(
      "│ ✖  failed to start or connect to MCP server 'pythonTools'                                     │",
      '│    {"command":"python","cwd":"./mcp-servers/python","timeout":15000};                         │',
      '│    Error: spawn python ENOENT                                                                 │',
    ),
    [
      [1, 'A12'],
      [3, 'runtime'],
    ],
    'the cause indented under the start-up failure stays runtime (the older corpus)',
  );
  t.same(alerts('Error: spawn python ENOENT'), [[1, 'runtime']], 'no MCP around: runtime');
  t.end();
});

void t.test("runc's and Docker's container start failures", (t) => {
  for (const line of [
    'docker: Error response from daemon: OCI runtime create failed: container_linux.go:370: starting container process caused: exec: "/entrypoint.sh": permission denied: unknown.',
    'docker: Error response from daemon: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: exec /bin/entrypoint.sh: permission denied: unknown.',
    'container_linux.go:262: starting container process caused "exec: \\"/entrypoint.sh\\": permission denied"',
  ])
    t.same(alerts(line), [[1, 'runtime']], line);
  t.same(alerts('Successfully started container process 4242'), [], 'a healthy start');
  t.end();
});

void t.test("a kubelet's Killing event for a container that failed its probe", (t) => {
  t.same(
    alerts(
      '  Normal   Killing                0s                 kubelet, ip-192-168-18-63.ec2.internal  Killing container with id docker://liveness:Container failed liveness probe.. Container will be killed and recreated.',
    ),
    [[1, 'runtime']],
    'a liveness kill is an event of type Normal',
  );
  t.same(
    alerts('  Normal   Killing    3s    kubelet            Stopping container nginx'),
    [],
    'a kill on scale-down or delete',
  );
  t.end();
});
