/**
 * The phases the CodeRun controller writes to `status.phase` (remediation.md §2.2: `Pending`,
 * `Running`, `Succeeded`, `Failed`). Anything else is an unknown phase (A9 treats it as stuck).
 */
export const CODERUN_PHASES = ['Pending', 'Running', 'Succeeded', 'Failed'] as const;

/** Phases after which a CodeRun never changes again. Defined once; every stage reads it. */
export const FINISHED_CODERUN_PHASES: ReadonlySet<string> = new Set(['Succeeded', 'Failed']);

export const isFinishedCodeRunPhase = (phase: string | null | undefined): boolean =>
  FINISHED_CODERUN_PHASES.has(phase ?? '');

/** Phase of an attempt or evaluation that is decided but whose CodeRun does not exist yet. */
export const PLANNED_PHASE = 'Planned';
