import { CLASSES } from './model.js';
import type { LearnedClass } from './model.js';

/**
 * One-vs-rest logistic regression with an L2 penalty, trained by full-batch gradient descent
 * (Adam steps) for a fixed number of iterations: no sampling, so the same examples in the same
 * order give the same weights, bit for bit. Features are binary (present or not).
 */

export interface Example {
  features: readonly string[];
  label: LearnedClass;
}

export interface Hyper {
  l2: number;
  iterations: number;
  learningRate: number;
  /** Features seen in fewer training lines are dropped. */
  minCount: number;
  /** After training, features whose every weight is smaller than this (in absolute value) are dropped. */
  prune: number;
}

export interface Trained {
  classes: LearnedClass[];
  features: string[];
  bias: number[];
  weights: number[][];
}

/** Weights are rounded to this many decimals (the file stays small and diffs stay readable). */
const DECIMALS = 4;
const round = (x: number): number => Math.round(x * 10 ** DECIMALS) / 10 ** DECIMALS;

function vocabulary(examples: readonly Example[], minCount: number): string[] {
  const counts = new Map<string, number>();
  for (const e of examples) for (const f of e.features) counts.set(f, (counts.get(f) ?? 0) + 1);
  return [...counts]
    .filter(([, n]) => n >= minCount)
    .map(([f]) => f)
    .sort();
}

export function train(
  examples: readonly Example[],
  hyper: Hyper,
  progress?: (iteration: number, loss: number) => void,
): Trained {
  const features = vocabulary(examples, hyper.minCount);
  const index = new Map(features.map((f, i) => [f, i]));
  const rows = examples.map((e) =>
    Int32Array.from(e.features.flatMap((f) => (index.has(f) ? [index.get(f)!] : []))),
  );
  const n = examples.length;
  const k = CLASSES.length;
  const w = Array.from({ length: features.length + 1 }, () => new Float64Array(k)); // last: bias
  const m = w.map(() => new Float64Array(k));
  const v = w.map(() => new Float64Array(k));
  const grad = w.map(() => new Float64Array(k));
  const y = examples.map((e) => CLASSES.indexOf(e.label));
  const biasRow = features.length;
  const [b1, b2, eps] = [0.9, 0.999, 1e-8];
  for (let it = 1; it <= hyper.iterations; it++) {
    for (const g of grad) g.fill(0);
    let loss = 0;
    for (let i = 0; i < n; i++) {
      const row = rows[i];
      for (let c = 0; c < k; c++) {
        let z = w[biasRow][c];
        for (const j of row) z += w[j][c];
        const p = 1 / (1 + Math.exp(-z));
        const target = y[i] === c ? 1 : 0;
        loss -= target ? Math.log(p + 1e-12) : Math.log(1 - p + 1e-12);
        const d = (p - target) / n;
        grad[biasRow][c] += d;
        for (const j of row) grad[j][c] += d;
      }
    }
    for (let j = 0; j < w.length; j++) {
      for (let c = 0; c < k; c++) {
        const g = grad[j][c] + (j === biasRow ? 0 : hyper.l2 * w[j][c]);
        m[j][c] = b1 * m[j][c] + (1 - b1) * g;
        v[j][c] = b2 * v[j][c] + (1 - b2) * g * g;
        const mh = m[j][c] / (1 - b1 ** it);
        const vh = v[j][c] / (1 - b2 ** it);
        w[j][c] -= (hyper.learningRate * mh) / (Math.sqrt(vh) + eps);
      }
    }
    progress?.(it, loss / n);
  }
  const kept = features.flatMap((f, j) =>
    w[j].some((x) => Math.abs(x) >= hyper.prune) ? [[f, [...w[j]].map(round)] as const] : [],
  );
  return {
    classes: [...CLASSES],
    features: kept.map(([f]) => f),
    bias: [...w[biasRow]].map(round),
    weights: kept.map(([, ws]) => ws),
  };
}
