// Telling a running Healer that a scenario's Play starts, the way the platform's MCP server does
// (`POST /api/v1/session/start` with the scenario's `session`, api.md). Used by `npm run sim --
// --healer URL` and by `npm run demo`.
import type { SessionStart } from './schema-session.js';

export interface SessionAnswer {
  status: number;
  body: string;
}

/**
 * Registers the session; 200 (started) and 409 (already known, e.g. a replay) are fine, anything
 * else throws with Healer's answer.
 */
export async function startHealerSession(
  healerUrl: string,
  session: SessionStart,
  signal?: AbortSignal,
): Promise<SessionAnswer> {
  const res = await fetch(`${healerUrl.replace(/\/$/, '')}/api/v1/session/start`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(session),
    signal: signal ?? AbortSignal.timeout(10_000),
  });
  const body = await res.text();
  if (res.status !== 200 && res.status !== 409)
    throw new Error(`Healer at ${healerUrl} refused the session: ${res.status} ${body}`);
  return { status: res.status, body };
}
