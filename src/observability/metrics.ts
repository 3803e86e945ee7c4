import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { IncidentState } from '../domain/incident.js';
import { SESSION_STATUSES, type SessionStatus } from '../domain/session.js';

interface ReadinessSource {
  evaluate(): Promise<{ checks: Record<string, { ok: boolean }> }>;
}

/**
 * Every Prometheus family Healer exports (operations.md §5), in one registry per app instance
 * so tests can build several apps side by side.
 */
export class Metrics {
  readonly registry = new Registry();
  readonly sessions: Gauge<'status'>;
  readonly httpRequests: Counter<'route' | 'method' | 'status'>;
  readonly httpDuration: Histogram<'route' | 'method'>;
  readonly alerts: Counter<'alert' | 'severity'>;
  readonly detectionLatency: Histogram;
  readonly watchRestarts: Counter<'kind'>;
  readonly incidents: Gauge<'state'>;
  readonly watchLastEventAge: Gauge<'kind'>;
  readonly actions: Counter<'action' | 'destination' | 'outcome'>;
  /** `healer_ready{check}`: the /ready checks, once `observeReadiness` named them. */
  readonly ready: Gauge<'check'>;
  /** `healer_leader`: 1 while this replica runs the background work (holds the Lease, or is alone). */
  readonly leader: Gauge;
  /** `healer_leader_transitions_total{to}`: this replica became the leader, or stopped being it. */
  readonly leaderTransitions: Counter<'to'>;
  #readiness: ReadinessSource | undefined;

  /** Export the checks of /ready as `healer_ready{check}` (the store alert reads it). */
  observeReadiness(source: ReadinessSource): void {
    this.#readiness = source;
  }

  /** The families of one app over a store's counts and the watches' ages. */
  static forStore(
    store: {
      countByStatus(): Promise<Record<SessionStatus, number>>;
      countIncidentsByState(): Promise<Record<IncidentState, number>>;
    },
    watchAges: () => Record<string, number>,
  ): Metrics {
    return new Metrics({
      sessionCounts: () => store.countByStatus(),
      incidentCounts: () => store.countIncidentsByState(),
      watchAges,
    });
  }

  constructor(opts: {
    sessionCounts: () => Promise<Record<SessionStatus, number>>;
    incidentCounts: () => Promise<Record<IncidentState, number>>;
    /** Seconds since the newest event per watched kind (absent kinds omitted). */
    watchAges?: () => Record<string, number>;
  }) {
    collectDefaultMetrics({ register: this.registry, prefix: 'healer_' });
    this.sessions = sessionsGauge(this.registry, opts.sessionCounts);
    this.leader = new Gauge({
      name: 'healer_leader',
      help: 'Whether this replica is the leader that runs watches, polling, timers and actions (1) or a follower (0)',
      registers: [this.registry],
    });
    this.leaderTransitions = new Counter({
      name: 'healer_leader_transitions_total',
      help: 'Leadership changes of this replica: to="leader" when it gained the lead, to="follower" when it lost it',
      labelNames: ['to'],
      registers: [this.registry],
    });
    this.alerts = new Counter({
      name: 'healer_alerts_total',
      help: 'Alerts recorded (an incident created, repeated or reopened), by alert and severity',
      labelNames: ['alert', 'severity'],
      registers: [this.registry],
    });
    this.detectionLatency = new Histogram({
      name: 'healer_detection_latency_seconds',
      help: 'Time from an object change arriving from the API server to its alert being stored',
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [this.registry],
    });
    this.watchRestarts = new Counter({
      name: 'healer_watch_restarts_total',
      help: 'Kubernetes watch restarts (errors, silent watches, expired history), by kind',
      labelNames: ['kind'],
      registers: [this.registry],
    });
    this.watchLastEventAge = watchAgeGauge(this.registry, opts.watchAges ?? (() => ({})));
    this.incidents = incidentsGauge(this.registry, opts.incidentCounts);
    this.actions = new Counter({
      name: 'healer_actions_total',
      help: 'Outbox action runs by action kind, destination and outcome (done, retry, failed)',
      labelNames: ['action', 'destination', 'outcome'],
      registers: [this.registry],
    });
    this.httpRequests = new Counter({
      name: 'healer_http_requests_total',
      help: 'HTTP requests served, by route, method and status code',
      labelNames: ['route', 'method', 'status'],
      registers: [this.registry],
    });
    this.ready = readyGauge(this.registry, () => this.#readiness);
    this.httpDuration = new Histogram({
      name: 'healer_http_request_duration_seconds',
      help: 'HTTP request duration in seconds, by route and method',
      labelNames: ['route', 'method'],
      buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5],
      registers: [this.registry],
    });
  }
}

/** `healer_sessions{status}`: sessions in the store, counted when scraped. */
function sessionsGauge(
  registry: Registry,
  counts: () => Promise<Record<SessionStatus, number>>,
): Gauge<'status'> {
  return new Gauge({
    name: 'healer_sessions',
    help: 'Sessions in the store by status',
    labelNames: ['status'],
    registers: [registry],
    async collect() {
      const c = await counts();
      for (const status of SESSION_STATUSES) this.set({ status }, c[status]);
    },
  });
}

/** `healer_watch_last_event_age_seconds{kind}`, read when scraped. */
function watchAgeGauge(registry: Registry, ages: () => Record<string, number>): Gauge<'kind'> {
  return new Gauge({
    name: 'healer_watch_last_event_age_seconds',
    help: 'Seconds since the last watch event (including bookmarks) per kind',
    labelNames: ['kind'],
    registers: [registry],
    collect() {
      this.reset();
      for (const [kind, age] of Object.entries(ages())) this.set({ kind }, age);
    },
  });
}

/** `healer_incidents{state}`: incidents in the store, counted when scraped. */
function incidentsGauge(
  registry: Registry,
  counts: () => Promise<Record<IncidentState, number>>,
): Gauge<'state'> {
  return new Gauge({
    name: 'healer_incidents',
    help: 'Incidents in the store by state',
    labelNames: ['state'],
    registers: [registry],
    async collect() {
      for (const [state, n] of Object.entries(await counts())) this.set({ state }, n);
    },
  });
}

/** `healer_ready{check}`: the /ready checks, evaluated when scraped. */
function readyGauge(registry: Registry, source: () => ReadinessSource | undefined): Gauge<'check'> {
  return new Gauge({
    name: 'healer_ready',
    help: 'Readiness checks of /ready by check (store, kubernetes, loki, …): 1 ok, 0 failing',
    labelNames: ['check'],
    registers: [registry],
    async collect() {
      const r = source();
      if (!r) return;
      this.reset();
      const { checks } = await r.evaluate();
      for (const [check, c] of Object.entries(checks)) this.set({ check }, c.ok ? 1 : 0);
    },
  });
}
