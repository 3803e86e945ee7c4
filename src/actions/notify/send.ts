// One POST of a JSON body to a webhook, with the action's deadline, and the answer turned into
// success or an ActionError that says whether to retry and after how long.
import { fetch } from 'undici';
import { redact } from '../../domain/redact.js';
import { VERSION } from '../../version.js';
import { ActionError, errorText } from '../handler.js';

export interface PostOptions {
  /** `Discord` or `webhook`: names the destination in errors (never the URL: it holds a token). */
  name: string;
  url: string;
  body: unknown;
  signal: AbortSignal;
  headers?: Record<string, string>;
  /** Reads a destination-specific wait from the answer (Discord's JSON `retry_after`). */
  retryAfterFromBody?: (json: unknown) => number | undefined;
}

/** `Retry-After`: seconds or an HTTP date, in milliseconds. */
export function retryAfterHeaderMs(value: string | null, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const secs = Number(value);
  if (Number.isFinite(secs) && secs >= 0) return Math.ceil(secs * 1000);
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

const parse = (text: string): unknown => {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
};

const reasonOf = (json: unknown, text: string): string => {
  const m = (json as { message?: unknown } | undefined)?.message;
  return errorText(redact(typeof m === 'string' ? m : text || 'no body')).slice(0, 200);
};

export async function postJson(o: PostOptions): Promise<{ status: number }> {
  let res;
  try {
    res = await fetch(o.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'user-agent': `healer/${VERSION}`,
        ...o.headers,
      },
      body: JSON.stringify(o.body),
      signal: o.signal,
    });
  } catch (err) {
    const cause =
      err instanceof Error && err.cause instanceof Error ? `: ${err.cause.message}` : '';
    throw new ActionError(`${o.name} unreachable: ${errorText(err)}${cause}`, true, { cause: err });
  }
  const text = await res.text().catch(() => '');
  if (res.ok) return { status: res.status };
  const json = parse(text);
  const what = `${o.name} answered ${res.status}: ${reasonOf(json, text)}`;
  if (res.status === 429 || res.status === 408 || res.status >= 500) {
    const retryAfterMs =
      (res.status === 429 ? o.retryAfterFromBody?.(json) : undefined) ??
      retryAfterHeaderMs(res.headers.get('retry-after'));
    throw new ActionError(what, true, retryAfterMs === undefined ? {} : { retryAfterMs });
  }
  const hint =
    res.status === 404 || res.status === 401
      ? ` (check the ${o.name} URL: the webhook may have been deleted)`
      : '';
  throw new ActionError(what + hint, false);
}

/** Discord's 429 body: `{"retry_after": 1.5, "global": false, …}` in seconds. */
export function discordRetryAfterMs(json: unknown): number | undefined {
  const v = (json as { retry_after?: unknown } | undefined)?.retry_after;
  return typeof v === 'number' && Number.isFinite(v) && v >= 0 ? Math.ceil(v * 1000) : undefined;
}
