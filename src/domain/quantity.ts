/**
 * Kubernetes resource quantities (`7340032Ki`, `7.5Gi`, `512M`, `250m`, `1e9`) as numbers: bytes for
 * memory, cores for CPU. Null for anything that is not a quantity.
 */
const SUFFIX: Record<string, number> = {
  '': 1,
  n: 1e-9,
  u: 1e-6,
  m: 1e-3,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};

const QUANTITY =
  /^([+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?)(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E)?$/;

export function parseQuantity(q: unknown): number | null {
  if (typeof q === 'number') return Number.isFinite(q) ? q : null;
  if (typeof q !== 'string') return null;
  const m = QUANTITY.exec(q.trim());
  if (!m) return null;
  const n = Number(m[1]) * (SUFFIX[m[2] ?? ''] ?? 1);
  return Number.isFinite(n) ? n : null;
}
