import type { StageContext } from '../config/context.js';
import type { ActiveSessionsView } from '../domain/active-sessions.js';
import type { AlertDraft } from '../domain/alert.js';
import type { CodeRun, ObjectKind, Pod, Workflow } from '../domain/kube.js';
import type { Session } from '../domain/session.js';
import type { Correlation } from '../domain/signal.js';
import { PrStage, type PrStageOptions } from './github/pr-stage.js';
import { ClusterStage, type ClusterStageOptions } from './kube/cluster.js';
import { CorrelationIndexCache } from './kube/correlation-index.js';
import type { KubeAccess } from './kube/kubeconfig.js';
import { LogSources, type LokiTuning, type LogSourcesOptions } from './logs/log-sources.js';
import { proactiveSourcesFor } from './platform/for-cluster.js';

/** What the sources feed: the rules, the incidents, the sessions, the remediation follower. */
export interface SourceWiring {
  active: ActiveSessionsView & {
    on(e: 'changed', fn: (playId: string, s: Session | undefined) => void): unknown;
  };
  rules: ClusterStageOptions['rules'] & PrStageOptions['rules'];
  tracker: ClusterStageOptions['tracker'] &
    LogSourcesOptions['tracker'] & {
      observe(key: string, drafts: AlertDraft[]): Promise<void>;
    };
  lifecycle: PrStageOptions['lifecycle'] &
    LogSourcesOptions['lifecycle'] & {
      objectChanged(kind: ObjectKind, obj: Pod | CodeRun | Workflow, c: Correlation): void;
    };
  /** Changes of the remediation CodeRuns Healer created. */
  follower: { changed(cr: CodeRun): void };
  metrics: ClusterStageOptions['metrics'] & LogSourcesOptions['metrics'];
  github: PrStageOptions['github'];
  githubMetrics: PrStageOptions['githubMetrics'];
}

/**
 * The sources of signals, read for the active sessions: the cluster (when Healer has one), the
 * Plays' pull requests, the proactive checks and the logs. A Play's pod, CodeRun or Workflow
 * changing updates its session; a remediation CodeRun goes to the follower instead.
 */
export function createSources(
  ctx: StageContext & { reflector?: ClusterStageOptions['reflector']; loki?: LokiTuning },
  kube: KubeAccess,
  w: SourceWiring,
) {
  const { active, tracker, lifecycle } = w;
  const index = new CorrelationIndexCache(() => active.list());
  const prs = new PrStage(ctx, w);
  const cluster = ClusterStage.for(ctx, kube, {
    ...{ index, reflector: ctx.reflector, metrics: w.metrics, rules: w.rules, tracker },
    onObject: (kind, obj, c) => {
      if (kind === 'coderun' && c.remediation) return w.follower.changed(obj as CodeRun);
      prs.objectSeen(kind, obj, c);
      lifecycle.objectChanged(kind, obj, c);
    },
  });
  const proactive = proactiveSourcesFor(cluster, ctx, (k, d) => tracker.observe(k, d));
  const logs = new LogSources(ctx, {
    cluster,
    active,
    index,
    metrics: w.metrics,
    tracker,
    lifecycle,
  });
  active.on('changed', (playId, s) => {
    index.invalidate();
    cluster?.sessionChanged(s);
    if (s?.status !== 'active') prs.forget(playId);
  });
  return { cluster, prs, logs, proactive, noCluster: kube.kc ? undefined : kube.reason };
}
