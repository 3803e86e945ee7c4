import t from 'tap';
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import {
  Classifier,
  errorShaped,
  features,
  LearnedStage,
  loadCatalogue,
  SHIPPED_MODEL,
  shippedLearnedStage,
} from '../../../src/detectors/patterns/index.js';
import type { LearnedJudge } from '../../../src/detectors/patterns/index.js';
import { healConfigSchema } from '../../../src/domain/heal-config.js';
import { train } from '../../../src/detectors/patterns/learned/train.js';
import {
  examplesOf,
  modelFile,
  PROSPECTIVE,
  readRound,
  ROUNDS,
} from '../../../scripts/train-classifier.js';

// The learned stage of issue #12 item 5: a linear model over token features, trained by
// scripts/train-classifier.ts on the tuning rounds only, judging error-shaped lines no pattern or
// structural rule decided. Its lines here come from the tuning rounds (never heldout/).

const catalogue = loadCatalogue();
const stage = new LearnedStage(SHIPPED_MODEL);
const withModel = new Classifier(catalogue, { learned: stage });
const rulesOnly = new Classifier(catalogue, { learned: null });
const tuning = ROUNDS.flatMap((r) => readRound(r));

/** The first tuning line the shipped model flags, and the first it nearly flags. */
function pick(): { flagged: string; near: string } {
  let flagged: string | null = null;
  let near: string | null = null;
  for (const f of tuning)
    for (const line of f.lines) {
      const { finding, steps } = withModel.explainLine(line);
      if (!flagged && finding?.patternId.startsWith('learned:')) flagged = line;
      if (!near && steps.some((s) => s.outcome === 'below-threshold')) near = line;
    }
  if (!flagged || !near) throw new Error('no learned finding or near miss in the tuning rounds');
  return { flagged, near };
}
const { flagged, near } = pick();

void t.test('training is deterministic: the same examples give the same weights', (t) => {
  const examples = examplesOf(readRound('tune'), 'all', new Map());
  const hyper = { l2: 1e-3, iterations: 20, learningRate: 0.1, minCount: 2, prune: 0.05 };
  const a = train(examples, hyper);
  const b = train(examples, hyper);
  t.same(a, b);
  t.ok(a.features.length > 100, `${a.features.length} features`);
  t.same(a.features, [...a.features].sort(), 'features in sorted order');
  t.end();
});

void t.test(
  'the shipped model: tuning rounds only, its version is its weights, LORO inside',
  (t) => {
    const m = SHIPPED_MODEL;
    t.same(m.trainedAt.rounds, [...ROUNDS]);
    t.notOk(m.trainedAt.rounds.includes('heldout'), 'never trained on the held-out half');
    t.match(m.trainedAt.commit, /^[0-9a-f]{7,}$/);
    const rebuilt = modelFile(
      {
        classes: m.classes,
        features: m.table.map((r) => r[0]),
        bias: m.bias,
        weights: m.table.map((r) => r[1]),
      },
      m,
    );
    t.equal(rebuilt.version, m.version, 'the version is the hash of the weights');
    t.equal(
      m.version,
      `lr-${createHash('sha256')
        .update(JSON.stringify([m.table.map((r) => r[0]), m.bias, m.table.map((r) => r[1])]))
        .digest('hex')
        .slice(0, 8)}`,
    );
    t.same(
      m.loro.map((r) => r.heldOut),
      ROUNDS,
    );
    t.comment(
      'LORO (train on four tuning rounds, evaluate on the fifth): precision / recall / agreement',
    );
    for (const r of m.loro)
      t.comment(
        `${r.heldOut.padEnd(7)} ${String(r.lines).padStart(4)} lines  rules ${r.rules.precision.toFixed(3)} / ${r.rules.recall.toFixed(3)} / ${r.rules.agreement.toFixed(3)}  rules+model ${r.withModel.precision.toFixed(3)} / ${r.withModel.recall.toFixed(3)} / ${r.withModel.agreement.toFixed(3)}`,
      );
    const p = m.loroPooled;
    t.comment(
      `pooled  rules ${p.rules.precision.toFixed(3)} / ${p.rules.recall.toFixed(3)} / ${p.rules.agreement.toFixed(3)}  rules+model ${p.withModel.precision.toFixed(3)} / ${p.withModel.recall.toFixed(3)} / ${p.withModel.agreement.toFixed(3)}`,
    );
    const pro = m.prospective!;
    t.ok(pro, 'the prospective folds are recorded');
    t.same(
      pro.folds.map((f) => [f.heldOut, f.catalogueAt]),
      PROSPECTIVE.map((f) => [f.round, f.catalogueAt]),
    );
    t.comment(
      'prospective (the catalogue when the round was handed over, the model trained on the rounds before it)',
    );
    for (const f of pro.folds)
      t.comment(
        `${f.heldOut.padEnd(7)} ${String(f.lines).padStart(4)} lines at ${f.catalogueAt}  rules ${f.rules.precision.toFixed(3)} / ${f.rules.recall.toFixed(3)} / ${f.rules.agreement.toFixed(3)}  rules+model ${f.withModel.precision.toFixed(3)} / ${f.withModel.recall.toFixed(3)} / ${f.withModel.agreement.toFixed(3)}`,
      );
    const pp = pro.pooled;
    t.comment(
      `pooled  rules ${pp.rules.precision.toFixed(3)} / ${pp.rules.recall.toFixed(3)} / ${pp.rules.agreement.toFixed(3)}  rules+model ${pp.withModel.precision.toFixed(3)} / ${pp.withModel.recall.toFixed(3)} / ${pp.withModel.agreement.toFixed(3)}`,
    );
    t.comment(`threshold ${m.threshold}; ${m.decision}`);
    // the default follows the rule stated in the training script
    t.equal(
      m.defaultOn,
      p.withModel.agreement >= p.rules.agreement &&
        p.withModel.precision >= p.rules.precision - 0.01 &&
        pp.withModel.precision >= pp.rules.precision &&
        pp.withModel.agreement >= pp.rules.agreement &&
        m.decision.startsWith('on'),
    );
    t.end();
  },
);

