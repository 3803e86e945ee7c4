import type { Severity } from '../../../domain/alert.js';
import type { LogAlert } from '../schema.js';
import { envelopeOf } from '../structure.js';
import { features } from './features.js';

/**
 * The learned stage (issue #12 item 5): a one-vs-rest logistic regression over the features of
 * `features.ts`, trained by `scripts/train-classifier.ts` on the tuning rounds of the detection
 * corpus, its weights committed as `model.json` next to this file. It judges only error-shaped
 * lines that no pattern matched and the structural stage left alone; a finding names the model
 * version and the features that decided it (the largest contributions to its score).
 */

export const CLASSES = ['A10', 'A11', 'A12', 'runtime', 'lifecycle', 'none'] as const;
export type LearnedClass = (typeof CLASSES)[number];

/** One row of the leave-one-round-out evaluation, kept in the model file. */
export interface LoroRow {
  /** The round left out (evaluated), trained on the others. */
  heldOut: string;
  lines: number;
  rules: { precision: number; recall: number; agreement: number };
  withModel: { precision: number; recall: number; agreement: number };
}

/** The committed model file (`model.json`). */
export interface ModelFile {
  format: 1;
  /** `lr-<hash of the weights>`: what a finding names. */
  version: string;
  trainedAt: {
    /** The commit the training ran on (the catalogue and corpus it saw). */
    commit: string;
    rounds: string[];
    lines: number;
    /** The lines trained on: every labelled line, or only those that reach the stage. */
    population: 'all' | 'residual';
  };
  hyper: { l2: number; iterations: number; learningRate: number; minCount: number; prune: number };
  /** A line is flagged when its best family's probability reaches this. */
  threshold: number;
  /** `healer scan --explain` shows a near miss this far under the threshold. */
  nearMiss: number;
  /** Whether the stage runs when the configuration does not say (`patterns.learned`). */
  defaultOn: boolean;
  /** Why it is on or off by default (the LORO comparison). */
  decision: string;
  loro: LoroRow[];
  loroPooled: { rules: LoroRow['rules']; withModel: LoroRow['withModel'] };
  /**
   * The prospective folds: each once-held-out round classified with the catalogue as it stood
   * when that round was handed over as tuning material (`catalogueAt`), by the rules alone and
   * with a model trained on the rounds before it — folds where neither side had seen the round.
   */
  prospective?: {
    folds: (LoroRow & { catalogueAt: string })[];
    pooled: { rules: LoroRow['rules']; withModel: LoroRow['withModel'] };
  };
  classes: LearnedClass[];
  bias: number[];
  /** One row per feature: the feature and its weight for each class (in `classes` order). */
  table: [string, number[]][];
}

/** What the stage says of a line it judged. */
export interface LearnedVerdict {
  alert: LogAlert;
  /** The probability of `alert` (one-vs-rest). */
  score: number;
  threshold: number;
  /** At or above the threshold. */
  flagged: boolean;
  /** The model version (`lr-…`). */
  model: string;
  /** The features that decided: the largest positive contributions to `alert`'s score. */
  features: { feature: string; weight: number }[];
}

/** The severity of a learned finding, by family. */
export const LEARNED_SEVERITY: Record<LogAlert, Severity> = {
  A10: 'critical',
  A11: 'critical',
  A12: 'critical',
  runtime: 'high',
  lifecycle: 'high',
};

/** What the classifier asks of the learned stage (a recorder for training implements it too). */
export interface LearnedJudge {
  /**
   * The verdict on an error-shaped line no pattern or structural rule decided (the classifier
   * asks about no other line), or null when it is far under the threshold.
   */
  judge(text: string): LearnedVerdict | null;
}

const sigmoid = (z: number): number => 1 / (1 + Math.exp(-z));
const TOP_FEATURES = 5;

export class LearnedStage implements LearnedJudge {
  readonly model: ModelFile;
  readonly threshold: number;
  readonly #index: Map<string, number>;
  readonly #features: string[];
  readonly #weights: number[][];
  readonly #none: number;

  constructor(model: ModelFile, opts: { threshold?: number } = {}) {
    this.model = model;
    this.threshold = opts.threshold ?? model.threshold;
    this.#features = model.table.map((r) => r[0]);
    this.#weights = model.table.map((r) => r[1]);
    this.#index = new Map(this.#features.map((f, i) => [f, i]));
    this.#none = model.classes.indexOf('none');
  }

  /** Class probabilities of a line (one-vs-rest), and its features' indices. */
  scores(text: string): { probs: number[]; present: number[] } {
    const present: number[] = [];
    for (const f of features(text, envelopeOf(text))) {
      const i = this.#index.get(f);
      if (i !== undefined) present.push(i);
    }
    const z = [...this.model.bias];
    for (const i of present) {
      const w = this.#weights[i];
      for (let c = 0; c < z.length; c++) z[c] += w[c];
    }
    return { probs: z.map(sigmoid), present };
  }

  judge(text: string): LearnedVerdict | null {
    const { probs, present } = this.scores(text);
    let best = -1;
    for (let c = 0; c < probs.length; c++)
      if (c !== this.#none && (best === -1 || probs[c] > probs[best])) best = c;
    const score = probs[best];
    if (score < this.threshold - this.model.nearMiss) return null;
    const ranked = present
      .map((i) => ({ feature: this.#features[i], weight: this.#weights[i][best] }))
      .filter((f) => f.weight > 0)
      .sort((a, b) => b.weight - a.weight || (a.feature < b.feature ? -1 : 1))
      .slice(0, TOP_FEATURES);
    return {
      alert: this.model.classes[best] as LogAlert,
      score,
      threshold: this.threshold,
      flagged: score >= this.threshold,
      model: this.model.version,
      features: ranked,
    };
  }
}
