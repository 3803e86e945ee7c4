export { Classifier, StreamWindow, union } from './classifier.js';
export type { ClassifierOptions, Step } from './classifier.js';
export {
  CLASSES,
  errorShaped,
  features,
  LearnedStage,
  SHIPPED_MODEL,
  shippedLearnedStage,
} from './learned/index.js';
export type {
  LearnedClass,
  LearnedJudge,
  LearnedVerdict,
  LoroRow,
  ModelFile,
} from './learned/index.js';
export { envelopeOf, STRUCTURE_FILTER, STRUCTURE_LITERALS, WINDOW_LINES } from './structure.js';
export type { Envelope } from './structure.js';
export { ChecklistScanner, foldChecklist, markOf, preflightState } from './checklist.js';
export type { ChecklistMark } from './checklist.js';
export { exampleProblems } from './examples.js';
export { CatalogueError, DEFAULT_CATALOGUE_PATH, loadCatalogue, parseCatalogue } from './load.js';
export { logqlEscape, lokiLineFilter, lokiUnion } from './loki.js';
export { applyPreflight, inPreflightWindow, PREFLIGHT_WINDOW_MS } from './preflight.js';
export type { PreflightFinding } from './preflight.js';
export { LOG_ALERTS } from './schema.js';
export type {
  Catalogue,
  ChecklistEntry,
  ChecklistRef,
  Entry,
  Filter,
  Finding,
  LogAlert,
} from './schema.js';
export { expectedToolsFor, missingExpectedTools, parseToolInventory } from './tool-inventory.js';
export type { ToolInventory } from './tool-inventory.js';
export { patternProblem, structuralProblems } from './validate.js';
export type { CatalogueProblem } from './validate.js';
