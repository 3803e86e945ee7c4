import t from 'tap';
import { RE2JS } from 're2js';
import {
  Classifier,
  exampleProblems,
  loadCatalogue,
  parseCatalogue,
} from '../../../src/detectors/patterns/index.js';
import { CatalogueError } from '../../../src/detectors/patterns/load.js';

const catalogue = loadCatalogue();
const classifier = new Classifier(catalogue);

void t.test('the shipped catalogue loads and validates', (t) => {
  t.ok(catalogue.entries.length >= 40, `${catalogue.entries.length} entries`);
  t.same(exampleProblems(catalogue), []);
  t.end();
});

void t.test('every pattern compiles in JavaScript and in RE2 (LogQL)', (t) => {
  const all = [
    ...catalogue.filters.map((f) => [f.id, f.pattern] as const),
    ...catalogue.entries.flatMap((e) => [
      [e.id, e.pattern] as const,
      ...e.unless.map((u) => [e.id, u] as const),
    ]),
    ...catalogue.checklist.flatMap((k) => [
      [k.id, k.pattern] as const,
      ...k.unless.map((u) => [k.id, u] as const),
    ]),
  ];
  for (const [id, source] of all) {
    t.doesNotThrow(() => new RegExp(source, 'i'), `${id}: JavaScript`);
    t.doesNotThrow(() => RE2JS.compile(source, RE2JS.CASE_INSENSITIVE), `${id}: RE2`);
  }
  t.end();
});

void t.test('each entry classifies its examples as itself and never its counterexamples', (t) => {
  for (const e of catalogue.entries) {
    for (const line of e.examples) {
      t.equal(classifier.classifyLine(line)?.patternId, e.id, `${e.id} example: ${line}`);
      t.ok(
        RE2JS.compile(e.pattern, RE2JS.CASE_INSENSITIVE).matcher(line).find(),
        `${e.id} matches in RE2: ${line}`,
      );
    }
    for (const line of e.counterexamples) {
      t.not(classifier.classifyLine(line)?.patternId, e.id, `${e.id} counterexample: ${line}`);
    }
  }
  t.end();
});

void t.test(
  'the minimum table of detection.md §4 is covered, with its alert, priority and severity',
  (t) => {
    const rows: [string, string, number, string][] = [
      ['tool inventory mismatch - declared tools: [a] - missing: [b]', 'A10', 1, 'critical'],
      ['declared tools: [a, b] but missing [b]', 'A10', 1, 'critical'],
      ['tools missing from cli: b', 'A10', 1, 'critical'],
      ['error: tool not found: b', 'A10', 1, 'critical'],
      ['tool not available: b', 'A10', 1, 'critical'],
      ['unresolved tools: [b]', 'A10', 1, 'critical'],
      ['cto-config.json missing', 'A11', 1, 'critical'],
      ['cto-config parse error at line 3', 'A11', 1, 'critical'],
      ['failed to load cto-config', 'A11', 1, 'critical'],
      ['invalid cto config', 'A11', 1, 'critical'],
      ['config missing: cto', 'A11', 1, 'critical'],
      ['mcp server filesystem failed to initialize', 'A12', 1, 'high'],
      ['MCP initialization failed', 'A12', 1, 'high'],
      ['mcp server unreachable', 'A12', 1, 'high'],
      ['failed to connect to mcp server github', 'A12', 1, 'high'],
      ['mcp server github not responding', 'A12', 1, 'high'],
      ['tools-server connection refused', 'A12', 1, 'high'],
      ["thread 'main' panicked at src/main.rs:1:1", 'runtime', 2, 'critical'],
      ['fatal error: out of memory', 'runtime', 2, 'critical'],
      ['permission denied writing to filesystem', 'runtime', 2, 'critical'],
      ['request unauthorized', 'runtime', 2, 'critical'],
      ['invalid token', 'runtime', 2, 'critical'],
      ['upstream timeout', 'runtime', 2, 'high'],
      ['dial tcp: connection refused', 'runtime', 2, 'high'],
      ['max retries exceeded', 'runtime', 2, 'high'],
      ['template not found: coder.md.hbs', 'lifecycle', 3, 'medium'],
      ['system prompt missing', 'lifecycle', 3, 'medium'],
      ['agent role undefined', 'lifecycle', 3, 'medium'],
      ['task context is empty', 'lifecycle', 3, 'medium'],
    ];
    for (const [line, alert, priority, severity] of rows) {
      const f = classifier.classifyLine(line);
      t.match(f, { alert, priority, severity }, line);
    }
    t.end();
  },
);

void t.test('a broken catalogue lists every problem with the entry it belongs to', (t) => {
  const yaml = `
version: 1
filters:
  - { id: quiet, pattern: 'level=info', examples: ['level=info x'] }
entries:
  - { id: look-behind, alert: runtime, severity: high, priority: 2, family: x, pattern: '(?<=a)b', examples: [ab], counterexamples: [b] }
  - { id: back-ref, alert: runtime, severity: high, priority: 2, family: x, pattern: '(a)\\1', examples: [aa], counterexamples: [a] }
  - { id: back-ref, alert: runtime, severity: high, priority: 2, family: x, pattern: 'zz', examples: [zz], counterexamples: [z] }
  - { id: bad-filter, alert: runtime, severity: high, priority: 2, family: x, pattern: 'yy', filters: [nope], examples: [yy], counterexamples: [y] }
  - { id: bad-alert, alert: A99, severity: high, priority: 2, family: x, pattern: 'ww', examples: [ww], counterexamples: [w] }
`;
  const err = t.throws(() => parseCatalogue(yaml, 'test.yaml')) as CatalogueError;
  t.ok(err instanceof CatalogueError);
  t.match(err.problems, [{ id: 'bad-alert', path: 'entries.4.alert' }]);

  const valid = yaml.replace(/\n {2}- \{ id: bad-alert.*\n/, '\n');
  const err2 = t.throws(() => parseCatalogue(valid, 'test.yaml')) as CatalogueError;
  const ids = err2.problems.map((p) => `${p.id} ${p.path}`);
  t.ok(ids.includes('look-behind entries.0.pattern'), 'look-behind rejected');
  t.ok(ids.includes('back-ref entries.1.pattern'), 'back-reference rejected');
  t.ok(ids.includes('back-ref entries.2.id'), 'duplicate id');
  t.ok(ids.includes('bad-filter entries.3.filters.0'), 'unknown filter');
  t.match(err2.message, /test\.yaml: the pattern catalogue has \d+ problems/);

  const mismatch = `
version: 1
entries:
  - { id: only-foo, alert: runtime, severity: high, priority: 2, family: x, pattern: 'foo', examples: [bar], counterexamples: [foo] }
`;
  const err3 = t.throws(() => parseCatalogue(mismatch)) as CatalogueError;
  t.match(err3.problems, [
    { id: 'only-foo', path: 'entries.0.examples.0' },
    { id: 'only-foo', path: 'entries.0.examples.0' },
    { id: 'only-foo', path: 'entries.0.counterexamples.0' },
  ]);
  t.end();
});

void t.test('an unreadable catalogue file is a CatalogueError naming the file', (t) => {
  t.throws(
    () => loadCatalogue('/nonexistent/catalogue.yaml'),
    /\/nonexistent\/catalogue\.yaml.*cannot read the file/s,
  );
  t.end();
});
