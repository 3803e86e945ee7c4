import type { Incident } from '../domain/incident.js';
import type { ClusterStage } from './kube/cluster.js';
import type { PrStage } from './github/pr-stage.js';
import type { ProactiveSources } from './platform/proactive.js';

/**
 * Why an incident's source cannot be read now (its condition is then not judged: the tracker
 * leaves it open), or null when it was read.
 */
export function whyUnreadable(s: {
  cluster: ClusterStage | undefined;
  /** Why no cluster is watched, when none is. */
  noCluster: string | undefined;
  proactive: ProactiveSources | undefined;
  prs: PrStage;
}) {
  return (
    source: 'kubernetes' | 'github' | 'resources' | 'platform',
    incident: Incident,
  ): string | null => {
    if (!s.cluster && source !== 'github')
      return `Kubernetes: watching is off (${s.noCluster ?? 'no cluster'})`;
    if (source === 'kubernetes') return s.cluster!.unread();
    if (source === 'resources')
      return s.proactive?.sampler ? null : 'resource checks are off (HEALER_RESOURCE_CHECKS)';
    if (source === 'platform')
      return s.proactive?.platform ? null : 'platform checks are off (HEALER_PLATFORM_CHECKS)';
    return s.prs.unread(incident.playId);
  };
}
