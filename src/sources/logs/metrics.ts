import { Counter, Gauge, Histogram } from 'prom-client';
import type { Registry } from 'prom-client';

/** The Loki families (operations.md §5: query duration, lag and gaps), on a registry the caller owns. */
export interface LokiMetrics {
  /** One `query_range` request (a page), by outcome. */
  queryDuration: Histogram<'outcome'>;
  /** Seconds between now and the namespace's cursor: how far behind the poller reads. */
  lag: Gauge<'namespace'>;
  /** Seconds of logs skipped because the catch-up after an outage was longer than allowed. */
  gapSeconds: Counter<'namespace'>;
  /** Failed queries, by namespace and reason (`timeout`, `network`, `http_4xx`, `http_5xx`, `decode`). */
  errors: Counter<'namespace' | 'reason'>;
  /** Lines read with a timestamp behind the cursor (late lines the trailing window caught). */
  lateLines: Counter<'namespace'>;
  /** Lines found later than the trailing window (never delivered): the window is too short. */
  olderThanWindow: Counter<'namespace'>;
}

export function registerLokiMetrics(registry: Registry): LokiMetrics {
  const registers = [registry];
  return {
    lateLines: new Counter({
      name: 'healer_loki_late_lines_total',
      help: 'Lines read with a timestamp behind the read cursor: late lines caught by the trailing re-read window',
      labelNames: ['namespace'],
      registers,
    }),
    olderThanWindow: new Counter({
      name: 'healer_loki_lines_older_than_window_total',
      help: 'Lines that reached Loki later than the trailing re-read window (HEALER_LOKI_REREAD_SECONDS): never delivered; found by a once-per-window probe of the 5 windows before it',
      labelNames: ['namespace'],
      registers,
    }),
    queryDuration: new Histogram({
      name: 'healer_loki_query_duration_seconds',
      help: 'Duration of one Loki query_range request (one page), by outcome (ok, error)',
      labelNames: ['outcome'],
      buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    }),
    lag: new Gauge({
      name: 'healer_loki_lag_seconds',
      help: 'Seconds between now and the Loki read cursor of a namespace',
      labelNames: ['namespace'],
      registers,
    }),
    gapSeconds: new Counter({
      name: 'healer_loki_gap_seconds_total',
      help: 'Seconds of logs never read because a catch-up exceeded the maximum (1 h by default)',
      labelNames: ['namespace'],
      registers,
    }),
    errors: new Counter({
      name: 'healer_loki_errors_total',
      help: 'Failed Loki queries, by namespace and reason (timeout, network, http_4xx, http_5xx, decode)',
      labelNames: ['namespace', 'reason'],
      registers,
    }),
  };
}
