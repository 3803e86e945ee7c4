import t from 'tap';
import { Classifier, loadCatalogue } from '../../../src/detectors/patterns/index.js';
import { classFeatures, features } from '../../../src/detectors/patterns/learned/features.js';
import { envelopeOf } from '../../../src/detectors/patterns/structure.js';

// Round 8 (docs/detection.md): general shapes rather than one tool's sentences — the stack
// frames of any language, a failed test's report, the causes under `Caused by:` and color-eyre's
// numbered items, template lookups of includes and layouts, unknown agent types, a credential
// variable not set, a configuration declared invalid; and the learned stage's tool-agnostic
// features. The rules alone (no learned stage). Lines are real wording from the tuning rounds
// and the tools' own messages.

const rules = new Classifier(loadCatalogue(), { learned: null });
const found = (...lines: string[]) =>
  rules.classifyChunk(lines.join('\n')).map((f) => [f.line, f.alert, f.patternId]);

void t.test('stack frames of any language and a code view are no findings', (t) => {
  for (const line of [
    "    from /home/u/.rvm/rubies/ruby-1.9.2-p320/lib/ruby/1.9.1/timeout.rb:44:in`timeout'",
    '  File "/usr/lib/python3/site-packages/httpx/_transports/default.py", line 69, in map_timeout',
    '      501│             if isinstance(e.reason, ConnectTimeoutError):',
  ])
    t.same(found(line), [], line);
  t.same(
    found(
      "/usr/lib/ruby/2.7.0/net/http.rb:960:in `initialize': Connection timed out - connect(2) (Errno::ETIMEDOUT)",
    ).map((r) => r[1]),
    ['runtime'],
    "Ruby's first frame carries the exception: still a finding",
  );
  t.end();
});

void t.test("a failed test's report is test output", (t) => {
  t.same(
    found(
      'Error:  testTokenProducerAndConsumer(org.example.TokenTest)  Time elapsed: 0.095 s  <<< FAILURE!',
      'org.apache.pulsar.client.admin.PulsarAdminException$NotAuthorizedException: HTTP 401 Unauthorized',
    ),
    [],
    'surefire',
  );
  t.same(
    found(
      'test/object-store/sync/app.cpp:76: FAILED:',
      '  REQUIRE_FALSE( error )',
      'with expansion:',
      '  !AuthError: invalid custom auth token: token is expired',
    ),
    [],
    'catch2',
  );
  t.same(
    found(
      'uncaught: AssertionError: test logging in with expired token. Invalid response body.',
      '    Expected: /Invalid login token/',
    ),
    [],
    'an assertion and its expected value',
  );
  t.same(
    found('', 'Error: HTTP 401 Unauthorized').map((r) => r[0]),
    [2],
    'the same failure outside a test report stands',
  );
  t.end();
});

void t.test('causes under `Caused by:` and color-eyre items after `0:`', (t) => {
  t.same(
    found(
      'Error: Failed to parse the "/config/neolink.toml" config file',
      'Caused by:',
      '    TOML parse error at line 1, column 8',
    ).map((r) => r[0]),
    [1],
    "anyhow's single unnumbered cause",
  );
  t.same(
    found(
      'Error:',
      '   0: cannot parse config file at /home/u/.config/himalaya/config.toml',
      '   1: TOML parse error at line 6, column 1',
    ).map((r) => [r[0], r[1]]),
    [[2, 'A11']],
    'color-eyre: item 0 is the headline',
  );
  t.end();
});

void t.test(
  'compositions: includes and layouts, agent types, credential variables, invalid configuration',
  (t) => {
    const cases: [string, string][] = [
      [
        "  Liquid Exception: Included file '_includes/icon-github.html' not found in site/about.md",
        'lifecycle',
      ],
      [
        'Liquid Exception: Could not locate the included file \'code/cors/app.cr\' in any of ["/tmp/book"]',
        'lifecycle',
      ],
      [
        "Build Warning: Layout 'post' requested in blog/_posts/2016-01-05-welcome.markdown does not exist.",
        'lifecycle',
      ],
      [
        '  └ Unknown agent_type: Frontend. Valid types are: explore, task, general-purpose',
        'lifecycle',
      ],
      ['GITHUB_PERSONAL_ACCESS_TOKEN not set', 'A11'],
      [
        "Invalid server configuration: Server must have either 'command' (for stdio) or 'url' (for http/sse) property",
        'A11',
      ],
    ];
    for (const [line, alert] of cases)
      t.same(
        found(line).map((r) => r[1]),
        [alert],
        line,
      );
    t.same(
      found('Files with errors are skipped entirely, not just the invalid settings.'),
      [],
      'an explanation',
    );
    t.end();
  },
);

void t.test('learned features: word classes, their pairs, error codes and HTTP classes', (t) => {
  const f = classFeatures(
    envelopeOf(
      '#11 10.82 /src/backend.csproj : error NU1301: Unable to load the service index for source https://api.nuget.org/v3/index.json.',
    ),
  );
  t.ok(
    f.includes('c:fail') && f.includes('c:network') && f.includes('cc:fail+network'),
    f.join(' '),
  );
  t.ok(f.includes('shape:error-code'), 'NU1301');
  t.ok(
    classFeatures(
      envelopeOf('CondaHTTPError: HTTP 000 CONNECTION FAILED for url <https://x>'),
    ).includes('shape:http-0xx'),
  );
  t.ok(
    features('CondaHTTPError: HTTP 000').includes('w:http'),
    'an acronym is split from the word after it',
  );
  t.end();
});
