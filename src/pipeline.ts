import type { Logger } from 'pino';
import type { Config } from './config/index.js';
import { systemClock, type Clock } from './domain/clock.js';
import type { Store } from './sessions/store.js';
import { SessionService } from './sessions/service.js';
import { Metrics } from './observability/metrics.js';
import { Readiness } from './observability/readiness.js';
import { loadKubeAccess, type KubeAccess } from './sources/kube/kubeconfig.js';
import { probeApiServer } from './sources/kube/probe.js';
import { buildApp } from './app.js';

export interface HealerDeps {
  config: Config;
  logger: Logger;
  store: Store;
  clock?: Clock;
  /** Cluster access; found from the environment when not given. */
  kube?: KubeAccess;
}

export type Healer = Awaited<ReturnType<typeof createHealer>>;

const SWEEP_INTERVAL_MS = 60_000;

/**
 * The one place that wires Healer together:
 * sources (Kubernetes) → sessions → detectors → incidents → actions; routes read.
 */
export async function createHealer(deps: HealerDeps) {
  const { config, logger, store } = deps;
  const clock = deps.clock ?? systemClock;
  const kube = deps.kube ?? loadKubeAccess(config.env);

  const sessions = new SessionService({
    store,
    clock,
    agentStages: config.heal.stages.agents,
    ttlHours: config.env.HEALER_SESSION_TTL_HOURS,
    retentionDays: config.env.HEALER_SESSION_RETENTION_DAYS,
  });
  sessions.on('started', (s) =>
    logger.info({ play_id: s.play_id, namespace: s.namespace }, 'session started'),
  );
  sessions.on('ended', (s) =>
    logger.info({ play_id: s.play_id, status: s.status, reason: s.end_reason }, 'session ended'),
  );

  const metrics = new Metrics({ sessionCounts: () => store.countByStatus() });
  const readiness = new Readiness();
  readiness.register('store', async () => {
    await store.ping();
    return { ok: true, detail: `${store.kind} store open` };
  });

  let kubeState = { ok: false, detail: 'not probed yet' };
  if (kube.kc) {
    const kc = kube.kc;
    readiness.register('kubernetes', async () => {
      if (!kubeState.ok) kubeState = await probeApiServer(kc);
      return kubeState;
    });
  } else {
    readiness.register('kubernetes', () => ({ ok: true, detail: `watching off: ${kube.reason}` }));
  }

  const app = await buildApp({
    sessions,
    metrics,
    readiness,
    logger,
    apiToken: config.env.HEALER_API_TOKEN,
    protectReads: config.env.HEALER_API_TOKEN_READS,
  });

  let sweeper: NodeJS.Timeout | undefined;
  const sweep = async () => {
    try {
      const r = await sessions.sweep();
      if (r.expired || r.purged) logger.info(r, 'session sweep');
    } catch (err) {
      logger.warn({ err }, 'session sweep failed; will retry');
    }
  };

  return {
    app,
    sessions,
    metrics,
    readiness,
    store,
    /** Starts background work (called once the HTTP server listens). */
    async start(): Promise<void> {
      if (kube.kc) {
        kubeState = await probeApiServer(kube.kc);
        if (kubeState.ok) logger.info({ source: kube.source }, kubeState.detail);
        else logger.warn({ source: kube.source }, kubeState.detail);
      } else {
        logger.warn(`Kubernetes watching is off: ${kube.reason}. The session API still serves.`);
      }
      await sweep();
      sweeper = setInterval(() => void sweep(), SWEEP_INTERVAL_MS);
      sweeper.unref();
    },
    /** Stops accepting requests, finishes in-flight ones, stops background work, closes the store. */
    async stop(): Promise<void> {
      clearInterval(sweeper);
      await app.close();
      await store.close();
    },
  };
}
