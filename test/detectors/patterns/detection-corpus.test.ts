import t from 'tap';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { parse } from 'yaml';
import {
  Classifier,
  LOG_ALERTS,
  loadCatalogue,
  SHIPPED_MODEL,
  shippedLearnedStage,
} from '../../../src/detectors/patterns/index.js';

// The honest measurement of issue #12: the classifier on the evaluation corpus
// (test/fixtures/detection-corpus), collected and labelled blind to the catalogue and split by
// source. `tune/` may guide catalogue changes; `heldout/` never does (frozen at its own commit).
// `roundN/` is round N's held-out half (round 1 frozen at a12c96e, round 2 at 10907e5, round 3 at 7881af5, round 4 at 0ad0430, round 5 at 40c2a27, round 6 at 137d773, round 7 at 1c8f917, round 8 at fb1f16e, round 9 at fc25e02, round 10 at 7027db9), measured
// and reported as held-out in its round; once a later round brought a fresh `heldout/`, it is
// tuning material like `tune/`.
// The held-out half's individual misses are not printed (only its counts), so tuning cannot see them.
// While a round is being tuned, HEALER_CORPUS_HIDE_HELDOUT=1 leaves the held-out half out of the
// figures altogether (its thread checks still run), so not even its counts can guide a change.
// Each file is classified as one stream (classifyChunk), so a classifier that reads a window of
// preceding lines is measured the way it runs. The figures are printed for both halves and kept
// in docs/detection.md; the held-out half is reported, never tuned to, so it has no floor here.
// The table is the shipped configuration's (the learned stage on when its model is on by default);
// the summary is also printed for the rules alone and for the rules plus the learned stage.

type Category = (typeof LOG_ALERTS)[number] | 'none';
interface Labels {
  files: Record<string, { source: string; labels?: Record<string, string> }>;
}
interface Score {
  tp: number;
  fp: number;
  fn: number;
  lines: number;
}

const CATEGORIES: readonly string[] = [...LOG_ALERTS, 'none'];
/** tuning material first, the frozen held-out half last (absent until its commit lands) */
const CORPUS = new URL('../../fixtures/detection-corpus/', import.meta.url);
const HALVES = [
  'tune',
  ...readdirSync(CORPUS)
    .filter((d) => /^round\d+$/.test(d))
    .sort((a, b) => Number(a.slice(5)) - Number(b.slice(5))),
  'heldout',
].filter((h) => existsSync(new URL(`${h}/labels.yaml`, CORPUS)));
const catalogue = loadCatalogue();
const classifier = new Classifier(catalogue);
const VARIANTS = [
  ['rules only', new Classifier(catalogue, { learned: null })],
  [
    `rules + learned ${SHIPPED_MODEL.version}`,
    new Classifier(catalogue, { learned: shippedLearnedStage(true) }),
  ],
] as const;
const halfDir = (half: string) =>
  new URL(`../../fixtures/detection-corpus/${half}/`, import.meta.url);
const readLines = (url: URL) => readFileSync(url, 'utf8').replace(/\n$/, '').split('\n');

function evaluate(half: string, by: Classifier = classifier) {
  const dir = halfDir(half);
  const labels = parse(readFileSync(new URL('labels.yaml', dir), 'utf8')) as Labels;
  const per = new Map<Category, Score>(
    LOG_ALERTS.map((a) => [a, { tp: 0, fp: 0, fn: 0, lines: 0 }]),
  );
  const detection = { tp: 0, fp: 0, fn: 0 };
  let [lines, agree] = [0, 0];
  const misses: string[] = [];
  for (const [file, meta] of Object.entries(labels.files)) {
    const text = readLines(new URL(file, dir));
    const got = new Map<number, Category>();
    for (const f of by.classifyChunk(text.join('\n'))) got.set(f.line, f.alert);
    text.forEach((line, i) => {
      lines++;
      const want = (meta.labels?.[String(i + 1)] ?? 'none') as Category;
      const have = got.get(i + 1) ?? 'none';
      if (want !== 'none') per.get(want)!.lines++;
      if (want !== 'none' && have !== 'none') detection.tp++;
      else if (have !== 'none') detection.fp++;
      else if (want !== 'none') detection.fn++;
      if (want === have) {
        agree++;
        if (have !== 'none') per.get(have)!.tp++;
        return;
      }
      if (have !== 'none') per.get(have)!.fp++;
      if (want !== 'none') per.get(want)!.fn++;
      misses.push(`${half}/${file}:${i + 1} labelled ${want}, got ${have}: ${line.slice(0, 110)}`);
    });
  }
  return { labels, per, detection, lines, agree, misses };
}

