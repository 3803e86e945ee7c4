/** Short human evidence lines: container states, pod conditions, Kubernetes events. */
import type { V1ContainerStatus } from '@kubernetes/client-node';
import type { Pod } from '../../domain/kube.js';
import { iso, millis } from '../../domain/kube-time.js';
import { containerStatuses, initContainerStatuses } from '../../domain/pod-containers.js';
import type { RuleView } from '../../domain/signal.js';

const MAX_EVENTS = 8;

const kv = (pairs: Record<string, unknown>): string =>
  Object.entries(pairs)
    .filter(([, v]) => v !== undefined && v !== null && v !== '')
    .map(([k, v]) => `${k}=${String(v as string | number | boolean)}`)
    .join(' ');

function stateText(state: V1ContainerStatus['state'] | undefined): string {
  if (state?.terminated) {
    const t = state.terminated;
    return `terminated ${kv({ exitCode: t.exitCode, reason: t.reason, finishedAt: iso(t.finishedAt) })}`;
  }
  if (state?.waiting) return `waiting ${kv({ reason: state.waiting.reason })}`;
  if (state?.running) return `running ${kv({ startedAt: iso(state.running.startedAt) })}`;
  return 'no state';
}

/** `agent: terminated exitCode=1 reason=Error finishedAt=… ready=false restartCount=0`. */
export function containerLine(s: V1ContainerStatus, init = false): string {
  const head = `${init ? 'init ' : ''}${s.name ?? '?'}: ${stateText(s.state)}`;
  const tail = kv({ ready: s.ready, restartCount: s.restartCount });
  const last = s.lastState?.terminated ? `; lastState ${stateText(s.lastState)}` : '';
  return `${head}${tail ? ` ${tail}` : ''}${last}`.trim();
}

/** One line per container status (init containers first), then the conditions that are False. */
export function podLines(pod: Pod): string[] {
  const conditions = (Array.isArray(pod?.status?.conditions) ? pod.status.conditions : [])
    .filter((c) => c?.status === 'False')
    .map(
      (c) =>
        `condition ${c.type}=False ${kv({ reason: c.reason, since: iso(c.lastTransitionTime) })}${c.message ? `: ${c.message}` : ''}`,
    );
  return [
    `pod ${pod?.metadata?.name ?? '?'} phase=${pod?.status?.phase ?? 'unknown'}${pod?.status?.reason ? ` reason=${pod.status.reason}` : ''}`,
    ...initContainerStatuses(pod).map((s) => containerLine(s, true)),
    ...containerStatuses(pod).map((s) => containerLine(s)),
    ...conditions,
  ];
}

/** The most recent events about an object, oldest first: `Warning BackOff (x12): Back-off …`. */
export function eventLines(
  view: RuleView,
  kind: 'Pod' | 'CodeRun' | 'Workflow',
  namespace: string,
  name: string,
): string[] {
  const events = view.eventsFor(kind, namespace, name);
  const when = (e: (typeof events)[number]): number =>
    millis(e?.lastTimestamp) ?? millis(e?.eventTime) ?? millis(e?.firstTimestamp) ?? 0;
  return (Array.isArray(events) ? events : [])
    .filter((e) => e != null)
    .map((e, i) => ({ e, i, t: when(e) }))
    .sort((a, b) => a.t - b.t || a.i - b.i)
    .slice(-MAX_EVENTS)
    .map(({ e }) => {
      const count = (e.count ?? 1) > 1 ? ` (x${e.count})` : '';
      const msg = (e.message ?? '').replace(/\s+/g, ' ').trim();
      return `event ${e.type ?? 'Normal'} ${e.reason ?? '?'}${count}: ${msg}`;
    });
}
