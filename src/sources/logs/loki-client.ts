import { fetch } from 'undici';
import { logqlEscape } from '../../detectors/patterns/index.js';

/** Why a Loki request failed; `retryable` says whether asking again later may help. */
export class LokiError extends Error {
  readonly reason: 'timeout' | 'network' | 'http_4xx' | 'http_5xx' | 'decode' | 'aborted';
  readonly status: number | null;
  constructor(
    reason: LokiError['reason'],
    message: string,
    opts: { status?: number; cause?: unknown } = {},
  ) {
    super(message, { cause: opts.cause });
    this.name = 'LokiError';
    this.reason = reason;
    this.status = opts.status ?? null;
  }
  /** 4xx answers (a bad query) will not get better by waiting; everything else may. */
  get retryable(): boolean {
    return this.reason !== 'http_4xx' || this.status === 429 || this.status === 408;
  }
}

/** One stream of a `query_range` answer. */
export interface LokiStream {
  labels: Record<string, string>;
  values: Array<[string, string]>;
}

/**
 * The stream selector of a namespace: `{namespace="<ns>"}` with the value escaped for a LogQL
 * string; `*` (cluster-wide) selects every namespace.
 */
export function namespaceSelector(namespace: string): string {
  return namespace === '*' ? '{namespace=~".+"}' : `{namespace="${logqlEscape(namespace)}"}`;
}

/** The selector of one container's stream (namespace, pod and container labels, escaped). */
export function containerSelector(namespace: string, pod: string, container: string): string {
  const kv = (k: string, v: string) => `${k}="${logqlEscape(v)}"`;
  return `{${[kv('namespace', namespace), kv('pod', pod), kv('container', container)].join(', ')}}`;
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Checks and reads a `query_range` answer for a log query (resultType `streams`). */
export function parseStreams(body: unknown): LokiStream[] {
  const data = isRecord(body) && body.status === 'success' ? body.data : undefined;
  if (!isRecord(data) || data.resultType !== 'streams' || !Array.isArray(data.result))
    throw new LokiError('decode', 'Loki answered something other than a streams result');
  return data.result.map((r: unknown) => {
    if (!isRecord(r) || !isRecord(r.stream) || !Array.isArray(r.values))
      throw new LokiError('decode', 'a Loki stream lacks its labels or values');
    const labels: Record<string, string> = {};
    for (const [k, v] of Object.entries(r.stream)) if (typeof v === 'string') labels[k] = v;
    const values = r.values.filter(
      (v: unknown): v is [string, string] =>
        Array.isArray(v) &&
        typeof v[0] === 'string' &&
        /^\d+$/.test(v[0]) &&
        typeof v[1] === 'string',
    );
    return { labels, values };
  });
}

export interface RangeQuery {
  query: string;
  /** Unix nanoseconds, inclusive. */
  start: bigint;
  /** Unix nanoseconds, exclusive. */
  end: bigint;
  limit: number;
  direction: 'forward' | 'backward';
}

/** A small Loki HTTP client: every call has a deadline and fails with a LokiError. */
export class LokiClient {
  readonly #base: string;
  readonly #timeoutMs: number;

  constructor(opts: { url: string; timeoutMs?: number }) {
    this.#base = opts.url.replace(/\/+$/, '');
    this.#timeoutMs = opts.timeoutMs ?? 10_000;
  }

  /**
   * `POST /loki/api/v1/query_range` with the parameters as an `application/x-www-form-urlencoded`
   * body (Loki serves the endpoint for GET and POST and reads both through Go's `ParseForm`). A
   * POST keeps the query out of the request line: the catalogue union is tens of KB once
   * URL-encoded, past the request-line limit of the proxies in front of Loki (nginx, the gateway
   * of Loki's Helm chart, refuses more than 8 KB by default; Node servers 16 KB), where a GET is
   * refused with 414/431.
   */
  async queryRange(q: RangeQuery, signal?: AbortSignal): Promise<LokiStream[]> {
    const form = new URLSearchParams({
      query: q.query,
      start: q.start.toString(),
      end: q.end.toString(),
      limit: String(q.limit),
      direction: q.direction,
    });
    return parseStreams(await this.#request('/loki/api/v1/query_range', signal, form));
  }

  /** `GET /loki/api/v1/labels`: the label names Loki knows (health check). */
  async labels(signal?: AbortSignal): Promise<string[]> {
    const body = await this.#request('/loki/api/v1/labels', signal);
    if (!isRecord(body) || body.status !== 'success' || !Array.isArray(body.data))
      throw new LokiError('decode', 'Loki answered /labels without a list');
    return body.data.filter((x): x is string => typeof x === 'string');
  }

  /** GET `path`, or POST `form` to it as `application/x-www-form-urlencoded` when given. */
  async #request(path: string, signal?: AbortSignal, form?: URLSearchParams): Promise<unknown> {
    const deadline = AbortSignal.timeout(this.#timeoutMs);
    const combined = signal ? AbortSignal.any([signal, deadline]) : deadline;
    let res;
    try {
      res = await fetch(`${this.#base}${path}`, {
        method: form ? 'POST' : 'GET',
        headers: form
          ? {
              accept: 'application/json',
              'content-type': 'application/x-www-form-urlencoded',
            }
          : { accept: 'application/json' },
        body: form?.toString(),
        signal: combined,
      });
    } catch (err) {
      throw transportError(err, signal, deadline, this.#timeoutMs);
    }
    let text: string;
    try {
      text = await res.text();
    } catch (err) {
      throw transportError(err, signal, deadline, this.#timeoutMs);
    }
    if (res.status !== 200) {
      throw new LokiError(
        res.status >= 500 ? 'http_5xx' : 'http_4xx',
        `Loki answered ${res.status}: ${text.trim().slice(0, 300)}`,
        { status: res.status },
      );
    }
    try {
      return JSON.parse(text) as unknown;
    } catch (err) {
      throw new LokiError('decode', 'Loki answered invalid JSON', { cause: err });
    }
  }
}

function transportError(
  err: unknown,
  signal: AbortSignal | undefined,
  deadline: AbortSignal,
  timeoutMs: number,
): LokiError {
  if (signal?.aborted) return new LokiError('aborted', 'request aborted', { cause: err });
  if (deadline.aborted)
    return new LokiError('timeout', `Loki did not answer within ${timeoutMs} ms`, { cause: err });
  const cause = (err as { cause?: { code?: string; message?: string } }).cause;
  const what = cause?.code ?? cause?.message ?? (err as Error).message;
  return new LokiError('network', `Loki unreachable: ${what}`, { cause: err });
}
