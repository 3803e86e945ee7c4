// Client-side helpers for tests against the simulated Loki: push like Promtail does, query like
// Healer does, and a structural check of Loki's documented query response.
import { fetch } from 'undici';

export type Streams = Array<{ stream: Record<string, string>; values: Array<[string, string]> }>;

// The answer of query_range for a log query.
export interface LokiStreamsBody {
  status: string;
  data: {
    resultType: string;
    result: Streams;
    stats: Record<string, unknown>;
  };
}

export async function promtailPush(
  base: string,
  streams: Streams,
): Promise<{ status: number; body: string }> {
  const res = await fetch(`${base}/loki/api/v1/push`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'user-agent': 'promtail/2.9.8' },
    body: JSON.stringify({ streams }),
  });
  return { status: res.status, body: await res.text() };
}

export async function queryRange(
  base: string,
  params: Record<string, string | number | bigint>,
): Promise<{ status: number; json: LokiStreamsBody | undefined; text: string }> {
  const qs = new URLSearchParams(
    Object.entries(params).map(([k, v]): [string, string] => [k, String(v)]),
  );
  const res = await fetch(`${base}/loki/api/v1/query_range?${qs.toString()}`);
  const text = await res.text();
  let json: LokiStreamsBody | undefined;
  try {
    json = JSON.parse(text) as LokiStreamsBody;
  } catch {
    json = undefined;
  }
  return { status: res.status, json, text };
}

// Checks the documented query_range answer for a log query; returns a list of problems.
export function checkStreamsResponse(answer: unknown): string[] {
  // Deliberately loose: every property is checked before it is trusted.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- checks untrusted JSON field by field
  const body = answer as { status?: unknown; data?: Record<string, any> } | undefined;
  const problems: string[] = [];
  const need = (cond: boolean, msg: string) => {
    if (!cond) problems.push(msg);
  };
  need(body?.status === 'success', 'status must be "success"');
  const data = body?.data;
  need(typeof data === 'object' && data !== null, 'data must be an object');
  need(data?.resultType === 'streams', 'data.resultType must be "streams"');
  need(Array.isArray(data?.result), 'data.result must be an array');
  for (const [i, r] of (Array.isArray(data?.result) ? data.result : []).entries()) {
    need(
      typeof r.stream === 'object' && r.stream !== null,
      `result[${i}].stream must be an object`,
    );
    for (const [k, v] of Object.entries(r.stream ?? {})) {
      need(
        /^[a-zA-Z_][a-zA-Z0-9_]*$/.test(k) && typeof v === 'string',
        `result[${i}].stream.${k} must be a string label`,
      );
    }
    need(Array.isArray(r.values), `result[${i}].values must be an array`);
    for (const [j, v] of (Array.isArray(r.values) ? r.values : []).entries()) {
      need(
        Array.isArray(v) &&
          v.length === 2 &&
          typeof v[0] === 'string' &&
          /^\d+$/.test(v[0]) &&
          typeof v[1] === 'string',
        `result[${i}].values[${j}] must be ["<ns>", "<line>"]`,
      );
    }
    need(
      Object.keys(r).sort().join(',') === 'stream,values',
      `result[${i}] must have only stream and values`,
    );
  }
  const summary = data?.stats?.summary;
  need(typeof summary === 'object' && summary !== null, 'data.stats.summary must be an object');
  for (const k of [
    'totalBytesProcessed',
    'totalLinesProcessed',
    'execTime',
    'totalEntriesReturned',
  ]) {
    need(typeof summary?.[k] === 'number', `data.stats.summary.${k} must be a number`);
  }
  need(
    typeof data?.stats?.querier === 'object' && typeof data?.stats?.ingester === 'object',
    'stats.querier/ingester objects',
  );
  return problems;
}

export function lines(body: LokiStreamsBody | undefined): string[] {
  return (body?.data?.result ?? []).flatMap((r) => r.values.map((v) => v[1]));
}

// Entries of all streams merged, in answer order per stream, then sorted by time.
export function entries(
  body: LokiStreamsBody | undefined,
): Array<{ ts: bigint; line: string; stream: Record<string, string> }> {
  const out: Array<{ ts: bigint; line: string; stream: Record<string, string> }> = [];
  for (const r of body?.data?.result ?? [])
    for (const [ts, line] of r.values) out.push({ ts: BigInt(ts), line, stream: r.stream });
  return out;
}

export const NS = (ms: number): bigint => BigInt(ms) * 1_000_000n;
