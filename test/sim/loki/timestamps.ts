// Time parameters as Loki reads them (pkg/loghttp parseTimestamp): integer Unix nanoseconds,
// an integer of 10 digits or fewer as seconds, a float as seconds, or RFC3339(Nano).
// All times are bigint nanoseconds.

export class BadParamError extends Error {}

const NS_PER_MS = 1_000_000n;

export function msToNs(ms: number): bigint {
  return BigInt(Math.floor(ms)) * NS_PER_MS;
}

export function parseRfc3339Ns(value: string): bigint | undefined {
  const m = /^(\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2})(\.\d{1,9})?([Zz]|[+-]\d{2}:\d{2})$/.exec(
    value,
  );
  if (!m) return undefined;
  const ms = Date.parse(`${m[1]}${m[3].toUpperCase() === 'Z' ? 'Z' : m[3]}`);
  if (Number.isNaN(ms)) return undefined;
  const frac = (m[2] ?? '.').slice(1).padEnd(9, '0');
  return msToNs(ms) + BigInt(frac);
}

export function parseTimestamp(name: string, value: string | null, def: bigint): bigint {
  if (value === null || value === '') return def;
  if (value.includes('.') && /^[+-]?\d*\.\d*(e[+-]?\d+)?$/i.test(value)) {
    const f = Number(value);
    if (Number.isFinite(f)) {
      const s = Math.trunc(f);
      const frac = Math.round((f - s) * 1000) / 1000;
      return BigInt(s) * 1_000_000_000n + BigInt(Math.round(frac * 1e9));
    }
  }
  if (/^-?\d+$/.test(value)) {
    const n = BigInt(value);
    return value.replace('-', '').length <= 10 ? n * 1_000_000_000n : n;
  }
  const t = parseRfc3339Ns(value);
  if (t !== undefined) return t;
  throw new BadParamError(`invalid ${name}: cannot parse "${value}" as a timestamp`);
}

// Prometheus-style duration ("5m", "1h30m", "500ms") or float seconds, in nanoseconds.
export function parseDurationNs(name: string, value: string): bigint {
  if (/^\d+(\.\d+)?$/.test(value)) return BigInt(Math.round(Number(value) * 1e9));
  const units: Record<string, number> = {
    ms: 1e6,
    s: 1e9,
    m: 60e9,
    h: 3600e9,
    d: 86400e9,
    w: 604800e9,
    y: 31536000e9,
  };
  const re = /(\d+)(ms|s|m|h|d|w|y)/g;
  let total = 0;
  let consumed = 0;
  for (const m of value.matchAll(re)) {
    if (m.index !== consumed) break;
    total += Number(m[1]) * units[m[2]];
    consumed += m[0].length;
  }
  if (consumed !== value.length || consumed === 0) {
    throw new BadParamError(`invalid ${name}: cannot parse "${value}" as a duration`);
  }
  return BigInt(total);
}
