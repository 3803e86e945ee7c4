// Leadership of one replica over its background work: alone (always the leader) or elected on a
// Lease. Either way the work is started when leadership is gained and stopped when it is lost,
// and every change is reported (the API's /api/v1/leader and the metrics read it).
import type { Logger } from 'pino';
import { LeaderElector, type LeaderElectorOptions, type LeaderStatus } from './elector.js';
import type { LeadershipPlan } from './plan.js';

export interface LeaderView extends LeaderStatus {
  /** `alone`: this process is the only one acting; `lease`: elected on a Lease. */
  mode: 'alone' | 'lease';
  /** The Lease, when elected on one. */
  lease: { name: string; namespace: string } | null;
  /** When the observed lease runs out unless renewed (ISO), or null. */
  expiresAt: string | null;
}

/** The work a leader runs. */
export interface LeaderWork {
  start(): Promise<void>;
  stop(reason: string): Promise<void>;
}

export interface Leadership {
  readonly identity: string;
  view(): LeaderView;
  /** Alone: starts the work and resolves once it runs. Elected: starts contending for the Lease. */
  start(): Promise<void>;
  /** Stops the work if it runs, then (elected) releases the Lease so another replica takes over at once. */
  stop(): Promise<void>;
}

export type ElectorTimings = Partial<
  Pick<
    LeaderElectorOptions,
    'leaseDurationMs' | 'renewPeriodMs' | 'renewDeadlineMs' | 'retryPeriodMs' | 'requestTimeoutMs'
  >
>;

export function createLeadership(opts: {
  plan: Exclude<LeadershipPlan, { mode: 'refuse' }>;
  work: LeaderWork;
  logger: Logger;
  /** Every change of the view; `transition` when this replica gained or lost leadership. */
  onChange?(view: LeaderView, transition: boolean): void;
  timings?: ElectorTimings;
}): Leadership {
  const { plan, work, logger } = opts;
  if (plan.mode === 'alone') {
    let leading = false;
    let since: string | null = null;
    const view = (): LeaderView => ({
      mode: 'alone',
      leader: leading,
      identity: plan.identity,
      holder: leading ? plan.identity : null,
      since,
      lease: null,
      expiresAt: null,
    });
    return {
      identity: plan.identity,
      view,
      async start() {
        if (leading) return;
        logger.info({ identity: plan.identity }, `leading alone (${plan.why})`);
        leading = true;
        since = new Date().toISOString();
        await work.start();
        opts.onChange?.(view(), true);
      },
      async stop() {
        if (!leading) return;
        await work.stop('shutting down');
        leading = false;
        since = null;
        opts.onChange?.(view(), true);
      },
    };
  }

  let wasLeader = false;
  const elector: LeaderElector = new LeaderElector({
    kc: plan.kc,
    namespace: plan.lease.namespace,
    name: plan.lease.name,
    identity: plan.identity,
    logger,
    ...opts.timings,
    onStartedLeading: () => work.start(),
    onStoppedLeading: (reason) => work.stop(reason),
    onStatus: (s) => {
      const transition = s.leader !== wasLeader;
      wasLeader = s.leader;
      opts.onChange?.(view(), transition);
    },
  });
  const view = (): LeaderView => ({
    mode: 'lease',
    ...elector.status(),
    lease: plan.lease,
    expiresAt: elector.expiresAt(),
  });
  return {
    identity: plan.identity,
    view,
    start() {
      logger.info(
        { identity: plan.identity, lease: plan.lease.name, namespace: plan.lease.namespace },
        'electing the leader on a Lease: the API serves now, the background work runs on the leader',
      );
      elector.start();
      return Promise.resolve();
    },
    stop: () => elector.stop(),
  };
}
