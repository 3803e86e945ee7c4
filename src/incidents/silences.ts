import { z } from 'zod';
import type { Silence } from '../domain/action.js';
import { ALERT_IDS, type AlertDraft, type AlertId } from '../domain/alert.js';
import { normaliseAgent } from '../domain/stages.js';

/**
 * Silences (api.md `POST /api/v1/silences`): alerts they match are recorded with the reason
 * `silenced` but not acted on until `ends_at`.
 */

/** A silence may last at most this long: a forgotten one must not hide failures for ever. */
export const SILENCE_MAX_DAYS = 30;

type Matchers = Silence['matchers'];
const MATCHER_KEYS = ['alert', 'play_id', 'agent', 'namespace'] as const;

/** A silence in force at `now`: started, not ended, not expired by hand. */
export function isActive(s: Silence, now: Date): boolean {
  const t = now.getTime();
  const expired = s.expiredAt !== null && Date.parse(s.expiredAt) <= t;
  return !expired && Date.parse(s.startsAt) <= t && t < Date.parse(s.endsAt);
}

/** Every matcher the silence gives equals the draft's value; a silence without matchers matches nothing. */
export function matches(m: Matchers, draft: AlertDraft): boolean {
  const given = MATCHER_KEYS.filter((k) => m[k] !== undefined);
  if (given.length === 0) return false;
  return given.every((k) => {
    const want = m[k]!;
    switch (k) {
      case 'alert':
        return want.toLowerCase() === draft.alert.toLowerCase();
      case 'play_id':
        // `platform` matches incidents that belong to no Play, as in the fingerprint.
        return want === (draft.playId ?? 'platform');
      case 'agent':
        return draft.agent !== null && normaliseAgent(want) === normaliseAgent(draft.agent);
      case 'namespace':
        return want === draft.namespace;
    }
  });
}

/**
 * The active silence matching `draft` at `now`, or undefined. With several, the one that lasts
 * longest (then the lowest id), so the decision names the silence that keeps it quiet longest.
 */
export function matchSilence(
  silences: readonly Silence[],
  draft: AlertDraft,
  now: Date,
): Silence | undefined {
  return silences
    .filter((s) => isActive(s, now) && matches(s.matchers, draft))
    .sort((a, b) =>
      a.endsAt === b.endsAt ? (a.id < b.id ? -1 : 1) : Date.parse(b.endsAt) - Date.parse(a.endsAt),
    )[0];
}

/** `alert=A7 play_id=play-1`: the matchers as one line, for decisions and logs. */
export const describeMatchers = (m: Matchers): string =>
  MATCHER_KEYS.filter((k) => m[k] !== undefined)
    .map((k) => `${k}=${m[k]}`)
    .join(' ');

// --- request body of POST /api/v1/silences -------------------------------------------------

// eslint-disable-next-line no-control-regex -- the point is to find control characters
const CONTROL_RE = /[\u0000-\u001f\u007f-\u009f]/;
const DNS_LABEL_RE = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const ALERT_BY_LOWER = new Map<string, AlertId>(ALERT_IDS.map((a) => [a.toLowerCase(), a]));

const text = (max: number) =>
  z.string().trim().min(1, 'must not be empty').max(max, `must be at most ${max} characters`);

const matchersSchema = z
  .object({
    alert: z
      .string()
      .trim()
      .transform((a, ctx) => {
        const id = ALERT_BY_LOWER.get(a.toLowerCase());
        if (id === undefined) {
          ctx.addIssue({ code: 'custom', message: `must be one of ${ALERT_IDS.join(', ')}` });
          return z.NEVER;
        }
        return id;
      })
      .optional(),
    play_id: z
      .string()
      .max(253, 'must be at most 253 characters')
      .refine((v) => !CONTROL_RE.test(v), 'must be a play id (no control characters) or "platform"')
      .optional(),
    agent: text(64).optional(),
    namespace: z
      .string()
      .max(63, 'must be at most 63 characters')
      .regex(DNS_LABEL_RE, 'must be a DNS-1123 label')
      .optional(),
  })
  // A mistyped matcher (`playId`) must not silently widen the silence: reject unknown keys.
  .strict()
  .refine((m) => MATCHER_KEYS.some((k) => m[k] !== undefined), {
    message: 'give at least one matcher: alert, play_id, agent or namespace',
  });

/**
 * The body of `POST /api/v1/silences`: `{matchers:{alert?,play_id?,agent?,namespace?}, ends_at,
 * comment, created_by}`. `ends_at` (RFC 3339 with offset) must be after `now()` and at most
 * {@link SILENCE_MAX_DAYS} days away. Alert ids are accepted in any case and normalised (`a7` → `A7`).
 */
export function silenceBodySchema(now: () => Date = () => new Date()) {
  return z
    .object({
      matchers: matchersSchema,
      ends_at: z.iso.datetime({ offset: true, message: 'must be an RFC 3339 date-time' }),
      comment: text(1000),
      created_by: text(128),
    })
    .superRefine((b, ctx) => {
      const end = Date.parse(b.ends_at);
      const t = now().getTime();
      if (end <= t)
        ctx.addIssue({ code: 'custom', path: ['ends_at'], message: 'must be in the future' });
      else if (end - t > SILENCE_MAX_DAYS * 86_400_000)
        ctx.addIssue({
          code: 'custom',
          path: ['ends_at'],
          message: `must be at most ${SILENCE_MAX_DAYS} days from now`,
        });
    });
}

export type SilenceBody = z.output<ReturnType<typeof silenceBodySchema>>;

/** The stored silence for a validated body: starts now, ends at `ends_at` (normalised to UTC). */
export function silenceFromBody(body: SilenceBody, id: string, now: Date): Silence {
  const matchers: Matchers = {};
  for (const k of MATCHER_KEYS) if (body.matchers[k] !== undefined) matchers[k] = body.matchers[k];
  return {
    id,
    matchers,
    startsAt: now.toISOString(),
    endsAt: new Date(body.ends_at).toISOString(),
    comment: body.comment,
    createdBy: body.created_by,
    expiredAt: null,
  };
}
