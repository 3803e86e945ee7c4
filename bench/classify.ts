/**
 * Log classification throughput: the full catalogue over a generated 100 MB agent log, next to
 * ripgrep on the same file with the same patterns, in the same run.
 *
 *   npx tsx bench/classify.ts [--mb 100] [--runs 3] [--keep]
 *
 * Prints MB/s for the classifier (whole file in memory, and end to end through `healer scan`'s
 * streaming path) and for `rg -i -c -f patterns.txt`, and the ratio. Says so when rg is missing.
 *
 * The patterns go to rg with `(?-u)` in front: JavaScript regexes without the `u` flag give
 * `\b \w \d` their ASCII meaning, and so does rg in that mode. `--rg-unicode` also times rg with
 * its Unicode default, which is dramatically slower on this catalogue (Unicode `\b` keeps rg 13's
 * regex engine off its DFA).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { lineBlocks, openLog } from '../src/cli/scan.js';
import { Classifier, loadCatalogue, STRUCTURE_FILTER } from '../src/detectors/patterns/index.js';
import { asciiMode } from './lib/rg-pattern.js';

const arg = (name: string, dflt: number): number => {
  const i = process.argv.indexOf(name);
  return i === -1 ? dflt : Number(process.argv[i + 1]);
};
const MB = arg('--mb', 100);
const RUNS = arg('--runs', 3);

/** Small deterministic PRNG (mulberry32) so every run scans the same bytes. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// What an agent pod prints most of the time: stream-json events, tracing lines, build and git
// chatter, kubectl output. `{n}` becomes a number so lines are not all identical.
const BENIGN = [
  '{"type":"assistant","message":{"id":"msg_{n}","content":[{"type":"text","text":"Let me look at the handler and add the missing route for task {n}."}]}}',
  '{"type":"user","message":{"content":[{"tool_use_id":"toolu_{n}","type":"tool_result","content":"src/main.rs\\nsrc/routes/health.rs\\nCargo.toml"}]}}',
  '2025-10-10T10:10:{n}.123456Z  INFO codex_core::codex: turn {n} completed in 812ms tokens=1840',
  'time="2025-10-10T10:10:10Z" level=info msg="reconciled CodeRun play-task-{n}-rex" controller=coderun',
  '   Compiling serde_json v1.0.{n}',
  '    Finished `dev` profile [unoptimized + debuginfo] target(s) in {n}.42s',
  'test routes::health::tests::returns_ok_{n} ... ok',
  '[feature/task-4 1a2b{n}] feat: add health endpoint for service {n}',
  ' 2 files changed, {n} insertions(+), 3 deletions(-)',
  'pod/play-task-{n}-rex-abc condition met',
  '  ✓ prompt.md',
  'I0123 12:00:{n}.000000       1 leaderelection.go:250] successfully renewed lease cto/healer-leader',
  '{"level":30,"time":17365104{n},"pid":1,"hostname":"cto-healer","msg":"request completed","res":{"statusCode":200},"responseTime":3.{n}}',
  'npm notice New minor version of npm available! 10.{n}.0 -> 11.6.2',
  'Running tests with 2 workers; timeout=30s retries=0',
  '2025-10-10 10:10:10,{n} - app.worker - INFO - processed batch {n} in 41ms (errors: 0)',
];

function corpusErrors(): string[] {
  const text = readFileSync(new URL('../test/fixtures/logs/labels.yaml', import.meta.url), 'utf8');
  const lines: string[] = [];
  // Positive lines of the corpus, cheaply: read the fixtures the labels file names.
  for (const m of text.matchAll(/^ {2}(\S+\.log):$/gm)) {
    const file = readFileSync(new URL(`../test/fixtures/logs/${m[1]}`, import.meta.url), 'utf8');
    lines.push(
      ...file.split('\n').filter((l) => /error|fail|fatal|panic|refused|denied|timed out/i.test(l)),
    );
  }
  return lines;
}

function generate(path: string, bytes: number): number {
  const rand = rng(42);
  const errors = corpusErrors();
  const parts: string[] = [];
  let size = 0;
  let lines = 0;
  while (size < bytes) {
    const pick =
      rand() < 0.005
        ? errors[Math.floor(rand() * errors.length)]
        : BENIGN[Math.floor(rand() * BENIGN.length)].replaceAll(
            '{n}',
            String(Math.floor(rand() * 1000)),
          );
    parts.push(pick);
    size += Buffer.byteLength(pick) + 1;
    lines++;
  }
  writeFileSync(path, parts.join('\n') + '\n');
  return lines;
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function timeRuns(fn: () => number): { ms: number; result: number } {
  const times: number[] = [];
  let result = 0;
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    result = fn();
    times.push(performance.now() - t0);
  }
  return { ms: median(times), result };
}

/** The `healer scan` path: the file read as bytes, cut into blocks of whole lines, classified. */
async function streamed(
  classifier: Classifier,
  path: string,
): Promise<{ ms: number; result: number }> {
  const times: number[] = [];
  let result = 0;
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    let count = 0;
    let lineNo = 1;
    for await (const block of lineBlocks(openLog(path))) {
      const { findings, lines } = classifier.scanChunk(block, lineNo);
      count += findings.length;
      lineNo += lines;
    }
    times.push(performance.now() - t0);
    result = count;
  }
  return { ms: median(times), result };
}

