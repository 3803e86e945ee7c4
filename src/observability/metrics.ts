import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { SESSION_STATUSES, type SessionStatus } from '../domain/session.js';

/**
 * Every Prometheus family Healer exports (operations.md §5), in one registry per app instance
 * so tests can build several apps side by side.
 */
export class Metrics {
  readonly registry = new Registry();
  readonly sessions: Gauge<'status'>;
  readonly httpRequests: Counter<'route' | 'method' | 'status'>;
  readonly httpDuration: Histogram<'route' | 'method'>;

  constructor(opts: { sessionCounts: () => Promise<Record<SessionStatus, number>> }) {
    collectDefaultMetrics({ register: this.registry, prefix: 'healer_' });
    this.sessions = new Gauge({
      name: 'healer_sessions',
      help: 'Sessions in the store by status',
      labelNames: ['status'],
      registers: [this.registry],
      async collect() {
        const counts = await opts.sessionCounts();
        for (const status of SESSION_STATUSES) this.set({ status }, counts[status]);
      },
    });
    this.httpRequests = new Counter({
      name: 'healer_http_requests_total',
      help: 'HTTP requests served, by route, method and status code',
      labelNames: ['route', 'method', 'status'],
      registers: [this.registry],
    });
    this.httpDuration = new Histogram({
      name: 'healer_http_request_duration_seconds',
      help: 'HTTP request duration in seconds, by route and method',
      labelNames: ['route', 'method'],
      buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5],
      registers: [this.registry],
    });
  }
}
