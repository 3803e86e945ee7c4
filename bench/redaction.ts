// Redaction throughput, as a ratio against a reference pass in the same run. The redactor runs
// on every text that leaves Healer (issues, prompts, notifications, the API, the dashboard, its
// own logs), so its cost matters per MB of agent log. Reference: one V8 regular-expression
// replace over the same text (`/[0-9a-f]{40}/g`, a commit-hash scrub) — the cheapest whole-text
// pass a redactor could be. Also the pathological inputs of test/redaction/harmless.test.ts:
// each timed at n and 2n characters, so a super-linear rule shows as a growth ratio far above 2.
// Run: npx tsx bench/redaction.ts [--mb 8] [--runs 5]
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { redact } from '../src/domain/redact.js';

const { values } = parseArgs({
  options: { mb: { type: 'string', default: '8' }, runs: { type: 'string', default: '5' } },
});
const MB = Number(values.mb);
const RUNS = Number(values.runs);

// agent log text: the repository's real log fixtures, with a secret-like line now and then
const dir = new URL('../test/fixtures/logs/', import.meta.url).pathname;
const base = (readdirSync(dir, { recursive: true }) as string[])
  .filter((f) => f.endsWith('.log'))
  .map((f) => readFileSync(join(dir, f), 'utf8'))
  .join('\n');
if (base.length < 10_000) throw new Error(`too little log text under ${dir}`);
const secrets = [
  'export GITHUB_TOKEN=ghp_' + 'a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8',
  'curl -u deploy:S3cr3tPassw0rd! https://registry.example.com/v2/',
  'DB_PASS=Zr8#kLq2!vW9xY',
  'AccountKey=' + 'k'.repeat(86) + '==',
];
let text = '';
for (let i = 0; text.length < MB * 1024 * 1024; i++)
  text += `${base}\n${secrets[i % secrets.length]}\n`;
text = text.slice(0, MB * 1024 * 1024);

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
function time(fn: () => unknown, runs = RUNS): number {
  const ms: number[] = [];
  for (let r = 0; r < runs; r++) {
    const t0 = performance.now();
    fn();
    ms.push(performance.now() - t0);
  }
  return median(ms);
}

const reference = () => text.replace(/[0-9a-f]{40}/g, '[sha]');
reference();
redact(text.slice(0, 100_000)); // compile the rules once
const refMs = time(reference);
const redMs = time(() => redact(text));
const mbs = (ms: number) => (text.length / 1024 / 1024 / (ms / 1000)).toFixed(1);
console.log(`agent log, ${MB} MB, median of ${RUNS} runs`);
console.log(`  reference (one regex replace)  ${mbs(refMs)} MB/s  ${refMs.toFixed(0)} ms`);
console.log(`  redact (whole text)            ${mbs(redMs)} MB/s  ${redMs.toFixed(0)} ms`);
console.log(
  `  ratio redact / reference: ${(refMs / redMs).toFixed(3)}× the reference's throughput`,
);

// pathological inputs: growth from n to 2n characters, against the reference's growth
const rng = (() => {
  let s = 5;
  return () => (s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
})();
const alphabet = 'aZ9=:"\\ -_.\n/@?&tokenpasswordBEGIN';
const random = (n: number) =>
  Array.from({ length: n }, () => alphabet[Math.floor(rng() * alphabet.length)]).join('');
const shapes: [string, (n: number) => string][] = [
  ['a…', (n) => 'a'.repeat(n)],
  ['password…', (n) => 'password'.repeat(n / 8)],
  ['token=…', (n) => 'token='.repeat(n / 6)],
  ['x: …', (n) => 'x: '.repeat(n / 3)],
  ['BEGIN lines', (n) => '-----BEGIN RSA PRIVATE KEY-----\n'.repeat(n / 32)],
  ['https://…', (n) => 'https://'.repeat(n / 8)],
  ['random', random],
];
console.log('\npathological inputs (250k → 500k chars): time ratio 2n/n, redact vs reference');
for (const [name, make] of shapes) {
  const small = make(250_000);
  const big = make(500_000);
  const r1 = time(() => redact(small), 3);
  const r2 = time(() => redact(big), 3);
  const f1 = time(() => small.replace(/[0-9a-f]{40}/g, '[sha]'), 3);
  const f2 = time(() => big.replace(/[0-9a-f]{40}/g, '[sha]'), 3);
  console.log(
    `  ${name.padEnd(12)} redact ${r1.toFixed(0).padStart(5)} → ${r2.toFixed(0).padStart(5)} ms (×${(r2 / r1).toFixed(2)})   reference ×${(f2 / f1).toFixed(2)}   redact/reference at 500k ${(r2 / f2).toFixed(0)}×`,
  );
}
