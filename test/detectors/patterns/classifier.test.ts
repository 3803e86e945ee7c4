import t from 'tap';
import { readFileSync } from 'node:fs';
import {
  Classifier,
  loadCatalogue,
  parseCatalogue,
  StreamWindow,
} from '../../../src/detectors/patterns/index.js';
import { requiredLiterals } from '../../../src/detectors/patterns/literals.js';

const catalogue = loadCatalogue();
const classifier = new Classifier(catalogue);
const fixture = (p: string) =>
  readFileSync(new URL(`../../fixtures/logs/${p}`, import.meta.url), 'utf8');

/**
 * The reference: one line at a time, each as a chunk of its own that continues the same stream
 * (the window of preceding lines and the last finding carried by a StreamWindow).
 */
const lineByLine = (text: string, first = 1) => {
  const stream = new StreamWindow();
  return text.split('\n').flatMap((l, i) => classifier.classifyChunk(l, first + i, stream));
};

void t.test('the shipped catalogue uses the literal fast path', (t) => {
  t.ok(classifier.literalPrefilter);
  t.end();
});

void t.test('classifyChunk finds exactly what the same stream finds one line at a time', (t) => {
  const labels = fixture('labels.yaml');
  const files = [...labels.matchAll(/^ {2}(\S+\.log):$/gm)].map((m) => m[1]);
  const all = files.map(fixture).join('');
  t.same(classifier.classifyChunk(all), lineByLine(all));
  t.same(classifier.classifyChunk(all, 1000), lineByLine(all, 1000), 'numbering from firstLineNo');
  const examples = catalogue.entries
    .flatMap((e) => [...e.examples, ...e.counterexamples])
    .join('\n');
  t.same(classifier.classifyChunk(examples), lineByLine(examples));
  t.end();
});

void t.test('every example of every entry contains one of its required literals', (t) => {
  for (const e of catalogue.entries) {
    const lits = requiredLiterals(e.pattern);
    t.ok(lits, `${e.id} has required literals`);
    for (const ex of e.examples)
      t.ok(
        lits!.some((l) => ex.toLowerCase().includes(l)),
        `${e.id}: ${ex}`,
      );
  }
  t.end();
});

void t.test(
  'line numbers, CRLF, a last line without newline, and at most one finding per line',
  (t) => {
    const text =
      'ok\r\nError: connect ECONNREFUSED 127.0.0.1:3000\r\nfine\r\npanic: boom ECONNREFUSED';
    const found = classifier.classifyChunk(text, 10);
    t.match(found, [
      {
        line: 11,
        patternId: 'rt-connection-refused',
        text: 'Error: connect ECONNREFUSED 127.0.0.1:3000',
      },
      { line: 13, patternId: 'rt-go-panic', severity: 'critical' },
    ]);
    t.equal(found.length, 2);
    t.same(classifier.classifyChunk(''), []);
    t.end();
  },
);

void t.test(
  'priority decides between entries: a pre-flight pattern wins over a runtime one',
  (t) => {
    const f = classifier.classifyLine(
      'Error: Fatal error: Failed to initialize session: required MCP servers failed to initialize',
    );
    t.match(f, { alert: 'A12', priority: 1, issueType: 'mcp_init_failed' });
    t.end();
  },
);

void t.test('a suppressed entry lets the next matching entry classify the line', (t) => {
  // rt-timeout is suppressed by `timeout=30s`, the connection refusal still counts
  t.match(
    classifier.classifyLine('dial tcp 10.0.0.1:443: connect: connection refused (timeout=30s)'),
    {
      patternId: 'rt-connection-refused',
    },
  );
  t.equal(classifier.classifyLine('request sent with timeout=30s'), null);
  t.end();
});