void t.test('a learned finding names the model and the features that decided', (t) => {
  const [f] = withModel.classifyChunk(flagged);
  t.ok(f, `flagged: ${flagged}`);
  t.equal(f.patternId, `learned:${SHIPPED_MODEL.version}`);
  t.equal(f.family, 'learned');
  t.ok(f.learned);
  t.equal(f.learned!.model, SHIPPED_MODEL.version);
  t.ok(f.learned!.score >= SHIPPED_MODEL.threshold);
  t.ok(f.learned!.features.length > 0 && f.learned!.features.length <= 5);
  const present = new Set(features(flagged));
  for (const x of f.learned!.features) t.ok(present.has(x), `${x} is a feature of the line`);
  t.same(rulesOnly.classifyChunk(flagged), [], 'the rules alone leave it');
  t.end();
});

void t.test('the threshold decides; a near miss is explained, not flagged', (t) => {
  const v = stage.judge(flagged)!;
  const above = new Classifier(catalogue, {
    learned: new LearnedStage(SHIPPED_MODEL, { threshold: v.score + 0.001 }),
  });
  t.same(above.classifyChunk(flagged), [], 'under a threshold above its score: no finding');
  const below = new Classifier(catalogue, {
    learned: new LearnedStage(SHIPPED_MODEL, { threshold: v.score - 0.001 }),
  });
  t.equal(below.classifyChunk(flagged).length, 1);
  const n = stage.judge(near)!;
  t.notOk(n.flagged);
  t.ok(
    n.score < SHIPPED_MODEL.threshold &&
      n.score >= SHIPPED_MODEL.threshold - SHIPPED_MODEL.nearMiss,
  );
  t.same(withModel.classifyChunk(near), []);
  const { finding, steps } = withModel.explainLine(near);
  t.equal(finding, null);
  t.match(steps.at(-1), { by: `learned:${SHIPPED_MODEL.version}`, outcome: 'below-threshold' });
  t.end();
});

void t.test('the off switch: option, shipped default, configuration', (t) => {
  const off = new Classifier(catalogue, { learned: null });
  t.equal(off.learned, false);
  t.same(off.classifyChunk(flagged), []);
  t.equal(shippedLearnedStage(false), null);
  t.ok(shippedLearnedStage(true));
  t.equal(shippedLearnedStage(null) !== null, SHIPPED_MODEL.defaultOn, 'null: the shipped default');
  t.equal(new Classifier(catalogue).learned, SHIPPED_MODEL.defaultOn);
  t.equal(healConfigSchema.parse({}).patterns.learned, null);
  t.equal(healConfigSchema.parse({ patterns: { learned: false } }).patterns.learned, false);
  t.end();
});

