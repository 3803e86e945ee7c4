import { z } from 'zod';
import { ISSUE_TYPES, SEVERITIES } from '../../domain/alert.js';
import type { AlertId, IssueType, Severity } from '../../domain/alert.js';
import { PREFLIGHT_ITEMS } from '../../domain/preflight.js';
import type { PreflightItemId } from '../../domain/preflight.js';

/** The alerts a log line can raise (detection.md §4). */
export const LOG_ALERTS = [
  'A10',
  'A11',
  'A12',
  'runtime',
  'lifecycle',
] as const satisfies readonly AlertId[];
export type LogAlert = (typeof LOG_ALERTS)[number];

const id = z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'ids are lower-case kebab-case (a-z, 0-9, -)');
const pattern = z.string().min(1, 'a pattern cannot be empty');
const lines = z.array(z.string());

/** The checklist item ids of `domain/preflight.ts`, as a zod enum tuple. */
const CHECKLIST_ITEM_IDS = PREFLIGHT_ITEMS.map((i) => i.id) as [
  PreflightItemId,
  ...PreflightItemId[],
];

export const checklistRefSchema = z.strictObject({
  item: z.enum(CHECKLIST_ITEM_IDS),
  result: z.enum(['pass', 'fail']),
});

export const filterSchema = z.strictObject({
  id,
  description: z.string().optional(),
  pattern,
  examples: lines.min(1, 'a filter needs at least one example it suppresses'),
  counterexamples: lines.default([]),
});

export const entrySchema = z.strictObject({
  id,
  alert: z.enum(LOG_ALERTS),
  severity: z.enum(SEVERITIES),
  priority: z.union([z.literal(1), z.literal(2), z.literal(3)]),
  family: z.string().min(1),
  issueType: z.enum(ISSUE_TYPES).optional(),
  pattern,
  unless: z.array(pattern).default([]),
  /** Shared filters to apply; all of them when absent. */
  filters: z.array(z.string()).optional(),
  checklist: checklistRefSchema.optional(),
  source: z.string().optional(),
  examples: lines.min(1, 'an entry needs at least one example line'),
  counterexamples: lines.min(1, 'an entry needs at least one counterexample line'),
});

export const checklistEntrySchema = z.strictObject({
  id,
  item: z.enum(CHECKLIST_ITEM_IDS),
  result: z.enum(['pass', 'fail']),
  pattern,
  unless: z.array(pattern).default([]),
  source: z.string().optional(),
  examples: lines.min(1, 'a checklist signal needs at least one example line'),
  counterexamples: lines.default([]),
});

export const catalogueSchema = z.strictObject({
  version: z.literal(1),
  filters: z.array(filterSchema).default([]),
  entries: z.array(entrySchema).min(1, 'the catalogue has no entries'),
  checklist: z.array(checklistEntrySchema).default([]),
});

export type ChecklistRef = z.infer<typeof checklistRefSchema>;
export type Filter = z.infer<typeof filterSchema>;
export type Entry = z.infer<typeof entrySchema>;
export type ChecklistEntry = z.infer<typeof checklistEntrySchema>;
export type Catalogue = z.infer<typeof catalogueSchema>;

/** The issue type an alert maps to when its entry names none. */
export const DEFAULT_ISSUE_TYPE: Record<LogAlert, IssueType> = {
  A10: 'tool_mismatch',
  A11: 'config_error',
  A12: 'mcp_init_failed',
  runtime: 'agent_error',
  lifecycle: 'agent_error',
};

/** One classified log line. */
export interface Finding {
  /** 1-based line number in the scanned text. */
  line: number;
  text: string;
  patternId: string;
  alert: LogAlert;
  severity: Severity;
  priority: 1 | 2 | 3;
  issueType: IssueType;
  family: string;
  checklist?: ChecklistRef;
  /**
   * The structural rule (`structure:…`) that assigned the finding (then `patternId` is the same)
   * or re-categorised a pattern's finding; absent when the pattern alone decided.
   */
  rule?: string;
  /**
   * A finding of the learned stage (then `patternId` is `learned:<model>`):
   * the model version, its score, and the features that decided (largest contributions first).
   */
  learned?: { model: string; score: number; features: string[] };
}