void t.test('shared filters: level, counts, test names, retries, tracing endpoint', (t) => {
  for (const line of [
    'time="2024-02-01T10:55:20Z" level=info msg="connection refused, reconnecting"',
    '{"level":"debug","msg":"request timed out"}',
    'I0123 12:00:00.000000 1 reflector.go:1] connection refused',
    'errors: 0',
    '"errors": []',
    'test_timeout_error_handling ... ok',
    'error sending batch, will retry',
    'level=info msg="skip loading plugin" error="skip plugin: tracing endpoint not configured"',
  ]) {
    t.equal(classifier.classifyLine(line), null, line);
  }
  t.end();
});

void t.test(
  'a catalogue with a pattern the literal search cannot use falls back to the regex path',
  (t) => {
    const c = parseCatalogue(`
version: 1
entries:
  - { id: digits, alert: runtime, severity: high, priority: 2, family: x, pattern: '\\d{3}-\\d{4}', examples: ['call 555-1234'], counterexamples: ['call me'] }
  - { id: word, alert: runtime, severity: high, priority: 2, family: x, pattern: 'kaboom', examples: ['kaboom'], counterexamples: ['boom'] }
`);
    const k = new Classifier(c);
    t.notOk(k.literalPrefilter);
    t.match(k.classifyChunk('x\ncall 555-1234\nKABOOM'), [
      { line: 2, patternId: 'digits' },
      { line: 3, patternId: 'word' },
    ]);
    t.end();
  },
);

void t.test(
  'a look-alike every entry applies ends the scan of a line early, with the same verdicts as the whole path',
  (t) => {
    const narration = (text: string) =>
      JSON.stringify({ type: 'assistant', message: { content: [{ type: 'text', text }] } });
    const yaml = (ownFilters: string) => `
version: 1
filters:
  - { id: assistant-narration, description: narration, pattern: '^\\s*\\{\\s*"type"\\s*:\\s*"assistant"', examples: ['{"type":"assistant"}'], counterexamples: ['{"type":"user"}'] }
entries:
  - { id: boom, alert: runtime, severity: high, priority: 2, family: x, pattern: 'kaboom', examples: ['kaboom'], counterexamples: ['boom'] }
  - { id: bang, alert: runtime, severity: high, priority: 2, family: x, pattern: 'kabang', examples: ['kabang'], counterexamples: ['bang']${ownFilters} }
`;
    // Every entry applies the narration filter: no finding on narration, and the explanation
    // still names the pattern that matched and the filter that vetoed it.
    const all = new Classifier(parseCatalogue(yaml('')), { learned: null });
    const line = narration('I saw kaboom in the log and will fix it');
    t.same(all.classifyChunk(`${line}\nkaboom`), [{ ...all.classifyLine('kaboom', 2), line: 2 }]);
    t.equal(all.classifyLine(line), null);
    t.match(all.explainLine(line), {
      finding: null,
      steps: [{ by: 'boom', outcome: 'vetoed', detail: /filter assistant-narration/ }],
    });
    // One entry opts out of the filter: it is no longer applied first, and that entry still
    // reports narration it matches.
    const some = new Classifier(parseCatalogue(yaml(', filters: []')), { learned: null });
    t.equal(some.classifyLine(line), null);
    t.match(some.classifyLine(narration('kabang, said the tool')), { patternId: 'bang' });
    t.match(some.explainLine(narration('kabang, said the tool')).finding, { patternId: 'bang' });
    t.end();
  },
);

void t.test('issue types default from the alert and can be set per entry', (t) => {
  t.match(classifier.classifyLine('tool inventory mismatch'), { issueType: 'tool_mismatch' });
  t.match(classifier.classifyLine('invalid cto config'), { issueType: 'config_error' });
  t.match(classifier.classifyLine('McpError: MCP error -32000: Connection closed'), {
    issueType: 'mcp_init_failed',
  });
  t.match(classifier.classifyLine('Error: connect ECONNREFUSED 1.2.3.4:5'), {
    issueType: 'agent_error',
  });
  t.match(classifier.classifyLine('language mismatch: rust vs go'), {
    issueType: 'language_mismatch',
  });
  t.end();
});
