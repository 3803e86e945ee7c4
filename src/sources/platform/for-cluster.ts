import type { StageContext } from '../../config/context.js';
import type { ClusterStage } from '../kube/cluster.js';
import {
  createProactiveSources,
  type ProactiveOptions,
  type ProactiveSources,
} from './proactive.js';

/**
 * The proactive sources over a watched cluster (issue #18): resource pressure and platform
 * health read the watches' caches; their drafts go to `observe` like every rule's.
 */
export function proactiveSourcesFor(
  cluster: ClusterStage | undefined,
  ctx: Pick<StageContext, 'config' | 'clock' | 'logger'>,
  observe: ProactiveOptions['observe'],
): ProactiveSources | undefined {
  if (!cluster) return undefined;
  const { env, heal } = ctx.config;
  return createProactiveSources({
    kc: cluster.kc,
    logger: ctx.logger,
    now: () => ctx.clock.now(),
    heal,
    resources: {
      enabled: env.HEALER_RESOURCE_CHECKS,
      everyMs: env.HEALER_RESOURCE_POLL_SECONDS * 1000,
    },
    platform: {
      enabled: env.HEALER_PLATFORM_CHECKS,
      everyMs: env.HEALER_PLATFORM_POLL_SECONDS * 1000,
    },
    namespaces: () => cluster.hub.namespaces,
    pod: (ns, name) => cluster.pod(ns, name),
    pods: () => cluster.hub.list('pod'),
    ownerOf: (pod) => {
      const c = cluster.correlate('pod', pod);
      return c.excluded || (!c.playId && !c.agent)
        ? null
        : { playId: c.playId, taskId: c.taskId, agent: c.agent };
    },
    observe,
  });
}
