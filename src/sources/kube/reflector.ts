import { inspect } from 'node:util';
import { Watch, type KubeConfig } from '@kubernetes/client-node';
import type { Logger } from 'pino';
import { backoffDelay, sleep } from '../../runtime/index.js';
import { kubeGetJson, KubeHttpError } from './kube-http.js';

export interface KubeItem {
  metadata?: { name?: string; namespace?: string; uid?: string; resourceVersion?: string };
}

export type ReflectorEvent = 'ADDED' | 'MODIFIED' | 'DELETED';
export type ReflectorState = 'starting' | 'listing' | 'watching' | 'backoff' | 'absent' | 'stopped';

export interface ReflectorOptions<T extends KubeItem> {
  kc: KubeConfig;
  /** e.g. `pods`; used in logs and metrics. */
  kind: string;
  /** Collection path, e.g. `/api/v1/namespaces/cto/pods` or `/api/v1/pods`. */
  path: string;
  logger: Logger;
  onEvent(type: ReflectorEvent, obj: T, old: T | undefined): void;
  onRestart?(reason: string): void;
  /** A 404 on list means the resource type does not exist (e.g. Argo not installed). */
  optional?: boolean;
  pageSize?: number;
  /** Server-side end of each watch; the reflector then re-watches from its resourceVersion. */
  watchTimeoutSeconds?: number;
  /** No byte (event or bookmark) for this long → the watch is silent: abort and re-watch. */
  inactivityMs?: number;
  backoff?: { initialMs: number; maxMs: number };
  /** How long to wait before re-checking a resource type that was absent. */
  absentRetryMs?: number;
  /** The clock of `lastEventAt` (ms epoch). Default `Date.now`. */
  now?: () => number;
}

const keyOf = (o: KubeItem) => `${o.metadata?.namespace ?? ''}/${o.metadata?.name ?? ''}`;

/**
 * list + watch of one collection, kept in a local cache. Survives everything the API server does:
 * a clean end re-watches from the last resourceVersion, a 410 relists (emitting only the real
 * differences), socket errors and 5xx back off (capped, jittered) and retry, a silent watch is
 * aborted after `inactivityMs`.
 */
export class Reflector<T extends KubeItem> {
  readonly cache = new Map<string, T>();
  state: ReflectorState = 'starting';
  synced = false;
  lastError: string | null = null;
  lastEventAt = 0;
  restarts = 0;
  readonly #o: ReflectorOptions<T>;
  #stop = new AbortController();
  #abortWatch: AbortController | undefined;
  #rv: string | undefined;
  #loop: Promise<void> | undefined;

  constructor(opts: ReflectorOptions<T>) {
    this.#o = opts;
  }

