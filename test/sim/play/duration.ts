// Offsets and durations in scenario files: `0`, `+30s`, `1m30s`, `500ms`, `2h`, `1h2m3s`.
// A bare number is seconds (YAML reads `at: 0` as a number).

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
const TOKEN = /(\d+(?:\.\d+)?)(ms|h|m|s)/y;

/** Milliseconds of a duration, or null when the text is not one. */
export function parseDuration(v: string | number): number | null {
  if (typeof v === 'number') return Number.isFinite(v) && v >= 0 ? Math.round(v * 1000) : null;
  const text = v.trim().replace(/^\+/, '');
  if (text === '' || text === '0') return text === '0' ? 0 : null;
  let total = 0;
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < text.length) {
    const m = TOKEN.exec(text);
    if (!m) return null;
    total += Number(m[1]) * UNIT_MS[m[2]];
  }
  return Math.round(total);
}

/** `90000` → `1m30s` (for messages and results). */
export function formatDuration(ms: number): string {
  if (ms === 0) return '0s';
  const parts: string[] = [];
  let rest = ms;
  for (const [unit, size] of [
    ['h', 3_600_000],
    ['m', 60_000],
    ['s', 1000],
  ] as const) {
    const n = Math.floor(rest / size);
    if (n > 0) parts.push(`${n}${unit}`);
    rest -= n * size;
  }
  if (rest > 0) parts.push(`${rest}ms`);
  return parts.join('');
}
