// The read side of the Loki HTTP API: query_range, query, labels, label values.
// Answers have Loki's shapes; errors are plain text with Loki's wording.
import { LogqlParseError } from './logql-lexer.js';
import { UnsupportedQueryError, parseLogQuery, parseSelector } from './logql-parser.js';
import type { LogStore } from './store.js';
import { BadParamError, msToNs, parseDurationNs, parseTimestamp } from './timestamps.js';

export interface ApiAnswer {
  status: number;
  json?: unknown;
  text?: string;
}

export interface QueryContext {
  store: LogStore;
  now: () => number; // ms
  maxEntriesLimit: number;
  legacyInstantLogQueries: boolean;
}

const HOUR_NS = 3_600_000_000_000n;

const text = (status: number, msg: string): ApiAnswer => ({ status, text: msg });

function limitParam(p: URLSearchParams, max: number): number {
  const raw = p.get('limit');
  if (raw === null || raw === '') return 100;
  if (!/^-?\d+$/.test(raw))
    throw new BadParamError(`invalid limit: strconv.Atoi: parsing "${raw}": invalid syntax`);
  const n = Number(raw);
  if (n <= 0) throw new BadParamError('limit must be a positive value');
  if (n > max) {
    throw new BadParamError(
      `max entries limit per query exceeded, limit > max_entries_limit_per_query (${n} > ${max})`,
    );
  }
  return n;
}

function directionParam(p: URLSearchParams): 'forward' | 'backward' {
  const raw = p.get('direction');
  if (raw === null || raw === '') return 'backward';
  const d = raw.toLowerCase();
  if (d !== 'forward' && d !== 'backward') throw new BadParamError(`invalid direction '${raw}'`);
  return d;
}

function stats(
  r: {
    linesScanned: number;
    bytesScanned: number;
    entriesReturned: number;
    streamsMatched: number;
  },
  execSec: number,
) {
  const perSec = (n: number) => (execSec > 0 ? Math.round(n / execSec) : n);
  const store = {
    totalChunksRef: 0,
    totalChunksDownloaded: 0,
    chunksDownloadTime: 0,
    queryReferencedStructuredMetadata: false,
    chunk: {
      headChunkBytes: 0,
      headChunkLines: 0,
      decompressedBytes: 0,
      decompressedLines: 0,
      compressedBytes: 0,
      totalDuplicates: 0,
      postFilterLines: 0,
      headChunkStructuredMetadataBytes: 0,
      decompressedStructuredMetadataBytes: 0,
    },
    chunkRefsFetchTime: 0,
    congestionControlLatency: 0,
    pipelineWrapperFilteredLines: 0,
  };
  return {
    summary: {
      bytesProcessedPerSecond: perSec(r.bytesScanned),
      linesProcessedPerSecond: perSec(r.linesScanned),
      totalBytesProcessed: r.bytesScanned,
      totalLinesProcessed: r.linesScanned,
      execTime: execSec,
      queueTime: 0,
      subqueries: 0,
      totalEntriesReturned: r.entriesReturned,
      splits: 1,
      shards: 1,
      totalPostFilterLines: r.entriesReturned,
      totalStructuredMetadataBytesProcessed: 0,
    },
    querier: { store },
    ingester: {
      totalReached: 1,
      totalChunksMatched: r.streamsMatched,
      totalBatches: r.entriesReturned > 0 ? 1 : 0,
      totalLinesSent: r.entriesReturned,
      store: {
        ...store,
        chunk: {
          ...store.chunk,
          headChunkBytes: r.bytesScanned,
          headChunkLines: r.linesScanned,
          postFilterLines: r.entriesReturned,
        },
      },
    },
    cache: {},
    index: { totalChunks: 0, postFilterChunks: 0, shardsDuration: 0, usedBloomFilters: false },
  };
}

function runLogQuery(
  ctx: QueryContext,
  queryText: string,
  start: bigint,
  end: bigint,
  p: URLSearchParams,
): ApiAnswer {
  const began = performance.now();
  const query = parseLogQuery(queryText);
  const limit = limitParam(p, ctx.maxEntriesLimit);
  const direction = directionParam(p);
  const r = ctx.store.query({ query, start, end, limit, direction, now: ctx.now() });
  const execSec = (performance.now() - began) / 1000;
  return {
    status: 200,
    json: {
      status: 'success',
      data: { resultType: 'streams', result: r.streams, stats: stats(r, execSec) },
    },
  };
}

function guard(fn: () => ApiAnswer): ApiAnswer {
  try {
    return fn();
  } catch (e) {
    if (
      e instanceof LogqlParseError ||
      e instanceof BadParamError ||
      e instanceof UnsupportedQueryError
    ) {
      return text(400, e.message);
    }
    throw e;
  }
}

export function queryRange(ctx: QueryContext, p: URLSearchParams): ApiAnswer {
  return guard(() => {
    const nowNs = msToNs(ctx.now());
    const end = parseTimestamp('end', p.get('end'), nowNs);
    const since = p.get('since');
    const defStart = end - (since ? parseDurationNs('since', since) : HOUR_NS);
    const start = parseTimestamp('start', p.get('start'), defStart);
    if (end < start)
      throw new BadParamError('end timestamp must not be before or equal to start time');
    return runLogQuery(ctx, p.get('query') ?? '', start, end, p);
  });
}

export function instantQuery(ctx: QueryContext, p: URLSearchParams): ApiAnswer {
  return guard(() => {
    const at = parseTimestamp('time', p.get('time'), msToNs(ctx.now()));
    const q = p.get('query') ?? '';
    parseLogQuery(q); // parse errors and unsupported metric queries first, as Loki does
    if (!ctx.legacyInstantLogQueries) {
      return text(
        400,
        'log queries are not supported as an instant query type, please change your query to a range query type',
      );
    }
    return runLogQuery(ctx, q, at - HOUR_NS, at + 1n, p);
  });
}

function labelsRange(ctx: QueryContext, p: URLSearchParams): { start: bigint; end: bigint } {
  const end = parseTimestamp('end', p.get('end'), msToNs(ctx.now()));
  const since = p.get('since');
  const start = parseTimestamp(
    'start',
    p.get('start'),
    end - (since ? parseDurationNs('since', since) : 6n * HOUR_NS),
  );
  return { start, end };
}

export function labelNames(ctx: QueryContext, p: URLSearchParams): ApiAnswer {
  return guard(() => {
    const { start, end } = labelsRange(ctx, p);
    const q = p.get('query');
    const streams = ctx.store.streamsInRange(start, end + 1n, ctx.now(), q ? parseSelector(q) : []);
    const names = new Set<string>();
    for (const s of streams) for (const k of Object.keys(s)) names.add(k);
    return { status: 200, json: { status: 'success', data: [...names].sort() } };
  });
}

export function labelValues(ctx: QueryContext, name: string, p: URLSearchParams): ApiAnswer {
  return guard(() => {
    const { start, end } = labelsRange(ctx, p);
    const q = p.get('query');
    const streams = ctx.store.streamsInRange(start, end + 1n, ctx.now(), q ? parseSelector(q) : []);
    const values = new Set<string>();
    for (const s of streams) if (s[name] !== undefined) values.add(s[name]);
    return { status: 200, json: { status: 'success', data: [...values].sort() } };
  });
}
