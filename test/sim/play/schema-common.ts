// Small zod pieces shared by the scenario schemas: offsets, names, labels.
import { z } from 'zod';
import { parseDuration } from './duration.js';

/** An offset on the scenario's timeline (`0`, `+30s`, `1m30s`), in milliseconds. */
export const offsetSchema = z.union([z.string(), z.number()]).transform((v, ctx) => {
  const ms = parseDuration(v);
  if (ms === null) {
    ctx.addIssue({
      code: 'custom',
      message: `"${String(v)}" is not a duration (use 30s, 1m30s, 500ms, 2h or a number of seconds)`,
    });
    return z.NEVER;
  }
  return ms;
});

const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** A Kubernetes object name (DNS-1123 subdomain). */
export const objectNameSchema = z
  .string()
  .max(253)
  .regex(DNS_SUBDOMAIN, 'must be a DNS-1123 name (lower case letters, digits, "-", ".")');

/** A container name (DNS-1123 label). */
export const containerNameSchema = z
  .string()
  .max(63)
  .regex(DNS_LABEL, 'must be a DNS-1123 label (lower case letters, digits, "-")');

/** How steps refer to a pod or CodeRun of the scenario: its `id`, which defaults to the agent. */
export const refSchema = z
  .string()
  .regex(DNS_LABEL, 'must be lower case letters, digits and "-" (an id or agent name)');

/** Labels to add (a string) or remove (null) on top of the platform's own. */
export const labelsSchema = z.record(z.string(), z.string().nullable());

/** A task id: a number is accepted and turned into its string, as the session API does. */
export const taskIdSchema = z
  .union([z.string().min(1), z.number().int().nonnegative()])
  .transform(String);

/** An agent's short name as the session's `cto_config.agents` keys it (`rex`, `tess`). */
export const agentSchema = z.string().regex(/^[a-z][a-z0-9-]*$/, 'must be an agent short name');

export { DNS_LABEL, DNS_SUBDOMAIN };
