import t from 'tap';
import { redact, redactDeep } from '../../src/domain/redact.js';
import { buildLeakCorpus } from './corpus.js';
import { Rng, opaque, tokenFakes } from './fakes.js';
import { familiesOf, familyCases } from './families.js';

/** Every substring of `secret` this long must be gone (catches partial leaks, not just whole ones). */
const WINDOW = 12;

function leaks(out: string, secret: string): string[] {
  if (secret.length <= WINDOW) return out.includes(secret) ? [secret] : [];
  const found: string[] = [];
  for (let i = 0; i + WINDOW <= secret.length; i++) {
    const w = secret.slice(i, i + WINDOW);
    if (out.includes(w)) found.push(w);
  }
  return found;
}

void t.test('no secret of the corpus survives redaction', (t) => {
  const corpus = buildLeakCorpus();
  let leaked = 0;
  for (const c of corpus) {
    const out = redact(c.text);
    const bad = c.secrets.flatMap((s) => leaks(out, s));
    if (bad.length > 0 || !out.includes('[REDACTED:')) {
      leaked++;
      t.fail(`${c.name} leaked`, { input: c.text, output: out, leaked: bad.slice(0, 3) });
    }
  }
  t.comment(`redaction corpus: ${corpus.length} cases, ${leaked} leaks`);
  t.equal(leaked, 0, `0 leaks in ${corpus.length} cases`);
  t.ok(corpus.length >= 500, 'the corpus is large');
  t.end();
});

void t.test('no secret of the issue-13 families survives redaction, at any seed', (t) => {
  for (const seed of [1313, 7, 424242]) {
    const corpus = familyCases(seed);
    const leakedBy = new Map<string, number>();
    for (const c of corpus) {
      const out = redact(c.text);
      const bad = c.secrets.flatMap((s) => leaks(out, s));
      if (bad.length > 0) {
        const fam = familiesOf([c])[0];
        leakedBy.set(fam, (leakedBy.get(fam) ?? 0) + 1);
        t.fail(`${c.name} leaked (seed ${seed})`, {
          input: c.text,
          output: out,
          leaked: bad.slice(0, 3),
        });
      }
    }
    t.comment(
      `families (seed ${seed}): ${corpus.length} cases in ${familiesOf(corpus).join(', ')}; leaks: ${[...leakedBy].map(([f, n]) => `${f}=${n}`).join(' ') || 0}`,
    );
    t.equal(
      [...leakedBy.values()].reduce((a, b) => a + b, 0),
      0,
      `0 leaks of ${corpus.length}`,
    );
  }
  t.end();
});

void t.test('each token format is reported with its own kind', (t) => {
  for (const f of tokenFakes(new Rng(7))) {
    t.equal(redact(`key ${f.value} end`), `key [REDACTED:${f.kind}] end`, f.kind);
  }
  t.end();
});

void t.test('redaction is idempotent', (t) => {
  const unstable = buildLeakCorpus(99).filter((c) => {
    const once = redact(c.text);
    return redact(once) !== once;
  });
  t.same(
    unstable.map((c) => c.name),
    [],
    'redacting twice changes nothing',
  );
  t.end();
});

void t.test('redactDeep redacts values under secret-named keys and every nested string', (t) => {
  const r = new Rng(3);
  const [anthropic] = tokenFakes(r);
  const pw = opaque(r);
  const tok = opaque(r);
  const input = {
    alert: 'A7',
    context: {
      DB_PASSWORD: pw,
      GITHUB_TOKEN: tok,
      pin_password: 123456,
      max_tokens: 4096,
      retries: 3,
    },
    evidence: [`using ${anthropic.value}`, 'plain line'],
    nested: [{ headers: { Authorization: `Bearer ${opaque(r)}`, Cookie: `sid=${opaque(r)}` } }],
    ok: true,
    none: null,
  };
  const out = redactDeep(input);
  const text = JSON.stringify(out);
  t.notOk(
    text.includes(pw) || text.includes(tok) || text.includes(anthropic.value),
    'no secret left',
  );
  t.equal(out.context.DB_PASSWORD, '[REDACTED:password]');
  t.equal(out.context.GITHUB_TOKEN, '[REDACTED:token]');
  t.equal(out.context.pin_password, '[REDACTED:password]', 'numeric password is redacted');
  t.equal(out.context.max_tokens, 4096, 'token counts are kept');
  t.equal(out.evidence[1], 'plain line');
  t.equal(out.nested[0].headers.Authorization, 'Bearer [REDACTED:bearer-token]');
  t.equal(out.nested[0].headers.Cookie, '[REDACTED:cookie]');
  t.equal(out.ok, true);
  t.equal(out.none, null);
  t.same(input.context.DB_PASSWORD, pw, 'the input is not mutated');
  t.end();
});

void t.test('redactDeep catches a PEM block split across array elements', (t) => {
  const body = Array.from(
    { length: 4 },
    (_, i) => `${'MIIEvQIBADANBgkqhkiG9w0BAQEFAASC'.slice(i)}${opaque(new Rng(i), 40)}`,
  );
  const lines = [
    'before',
    '-----BEGIN PRIVATE KEY-----',
    ...body,
    '-----END PRIVATE KEY-----',
    'after',
  ];
  const out = redactDeep(lines);
  t.same(out, ['before', '[REDACTED:private-key]', 'after']);
  t.end();
});

void t.test('a megabyte of logs: every secret in it redacted', (t) => {
  const r = new Rng(11);
  const fakes = tokenFakes(r);
  const lines: string[] = [];
  for (let i = 0, size = 0; size < 1_000_000; i++) {
    size +=
      lines[
        lines.push(
          i % 50 === 0
            ? `level=error token=${fakes[i % fakes.length].value} msg="x"`
            : `2025-11-21T05:42:${String(i % 60).padStart(2, '0')}Z INFO play-task-4-rex-abc step ${i} commit 3f786850e387550fdab836ed7e6dc881de23001b ok`,
        ) - 1
      ].length + 1;
  }
  const text = lines.join('\n');
  const start = performance.now();
  const out = redact(text);
  const ms = performance.now() - start;
  t.comment(`redacted ${(text.length / 1e6).toFixed(2)} MB in ${ms.toFixed(0)} ms`);
  // throughput is bench/redaction.ts's (a ratio in one run); here only that nothing leaks
  t.notOk(fakes.some((f) => out.includes(f.value)));
  t.end();
});
