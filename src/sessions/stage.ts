import type { StageContext } from '../config/context.js';
import { ActiveSessions } from './active.js';
import { RunHistory } from './run-history.js';
import { SessionService } from './service.js';
import { SessionSync } from './sync.js';

/**
 * The session stage: the service the API starts and ends sessions with, the active-session
 * cache every stage reads, the run history thresholds are learned from, and the sync that keeps
 * the cache true to the store (load, sweep, other replicas' sessions).
 */
export function createSessionStage(ctx: StageContext & { sessionSyncMs?: number | undefined }) {
  const { config, store, clock, logger } = ctx;
  const sessions = new SessionService({
    store,
    clock,
    agentStages: config.heal.stages.agents,
    ttlHours: config.env.HEALER_SESSION_TTL_HOURS,
    retentionDays: config.env.HEALER_SESSION_RETENTION_DAYS,
  });
  const active = new ActiveSessions();
  const history = new RunHistory(store);
  const sync = new SessionSync({
    store,
    sessions,
    active,
    history,
    logger,
    ...(ctx.sessionSyncMs ? { syncMs: ctx.sessionSyncMs } : {}),
  });
  return { sessions, active, history, sync };
}
