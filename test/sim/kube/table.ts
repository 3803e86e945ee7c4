// Server-side printing: `Accept: application/json;as=Table;g=meta.k8s.io;v=v1` answers a
// meta.k8s.io/v1 Table, as kubectl asks for on `kubectl get` without `-o json`.
import type { ResourceType } from './resources.js';
import type { KubeObject } from './types.js';

interface Column {
  name: string;
  type: string;
  format?: string;
  priority?: number;
  cell: (o: KubeObject, now: Date) => unknown;
}

/** k8s.io/apimachinery/pkg/util/duration.HumanDuration. */
export function humanDuration(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 120) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 10) return seconds % 60 === 0 ? `${minutes}m` : `${minutes}m${seconds % 60}s`;
  if (minutes < 180) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 8) return minutes % 60 === 0 ? `${hours}h` : `${hours}h${minutes % 60}m`;
  if (hours < 48) return `${hours}h`;
  if (hours < 24 * 8)
    return hours % 24 === 0 ? `${hours / 24}d` : `${Math.floor(hours / 24)}d${hours % 24}h`;
  if (hours < 24 * 365 * 2) return `${Math.floor(hours / 24)}d`;
  const years = Math.floor(hours / 24 / 365);
  const days = Math.floor(hours / 24) % 365;
  if (hours < 24 * 365 * 8) return days === 0 ? `${years}y` : `${years}y${days}d`;
  return `${years}y`;
}

function age(ts: unknown, now: Date): string {
  if (typeof ts !== 'string') return '<unknown>';
  return humanDuration(now.getTime() - new Date(ts).getTime());
}

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** The STATUS column of `kubectl get pods`, following printPod in pkg/printers/internalversion. */
export function podStatusReason(pod: KubeObject): string {
  const st = (pod.status ?? {}) as Obj;
  let reason: string = st.reason ?? st.phase ?? '';
  const init: Obj[] = st.initContainerStatuses ?? [];
  const initSpec: Obj[] = ((pod.spec ?? {}) as Obj).initContainers ?? [];
  let initializing = false;
  init.forEach((c, i) => {
    if (initializing) return;
    const t = c.state?.terminated;
    const w = c.state?.waiting;
    if (t && t.exitCode === 0) return;
    if (initSpec[i]?.restartPolicy === 'Always' && c.started) return;
    if (t)
      reason = t.reason
        ? `Init:${t.reason}`
        : t.signal
          ? `Init:Signal:${t.signal}`
          : `Init:ExitCode:${t.exitCode}`;
    else if (w?.reason && w.reason !== 'PodInitializing') reason = `Init:${w.reason}`;
    else reason = `Init:${i}/${initSpec.length}`;
    initializing = true;
  });
  if (!initializing) {
    let hasRunning = false;
    for (const c of [...((st.containerStatuses ?? []) as Obj[])].reverse()) {
      const w = c.state?.waiting;
      const t = c.state?.terminated;
      if (w?.reason) reason = w.reason;
      else if (t?.reason) reason = t.reason;
      else if (t) reason = t.signal ? `Signal:${t.signal}` : `ExitCode:${t.exitCode}`;
      else if (c.ready && c.state?.running) hasRunning = true;
    }
    if (reason === 'Completed' && hasRunning) {
      const ready = ((st.conditions ?? []) as Obj[]).find((c) => c.type === 'Ready');
      reason = ready?.status === 'True' ? 'Running' : 'NotReady';
    }
  }
  if (pod.metadata?.deletionTimestamp)
    reason = st.reason === 'NodeLost' ? 'Unknown' : 'Terminating';
  return reason;
}

const NAME: Column = {
  name: 'Name',
  type: 'string',
  format: 'name',
  cell: (o) => o.metadata?.name,
};
const AGE: Column = {
  name: 'Age',
  type: 'string',
  cell: (o, now) => age(o.metadata?.creationTimestamp, now),
};

