import type { KubeConfig } from '@kubernetes/client-node';
import type { StageContext } from '../config/context.js';
import { loadGroupingRules } from '../incidents/grouping.js';
import { loadInhibitionRules } from '../incidents/inhibition.js';
import { policyFromConfig } from '../incidents/policy.js';
import type { IncidentTracker } from '../incidents/tracker.js';
import type { GitHubClient } from '../sources/github/index.js';
import type { TemplateEngine } from '../templates/index.js';
import { createActionHandlers } from './index.js';
import { DecisionMaker, type DecisionMakerOptions } from './decisions.js';
import { Dispatcher, type DispatcherOptions } from './dispatcher.js';
import { RemediationFollower } from './follow-remediation.js';
import { RemediationPullRequests } from './remediation-prs.js';

export type DispatcherTuning = Partial<
  Pick<DispatcherOptions, 'pollMs' | 'deadlineMs' | 'backoff' | 'maxAttempts'>
>;
export type DecisionTuning = Partial<Pick<DecisionMakerOptions, 'snapshotMs'>>;

export interface ActionStageOptions {
  /** Who claims due outbox actions (the replica's identity). */
  owner: string;
  github: GitHubClient | null;
  kc: KubeConfig | null;
  templates: TemplateEngine;
  tracker: IncidentTracker;
  onOutcome: DispatcherOptions['onOutcome'];
  tuning: { dispatcher?: DispatcherTuning | undefined; decisions?: DecisionTuning | undefined };
}

/**
 * The action stage: handlers per configured destination, the durable outbox dispatcher, the
 * decisions taken on every recorded or resolved incident, and the follower of remediation runs.
 */
export function createActionStage(ctx: StageContext, o: ActionStageOptions) {
  const { config, store, clock, logger } = ctx;
  const { tracker } = o;
  const handlers = createActionHandlers({
    config,
    github: o.github,
    kc: o.kc,
    templates: o.templates,
    logger,
    history: store,
    incidents: store,
  });
  const dispatcher = new Dispatcher({
    store,
    owner: o.owner,
    handlers,
    clock,
    logger,
    sessionOf: (playId) => store.getSession(playId),
    ...(o.onOutcome ? { onOutcome: o.onOutcome } : {}),
    ...o.tuning.dispatcher,
  });
  const policy = policyFromConfig(config.heal);
  const decisions = new DecisionMaker({
    store,
    clock,
    policy,
    dispatcher,
    logger,
    inhibitions: loadInhibitionRules(),
    outcomes: store,
    grouping: loadGroupingRules(),
    ...o.tuning.decisions,
  });
  const isFiring = (fp: string) => tracker.isFiring(fp);
  tracker.on('recorded', (r) => {
    decisions
      .onRecorded(r)
      .catch((err: unknown) =>
        logger.error({ err, incident_id: r.incident.id }, 'deciding on an alert failed'),
      );
  });
  tracker.on('resolved', ({ incident }) => {
    decisions
      .onResolved(incident)
      .then(() => decisions.releaseChildren(incident, isFiring))
      .then(() => decisions.childResolved(incident))
      .catch((err: unknown) =>
        logger.error({ err, incident_id: incident.id }, 'deciding on a resolution failed'),
      );
  });
  const follower = new RemediationFollower({ store, decisions, isFiring, logger });
  /** Resolves once every alert observed so far is recorded and decided on. */
  const settle = async (): Promise<void> => {
    await tracker.idle();
    await decisions.idle();
  };
  // the pull requests remediation runs opened: a merge is recorded in the outcome history
  const pullRequests = o.github
    ? new RemediationPullRequests({
        outcomes: store,
        github: o.github,
        clock,
        logger,
        windowDays: policy.historyWindowDays,
        everyMs: config.env.HEALER_GITHUB_POLL_SECONDS * 1000,
      })
    : undefined;
  return { dispatcher, decisions, follower, settle, pullRequests };
}
