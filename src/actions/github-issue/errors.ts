import { ActionError, errorText } from '../handler.js';

interface OctokitLikeError {
  status?: number;
  message?: string;
  response?: { headers?: Record<string, string | number | undefined>; data?: unknown };
}

const header = (e: OctokitLikeError, name: string): string | undefined => {
  const v = e.response?.headers?.[name];
  return v === undefined ? undefined : String(v);
};

/** How long GitHub asked to wait: `retry-after` seconds, else the rate-limit reset time. */
export function githubRetryAfterMs(e: OctokitLikeError, now = Date.now()): number | undefined {
  const after = Number(header(e, 'retry-after'));
  if (Number.isFinite(after) && after >= 0) return Math.ceil(after * 1000);
  if (header(e, 'x-ratelimit-remaining') === '0') {
    const reset = Number(header(e, 'x-ratelimit-reset'));
    if (Number.isFinite(reset) && reset > 0) return Math.max(0, reset * 1000 - now);
  }
  return undefined;
}

/** GitHub's own words: `message` plus the `errors` of a 422, never an HTML error page. */
function githubMessage(e: OctokitLikeError): string {
  const data = e.response?.data;
  if (data && typeof data === 'object') {
    const d = data as { message?: unknown; errors?: unknown };
    const details = Array.isArray(d.errors)
      ? d.errors
          .map((x: unknown) =>
            typeof x === 'string'
              ? x
              : x && typeof x === 'object'
                ? Object.entries(x as Record<string, unknown>)
                    .filter(([k]) => ['resource', 'field', 'code', 'message'].includes(k))
                    .map(([k, v]) => `${k}=${String(v)}`)
                    .join(' ')
                : '',
          )
          .filter(Boolean)
          .join('; ')
      : '';
    if (typeof d.message === 'string') return details ? `${d.message} (${details})` : d.message;
  }
  const text = errorText(e.message ?? '');
  return /<html|<!doctype/i.test(text) ? 'an HTML error page' : text;
}

const isRateLimited = (e: OctokitLikeError): boolean =>
  e.status === 429 ||
  (e.status === 403 &&
    (header(e, 'x-ratelimit-remaining') === '0' ||
      /rate limit/i.test(githubMessage(e)) ||
      header(e, 'retry-after') !== undefined));

/**
 * Turns whatever a GitHub call threw into an ActionError: network errors, deadlines, 5xx, 409 and
 * rate limits are worth retrying; other 4xx are permanent and say what GitHub objected to.
 */
export function githubActionError(what: string, err: unknown): ActionError {
  if (err instanceof ActionError) return err;
  const e = (err ?? {}) as OctokitLikeError;
  const status = typeof e.status === 'number' ? e.status : undefined;
  if (status === undefined || status === 0 || status >= 500) {
    const why = status ? `GitHub answered ${status}: ${githubMessage(e)}` : errorText(err);
    return new ActionError(`${what}: ${why}`, true, { cause: err });
  }
  if (isRateLimited(e)) {
    const retryAfterMs = githubRetryAfterMs(e);
    return new ActionError(
      `${what}: GitHub rate limit (${status}): ${githubMessage(e)}`,
      true,
      retryAfterMs === undefined ? { cause: err } : { cause: err, retryAfterMs },
    );
  }
  if (status === 409 || status === 408) {
    return new ActionError(`${what}: GitHub answered ${status}: ${githubMessage(e)}`, true, {
      cause: err,
    });
  }
  const hint =
    status === 401
      ? ' (check GITHUB_TOKEN or the GitHub App credentials)'
      : status === 404
        ? ' (the repository or issue does not exist, or the credentials cannot see it)'
        : status === 403
          ? ' (the credentials lack permission: issues need read/write access)'
          : '';
  return new ActionError(`${what}: GitHub answered ${status}: ${githubMessage(e)}${hint}`, false, {
    cause: err,
  });
}
