// A scenario file: the session a Play starts with, a timeline of steps that drive the simulated
// world, and what Healer is expected to detect and do. Parsed with `yaml`, validated here.
import { z } from 'zod';
import { agentSchema, offsetSchema, refSchema, taskIdSchema } from './schema-common.js';
import {
  checkStepSchema,
  commentStepSchema,
  commitStepSchema,
  mergeableStepSchema,
  prStepSchema,
  reviewStepSchema,
  statusStepSchema,
} from './schema-github.js';
import type {
  CheckStep,
  CommentStep,
  CommitStep,
  MergeableStep,
  PrStep,
  ReviewStep,
  StatusStep,
} from './schema-github.js';
import {
  codeRunStepSchema,
  eventStepSchema,
  podStepSchema,
  workflowStepSchema,
} from './schema-kube.js';
import type { CodeRunStep, EventStep, PodStep, WorkflowStep } from './schema-kube.js';
import { sessionSchema } from './schema-session.js';
import type { SessionStart } from './schema-session.js';
import { ALERT_IDS, ISSUE_TYPES } from '../../../src/domain/alert.js';

const logLineSchema = z.union([
  z.string(),
  /** `after`: offset from the step's time (default: `every` after the previous line). */
  z.strictObject({ after: offsetSchema, text: z.string() }),
]);

export const logsStepSchema = z.strictObject({
  pod: refSchema,
  /** Default: the pod's agent container. */
  container: z.string().optional(),
  /** Spacing of lines without `after` (default 100ms). */
  every: offsetSchema.optional(),
  stream: z.enum(['stdout', 'stderr']).default('stdout'),
  lines: z.array(logLineSchema).min(1),
});
export type LogsStep = z.output<typeof logsStepSchema>;

/** Time passes with nothing happening (a string says why). */
export const waitStepSchema = z.union([z.string(), z.literal(true), z.null()]);
export type WaitStep = z.output<typeof waitStepSchema>;

/** Every action a step can take, by its key in the file. */
export interface Actions {
  workflow: WorkflowStep;
  coderun: CodeRunStep;
  pod: PodStep;
  event: EventStep;
  logs: LogsStep;
  pr: PrStep;
  comment: CommentStep;
  review: ReviewStep;
  commit: CommitStep;
  check: CheckStep;
  status: StatusStep;
  mergeable: MergeableStep;
  wait: WaitStep;
}
export type ActionKind = keyof Actions;
export type Action = { [K in ActionKind]: { kind: K; spec: Actions[K] } }[ActionKind];

const actionSchemas = {
  workflow: workflowStepSchema,
  coderun: codeRunStepSchema,
  pod: podStepSchema,
  event: eventStepSchema,
  logs: logsStepSchema,
  pr: prStepSchema,
  comment: commentStepSchema,
  review: reviewStepSchema,
  commit: commitStepSchema,
  check: checkStepSchema,
  status: statusStepSchema,
  mergeable: mergeableStepSchema,
  wait: waitStepSchema,
} as const;
export const ACTION_KINDS = Object.keys(actionSchemas) as ActionKind[];

export interface Step {
  /** Offset from the scenario's start, in ms. */
  at: number;
  note?: string;
  action: Action;
}

const stepSchema = z
  .strictObject({
    at: offsetSchema,
    note: z.string().optional(),
    ...Object.fromEntries(ACTION_KINDS.map((k) => [k, actionSchemas[k].optional()])),
  })
  .transform((raw, ctx): Step => {
    const r = raw as Record<string, unknown> & { at: number; note?: string };
    const present = ACTION_KINDS.filter((k) => k in r && (r[k] !== undefined || k === 'wait'));
    if (present.length !== 1) {
      ctx.addIssue({
        code: 'custom',
        message: `a step takes exactly one action (${ACTION_KINDS.join(', ')}); found ${present.length === 0 ? 'none' : present.join(', ')}`,
      });
      return z.NEVER;
    }
    const kind = present[0];
    const action = { kind, spec: r[kind] } as Action;
    return { at: r.at, ...(r.note !== undefined ? { note: r.note } : {}), action };
  });

// the scenario's expectations use Healer's own alert ids and issue types
const ALERTS = ALERT_IDS;

export const expectedAlertSchema = z.strictObject({
  alert: z.enum(ALERTS),
  severity: z.enum(['critical', 'high', 'medium', 'low', 'info']),
  agent: agentSchema.nullable(),
  task_id: taskIdSchema.nullable(),
  /** How many incidents of this alert (alerts with one fingerprint are one incident). */
  count: z.number().int().positive().default(1),
  issue_type: z.enum(ISSUE_TYPES).optional(),
  /** A2's detection method (detection.md §3.1). */
  method: z
    .enum(['exit_code', 'ready_status', 'pod_condition', 'restart_count', 'terminated_duration'])
    .optional(),
  /** A7's reason (CrashLoopBackOff, OOMKilled, ImagePullBackOff, …), A5's kind. */
  reason: z.string().optional(),
  note: z.string().optional(),
});
export type ExpectedAlert = z.output<typeof expectedAlertSchema>;

export const expectSchema = z
  .strictObject({
    /** Nothing at all must be detected (happy path, look-alikes). */
    none: z.boolean().default(false),
    alerts: z.array(expectedAlertSchema).default([]),
    /** GitHub issues Healer opens, and remediation CodeRuns it creates (default mode). */
    issues: z.number().int().nonnegative(),
    coderuns: z.number().int().nonnegative(),
    /**
     * The cause groups the detections form (issue #17, `patterns/grouping.yaml`): the rule name of
     * each parent incident Healer records on top of them. The parent, not each detection, gets the
     * issue and the remediation run.
     */
    causes: z.array(z.string().regex(/^[a-z0-9][a-z0-9-]*$/)).default([]),
    /** The heal-config.json `alerts` settings the expectation relies on (the defaults). */
    config: z.record(z.string(), z.unknown()).optional(),
  })
  .superRefine((e, ctx) => {
    if (e.none && (e.alerts.length > 0 || e.causes.length > 0 || e.issues > 0 || e.coderuns > 0))
      ctx.addIssue({
        code: 'custom',
        message: 'none: true means no alerts, no causes, issues: 0 and coderuns: 0',
      });
    if (!e.none && e.alerts.length === 0)
      ctx.addIssue({
        code: 'custom',
        path: ['alerts'],
        message: 'list the expected alerts, or say none: true',
      });
  });
export type Expect = z.output<typeof expectSchema>;

export const scenarioSchema = z.strictObject({
  name: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'must be lower case letters, digits and "-"'),
  description: z.string().min(1),
  session: sessionSchema,
  clock: z
    .strictObject({
      /** A fixed start (RFC 3339); default `auto`: the last step lands at "now". */
      start: z.union([z.literal('auto'), z.iso.datetime({ offset: true })]).default('auto'),
    })
    .default({ start: 'auto' }),
  /**
   * Successful runs Healer has already seen before the scenario (learned thresholds, issue #18),
   * per agent: `rex: { runs: 6, minutes: 12 }` — in the agent's configured stage.
   */
  history: z
    .record(
      z.string().min(1),
      z.strictObject({
        runs: z.number().int().min(1).max(50),
        minutes: z.number().positive(),
      }),
    )
    .optional(),
  steps: z.array(stepSchema).min(1),
  expect: expectSchema,
});

export interface Scenario {
  name: string;
  description: string;
  session: SessionStart;
  clock: { start: string };
  history?: Record<string, { runs: number; minutes: number }>;
  steps: Step[];
  expect: Expect;
  /** The file it was loaded from, when it was. */
  file?: string;
}
