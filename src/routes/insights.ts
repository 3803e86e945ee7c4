import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ALERT_IDS } from '../domain/alert.js';
import type { Clock } from '../domain/clock.js';
import type { IncidentStore, OutcomeStore } from '../domain/stores.js';
import { computeInsights } from '../incidents/history-insights.js';
import { errorEnvelopeSchema } from './schemas/session-start.js';

/** Rows read per request, at most, of incidents and of outcomes (`truncated` says when reached). */
export const INSIGHTS_READ_LIMIT = 5000;
const DAY = 86_400_000;

const counts = {
  attempts: z.number().int().describe('remediation attempts with a recorded outcome'),
  successes: z.number().int().describe('attempts after which the condition cleared'),
  failures: z
    .number()
    .int()
    .describe('attempts after which it kept firing, the run failed, or Healer escalated'),
};

const merged = z
  .number()
  .int()
  .describe('successes whose pull request was merged (outcome pr-merged)');

const signatureSchema = z.object({
  signature: z.string().describe('normalised, redacted error line of the evidence'),
  incidents: z.number().int(),
  ...counts,
});

const rowSchema = z.object({
  alert: z.string(),
  agent: z.string().nullable(),
  incidents: z.number().int(),
  resolved: z.number().int(),
  ...counts,
  merged,
  success_rate: z.number().nullable().describe('successes / (successes + failures); null: none'),
  median_time_to_resolve_seconds: z.number().nullable(),
  top_signatures: z.array(signatureSchema),
});

const failingSchema = z.object({
  alert: z.string(),
  agent: z.string().nullable(),
  signature: z.string(),
  failures: z.number().int(),
  successes: z.number().int(),
  last_failure_at: z.string(),
  refused: z
    .boolean()
    .describe('the next incident of this class goes to a person (decision reason history-says-no)'),
  last_summary: z.string(),
});

export const insightsResponseSchema = z.object({
  status: z.literal('ok'),
  since: z.string(),
  until: z.string(),
  truncated: z.boolean().describe(`more than ${INSIGHTS_READ_LIMIT} incidents or outcomes`),
  policy: z.object({ history_failures: z.number().int(), history_window_days: z.number() }),
  totals: z.object({
    incidents: z.number().int(),
    ...counts,
    merged,
    success_rate: z.number().nullable(),
  }),
  insights: z.array(rowSchema),
  failing: z.array(failingSchema),
});

export interface InsightsOptions {
  /** `remediation.historyFailures` and `historyWindowDays`: what `history-says-no` applies. */
  historyFailures: number;
  historyWindowDays: number;
}

/** What the insights read: incidents and remediation outcomes. */
export type InsightsReads = Pick<IncidentStore, 'listIncidents'> &
  Pick<OutcomeStore, 'listOutcomes'>;

const insightsQuerySchema = z.object({
  since: z.iso
    .datetime({ offset: true })
    .optional()
    .describe('incidents last seen and outcomes recorded at or after this (RFC 3339)'),
  alert: z.enum(ALERT_IDS).optional(),
  agent: z.string().min(1).max(100).optional(),
  top: z.coerce.number().int().min(1).max(50).default(5).describe('signatures per row'),
});

/** The answer of `GET /api/v1/insights` for one query. */
async function insightsAnswer(
  store: InsightsReads,
  clock: Clock,
  opts: InsightsOptions,
  q: z.infer<typeof insightsQuerySchema>,
) {
  const now = clock.now();
  const since = q.since
    ? new Date(q.since).toISOString()
    : new Date(now.getTime() - opts.historyWindowDays * DAY).toISOString();
  const [incidents, outcomes] = await Promise.all([
    store.listIncidents({
      limit: INSIGHTS_READ_LIMIT + 1,
      lastSeenFrom: since,
      ...(q.alert ? { alert: q.alert } : {}),
    }),
    store.listOutcomes({
      limit: INSIGHTS_READ_LIMIT + 1,
      since,
      ...(q.alert ? { alert: q.alert } : {}),
      ...(q.agent ? { agent: q.agent } : {}),
    }),
  ]);
  const truncated = incidents.length > INSIGHTS_READ_LIMIT || outcomes.length > INSIGHTS_READ_LIMIT;
  const r = computeInsights(
    incidents.slice(0, INSIGHTS_READ_LIMIT).filter((i) => !q.agent || i.agent === q.agent),
    outcomes.slice(0, INSIGHTS_READ_LIMIT),
    {
      topSignatures: q.top,
      minFailures: opts.historyFailures,
      windowDays: opts.historyWindowDays,
    },
  );
  return {
    status: 'ok' as const,
    since,
    until: now.toISOString(),
    truncated,
    policy: {
      history_failures: opts.historyFailures,
      history_window_days: opts.historyWindowDays,
    },
    totals: {
      incidents: r.totals.incidents,
      attempts: r.totals.attempts,
      successes: r.totals.successes,
      failures: r.totals.failures,
      merged: r.totals.merged,
      success_rate: r.totals.successRate,
    },
    insights: r.rows.map((row) => ({
      alert: row.alert,
      agent: row.agent,
      incidents: row.incidents,
      resolved: row.resolved,
      attempts: row.attempts,
      successes: row.successes,
      failures: row.failures,
      merged: row.merged,
      success_rate: row.successRate,
      median_time_to_resolve_seconds: row.medianTimeToResolveSeconds,
      top_signatures: row.topSignatures,
    })),
    failing: r.failing.map((f) => ({
      alert: f.alert,
      agent: f.agent,
      signature: f.signature,
      failures: f.failures,
      successes: f.successes,
      last_failure_at: f.lastFailureAt,
      refused: f.refused,
      last_summary: f.lastSummary,
    })),
  };
}

/** `GET /api/v1/insights` (issue #17 point 4): remediation outcomes per alert and agent, from the store. */
export const insightsRoutes =
  (store: InsightsReads, clock: Clock, opts: InsightsOptions): FastifyPluginAsyncZod =>
  // eslint-disable-next-line @typescript-eslint/require-await
  async (app) => {
    app.get(
      '/api/v1/insights',
      {
        schema: {
          summary: 'Remediation insights per alert and agent',
          description:
            'Per alert and agent over a time range (default: the history window, 30 days): incidents seen, resolved, remediation attempts and how they ended, the success rate, the median time to resolve and the most frequent evidence signatures; and the failing classes (alert, agent, signature), with whether Healer now sends their next incident straight to a person (history-says-no). Read from the store: survives restarts.',
          operationId: 'getInsights',
          tags: ['incidents'],
          querystring: insightsQuerySchema,
          response: {
            200: insightsResponseSchema,
            400: errorEnvelopeSchema,
            401: errorEnvelopeSchema,
          },
        },
      },
      async (req) => insightsAnswer(store, clock, opts, req.query),
    );
  };
