import { cpSync, mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t, { type Test } from 'tap';
import {
  DEFAULT_PROMPTS_DIR,
  checkTemplates,
  createTemplateEngine,
  formatTemplateFailures,
  renderPrompt,
  sampleView,
} from '../../src/templates/index.js';

/** A private copy of prompts/ the test may break. */
function promptsCopy(t: Test): string {
  const dir = mkdtempSync(join(tmpdir(), 'healer-prompts-'));
  cpSync(DEFAULT_PROMPTS_DIR, dir, { recursive: true });
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** A prompts dir holding just the given templates. */
function promptsWith(t: Test, files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'healer-prompts-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

void t.test('the shipped templates pass the start-up check', (t) => {
  t.same(checkTemplates(createTemplateEngine()), []);
  t.end();
});

void t.test('a missing field throws instead of rendering a blank', (t) => {
  const engine = createTemplateEngine(
    promptsWith(t, {
      'plain.hbs': 'pod {{pdo}}',
      'if.hbs': '{{#if issue.nubmer}}x{{/if}}',
      'helper.hbs': '{{uppercase severty}}',
      'nested.hbs': '{{#each links}}{{lable}}{{/each}}',
      'ok.hbs': '{{#if issue}}#{{issue.number}}{{else}}none{{/if}} {{concat pod "-" container}}',
    }),
  );
  const model = {
    pod: 'p',
    container: null,
    issue: null,
    severity: 'high',
    links: [{ label: 'x', url: 'y' }],
  };
  t.throws(() => engine.render('plain', model), /pdo/);
  t.throws(() => engine.render('helper', model), /severty/);
  t.throws(() => engine.render('nested', model), /lable/);
  t.throws(() => engine.render('if', { issue: { number: 1 } }), /nubmer/);
  t.equal(engine.render('ok', model), 'none p-', 'null fields are fine; concat skips null');
  t.throws(() => engine.render('missing-template', model), { code: 'TEMPLATE_ERROR' });
  t.end();
});

void t.test('a view without a field a real template reads fails loudly', (t) => {
  const engine = createTemplateEngine();
  t.throws(() => engine.render('issue', { alert: { id: 'A7' } }), /missing field/);
  t.end();
});

void t.test('the start-up check reports every broken template with its alert', (t) => {
  const dir = promptsCopy(t);
  writeFileSync(join(dir, 'alerts/a7-pod-failure.hbs'), '# {{title}\n{{#if pod}}unclosed');
  writeFileSync(join(dir, 'guidance/a2-silent-failure.hbs'), 'Exit code {{exitCode}}');
  unlinkSync(join(dir, 'acceptance/a9-stuck-coderun.hbs'));
  writeFileSync(
    join(dir, 'expected/rex.md'),
    '## Success markers\n- `git push`\n\n## Failure indicators\n- `(unclosed`\n',
  );
  const failures = checkTemplates(createTemplateEngine(dir));
  const text = formatTemplateFailures(failures);
  t.ok(
    failures.some(
      (f) =>
        f.alert === 'A7' && f.template === 'alerts' && /syntax error|Parse error/i.test(f.error),
    ),
    text,
  );
  t.ok(
    failures.some((f) => f.alert === 'A2' && f.template === 'issue' && /exitCode/.test(f.error)),
    'guidance breaks the issue',
  );
  t.ok(
    failures.some((f) => f.alert === 'A2' && f.template === 'alerts' && /exitCode/.test(f.error)),
    'and the prompt',
  );
  t.ok(
    failures.some(
      (f) =>
        f.alert === 'A9' &&
        f.template === 'acceptance' &&
        /acceptance\/a9-stuck-coderun/.test(f.error),
    ),
  );
  t.ok(
    failures.some((f) => f.alert === null && /expected\/rex\.md:5/.test(f.error)),
    'bad expected pattern with file:line',
  );
  t.notOk(
    failures.some((f) => f.alert === 'A3'),
    'other alerts are unaffected',
  );
  t.end();
});

void t.test(
  'the start-up check catches a template that drops the marker or the untrusted-data warning',
  (t) => {
    const dir = promptsCopy(t);
    writeFileSync(join(dir, 'issue.hbs'), '{{description}}\n');
    writeFileSync(join(dir, 'partials/_evidence.hbs'), '{{codeblock evidence.text}}\n');
    const failures = checkTemplates(createTemplateEngine(dir));
    t.ok(failures.some((f) => f.template === 'issue' && /fingerprint marker/.test(f.error)));
    t.ok(failures.some((f) => f.template === 'alerts' && /untrusted/.test(f.error)));
    t.end();
  },
);

void t.test('a prompts directory that does not exist is one clear failure, not a crash', (t) => {
  const failures = checkTemplates(createTemplateEngine('/nonexistent/prompts'));
  t.ok(failures.length > 0);
  t.ok(failures.some((f) => f.alert === null && f.template === 'load'));
  t.end();
});

void t.test('operators can override one template and keep the rest', (t) => {
  const dir = promptsCopy(t);
  writeFileSync(join(dir, 'partials/_intro.hbs'), 'Custom intro for {{issueRef}}.\n');
  const prompt = renderPrompt(createTemplateEngine(dir), sampleView('A7'));
  t.match(prompt, 'Custom intro for #1234.');
  t.same(checkTemplates(createTemplateEngine(dir)), []);
  t.end();
});
