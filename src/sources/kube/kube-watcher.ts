import { CoreV1Api, type KubeConfig } from '@kubernetes/client-node';
import type { Logger } from 'pino';
import type { Correlation, Signal } from '../../domain/signal.js';
import type { CodeRun, ObjectKind, Pod, Workflow } from '../../domain/kube.js';
import { agentContainerName } from '../../domain/pod-containers.js';
import type { HealConfig } from '../../domain/heal-config.js';
import { correlate } from './correlate.js';
import type { CorrelationIndex } from './correlation-index.js';
import type { HubEvent, InformerHub } from './hub.js';

export interface KubeWatcherOptions {
  hub: InformerHub;
  kc: KubeConfig;
  logger: Logger;
  exclusions: HealConfig['exclusions'];
  /** The active sessions, indexed; rebuilt by the caller when sessions start or end. */
  index(): CorrelationIndex;
  /** A signal to evaluate; `key` identifies the object for incident tracking. */
  onSignal(signal: Signal, key: string, receivedAt: number | undefined): void;
  /** The object is gone. */
  onGone(key: string): void;
  /** Every correlated pod/CodeRun/Workflow change (session agents and lifecycle). */
  onObject?(kind: ObjectKind, object: Pod | CodeRun | Workflow, correlation: Correlation): void;
  /** Log lines fetched for the completion check (tail). */
  completionTailLines?: number;
}

export const objectKey = (kind: string, o: { metadata?: { namespace?: string; name?: string } }) =>
  `${kind}/${o.metadata?.namespace ?? ''}/${o.metadata?.name ?? ''}`;

/**
 * Turns informer events into signals: correlation to a Play, rule inputs, and the completion
 * check's log fetch when an agent pod succeeds. `tick()` re-sends every cached object so rules
 * with time conditions fire without new events.
 */
export class KubeWatcher {
  readonly #o: KubeWatcherOptions;
  readonly #core: CoreV1Api;

  constructor(opts: KubeWatcherOptions) {
    this.#o = opts;
    this.#core = opts.kc.makeApiClient(CoreV1Api);
    opts.hub.on('event', (e) => this.#onEvent(e));
  }

  correlate(kind: ObjectKind, object: unknown, index = this.#o.index()): Correlation {
    const hub = this.#o.hub;
    return correlate(object, kind, index, {
      exclusions: this.#o.exclusions,
      lookupOwner: (k, ns, name) => {
        const kindOf =
          k === 'CodeRun' ? 'coderun' : k === 'Workflow' ? 'workflow' : k === 'Pod' ? 'pod' : null;
        return kindOf ? hub.get(kindOf, ns, name) : undefined;
      },
    });
  }

  /**
   * Re-evaluates every cached pod, CodeRun and Workflow (timer). Yields to the event loop every
   * few hundred objects, so a pass over 20,000 pods never holds back the events behind it.
   */
  async tick(): Promise<void> {
    const index = this.#o.index();
    let n = 0;
    for (const kind of ['pod', 'coderun', 'workflow'] as const) {
      for (const obj of this.#o.hub.list(kind)) {
        this.#signal(kind, obj, this.correlate(kind, obj, index), 'tick', undefined);
        if (++n % 250 === 0) await new Promise((r) => setImmediate(r));
      }
    }
  }

  #onEvent(e: HubEvent): void {
    if (e.kind === 'event') return;
    const kind = e.kind;
    const obj = e.object as Pod | CodeRun | Workflow;
    const key = objectKey(kind, obj);
    if (e.type === 'DELETED') {
      this.#o.onGone(key);
      return;
    }
    const c = this.correlate(kind, obj);
    if (c.excluded) return;
    this.#o.onObject?.(kind, obj, c);
    this.#signal(kind, obj, c, 'event', e.receivedAt);
    if (kind === 'pod') this.#maybeCompletion(obj as Pod, e.old as Pod | undefined, c);
  }

  #signal(
    kind: 'pod' | 'coderun' | 'workflow',
    obj: Pod | CodeRun | Workflow,
    c: Correlation,
    cause: 'event' | 'tick',
    receivedAt: number | undefined,
  ): void {
    if (c.excluded) return;
    const key = objectKey(kind, obj);
    const signal: Signal =
      kind === 'pod'
        ? { kind, pod: obj as Pod, correlation: c, cause }
        : kind === 'coderun'
          ? { kind, coderun: obj as CodeRun, correlation: c, cause }
          : { kind, workflow: obj as Workflow, correlation: c, cause };
    this.#o.onSignal(signal, key, receivedAt);
  }

  /** An agent pod that just turned Succeeded: fetch its agent container's log for the completion check. */
  #maybeCompletion(pod: Pod, old: Pod | undefined, c: Correlation): void {
    if (pod.status?.phase !== 'Succeeded' || old?.status?.phase === 'Succeeded') return;
    if (!c.agent || c.remediation) return;
    const container = agentContainerName(pod, c.agent);
    const name = pod.metadata?.name;
    const namespace = pod.metadata?.namespace;
    if (!container || !name || !namespace) return;
    this.#core
      .readNamespacedPodLog({
        name,
        namespace,
        container,
        tailLines: this.#o.completionTailLines ?? 2000,
      })
      .then(
        (logs) => {
          const signal: Signal = {
            kind: 'completed-logs',
            pod,
            container,
            logs: String(logs),
            correlation: c,
          };
          this.#o.onSignal(signal, `completion/${namespace}/${name}`, undefined);
        },
        (err: unknown) => {
          this.#o.logger.warn(
            { err, pod: name, namespace },
            'could not read the logs of a finished agent pod; completion check skipped',
          );
        },
      );
  }
}