function columnsFor(r: ResourceType): Column[] {
  if (r.group === '' && r.kind === 'Pod') {
    return [
      NAME,
      {
        name: 'Ready',
        type: 'string',
        cell: (o) => {
          const cs = (((o.status ?? {}) as Obj).containerStatuses ?? []) as Obj[];
          const total = (((o.spec ?? {}) as Obj).containers ?? []).length as number;
          return `${cs.filter((c) => c.ready).length}/${total}`;
        },
      },
      { name: 'Status', type: 'string', cell: (o) => podStatusReason(o) },
      {
        name: 'Restarts',
        type: 'string',
        cell: (o) =>
          String(
            (((o.status ?? {}) as Obj).containerStatuses ?? []).reduce(
              (n: number, c: Obj) => n + (c.restartCount ?? 0),
              0,
            ),
          ),
      },
      AGE,
      {
        name: 'IP',
        type: 'string',
        priority: 1,
        cell: (o) => ((o.status ?? {}) as Obj).podIP ?? '<none>',
      },
      {
        name: 'Node',
        type: 'string',
        priority: 1,
        cell: (o) => ((o.spec ?? {}) as Obj).nodeName ?? '<none>',
      },
    ];
  }
  if (r.group === '' && r.kind === 'Event') {
    return [
      {
        name: 'Last Seen',
        type: 'string',
        cell: (o, now) =>
          age(
            (o as Obj).lastTimestamp ?? (o as Obj).eventTime ?? o.metadata?.creationTimestamp,
            now,
          ),
      },
      { name: 'Type', type: 'string', cell: (o) => (o as Obj).type ?? '' },
      { name: 'Reason', type: 'string', cell: (o) => (o as Obj).reason ?? '' },
      {
        name: 'Object',
        type: 'string',
        cell: (o) => {
          const io = ((o as Obj).involvedObject ?? {}) as Obj;
          return `${String(io.kind ?? '').toLowerCase()}/${io.name ?? ''}`;
        },
      },
      { name: 'Message', type: 'string', cell: (o) => String((o as Obj).message ?? '').trim() },
    ];
  }
  if (r.group === '' && r.kind === 'ConfigMap') {
    return [
      NAME,
      {
        name: 'Data',
        type: 'integer',
        cell: (o) =>
          Object.keys((o as Obj).data ?? {}).length +
          Object.keys((o as Obj).binaryData ?? {}).length,
      },
      AGE,
    ];
  }
  if (r.group === '' && r.kind === 'Namespace') {
    return [
      NAME,
      { name: 'Status', type: 'string', cell: (o) => ((o.status ?? {}) as Obj).phase ?? '' },
      AGE,
    ];
  }
  if (r.kind === 'Lease') {
    return [
      NAME,
      { name: 'Holder', type: 'string', cell: (o) => ((o.spec ?? {}) as Obj).holderIdentity ?? '' },
      AGE,
    ];
  }
  if (r.kind === 'Workflow') {
    return [
      NAME,
      { name: 'Status', type: 'string', cell: (o) => ((o.status ?? {}) as Obj).phase ?? '' },
      AGE,
    ];
  }
  return [NAME, AGE];
}

export type IncludeObject = 'None' | 'Metadata' | 'Object';

export function wantsTable(accept: string | undefined): boolean {
  return !!accept && /as=Table/.test(accept);
}

export function toTable(
  r: ResourceType,
  objects: KubeObject[],
  opts: { resourceVersion?: string; include: IncludeObject; now: Date },
): unknown {
  const cols = columnsFor(r);
  const metadata: Record<string, string> = {};
  if (opts.resourceVersion) metadata.resourceVersion = opts.resourceVersion;
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata,
    columnDefinitions: cols.map((c) => ({
      name: c.name,
      type: c.type,
      format: c.format ?? '',
      description: c.name === 'Name' ? 'Name must be unique within a namespace.' : '',
      priority: c.priority ?? 0,
    })),
    rows: objects.map((o) => {
      const row: Record<string, unknown> = { cells: cols.map((c) => c.cell(o, opts.now)) };
      if (opts.include === 'Object') row.object = o;
      else if (opts.include === 'Metadata')
        row.object = {
          kind: 'PartialObjectMetadata',
          apiVersion: 'meta.k8s.io/v1',
          metadata: o.metadata,
        };
      return row;
    }),
  };
}
