// In-memory log store: streams keyed by their label set, entries kept sorted by timestamp.
// Every entry remembers when it becomes visible to queries (push time + ingest delay), which is
// how late-arriving lines are simulated.
import type { LabelMatcher, LogQuery } from './logql-parser.js';

export type Labels = Record<string, string>;

interface Entry {
  ts: bigint;
  line: string;
  visibleAt: number; // ms, simulator clock
  seq: number; // insertion order, to keep equal timestamps stable
}

interface Stream {
  labels: Labels;
  key: string;
  entries: Entry[];
}

export interface QueryParams {
  query: LogQuery;
  start: bigint; // inclusive
  end: bigint; // exclusive
  limit: number;
  direction: 'forward' | 'backward';
  now: number;
}

export interface QueryResult {
  streams: Array<{ stream: Labels; values: Array<[string, string]> }>;
  linesScanned: number;
  bytesScanned: number;
  entriesReturned: number;
  streamsMatched: number;
}

// Loki 3 adds `service_name` to every stream that lacks it, from the first of these labels.
const SERVICE_NAME_SOURCES = [
  'service',
  'app',
  'application',
  'app_name',
  'name',
  'app_kubernetes_io_name',
  'container',
  'container_name',
  'k8s_container_name',
  'component',
  'workload',
  'job',
  'k8s_job_name',
];

export function labelsKey(labels: Labels): string {
  const parts = Object.keys(labels)
    .sort()
    .map((k) => `${k}=${JSON.stringify(labels[k])}`);
  return `{${parts.join(', ')}}`;
}

export function matchesAll(labels: Labels, matchers: LabelMatcher[]): boolean {
  return matchers.every((m) => m.matches(labels[m.name] ?? ''));
}

export class LogStore {
  private readonly streams = new Map<string, Stream>();
  private seq = 0;

  constructor(private readonly discoverServiceName: boolean) {}

  normalise(labels: Labels): Labels {
    // Empty label values are the same as an absent label in Loki.
    const out: Labels = {};
    for (const [k, v] of Object.entries(labels)) if (v !== '') out[k] = v;
    if (this.discoverServiceName && out.service_name === undefined) {
      const src = SERVICE_NAME_SOURCES.find((k) => out[k] !== undefined);
      out.service_name = src ? out[src] : 'unknown_service';
    }
    return out;
  }

  append(labels: Labels, ts: bigint, line: string, visibleAt: number): void {
    const norm = this.normalise(labels);
    const key = labelsKey(norm);
    let stream = this.streams.get(key);
    if (!stream) {
      stream = { labels: norm, key, entries: [] };
      this.streams.set(key, stream);
    }
    const entries = stream.entries;
    // Binary search for the insertion point after every entry with ts <= new ts.
    let lo = 0;
    let hi = entries.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (entries[mid].ts <= ts) lo = mid + 1;
      else hi = mid;
    }
    // Loki's ingester drops an exact duplicate (same stream, timestamp and line).
    for (let i = lo - 1; i >= 0 && entries[i].ts === ts; i--) if (entries[i].line === line) return;
    entries.splice(lo, 0, { ts, line, visibleAt, seq: this.seq++ });
  }

  query(p: QueryParams): QueryResult {
    type Hit = { stream: Stream; e: Entry };
    const hits: Hit[] = [];
    let linesScanned = 0;
    let bytesScanned = 0;
    let streamsMatched = 0;
    for (const stream of this.streams.values()) {
      if (!matchesAll(stream.labels, p.query.matchers)) continue;
      streamsMatched++;
      for (const e of stream.entries) {
        if (e.ts < p.start || e.ts >= p.end || e.visibleAt > p.now) continue;
        linesScanned++;
        bytesScanned += Buffer.byteLength(e.line);
        if (p.query.filters.every((f) => f.test(e.line))) hits.push({ stream, e });
      }
    }
    const sign = p.direction === 'forward' ? 1 : -1;
    hits.sort((a, b) => sign * (a.e.ts === b.e.ts ? a.e.seq - b.e.seq : a.e.ts < b.e.ts ? -1 : 1));
    const kept = hits.slice(0, p.limit);
    const grouped = new Map<string, { stream: Labels; values: Array<[string, string]> }>();
    for (const h of kept) {
      let g = grouped.get(h.stream.key);
      if (!g) {
        g = { stream: { ...h.stream.labels }, values: [] };
        grouped.set(h.stream.key, g);
      }
      g.values.push([h.e.ts.toString(), h.e.line]);
    }
    const streams = [...grouped.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([, g]) => g);
    return { streams, linesScanned, bytesScanned, entriesReturned: kept.length, streamsMatched };
  }

  // Streams with at least one visible entry in [start, end), optionally restricted by matchers.
  streamsInRange(start: bigint, end: bigint, now: number, matchers: LabelMatcher[] = []): Labels[] {
    const out: Labels[] = [];
    for (const s of this.streams.values()) {
      if (!matchesAll(s.labels, matchers)) continue;
      if (s.entries.some((e) => e.ts >= start && e.ts < end && e.visibleAt <= now))
        out.push(s.labels);
    }
    return out;
  }

  clear(): void {
    this.streams.clear();
  }
}
