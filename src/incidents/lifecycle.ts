/*
 * The incident lifecycle (ADR 0006, ADR 0008): every state change of an incident is a pure
 * function here, one folder per kind of change —
 *
 *   created / repeated / reopened   lifecycle/occurrence.ts   (the stores' recordAlert)
 *   decided                         lifecycle/transitions.ts  decisionApplied (the change decide() computed)
 *   run planned / started / observed / never started   lifecycle/runs.ts
 *   resolved, issue recorded, severity labelled, notified, acknowledged   lifecycle/transitions.ts
 *
 * Stores call them inside their transactions and action handlers return them as their incident
 * change; nothing else builds a changed incident. Stores fill the defaults of older records once
 * on read (`withIncidentDefaults`).
 */
export { recordOccurrence } from './lifecycle/occurrence.js';
export { withIncidentDefaults, type StoredIncident } from './lifecycle/defaults.js';
export {
  plannedRun,
  runNeverStarted,
  runObserved,
  runStarted,
  type RunKind,
  type RunUpdate,
} from './lifecycle/runs.js';
export {
  acknowledged,
  decisionApplied,
  issueRecorded,
  notifiedOf,
  resolved,
  severityLabelled,
} from './lifecycle/transitions.js';
