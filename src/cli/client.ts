import { fetch } from 'undici';
import { CliError } from './io.js';

/** GET a JSON document from a running Healer, with a deadline and a one-line error. */
export async function getJson<T>(
  baseUrl: string,
  path: string,
  timeoutMs = 10_000,
): Promise<{ status: number; body: T }> {
  const url = new URL(path, baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`);
  let res;
  try {
    res = await fetch(url, {
      signal: AbortSignal.timeout(timeoutMs),
      headers: { accept: 'application/json' },
    });
  } catch (err) {
    const cause =
      err instanceof Error && err.cause instanceof Error ? `: ${err.cause.message}` : '';
    throw new CliError(
      `cannot reach Healer at ${baseUrl}${cause || (err instanceof Error ? `: ${err.message}` : '')}`,
    );
  }
  const text = await res.text();
  try {
    return { status: res.status, body: JSON.parse(text) as T };
  } catch {
    throw new CliError(`Healer at ${baseUrl} answered ${res.status} with a body that is not JSON`);
  }
}
