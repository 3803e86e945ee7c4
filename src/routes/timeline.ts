import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { TIMELINE_TYPES } from '../sessions/timeline.js';
import { playIdParamsSchema, sessionNotFoundSchema } from './schemas/session.js';

const entrySchema = z.object({
  at: z.string(),
  type: z.enum(TIMELINE_TYPES),
  incident_id: z.string().nullable(),
  summary: z.string(),
  detail: z.record(z.string(), z.unknown()),
});

/** `GET /api/v1/session/{play_id}/timeline`: what happened to a Play, and why Healer did what it did. */
export const timelineRoutes: FastifyPluginAsyncZod =
  // eslint-disable-next-line @typescript-eslint/require-await
  async (app) => {
    app.get(
      '/api/v1/session/:play_id/timeline',
      {
        schema: {
          summary: "A Play's timeline",
          description:
            'Session start and end, agents starting, every alert (incident first seen, repeats, resolution), every decision with its reason, and every action with its outcome, in time order.',
          operationId: 'sessionTimeline',
          tags: ['sessions'],
          params: playIdParamsSchema,
          response: {
            200: z.object({
              status: z.literal('ok'),
              play_id: z.string(),
              entries: z.array(entrySchema),
            }),
            404: sessionNotFoundSchema,
          },
        },
      },
      async (req) => {
        const playId = req.params.play_id;
        const entries = await app.timeline(playId);
        return { status: 'ok' as const, play_id: playId, entries };
      },
    );
  };
