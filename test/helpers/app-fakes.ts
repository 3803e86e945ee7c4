// An HTTP app built from fakes and small real services over a store, without the pipeline:
// `buildApp` as the routes see it (decorated services, settings, optional background hooks).
import {
  buildApp,
  type AppServices,
  type AppSettings,
  type BackgroundHooks,
} from '../../src/app.js';
import { ManualClock, type Clock } from '../../src/domain/clock.js';
import type { Store } from '../../src/domain/stores.js';
import { IncidentService } from '../../src/incidents/incident-service.js';
import { SilenceService } from '../../src/incidents/silence-service.js';
import { Metrics } from '../../src/observability/metrics.js';
import { Readiness } from '../../src/observability/readiness.js';
import { SessionService } from '../../src/sessions/service.js';
import { sessionTimeline } from '../../src/sessions/timeline.js';
import { openMemoryStore } from '../../src/store/memory/index.js';

export const FAKE_LEADER = {
  mode: 'alone' as const,
  leader: true,
  identity: 'fake-replica',
  holder: 'fake-replica',
  since: null,
  lease: null,
  expiresAt: null,
};

export async function appOverFakes(
  o: {
    store?: Store;
    clock?: Clock;
    services?: Partial<AppServices>;
    settings?: Partial<AppSettings>;
    background?: BackgroundHooks;
    onSilencesChanged?: () => void;
  } = {},
) {
  const store = o.store ?? openMemoryStore();
  const clock = o.clock ?? new ManualClock('2026-11-21T10:00:00Z');
  const sessions = new SessionService({
    store,
    clock,
    agentStages: {},
    ttlHours: 24,
    retentionDays: 7,
  });
  const incidents = new IncidentService(store, clock);
  const services: AppServices = {
    sessions,
    incidents,
    silences: new SilenceService({ store, clock, onChange: o.onSilencesChanged ?? (() => {}) }),
    timeline: (playId) =>
      sessionTimeline(
        {
          session: (id) => sessions.get(id),
          incidents: (q) => incidents.list(q),
          decisionsAndActions: (id) => incidents.timeline(id),
          logGaps: (id) => store.logGaps(id),
        },
        playId,
      ),
    clock,
    metrics: Metrics.forStore(store, () => ({})),
    readiness: Readiness.withStore(store),
    thresholds: null,
    leader: () => FAKE_LEADER,
    insights: { reads: store, options: { historyFailures: 3, historyWindowDays: 30 } },
    ...o.services,
  };
  const settings: AppSettings = {
    version: 'v-test',
    apiToken: undefined,
    protectReads: false,
    defaultRepoOwner: '5dlabs',
    logs: { grafanaUrl: null, lokiUid: 'loki' },
    ...o.settings,
  };
  const app = await buildApp({
    services,
    settings,
    ...(o.background ? { background: o.background } : {}),
  });
  return { app, store, clock, services };
}
