import { join } from 'node:path';
import t from 'tap';
import { DEFAULT_PROMPTS_DIR, createTemplateEngine } from '../../src/templates/index.js';
import { loadExpected, matchExpected, parseExpected } from '../../src/templates/expected.js';

void t.test('every shipped agent file parses', (t) => {
  const { expected, errors } = loadExpected(join(DEFAULT_PROMPTS_DIR, 'expected'));
  t.same(errors, []);
  t.same([...expected.keys()], ['atlas', 'blaze', 'cipher', 'cleo', 'rex', 'tess']);
  for (const e of expected.values()) {
    t.ok(
      e.successMarkers.length > 0 && e.failureIndicators.length > 0,
      `${e.agent} has both lists`,
    );
  }
  t.end();
});

void t.test('rex carries exactly the markers of the spec', (t) => {
  const rex = createTemplateEngine().expected.get('rex')!;
  t.same(
    rex.successMarkers.map((r) => r.source),
    [
      'git push',
      'git commit',
      'PR created',
      'PR updated',
      'Branch .* pushed',
      'Changes committed',
      'Implementation complete',
    ],
  );
  t.same(
    rex.failureIndicators.map((r) => r.source),
    [
      'error:',
      'fatal:',
      'CONFLICT',
      'merge conflict',
      'failed to push',
      'Permission denied',
      'authentication failed',
    ],
  );
  t.end();
});

void t.test('matchExpected finds markers and indicators in a log', (t) => {
  const rex = createTemplateEngine().expected.get('rex')!;
  const good = 'Running tests\nChanges committed\nBranch feature/task-4 pushed to origin\n';
  t.same(matchExpected(rex, good), {
    successMarkers: ['Branch .* pushed', 'Changes committed'],
    failureIndicators: [],
  });
  const bad = "fatal: could not read Username for 'https://github.com'\n";
  t.same(matchExpected(rex, bad).failureIndicators, ['fatal:']);
  const tess = createTemplateEngine().expected.get('tess')!;
  t.same(
    matchExpected(tess, 'test result: ok. 41 passed; 0 failed').failureIndicators,
    [],
    '0 failed is not a failure',
  );
  t.ok(
    matchExpected(tess, 'test result: FAILED. 41 passed; 2 failed').failureIndicators.length > 0,
  );
  t.end();
});

void t.test('parseExpected: (?i) bullets, prose ignored, errors with file and line', (t) => {
  const md =
    '# X\n\nProse - not a bullet.\n\n## Success markers\n\n- `(?i)done`\n* plain\n\n## Notes\n- `ignored`\n\n## Failure indicators\n- `boom`\n';
  const e = parseExpected(md, 'x');
  t.ok(e.successMarkers[0].test('DONE'));
  t.equal(e.successMarkers[1].source, 'plain');
  t.same(
    e.failureIndicators.map((r) => r.source),
    ['boom'],
  );
  t.throws(
    () => parseExpected('## Success markers\n- `a`\n- `(b`\n', 'y'),
    /y\.md:3: invalid pattern "\(b"/,
  );
  t.throws(() => parseExpected('## Failure indicators\n- `a`\n', 'z'), /no "## Success markers"/);
  t.end();
});
