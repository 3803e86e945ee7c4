// The schemas every route shares: the error envelope, the not-found bodies, id parameters.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';

/** Every error the API answers (`{status: "error", message}`; field errors for a bad request). */
export const errorEnvelopeSchema = z.object({
  status: z.literal('error'),
  session_id: z.string().nullable().optional(),
  message: z.string(),
  errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
});

/** A session read of an unknown play id (upstream's shape: `session: null`). */
export const sessionNotFoundSchema = z.object({
  status: z.literal('error'),
  session: z.null(),
  message: z.string(),
});

/** `:id` of an incident or a silence. */
export const idParamsSchema = z.object({ id: z.string().max(100) });

/** The app a route plugin registers on (zod type provider). */
export type RouteApp = Parameters<FastifyPluginAsyncZod>[0];