  /** Starts (or, after `stop()`, restarts: it watches on from the last resourceVersion it saw). */
  start(): void {
    if (this.#loop) return;
    if (this.#stop.signal.aborted) this.#stop = new AbortController();
    this.#loop = this.#run();
  }

  async stop(): Promise<void> {
    this.#stop.abort();
    this.#abortWatch?.abort();
    await this.#loop;
    this.#loop = undefined;
    this.state = 'stopped';
  }

  async #run(): Promise<void> {
    const { initialMs, maxMs } = this.#o.backoff ?? { initialMs: 250, maxMs: 30_000 };
    let attempt = 0;
    let reportedAbsent = false;
    while (!this.#stop.signal.aborted) {
      try {
        if (this.#rv === undefined) {
          this.state = 'listing';
          this.#rv = await this.#list();
          this.synced = true;
          reportedAbsent = false;
        }
        this.state = 'watching';
        const outcome = await this.#watch(this.#rv);
        attempt = 0;
        if (outcome === 'expired') {
          this.#o.logger.info(
            { kind: this.#o.kind, path: this.#o.path },
            'watch history expired (410): relisting',
          );
          this.#rv = undefined;
          this.#restarted('expired');
        }
      } catch (err) {
        if (this.#stop.signal.aborted) break;
        if (this.#o.optional && err instanceof KubeHttpError && err.status === 404) {
          this.state = 'absent';
          this.synced = true;
          this.lastError = 'resource type not installed';
          if (!reportedAbsent) {
            this.#o.logger.warn(
              { kind: this.#o.kind, path: this.#o.path },
              `${this.#o.kind}: resource type not installed in the cluster; tolerated, re-checked every few minutes`,
            );
            reportedAbsent = true;
          }
          await sleep(this.#o.absentRetryMs ?? 300_000, this.#stop.signal);
          continue;
        }
        this.lastError = err instanceof Error ? err.message : String(err);
        const delay = backoffDelay(attempt++, initialMs, maxMs);
        this.state = 'backoff';
        this.#o.logger.warn(
          { kind: this.#o.kind, path: this.#o.path, err: this.lastError, retryInMs: delay },
          'watch failed; restarting after backoff',
        );
        this.#restarted('error');
        await sleep(delay, this.#stop.signal);
      }
    }
  }

  #restarted(reason: string): void {
    this.restarts++;
    this.#o.onRestart?.(reason);
  }

  /** Lists every page, replaces the cache and emits only what changed. Returns the list's resourceVersion. */
  async #list(): Promise<string> {
    const fresh = new Map<string, T>();
    let cont: string | undefined;
    let rv = '';
    do {
      const q = new URLSearchParams({ limit: String(this.#o.pageSize ?? 500) });
      if (cont) q.set('continue', cont);
      const page = await kubeGetJson<{
        items?: T[];
        metadata?: { resourceVersion?: string; continue?: string };
      }>(this.#o.kc, `${this.#o.path}?${q.toString()}`);
      for (const item of page.items ?? []) fresh.set(keyOf(item), item);
      rv = page.metadata?.resourceVersion ?? rv;
      cont = page.metadata?.continue || undefined;
    } while (cont);

    for (const [key, old] of this.cache) {
      if (!fresh.has(key)) {
        this.cache.delete(key);
        this.#emit('DELETED', old, old);
      }
    }
    for (const [key, obj] of fresh) {
      const old = this.cache.get(key);
      if (old && old.metadata?.resourceVersion === obj.metadata?.resourceVersion) continue;
      this.cache.set(key, obj);
      this.#emit(old ? 'MODIFIED' : 'ADDED', obj, old);
    }
    return rv;
  }

  /** Resolves when the stream ends cleanly ('ended') or with a 410 ('expired'); rejects on errors. */
  #watch(rv: string): Promise<'ended' | 'expired'> {
    return new Promise((resolve, reject) => {
      let expired = false;
      const watch = new Watch(this.#o.kc);
      // private in the typings, but it is the library's own inactivity timeout for a watch stream
      (watch as unknown as { requestTimeoutMs: number }).requestTimeoutMs =
        this.#o.inactivityMs ?? 120_000;
      const query = {
        resourceVersion: rv,
        allowWatchBookmarks: true,
        timeoutSeconds: this.#o.watchTimeoutSeconds ?? 300,
      };
      const onEvent = (type: string, obj: unknown) => {
        this.lastEventAt = (this.#o.now ?? Date.now)();
        if (type === 'ERROR') {
          const status = obj as { code?: number; message?: string };
          if (status.code === 410) expired = true;
          else this.lastError = `watch ERROR ${status.code}: ${status.message}`;
          return;
        }
        const item = obj as T;
        const newRv = item.metadata?.resourceVersion;
        if (newRv) this.#rv = newRv;
        if (type === 'BOOKMARK') return;
        const key = keyOf(item);
        const old = this.cache.get(key);
        if (type === 'DELETED') {
          this.cache.delete(key);
          this.#emit('DELETED', item, old);
        } else if (type === 'ADDED' || type === 'MODIFIED') {
          this.cache.set(key, item);
          this.#emit(old ? 'MODIFIED' : 'ADDED', item, old);
        }
      };
      const done = (err: unknown) => {
        this.#abortWatch = undefined;
        if (this.#stop.signal.aborted) return resolve('ended');
        if (expired) return resolve('expired');
        if (err)
          return reject(err instanceof Error ? err : new Error(`watch failed: ${inspect(err)}`));
        resolve('ended');
      };
      watch.watch(this.#o.path, query, onEvent, done).then(
        (controller) => {
          this.#abortWatch = controller;
          if (this.#stop.signal.aborted) controller.abort();
        },
        (err: unknown) => done(err ?? new Error('watch failed to start')),
      );
    });
  }

  #emit(type: ReflectorEvent, obj: T, old: T | undefined): void {
    try {
      this.#o.onEvent(type, obj, old);
    } catch (err) {
      this.#o.logger.error({ err, kind: this.#o.kind }, 'event handler failed');
    }
  }
}
