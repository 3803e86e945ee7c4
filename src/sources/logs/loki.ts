import type { Clock } from '../../domain/clock.js';
import type { CursorStore } from '../../domain/stores.js';
import { backoffDelay, IntervalJob } from '../../runtime/index.js';
import { DedupWindow } from './dedup.js';
import { LokiClient, LokiError, namespaceSelector } from './loki-client.js';
import { flatten, readContext } from './loki-read.js';
import type { LokiStream } from './loki-client.js';
import type { LokiMetrics } from './metrics.js';
import { msToNs, nsToDate, nsToMs } from './timestamps.js';
import type { LogEntry, LogLogger, LogSink } from './types.js';

export interface LokiPollerOptions {
  /** `LOKI_URL`. */
  url: string;
  /** Watched namespaces, read at every tick (`*` = one cluster-wide query). */
  namespaces: () => readonly string[];
  /** The catalogue union, already escaped for `|~ "…"` (`lokiLineFilter(catalogue)`). */
  filter: string;
  /** Where the per-namespace cursors persist (`loki:<namespace>`, Unix ns). */
  store: Pick<CursorStore, 'getCursor' | 'setCursor'>;
  clock: Clock;
  logger: LogLogger;
  /** Lines of a namespace, each once, in time order (per stream). */
  onEntries: LogSink;
  /** A catch-up longer than `maxCatchUpMs` skipped `[from, to)`. */
  onGap?: (namespace: string, from: Date, to: Date) => void | Promise<void>;
  metrics?: LokiMetrics;
  /** Pause between the end of one tick and the next (`HEALER_LOKI_POLL_SECONDS`). Default 5 s. */
  intervalMs?: number;
  /** Lines younger than this are left for the next tick (Loki's ingestion lag). Default 5 s. */
  ingestDelayMs?: number;
  /** Longest catch-up after an outage; older lines are a recorded gap. Default 1 h. */
  maxCatchUpMs?: number;
  /**
   * The trailing window: each tick re-reads this much before the cursor, so lines that reach Loki
   * late (timestamps behind the cursor, e.g. a promtail backlog) are read, once (duplicates
   * dropped). `HEALER_LOKI_REREAD_SECONDS`; default 5 min. Once per window the 5 windows before it
   * are probed and lines found there counted as older than the window (never delivered).
   */
  overlapMs?: number;
  /** Where a namespace without a stored cursor starts reading. Default 60 s back (a pre-flight window). */
  initialLookbackMs?: number;
  /** Entries per page (`limit`); a full page is followed by the next one. Default 5000. */
  limit?: number;
  /** Pages per namespace per tick; the rest of a long catch-up waits for the next tick. Default 20. */
  maxPagesPerTick?: number;
  /** Deadline of every request. Default 10 s. */
  timeoutMs?: number;
  /** Backoff of a failing namespace. Default from the interval up to 60 s. */
  backoff?: { initialMs: number; maxMs: number };
  random?: () => number;
}

export interface LokiTickReport {
  namespaces: number;
  /** Lines delivered (after dedup). */
  lines: number;
  pages: number;
  errors: number;
  /** Namespaces still backing off after an error. */
  waiting: number;
}

interface NsState {
  /** Everything before this (Unix ns) has been read. null: not loaded yet. */
  cursor: bigint | null;
  dedup: DedupWindow;
  /** The dedup window holds this process's reads (so an overlap re-read is safe). */
  warm: boolean;
  /** The last tick stopped at its page budget: resume exactly at the cursor, no overlap. */
  partial: boolean;
  failures: number;
  retryAt: number;
  inFlight: boolean;
  /** Where this process started reading (Unix ns): the probe never looks before it. */
  readFrom: bigint | null;
  /** When the last probe for lines older than the window ran (ms). */
  probedAt: number;
}

/** Default trailing window. */
export const DEFAULT_REREAD_MS = 5 * 60_000;
/** The probe looks this many windows behind the window. */
const PROBE_WINDOWS = 5n;