function ripgrep(
  patternsFile: string,
  path: string,
  runs = RUNS,
): { ms: number; result: number } | string {
  const probe = spawnSync('rg', ['--version'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0)
    return 'ripgrep (rg) is not installed: apt-get install -y ripgrep';
  const times: number[] = [];
  let result = 0;
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    const r = spawnSync('rg', ['-i', '-c', '-f', patternsFile, path], {
      encoding: 'utf8',
      maxBuffer: 1 << 20,
    });
    if (r.status !== 0 && r.status !== 1) throw new Error(`rg failed: ${r.stderr}`);
    times.push(performance.now() - t0);
    result = Number(r.stdout.trim() || 0);
  }
  return { ms: median(times), result };
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'healer-bench-'));
  try {
    const catalogue = loadCatalogue();
    const classifier = new Classifier(catalogue);
    const log = join(dir, 'agent.log');
    const patterns = join(dir, 'patterns.txt');
    // The classifier also searches for the structural stage's literals: rg gets them too.
    const sources = [...catalogue.entries.map((e) => e.pattern), STRUCTURE_FILTER];
    writeFileSync(patterns, sources.map((p) => `(?-u)${asciiMode(p)}`).join('\n') + '\n');
    const patternsUnicode = join(dir, 'patterns-unicode.txt');
    writeFileSync(patternsUnicode, sources.join('\n') + '\n');
    const lines = generate(log, MB * 1024 * 1024);
    const mb = statSync(log).size / (1024 * 1024);

    const text = readFileSync(log, 'utf8');
    classifier.classifyChunk(text.slice(0, 1 << 20)); // warm up the regex compiler
    const mem = timeRuns(() => classifier.classifyChunk(text).length);
    const e2e = await streamed(classifier, log);
    const rg = ripgrep(patterns, log);
    const rgUnicode = process.argv.includes('--rg-unicode')
      ? ripgrep(patternsUnicode, log, 1)
      : null;

    const rate = (ms: number): number => mb / (ms / 1000);
    const row = (name: string, r: { ms: number; result: number }, what: string) =>
      `  ${name.padEnd(34)} ${rate(r.ms).toFixed(0).padStart(5)} MB/s  (${(r.ms / 1000).toFixed(2)} s, ${r.result} ${what})`;
    console.log(
      `Log classification: ${mb.toFixed(0)} MB, ${lines} lines, ${catalogue.entries.length} patterns, median of ${RUNS} runs`,
    );
    console.log(
      `  candidate search: ${classifier.literalPrefilter ? 'required literals (Aho-Corasick)' : 'regex alternation'}; load average ${loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')}`,
    );
    console.log(
      `  machine: ${cpus()[0]?.model ?? 'unknown'} x${cpus().length}, Node ${process.version}`,
    );
    console.log(row('classifier, in memory', mem, 'findings'));
    console.log(row('classifier, streamed from file', e2e, 'findings'));
    if (typeof rg === 'string') {
      console.log(`  ripgrep: ${rg}`);
    } else {
      console.log(row('rg -i -c -f patterns.txt ((?-u))', rg, 'matching lines'));
      if (rgUnicode && typeof rgUnicode !== 'string')
        console.log(row('rg -i -c -f (Unicode default)', rgUnicode, 'matching lines'));
      console.log(
        `  ratio classifier/rg: in memory ${(rg.ms / mem.ms).toFixed(2)}x, streamed ${(rg.ms / e2e.ms).toFixed(2)}x`,
      );
    }
  } finally {
    if (!process.argv.includes('--keep')) rmSync(dir, { recursive: true, force: true });
    else console.log(`  kept ${dir}`);
  }
}

await main();