const ratio = (a: number, b: number) => (b === 0 ? '  -  ' : (a / b).toFixed(3));

void t.test('every corpus file names its source and labels only lines it has', (t) => {
  for (const half of HALVES) {
    const dir = halfDir(half);
    const labels = parse(readFileSync(new URL('labels.yaml', dir), 'utf8')) as Labels;
    for (const [file, meta] of Object.entries(labels.files)) {
      t.ok(meta.source.length > 10, `${half}/${file} names its source`);
      const count = readLines(new URL(file, dir)).length;
      for (const [n, label] of Object.entries(meta.labels ?? {})) {
        t.ok(Number(n) >= 1 && Number(n) <= count, `${half}/${file}:${n} exists`);
        t.ok(CATEGORIES.includes(label), `${half}/${file}:${n} label ${label} is a category`);
      }
    }
  }
  t.end();
});

void t.test('the halves share no source (split by source, not by line)', (t) => {
  // A source is an issue or pull request thread: `owner/repo #N`.
  const refs = (half: string) => {
    const labels = parse(readFileSync(new URL('labels.yaml', halfDir(half)), 'utf8')) as Labels;
    const text = Object.values(labels.files)
      .map((m) => m.source)
      .join('\n');
    return new Set([...text.matchAll(/([\w.-]+\/[\w.-]+) #(\d+)/g)].map((m) => `${m[1]} #${m[2]}`));
  };
  const sets = HALVES.map((h) => [h, refs(h)] as const);
  for (const [h, s] of sets) t.ok(s.size >= 20, `${h} cites ${s.size} threads`);
  for (const [i, [a, sa]] of sets.entries())
    for (const [b, sb] of sets.slice(i + 1))
      t.same(
        [...sa].filter((r) => sb.has(r)),
        [],
        `no thread feeds both ${a} and ${b}`,
      );
  t.end();
});

const HIDE_HELDOUT = process.env.HEALER_CORPUS_HIDE_HELDOUT === '1';
for (const half of HALVES.filter((h) => h !== 'heldout' || !HIDE_HELDOUT)) {
  void t.test(`precision, recall and category agreement on the ${half} half`, (t) => {
    const r = evaluate(half);
    t.comment(`${half}: ${Object.keys(r.labels.files).length} files, ${r.lines} lines`);
    t.comment('category   lines  TP  FP  FN  precision  recall');
    for (const [alert, s] of r.per)
      t.comment(
        `${alert.padEnd(9)} ${String(s.lines).padStart(6)} ${String(s.tp).padStart(3)} ${String(s.fp).padStart(3)} ${String(s.fn).padStart(3)}  ${ratio(s.tp, s.tp + s.fp).padStart(9)}  ${ratio(s.tp, s.tp + s.fn).padStart(6)}`,
      );
    const d = r.detection;
    t.comment(
      `detection  precision ${ratio(d.tp, d.tp + d.fp)}  recall ${ratio(d.tp, d.tp + d.fn)}  category agreement ${ratio(r.agree, r.lines)} (${r.agree}/${r.lines})`,
    );
    for (const [name, by] of VARIANTS) {
      const v = evaluate(half, by);
      const e = v.detection;
      t.comment(
        `${name}: detection precision ${ratio(e.tp, e.tp + e.fp)}  recall ${ratio(e.tp, e.tp + e.fn)}  category agreement ${ratio(v.agree, v.lines)} (${v.agree}/${v.lines})`,
      );
    }
    if (half !== 'heldout') for (const m of r.misses) t.comment(`miss: ${m}`);
    t.ok(r.lines >= 200, `${half} has at least 200 lines`);
    t.end();
  });
}
