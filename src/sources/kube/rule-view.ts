import type { RuleView } from '../../domain/signal.js';
import type { CodeRun, Pod } from '../../domain/kube.js';
import type { HealConfig } from '../../domain/heal-config.js';
import type { Session } from '../../domain/session.js';
import type { InformerHub } from './hub.js';

const OWNER_LABELS = ['agents.platform/coderun', 'coderun', 'job-name'];

/**
 * Lookups the rules read, over the hub's caches. Pods are indexed by the CodeRun (or Job) they
 * belong to — name without the random suffix, and owner labels — rebuilt lazily after pod changes.
 */
export class KubeLookups {
  readonly #hub: InformerHub;
  #podsByOwner: Map<string, Pod[]> | null = null;

  constructor(hub: InformerHub) {
    this.#hub = hub;
    hub.on('event', (e) => {
      if (e.kind === 'pod' && e.type !== 'MODIFIED') this.#podsByOwner = null;
    });
  }

  podsOfCodeRun(cr: CodeRun): Pod[] {
    const ns = cr.metadata?.namespace ?? '';
    const name = cr.metadata?.name ?? '';
    const byStatus = cr.status?.podName ? this.#hub.get('pod', ns, cr.status.podName) : undefined;
    if (byStatus) return [byStatus];
    return (this.#index().get(`${ns}/${name}`) ?? []).map(
      (p) => this.#hub.get('pod', ns, p.metadata?.name ?? '') ?? p,
    );
  }

  #index(): Map<string, Pod[]> {
    if (this.#podsByOwner) return this.#podsByOwner;
    const idx = new Map<string, Pod[]>();
    const add = (key: string, pod: Pod) => {
      const list = idx.get(key);
      if (list) list.push(pod);
      else idx.set(key, [pod]);
    };
    for (const pod of this.#hub.list('pod')) {
      const ns = pod.metadata?.namespace ?? '';
      const name = pod.metadata?.name ?? '';
      const keys = new Set<string>();
      // <coderun>-<hash> (Job) and <coderun>-<hash>-<suffix> (its pod)
      const parts = name.split('-');
      for (let cut = 1; cut <= 2 && parts.length - cut > 0; cut++)
        keys.add(parts.slice(0, -cut).join('-'));
      const labels = pod.metadata?.labels ?? {};
      for (const l of OWNER_LABELS) if (labels[l]) keys.add(labels[l]);
      for (const ref of pod.metadata?.ownerReferences ?? []) keys.add(ref.name);
      for (const k of keys) add(`${ns}/${k}`, pod);
    }
    this.#podsByOwner = idx;
    return idx;
  }

  view(
    now: Date,
    session: Session | null,
    config: Pick<HealConfig, 'alerts' | 'stages' | 'exclusions'>,
    expectedFor: RuleView['expectedFor'],
  ): RuleView {
    return {
      now,
      session,
      config,
      podsOfCodeRun: (cr) => this.podsOfCodeRun(cr),
      eventsFor: (kind, ns, name) => this.#hub.eventsFor(kind, ns, name),
      expectedFor,
    };
  }
}
