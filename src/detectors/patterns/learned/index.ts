import shipped from './model.json' with { type: 'json' };
import { LearnedStage } from './model.js';
import type { ModelFile } from './model.js';

export { CLASSES, LEARNED_SEVERITY, LearnedStage } from './model.js';
export type { LearnedClass, LearnedJudge, LearnedVerdict, LoroRow, ModelFile } from './model.js';
export { errorShaped, features } from './features.js';

/** The committed model (`model.json`, written by `scripts/train-classifier.ts`). */
export const SHIPPED_MODEL = shipped as unknown as ModelFile;

let stage: LearnedStage | null = null;

/**
 * The learned stage of the shipped model, when `on` says so — or, when `on` is null or
 * undefined (the configuration does not say), when the model is on by default.
 */
export function shippedLearnedStage(on?: boolean | null): LearnedStage | null {
  if (!(on ?? SHIPPED_MODEL.defaultOn)) return null;
  return (stage ??= new LearnedStage(SHIPPED_MODEL));
}
