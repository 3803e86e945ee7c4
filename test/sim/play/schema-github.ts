// Steps on the Play's pull request: what agents (GitHub Apps) and CI do on GitHub.
import { z } from 'zod';
import { agentSchema } from './schema-common.js';

/** Who acts: a session agent (its GitHub App's bot login) or any other login. */
const actor = {
  agent: agentSchema.optional(),
  author: z.string().min(1).optional(),
};
const oneActor = (s: { agent?: string; author?: string }) =>
  (s.agent === undefined) !== (s.author === undefined);
const ONE_ACTOR = 'give exactly one of agent (a session agent) or author (a GitHub login)';

export const prStepSchema = z.strictObject({
  agent: agentSchema,
  title: z.string().min(1).optional(),
  body: z.string().optional(),
  head: z.string().min(1).optional(),
  base: z.string().min(1).default('main'),
  labels: z.array(z.string().min(1)).optional(),
  draft: z.boolean().default(false),
});

export const commentStepSchema = z
  .strictObject({ ...actor, body: z.string().min(1) })
  .refine(oneActor, ONE_ACTOR);

export const reviewStepSchema = z
  .strictObject({
    ...actor,
    event: z.enum(['APPROVE', 'REQUEST_CHANGES', 'COMMENT']),
    body: z.string().optional(),
  })
  .refine(oneActor, ONE_ACTOR)
  .refine((r) => r.event === 'APPROVE' || (r.body ?? '') !== '', {
    message: 'REQUEST_CHANGES and COMMENT reviews need a body (GitHub answers 422 without one)',
    path: ['body'],
  });

export const commitStepSchema = z
  .strictObject({ ...actor, message: z.string().min(1) })
  .refine(oneActor, ONE_ACTOR);

const CONCLUSIONS = [
  'success',
  'failure',
  'neutral',
  'cancelled',
  'skipped',
  'timed_out',
  'action_required',
] as const;

export const checkStepSchema = z
  .strictObject({
    /** The check run's name; the first step with a name creates it, later ones update it. */
    name: z.string().min(1),
    status: z.enum(['queued', 'in_progress', 'completed']).optional(),
    conclusion: z.enum(CONCLUSIONS).optional(),
    title: z.string().optional(),
    summary: z.string().optional(),
    /** The GitHub App running it (default `github-actions[bot]`). */
    author: z.string().min(1).optional(),
  })
  .refine((c) => c.status !== 'completed' || c.conclusion !== undefined, {
    message: 'a completed check run needs a conclusion',
    path: ['conclusion'],
  });

export const statusStepSchema = z.strictObject({
  context: z.string().min(1),
  state: z.enum(['error', 'failure', 'pending', 'success']),
  description: z.string().optional(),
  target_url: z.string().url().optional(),
  author: z.string().min(1).optional(),
});

export const mergeableStepSchema = z.strictObject({
  mergeable: z.boolean().nullable(),
  state: z.enum(['clean', 'dirty', 'unstable', 'blocked', 'behind', 'draft', 'unknown']).optional(),
});

export type PrStep = z.output<typeof prStepSchema>;
export type CommentStep = z.output<typeof commentStepSchema>;
export type ReviewStep = z.output<typeof reviewStepSchema>;
export type CommitStep = z.output<typeof commitStepSchema>;
export type CheckStep = z.output<typeof checkStepSchema>;
export type StatusStep = z.output<typeof statusStepSchema>;
export type MergeableStep = z.output<typeof mergeableStepSchema>;
