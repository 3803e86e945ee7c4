import { streamKey } from './dedup.js';
import { containerSelector } from './loki-client.js';
import type { LokiClient, LokiStream } from './loki-client.js';
import { nsToDate } from './timestamps.js';
import type { LogEntry } from './types.js';

const MS = 1_000_000n;

export interface PageEntry {
  /** The stream's identity (labels in name order), for dedup. */
  stream: string;
  entry: LogEntry;
}

/** A page's entries in time order (streams interleaved), its size and its last timestamp. */
export function flatten(
  ns: string,
  streams: LokiStream[],
): { entries: PageEntry[]; count: number; last: bigint | null } {
  const out: (PageEntry & { ts: bigint })[] = [];
  let last: bigint | null = null;
  for (const st of streams) {
    const key = streamKey(st.labels);
    for (const [tsNs, line] of st.values) {
      const ts = BigInt(tsNs);
      if (last === null || ts > last) last = ts;
      out.push({
        stream: key,
        ts,
        entry: {
          namespace: st.labels.namespace ?? ns,
          pod: st.labels.pod ?? '',
          container: st.labels.container ?? '',
          time: nsToDate(ts),
          tsNs,
          line,
          labels: st.labels,
        },
      });
    }
  }
  out.sort((a, b) => (a.ts < b.ts ? -1 : a.ts > b.ts ? 1 : 0));
  return { entries: out, count: out.length, last };
}

const byTime = (x: [string, string], y: [string, string]) => {
  const a = BigInt(x[0]);
  const b = BigInt(y[0]);
  return a < b ? -1 : a > b ? 1 : 0;
};

/**
 * The unfiltered lines of an entry's container around it: up to `before` lines in the 5 minutes
 * before it and `after` lines in the minute after it (two small queries). Empty on any error:
 * context is a nicety, never a reason to fail.
 */
export async function readContext(
  client: LokiClient,
  entry: Pick<LogEntry, 'namespace' | 'pod' | 'container' | 'tsNs' | 'line'>,
  opts: { before?: number; after?: number },
  signal?: AbortSignal,
): Promise<{ before: string[]; after: string[] }> {
  const before = opts.before ?? 3;
  const after = opts.after ?? 2;
  const ts = BigInt(entry.tsNs);
  const query = containerSelector(entry.namespace, entry.pod, entry.container);
  const others = (streams: LokiStream[]) =>
    streams
      .flatMap((st) => st.values)
      .filter(([t, l]) => !(t === entry.tsNs && l === entry.line))
      .sort(byTime);
  try {
    const [b, a] = await Promise.all([
      client.queryRange(
        {
          query,
          start: ts - 300_000n * MS,
          end: ts + 1n,
          limit: before + 1,
          direction: 'backward',
        },
        signal,
      ),
      client.queryRange(
        { query, start: ts, end: ts + 60_000n * MS, limit: after + 1, direction: 'forward' },
        signal,
      ),
    ]);
    return {
      before: others(b)
        .slice(-before)
        .map(([, l]) => l),
      after: others(a)
        .slice(0, after)
        .map(([, l]) => l),
    };
  } catch {
    return { before: [], after: [] };
  }
}