const cursorKey = (ns: string) => `loki:${ns}`;
const MS = 1_000_000n;
/** Loki's default `max_entries_limit_per_query`. */
const MAX_LIMIT = 5000;

/**
 * Reads the watched namespaces' logs from Loki (detection.md §4.1): one `query_range` per
 * namespace per tick over `[cursor − overlap, now − ingest delay)`, filtered server-side by the
 * catalogue, paged forward while a page is full. The cursor persists; an error keeps it and backs
 * the namespace off; a catch-up longer than `maxCatchUpMs` is cut, and the skipped span reported.
 */
export class LokiPoller {
  readonly #o: LokiPollerOptions;
  readonly #client: LokiClient;
  readonly #state = new Map<string, NsState>();
  readonly #interval: number;
  readonly #job: IntervalJob<LokiTickReport>;
  #abort = new AbortController();

  constructor(o: LokiPollerOptions) {
    this.#o = o;
    this.#interval = o.intervalMs ?? 5000;
    this.#client = new LokiClient({ url: o.url, timeoutMs: o.timeoutMs ?? 10_000 });
    this.#job = new IntervalJob({
      name: 'Loki tick',
      everyMs: this.#interval,
      run: () => this.pollOnce(),
      logger: o.logger,
      failureLevel: 'warn',
    });
  }

  start(): void {
    if (this.#job.running) return;
    if (this.#abort.signal.aborted) this.#abort = new AbortController();
    this.#job.start();
  }

  /** Stops the timer, aborts requests in flight and waits for the current tick to end. */
  async stop(): Promise<void> {
    this.#abort.abort();
    await this.#job.stop();
  }

  /** Loki's health: `GET /loki/api/v1/labels` answers (Loki down never stops the rest of Healer). */
  async health(): Promise<{ ok: boolean; detail: string }> {
    try {
      const labels = await this.#client.labels(this.#abort.signal);
      const failing = [...this.#state].filter(([, s]) => s.failures > 0).map(([ns]) => ns);
      const note = failing.length ? `; queries failing for ${failing.join(', ')}` : '';
      return { ok: true, detail: `Loki answers (${labels.length} labels)${note}` };
    } catch (err) {
      return { ok: false, detail: (err as Error).message };
    }
  }

  /** The stored or in-memory cursor of a namespace (Unix ns), for tests and diagnostics. */
  cursorOf(namespace: string): bigint | null {
    return this.#state.get(namespace)?.cursor ?? null;
  }

  /** One tick: every watched namespace that is not backing off, in parallel. */
  async pollOnce(): Promise<LokiTickReport> {
    const namespaces = [...new Set(this.#o.namespaces())];
    const report: LokiTickReport = {
      namespaces: namespaces.length,
      lines: 0,
      pages: 0,
      errors: 0,
      waiting: 0,
    };
    for (const ns of this.#state.keys()) if (!namespaces.includes(ns)) this.#state.delete(ns);
    await Promise.all(namespaces.map((ns) => this.#pollNamespace(ns, report)));
    return report;
  }

  #stateOf(ns: string): NsState {
    let s = this.#state.get(ns);
    if (!s) {
      s = {
        cursor: null,
        dedup: new DedupWindow(),
        warm: false,
        partial: false,
        failures: 0,
        retryAt: 0,
        inFlight: false,
        readFrom: null,
        probedAt: 0,
      };
      this.#state.set(ns, s);
    }
    return s;
  }

  async #pollNamespace(ns: string, report: LokiTickReport): Promise<void> {
    const s = this.#stateOf(ns);
    const now = this.#o.clock.now().getTime();
    if (s.inFlight) return;
    if (now < s.retryAt) {
      report.waiting++;
      return;
    }
    s.inFlight = true;
    try {
      await this.#read(ns, s, now, report);
      if (s.failures > 0) this.#o.logger.info({ namespace: ns }, 'Loki queries recovered');
      s.failures = 0;
      s.retryAt = 0;
    } catch (err) {
      if (this.#abort.signal.aborted) return;
      report.errors++;
      const e =
        err instanceof LokiError ? err : new LokiError('decode', String(err), { cause: err });
      this.#o.metrics?.errors.inc({ namespace: ns, reason: e.reason });
      const b = this.#o.backoff ?? { initialMs: this.#interval, maxMs: 60_000 };
      const delay = backoffDelay(s.failures, b.initialMs, b.maxMs, this.#o.random);
      s.failures++;
      s.retryAt = now + delay;
      const level = s.failures === 1 ? 'warn' : 'debug';
      this.#o.logger[level](
        { namespace: ns, err: e.message, reason: e.reason, retry_in_ms: delay },
        'Loki query failed; cursor kept, retrying later',
      );
    } finally {
      s.inFlight = false;
      if (s.cursor !== null)
        this.#o.metrics?.lag.set({ namespace: ns }, Math.max(0, (now - nsToMs(s.cursor)) / 1000));
    }
  }

  async #read(ns: string, s: NsState, nowMs: number, report: LokiTickReport): Promise<void> {
    const o = this.#o;
    if (s.cursor === null) {
      const stored = await o.store.getCursor(cursorKey(ns));
      s.cursor =
        stored && /^\d+$/.test(stored)
          ? BigInt(stored)
          : msToNs(nowMs - (o.ingestDelayMs ?? 5000) - (o.initialLookbackMs ?? 60_000));
    }
    const end = msToNs(nowMs - (o.ingestDelayMs ?? 5000));
    const floor = end - msToNs(o.maxCatchUpMs ?? 3_600_000);
    if (s.cursor < floor) await this.#gap(ns, s, floor);
    const window = msToNs(o.overlapMs ?? DEFAULT_REREAD_MS);
    s.readFrom ??= s.cursor;
    const before = s.cursor;
    if (s.warm && !s.partial && nowMs - s.probedAt >= nsToMs(window)) {
      s.probedAt = nowMs;
      await this.#probe(ns, s, window);
    }
    // Re-read the overlap only when this process remembers what it delivered there.
    let start = s.warm && !s.partial ? s.cursor - window : s.cursor;
    if (start < floor) start = floor;
    if (start >= end) return;

    const limit = o.limit ?? 5000;
    const query = `${namespaceSelector(ns)} |~ "${o.filter}"`;
    for (let pages = 0; ;) {
      const began = performance.now();
      let streams: LokiStream[];
      try {
        streams = await this.#client.queryRange(
          { query, start, end, limit, direction: 'forward' },
          this.#abort.signal,
        );
        o.metrics?.queryDuration.observe({ outcome: 'ok' }, (performance.now() - began) / 1000);
      } catch (err) {
        o.metrics?.queryDuration.observe({ outcome: 'error' }, (performance.now() - began) / 1000);
        throw err;
      }
      pages++;
      report.pages++;
      const { entries, count, last } = flatten(ns, streams);
      const fresh = entries.filter((e) =>
        s.dedup.add(e.stream, BigInt(e.entry.tsNs), e.entry.line),
      );
      if (!s.warm) s.probedAt = nowMs;
      s.warm = true;
      const late = fresh.filter((e) => BigInt(e.entry.tsNs) < before).length;
      if (late) o.metrics?.lateLines.inc({ namespace: ns }, late);
      if (fresh.length) {
        report.lines += fresh.length;
        await this.#deliver(
          ns,
          fresh.map((e) => e.entry),
        );
      }
      if (count < limit || last === null) {
        s.partial = false;
        await this.#advance(ns, s, end);
        return;
      }
      // A full page: the next one starts at its last timestamp (inclusive; dedup drops repeats).
      if (last <= start) {
        // More lines share this nanosecond than a page holds: read it alone with Loki's maximum.
        report.lines += await this.#readInstant(ns, s, query, start, limit);
        start = start + 1n;
      } else {
        start = last;
      }
      await this.#advance(ns, s, start);
      if (pages >= (o.maxPagesPerTick ?? 20)) {
        s.partial = true;
        return;
      }
    }
  }

  async #readInstant(
    ns: string,
    s: NsState,
    query: string,
    at: bigint,
    limit: number,
  ): Promise<number> {
    const max = MAX_LIMIT;
    if (limit >= max) {
      this.#o.logger.warn(
        { namespace: ns, limit },
        'more Loki lines share one timestamp than a page holds; some are skipped',
      );
      return 0;
    }
    const streams = await this.#client.queryRange(
      { query, start: at, end: at + 1n, limit: max, direction: 'forward' },
      this.#abort.signal,
    );
    const fresh = flatten(ns, streams).entries.filter((e) =>
      s.dedup.add(e.stream, BigInt(e.entry.tsNs), e.entry.line),
    );
    if (fresh.length)
      await this.#deliver(
        ns,
        fresh.map((e) => e.entry),
      );
    return fresh.length;
  }

  async #advance(ns: string, s: NsState, cursor: bigint): Promise<void> {
    if (s.cursor !== null && cursor <= s.cursor) return;
    s.cursor = cursor;
    // keep what the probe compares with: the window and the windows it probes behind it
    const window = msToNs(this.#o.overlapMs ?? DEFAULT_REREAD_MS);
    s.dedup.prune(cursor - window * (PROBE_WINDOWS + 1n) - MS);
    await this.#o.store.setCursor(cursorKey(ns), cursor.toString());
  }

  /**
   * Lines behind the trailing window that this process never delivered: counted (and remembered,
   * so each once), not delivered — a late line past the window is lost, and the metric says so.
   */
  async #probe(ns: string, s: NsState, window: bigint): Promise<void> {
    const end = s.cursor! - window;
    let start = end - window * PROBE_WINDOWS;
    if (s.readFrom !== null && start < s.readFrom) start = s.readFrom;
    if (start >= end) return;
    const streams = await this.#client.queryRange(
      {
        query: `${namespaceSelector(ns)} |~ "${this.#o.filter}"`,
        start,
        end,
        limit: this.#o.limit ?? 5000,
        direction: 'forward',
      },
      this.#abort.signal,
    );
    const lost = flatten(ns, streams).entries.filter((e) =>
      s.dedup.add(e.stream, BigInt(e.entry.tsNs), e.entry.line),
    ).length;
    if (lost) {
      this.#o.metrics?.olderThanWindow.inc({ namespace: ns }, lost);
      this.#o.logger.warn(
        { namespace: ns, lines: lost, window_seconds: Number(window / MS) / 1000 },
        'Loki lines arrived later than the re-read window and were not read; consider a longer HEALER_LOKI_REREAD_SECONDS',
      );
    }
  }

  async #gap(ns: string, s: NsState, floor: bigint): Promise<void> {
    const from = nsToDate(s.cursor ?? floor);
    const to = nsToDate(floor);
    const seconds = Number((floor - (s.cursor ?? floor)) / MS) / 1000;
    this.#o.metrics?.gapSeconds.inc({ namespace: ns }, seconds);
    this.#o.logger.warn(
      { namespace: ns, from: from.toISOString(), to: to.toISOString(), seconds },
      'Loki catch-up longer than allowed; these logs are skipped (gap recorded)',
    );
    try {
      await this.#o.onGap?.(ns, from, to);
    } catch (err) {
      this.#o.logger.warn({ namespace: ns, err: String(err) }, 'gap handler failed');
    }
    await this.#advance(ns, s, floor);
  }

  async #deliver(ns: string, entries: LogEntry[]): Promise<void> {
    try {
      await this.#o.onEntries(ns, entries);
    } catch (err) {
      // A broken handler must not stall reading; the lines are not read again.
      this.#o.logger.warn({ namespace: ns, err: String(err) }, 'log line handler failed');
    }
  }

  /**
   * The lines around one entry of its container, unfiltered (evidence context): up to `before`
   * lines before it (within 5 min) and `after` lines after it (within 1 min). Empty on error.
   */
  contextAround(
    entry: Pick<LogEntry, 'namespace' | 'pod' | 'container' | 'tsNs' | 'line'>,
    opts: { before?: number; after?: number } = {},
  ): Promise<{ before: string[]; after: string[] }> {
    return readContext(this.#client, entry, opts, this.#abort.signal);
  }
}
