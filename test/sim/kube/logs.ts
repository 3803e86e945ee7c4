// Pod logs: lines per container (current and previous instance), the log endpoint's options and
// its error messages, and `follow=true` streams that receive lines as tests append them.
import type { ServerResponse } from 'node:http';
import { badRequest } from './errors.js';
import type { KubeObject } from './types.js';

interface LogLine {
  time: Date;
  text: string;
}

interface ContainerLogs {
  current: LogLine[];
  previous?: LogLine[];
  followers: Set<Follower>;
}

interface Follower {
  write(l: LogLine): void;
  end(abrupt: boolean): void;
}

export interface LogQuery {
  container?: string;
  follow: boolean;
  previous: boolean;
  timestamps: boolean;
  tailLines?: number;
  sinceSeconds?: number;
  sinceTime?: Date;
  limitBytes?: number;
}

/** Go's time.RFC3339Nano: fractional seconds without trailing zeros. */
export function rfc3339Nano(d: Date): string {
  const iso = d.toISOString();
  const [base, frac] = iso.slice(0, -1).split('.');
  const trimmed = (frac ?? '').replace(/0+$/, '');
  return `${base}${trimmed ? '.' + trimmed : ''}Z`;
}

function names(list: unknown): string[] {
  return Array.isArray(list) ? (list as { name?: string }[]).map((c) => c.name ?? '') : [];
}

export class LogStore {
  private readonly data = new Map<string, ContainerLogs>();

  private entry(ns: string, pod: string, container: string): ContainerLogs {
    const k = `${ns}/${pod}/${container}`;
    let e = this.data.get(k);
    if (!e) {
      e = { current: [], followers: new Set() };
      this.data.set(k, e);
    }
    return e;
  }

  append(ns: string, pod: string, container: string, text: string, time: Date): void {
    const e = this.entry(ns, pod, container);
    for (const part of text.replace(/\n$/, '').split('\n')) {
      const l = { time, text: part };
      e.current.push(l);
      for (const f of e.followers) f.write(l);
    }
  }

  /** The container restarted: its lines become the previous instance's; follow streams end. */
  restart(ns: string, pod: string, container: string): void {
    const e = this.entry(ns, pod, container);
    e.previous = e.current;
    e.current = [];
    for (const f of [...e.followers]) f.end(false);
  }

  /** The pod is gone: end its follow streams and forget its lines. */
  podGone(ns: string, pod: string): void {
    const prefix = `${ns}/${pod}/`;
    for (const [k, e] of this.data) {
      if (!k.startsWith(prefix)) continue;
      for (const f of [...e.followers]) f.end(false);
      this.data.delete(k);
    }
  }

  /** End every follow stream (server closing, or a fault). Returns how many were open. */
  endAll(abrupt: boolean): number {
    let n = 0;
    for (const e of this.data.values()) {
      for (const f of [...e.followers]) {
        f.end(abrupt);
        n++;
      }
    }
    return n;
  }

  followersOpen(): number {
    let n = 0;
    for (const e of this.data.values()) n += e.followers.size;
    return n;
  }

  /** Pick and check the container like the real server; throws 400 Status errors. */
  resolveContainer(pod: KubeObject, q: LogQuery): string {
    const spec = (pod.spec ?? {}) as {
      containers?: unknown;
      initContainers?: unknown;
      ephemeralContainers?: unknown;
    };
    const name = pod.metadata?.name ?? '';
    const main = names(spec.containers);
    const init = names(spec.initContainers);
    const eph = names(spec.ephemeralContainers);
    if (!q.container) {
      if (main.length === 1) return main[0];
      let msg = `a container name must be specified for pod ${name}, choose one of: [${main.join(' ')}]`;
      if (init.length) msg += ` or one of the init containers: [${init.join(' ')}]`;
      if (eph.length) msg += ` or one of the ephemeral containers: [${eph.join(' ')}]`;
      throw badRequest(msg);
    }
    if (![...main, ...init, ...eph].includes(q.container)) {
      throw badRequest(`container ${q.container} is not valid for pod ${name}`);
    }
    return q.container;
  }

  private selectLines(
    ns: string,
    pod: KubeObject,
    container: string,
    q: LogQuery,
    now: Date,
  ): LogLine[] {
    const podName = pod.metadata?.name ?? '';
    const e = this.entry(ns, podName, container);
    if (q.previous && !e.previous) {
      throw badRequest(
        `previous terminated container "${container}" in pod "${podName}" not found`,
      );
    }
    let lines = q.previous ? e.previous! : e.current;
    if (!q.previous && lines.length === 0) {
      const statuses = (pod.status ?? {}) as {
        containerStatuses?: unknown[];
        initContainerStatuses?: unknown[];
      };
      const all = [
        ...(statuses.containerStatuses ?? []),
        ...(statuses.initContainerStatuses ?? []),
      ] as {
        name?: string;
        state?: { waiting?: { reason?: string } };
      }[];
      const waiting = all.find((s) => s.name === container)?.state?.waiting;
      if (waiting && waiting.reason !== 'CrashLoopBackOff') {
        throw badRequest(
          `container "${container}" in pod "${podName}" is waiting to start: ${waiting.reason ?? 'ContainerCreating'}`,
        );
      }
    }
    if (q.sinceSeconds !== undefined) {
      const from = now.getTime() - q.sinceSeconds * 1000;
      lines = lines.filter((l) => l.time.getTime() >= from);
    }
    if (q.sinceTime) lines = lines.filter((l) => l.time.getTime() >= q.sinceTime!.getTime());
    if (q.tailLines !== undefined) lines = q.tailLines === 0 ? [] : lines.slice(-q.tailLines);
    return lines;
  }

  /** Answer a log request; the caller has already checked the pod exists. */
  serve(ns: string, pod: KubeObject, q: LogQuery, res: ServerResponse, now: Date): void {
    const container = this.resolveContainer(pod, q);
    const lines = this.selectLines(ns, pod, container, q, now);
    const fmt = (l: LogLine): string =>
      q.timestamps ? `${rfc3339Nano(l.time)} ${l.text}\n` : `${l.text}\n`;
    let budget = q.limitBytes ?? Infinity;
    const emit = (l: LogLine): boolean => {
      let chunk = fmt(l);
      if (Buffer.byteLength(chunk) > budget)
        chunk = Buffer.from(chunk).subarray(0, budget).toString();
      budget -= Buffer.byteLength(chunk);
      if (chunk) res.write(chunk);
      return budget > 0;
    };
    res.writeHead(200, { 'Content-Type': 'text/plain', 'Cache-Control': 'no-cache, private' });
    if (!q.follow || q.previous) {
      for (const l of lines) if (!emit(l)) break;
      res.end();
      return;
    }
    res.flushHeaders();
    for (const l of lines) {
      if (!emit(l)) {
        res.end();
        return;
      }
    }
    const e = this.entry(ns, pod.metadata?.name ?? '', container);
    const follower: Follower = {
      write: (l) => {
        if (res.writableEnded) return;
        if (!emit(l)) follower.end(false);
      },
      end: (abrupt) => {
        e.followers.delete(follower);
        if (abrupt) res.socket?.destroy();
        else if (!res.writableEnded) res.end();
      },
    };
    e.followers.add(follower);
    res.on('close', () => e.followers.delete(follower));
  }
}