void t.test(
  'the model costs nothing on lines a pattern decided or that are not error-shaped',
  (t) => {
    const asked: string[] = [];
    const spy: LearnedJudge = {
      judge: (text) => {
        asked.push(text);
        return null;
      },
    };
    const lines = [
      'Error: connect ECONNREFUSED 127.0.0.1:3000', // a pattern's finding
      'INFO     Setting up STDIO servers with 120.0s timeout', // a pattern, vetoed
      '  Warning  BackOff    2m (x373 over 1h)   kubelet  Back-off restarting failed container', // structure
      'INFO cannot find the cache, building it', // info level: not error-shaped
      'all good, nothing failed', // no error shape? it has a failure word: asked
      'hello world', // no literal at all
      flagged,
    ];
    new Classifier(catalogue, { learned: spy }).classifyChunk(lines.join('\n'));
    t.same(asked, ['all good, nothing failed', flagged]);
    t.notOk(errorShaped('INFO cannot find the cache, building it'));
    t.ok(errorShaped('Error: Unexpected error'));
    t.end();
  },
);

void t.test('the shared look-alike filters veto a learned finding as they veto a pattern', (t) => {
  const always: LearnedJudge = {
    judge: () => ({
      alert: 'runtime',
      score: 1,
      threshold: 0.6,
      flagged: true,
      model: 'lr-test',
      features: [{ feature: 'w:invalid', weight: 1 }],
    }),
  };
  const c = new Classifier(catalogue, { learned: always });
  const hint = '1. Check the server settings for invalid fields';
  t.equal(c.classifyChunk(hint.slice(3)).length, 1, 'the line alone: the stage flags it');
  t.same(c.classifyChunk(hint), [], 'a numbered hint (filter task-list): no finding');
  const { finding, steps } = c.explainLine(hint);
  t.equal(finding, null);
  t.ok(
    steps.some((s) => s.by === 'filter task-list' && s.outcome === 'vetoed'),
    '--explain names the filter',
  );
  t.end();
});

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const run = promisify(execFile);

void t.test('healer scan --explain shows a learned finding and a near miss', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'healer-learned-'));
  const file = join(dir, 'agent.log');
  writeFileSync(file, `${[flagged, 'hello', 'hello', 'hello', 'hello', near].join('\n')}\n`);
  const healer = (...args: string[]) =>
    run(process.execPath, ['--import', 'tsx', 'src/main.ts', 'scan', ...args], { cwd: ROOT });
  const on = SHIPPED_MODEL.defaultOn ? [] : ['--learned'];
  const r = await healer('--explain', ...on, file);
  const out = r.stdout.trimEnd().split('\n');
  const v = stage.judge(flagged)!;
  const n = stage.judge(near)!;
  const by = `learned:${SHIPPED_MODEL.version}`;
  t.equal(
    out[0],
    `${file}:1: flagged ${v.alert} (${v.alert.startsWith('A') ? 'critical' : 'high'}) by ${by}: ${flagged}`,
  );
  t.match(
    out[1],
    new RegExp(
      `^    ${by}: ${v.alert} at ${v.score.toFixed(2)} \\(threshold ${SHIPPED_MODEL.threshold.toFixed(2)}\\); features "`,
    ),
  );
  for (const f of v.features)
    t.ok(out[1].includes(JSON.stringify(f.feature)), `names ${f.feature}`);
  t.equal(out[2], `${file}:6: not flagged: ${near}`);
  t.match(
    out[3],
    new RegExp(
      `^    ${by}: near miss: ${n.alert} at ${n.score.toFixed(2)}, under the threshold ${SHIPPED_MODEL.threshold.toFixed(2)}; features "`,
    ),
  );
  t.equal(out.length, 4);
  t.equal(r.stderr, '1 finding\n');
  const json = await healer('--explain', '--json', ...on, file);
  const rows = json.stdout
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { line: number; flagged: boolean; learned?: { model: string } });
  t.same(
    rows.map((x) => [x.line, x.flagged, x.learned?.model ?? null]),
    [
      [1, true, SHIPPED_MODEL.version],
      [6, false, null],
    ],
  );
  const off = await healer('--explain', '--no-learned', file);
  t.equal(off.stdout, '', 'off: neither is flagged nor explained');
  t.equal(off.stderr, '0 findings\n');
});
