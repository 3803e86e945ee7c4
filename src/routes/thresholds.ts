import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { THRESHOLD_KINDS, type ThresholdRow } from '../domain/threshold.js';
import { errorEnvelopeSchema } from './schemas/session-start.js';

export const thresholdSchema = z.object({
  seconds: z.number(),
  basis: z.discriminatedUnion('kind', [
    z.object({
      kind: z.literal('static'),
      reason: z.enum(['no-history', 'too-few-samples', 'learning-off']),
      samples: z.number().int(),
    }),
    z.object({ kind: z.literal('pinned') }),
    z.object({
      kind: z.literal('learned'),
      samples: z.number().int(),
      p95Seconds: z.number(),
      factor: z.number(),
      bounded: z.enum(['floor', 'ceiling']).nullable(),
    }),
  ]),
  description: z.string().describe('why the threshold is what it is, in one line'),
});

const rowSchema = z.object({
  agent: z.string(),
  stage: z.string(),
  runs: z.number().int().describe('successful runs kept for learning'),
  thresholds: z.object({
    'step-timeout': thresholdSchema.describe('A8'),
    'stuck-coderun': thresholdSchema.describe('A9'),
    'stale-progress': thresholdSchema.describe('A3'),
  }),
});

export type { ThresholdRow } from '../domain/threshold.js';

export interface ThresholdSource {
  /** One row per known agent and stage: the configured agents and those with run history. */
  rows(): ThresholdRow[];
  policy: { learn: boolean; minSamples: number; factor: number; floorSeconds: number };
}

/** The time thresholds in force per agent and stage, with their basis (issue #18). */
// eslint-disable-next-line @typescript-eslint/require-await
export const thresholdRoutes: FastifyPluginAsyncZod = async (app) => {
  const source = app.thresholds;
  if (!source) return;
  app.get(
    '/api/v1/thresholds',
    {
      schema: {
        summary: 'Time thresholds in force per agent and stage',
        description: `The A8 step timeout, A9 stuck-CodeRun and A3 stale-progress thresholds per agent and stage: learned from the agent's successful runs (p95 × factor, bounded by a floor and the configured value) once enough runs exist, pinned in heal-config.json, or the configured (static) value. Kinds: ${THRESHOLD_KINDS.join(', ')}.`,
        operationId: 'listThresholds',
        tags: ['incidents'],
        response: {
          200: z.object({
            status: z.literal('ok'),
            policy: z.object({
              learn: z.boolean(),
              minSamples: z.number().int(),
              factor: z.number(),
              floorSeconds: z.number(),
            }),
            thresholds: z.array(rowSchema),
          }),
          401: errorEnvelopeSchema,
        },
      },
    },
    () => ({ status: 'ok' as const, policy: source.policy, thresholds: source.rows() }),
  );
};
