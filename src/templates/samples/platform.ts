import { POD, event, type Sample } from './common.js';

/** Samples of the proactive alerts: resource pressure and platform health. */
export const PLATFORM_SAMPLES: Record<'resource' | 'platform', Sample> = {
  resource: {
    severity: 'high',
    issueType: 'agent_error',
    subject: 'play-task-4',
    pod: POD,
    container: 'agent',
    phase: 'Running',
    title: `Resource Pressure: ${POD}`,
    description: `Container "agent" of ${POD} has used more than 90% of its memory limit for 120s (now 7578 MiB of 8192 MiB, 93%).`,
    context: { kind: 'above-limit-share', ratio: 0.93, limit_bytes: 8589934592 },
    evidence: [
      'metrics 05:58:00 agent memory=7012Mi',
      'metrics 05:59:00 agent memory=7398Mi',
      'metrics 06:00:00 agent memory=7578Mi',
      'resources.limits.memory=8Gi',
    ],
    events: [],
  },
  platform: {
    severity: 'high',
    issueType: 'other',
    subject: 'Application/cto-controller',
    title: 'Argo CD Application cto-controller Degraded',
    description:
      'Argo CD Application cto-controller has been sync Synced, health Degraded for 20m (threshold 10m); every Play that depends on it is at risk.',
    context: { check: 'argocd-app', application: 'cto-controller', health: 'Degraded' },
    evidence: [
      'application argocd/cto-controller: sync Synced, health Degraded',
      'last operation Failed at 2025-11-21T05:30:00Z',
      'message: one or more objects failed to apply, reason: Deployment.apps "cto-controller" is invalid',
    ],
    events: [
      event('OperationCompleted', 'Sync operation to e1132f9 failed', 'application/cto-controller'),
    ],
  },
};
