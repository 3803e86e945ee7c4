/**
 * Small display rules the server-rendered page and the browser script share in meaning.
 * (The browser script in `client.ts` repeats them in plain JavaScript; the Chromium test checks
 * that a re-rendered page says what the first paint said.)
 */

/** Escapes text for HTML element content and double-quoted attribute values. */
export const esc = (v: string | number | boolean | null | undefined): string =>
  String(v ?? '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');

/** Only absolute http(s) URLs become links (no `javascript:`, no relative tricks). */
export const safeUrl = (u: string | null | undefined): string | null =>
  typeof u === 'string' && /^https?:\/\/[^\s"'<>`]+$/i.test(u) ? u : null;

/** `5 min ago` relative to `now` (Healer's clock), `—` for no time. */
export function ago(at: string | null | undefined, now: string): string {
  if (!at) return '—';
  const ms = Date.parse(now) - Date.parse(at);
  if (!Number.isFinite(ms)) return '—';
  const s = Math.round(ms / 1000);
  if (s < 5) return 'just now';
  if (s < 60) return `${s} s ago`;
  const m = Math.round(s / 60);
  if (m < 90) return `${m} min ago`;
  const h = Math.round(m / 60);
  if (h < 48) return `${h} h ago`;
  return `${Math.round(h / 24)} d ago`;
}

/** `2026-11-21 10:00:00 UTC`. */
export const utc = (at: string | null | undefined): string =>
  at && Number.isFinite(Date.parse(at))
    ? `${new Date(at).toISOString().slice(0, 19).replace('T', ' ')} UTC`
    : '';

/** Colour family of a pod, CodeRun or agent phase (the text always says the phase itself). */
export function phaseTone(phase: string | null | undefined): string {
  const p = (phase ?? '').toLowerCase();
  if (/^(running|active|started)$/.test(p)) return 'run';
  if (/^(succeeded|success|completed|complete|done|merged)$/.test(p)) return 'ok';
  if (/(fail|error|crash|backoff|oom|evicted|timeout|timedout|cancel)/.test(p)) return 'bad';
  if (/^(pending|waiting|queued|created|initializing|unknown)$/.test(p)) return 'wait';
  return 'other';
}

export const CHECK_SYMBOL: Record<string, string> = { passed: '✓', failed: '✗', unknown: '?' };
