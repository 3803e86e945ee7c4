// Secret rules that do not compile are named at start, one warning each, never dropped silently.
import t from 'tap';
import {
  gitleaksRules,
  parseGitleaks,
  useGitleaksRules,
} from '../../src/domain/redact-gitleaks.js';
import { reportSecretRules } from '../../src/cli/secret-rules.js';

const capture = () => {
  const lines: { level: string; obj: object; msg: string }[] = [];
  const at = (level: string) => (obj: object, msg: string) => lines.push({ level, obj, msg });
  return { lines, logger: { info: at('info'), warn: at('warn'), error: at('error') } };
};

void t.test('a rule whose regex does not compile is reported at start, by name', (t) => {
  const shipped = gitleaksRules();
  t.teardown(() => useGitleaksRules(shipped));
  useGitleaksRules(
    parseGitleaks(
      `
[[rules]]
id = "good-token"
regex = '''tok_[a-z0-9]{16}'''
keywords = ["tok_"]

[[rules]]
id = "broken-lookahead"
regex = '''(?=secret)[a-z]+'''
keywords = ["secret"]

[[rules]]
id = "broken-paren"
regex = '''key=([a-z]+'''
keywords = ["key="]
`,
      'test-rules.toml',
    ),
  );
  const { lines, logger } = capture();
  t.equal(reportSecretRules(logger), 2, 'two rules failed');
  const warnings = lines.filter((l) => l.level === 'warn');
  t.same(
    warnings.map((w) => (w.obj as { rule: string }).rule),
    ['broken-lookahead', 'broken-paren'],
    'one warning per rule that does not compile',
  );
  t.match(warnings[0].msg, /^secret rule broken-lookahead does not compile and is skipped: /);
  t.match(lines.at(-1), {
    level: 'info',
    msg: 'secret rules loaded: 1 of 3 compiled (2 skipped, named above)',
  });
  t.end();
});

void t.test('the shipped gitleaks rules all compile, and the report says how many', (t) => {
  const { lines, logger } = capture();
  t.equal(reportSecretRules(logger), 0);
  t.same(
    lines.filter((l) => l.level !== 'info'),
    [],
  );
  t.match(lines[0].msg, /^secret rules loaded: (\d+) of \1 compiled$/);
  t.end();
});
