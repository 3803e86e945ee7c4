import t from 'tap';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { Classifier, LOG_ALERTS, loadCatalogue } from '../../../src/detectors/patterns/index.js';

// Precision and recall of the classifier on the real-log corpus (test/fixtures/logs), against
// labels written by hand in labels.yaml from what each line means. Each file is classified as one
// stream (classifyChunk), the way the classifier runs: its structural rules see the lines before.

interface Labels {
  files: Record<string, { source: string; labels: Record<string, string> }>;
}
const dir = new URL('../../fixtures/logs/', import.meta.url);
const labels = parse(readFileSync(new URL('labels.yaml', dir), 'utf8')) as Labels;
const classifier = new Classifier(loadCatalogue());
const CATEGORIES = [...LOG_ALERTS, 'none'] as const;

void t.test('every fixture names its public source and labels only lines it has', (t) => {
  for (const [file, meta] of Object.entries(labels.files)) {
    t.ok(meta.source.length > 10, `${file} has a source`);
    const count = readFileSync(new URL(file, dir), 'utf8').replace(/\n$/, '').split('\n').length;
    for (const [n, label] of Object.entries(meta.labels ?? {})) {
      t.ok(Number(n) >= 1 && Number(n) <= count, `${file}:${n} exists`);
      t.ok((CATEGORIES as readonly string[]).includes(label), `${file}:${n} label ${label}`);
    }
  }
  t.end();
});

void t.test('precision and recall per category on the corpus', (t) => {
  const score = new Map(LOG_ALERTS.map((a) => [a, { tp: 0, fp: 0, fn: 0, lines: 0 }]));
  let lines = 0;
  const misses: string[] = [];
  for (const [file, meta] of Object.entries(labels.files)) {
    const text = readFileSync(new URL(file, dir), 'utf8').replace(/\n$/, '');
    const found = new Map(classifier.classifyChunk(text).map((f) => [f.line, f.alert]));
    text.split('\n').forEach((line, i) => {
      lines++;
      const want = meta.labels?.[String(i + 1)] ?? 'none';
      const got = found.get(i + 1) ?? 'none';
      if (want !== 'none') score.get(want as (typeof LOG_ALERTS)[number])!.lines++;
      if (want === got) {
        if (got !== 'none') score.get(got)!.tp++;
        return;
      }
      if (got !== 'none') score.get(got)!.fp++;
      if (want !== 'none') score.get(want as (typeof LOG_ALERTS)[number])!.fn++;
      misses.push(`${file}:${i + 1} expected ${want}, got ${got}: ${line.slice(0, 100)}`);
    });
  }
  const pct = (x: number) => (Number.isNaN(x) ? '  -  ' : x.toFixed(3));
  t.comment(`corpus: ${Object.keys(labels.files).length} files, ${lines} lines`);
  t.comment('category   lines  TP  FP  FN  precision  recall');
  let [TP, FP, FN] = [0, 0, 0];
  for (const [alert, s] of score) {
    const p = s.tp / (s.tp + s.fp);
    const r = s.tp / (s.tp + s.fn);
    TP += s.tp;
    FP += s.fp;
    FN += s.fn;
    t.comment(
      `${alert.padEnd(9)} ${String(s.lines).padStart(6)} ${String(s.tp).padStart(3)} ${String(s.fp).padStart(3)} ${String(s.fn).padStart(3)}  ${pct(p).padStart(9)}  ${pct(r).padStart(6)}`,
    );
    if (s.lines >= 5) {
      t.ok(p >= 0.9, `${alert} precision ${pct(p)} >= 0.9`);
      t.ok(r >= 0.9, `${alert} recall ${pct(r)} >= 0.9`);
    }
  }
  t.comment(`overall    precision ${pct(TP / (TP + FP))}  recall ${pct(TP / (TP + FN))}`);
  for (const m of misses) t.comment(`miss: ${m}`);
  t.end();
});
