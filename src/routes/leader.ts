import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';

export const leaderSchema = z.object({
  leader: z.boolean().describe('this replica runs the watches, polling, timers and actions'),
  identity: z.string().describe("this replica's identity (POD_NAME, else HOSTNAME, else host-pid)"),
  holder: z.string().nullable().describe('who holds the leadership as last seen, or null'),
  since: z.string().nullable().describe('when the holder became the leader (ISO), or null'),
  mode: z
    .enum(['alone', 'lease'])
    .describe('`alone`: one replica that always leads (SQLite, or no cluster); `lease`: elected'),
  lease: z
    .object({ name: z.string(), namespace: z.string() })
    .nullable()
    .describe('the coordination.k8s.io/v1 Lease elected on, or null'),
  expiresAt: z
    .string()
    .nullable()
    .describe(
      "when the observed lease runs out unless its holder renews it (the holder's renew time plus the lease duration), or null",
    ),
});

export type LeaderBody = z.infer<typeof leaderSchema>;

/** `GET /api/v1/leader`: which replica leads (every replica answers, from its own view). */
export const leaderRoutes: FastifyPluginAsyncZod =
  // eslint-disable-next-line @typescript-eslint/require-await
  async (app) => {
    app.get(
      '/api/v1/leader',
      {
        schema: {
          summary: 'Leadership of this replica',
          description:
            "Every replica serves the API from the shared store; only the leader runs the background work. Answers from the asking replica's view.",
          operationId: 'getLeader',
          tags: ['operations'],
          response: {
            200: leaderSchema,
            401: z
              .object({ status: z.literal('error'), message: z.string() })
              .describe('HEALER_API_TOKEN_READS=true and no or a wrong bearer token'),
          },
        },
      },
      () => app.leader(),
    );
  };
