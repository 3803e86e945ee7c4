import { Log } from '@kubernetes/client-node';
import type { KubeConfig } from '@kubernetes/client-node';
import type { Clock } from '../../domain/clock.js';
import type { CursorStore } from '../../domain/stores.js';
import { backoffDelay, IntervalJob, sleep } from '../../runtime/index.js';
import { LineWriter } from './line-writer.js';
import { msToNs, nsToDate, nsToRfc3339Seconds, rfc3339ToNs } from './timestamps.js';
import type { LogEntry, LogLogger, LogSink } from './types.js';

/** One container to follow: an agent container of an active session. */
export interface FollowTarget {
  namespace: string;
  pod: string;
  container: string;
}

export interface PodLogFollowerOptions {
  kc: KubeConfig;
  /** The agent containers of active sessions, read at every reconcile. */
  targets: () => readonly FollowTarget[];
  clock: Clock;
  logger: LogLogger;
  /** Lines of one container, each once, in order. */
  onEntries: LogSink;
  /** Optional persisted position per container (`podlog:<ns>/<pod>/<container>`): no re-read after a restart. */
  cursors?: Pick<CursorStore, 'getCursor' | 'setCursor'>;
  /** How often the streams are matched against `targets()`. Default 3 s. */
  reconcileMs?: number;
  /** Reconnect delay of one stream: capped exponential with jitter. Default 500 ms … 30 s. */
  backoff?: { initialMs: number; maxMs: number };
  random?: () => number;
}

const keyOf = (t: FollowTarget) => `${t.namespace}/${t.pod}/${t.container}`;

/**
 * Without Loki (detection.md §1): follows the agent containers' logs through the Kubernetes log
 * API (`follow=true`, `timestamps=true`), one stream per container, reconciled against
 * `targets()` (new ones start, gone ones stop). A dropped stream resumes with `sinceTime` (whole
 * seconds), and the overlap that re-sends is dropped by timestamp and line, so nothing arrives
 * twice and nothing is lost.
 */
export class PodLogFollower {
  readonly #o: PodLogFollowerOptions;
  readonly #log: Log;
  readonly #streams = new Map<string, Follow>();
  readonly #job: IntervalJob<void>;
  #running = false;

  constructor(o: PodLogFollowerOptions) {
    this.#o = o;
    this.#log = new Log(o.kc);
    this.#job = new IntervalJob({
      name: 'pod-log reconcile',
      everyMs: o.reconcileMs ?? 3000,
      schedule: 'rate',
      run: () => this.reconcile(),
      logger: o.logger,
      failureLevel: 'warn',
    });
  }

  start(): void {
    if (this.#running) return;
    this.#running = true;
    this.#job.start();
  }

  async stop(): Promise<void> {
    this.#running = false;
    await this.#job.stop();
    const all = [...this.#streams.values()];
    this.#streams.clear();
    await Promise.all(all.map((f) => f.stop()));
  }

  /** The containers followed now. */
  get following(): string[] {
    return [...this.#streams.keys()];
  }

  /** Starts streams for new targets and stops those no longer wanted. */
  reconcile(): void {
    if (!this.#running) return;
    let wanted: readonly FollowTarget[];
    try {
      wanted = this.#o.targets();
    } catch (err) {
      this.#o.logger.warn({ err: String(err) }, 'could not list pod-log targets');
      return;
    }
    const keys = new Set(wanted.map(keyOf));
    for (const [key, f] of this.#streams) {
      if (keys.has(key)) continue;
      this.#streams.delete(key);
      void f.stop();
    }
    for (const t of wanted) {
      const key = keyOf(t);
      if (this.#streams.has(key)) continue;
      const f = new Follow(t, this.#o, this.#log);
      this.#streams.set(key, f);
      f.start();
    }
  }
}

/** One container's follow stream, reconnected until stopped. */
class Follow {
  readonly #t: FollowTarget;
  readonly #o: PodLogFollowerOptions;
  readonly #log: Log;
  readonly #stopped = new AbortController();
  #controller: AbortController | null = null;
  #loop: Promise<void> | null = null;
  /** Timestamp of the newest delivered line, and how many delivered lines carry it. */
  #lastNs: bigint | null = null;
  #atLast = new Map<string, number>();
  /** Lines at `#lastNs` a resumed stream sends again (consumed as they come). */
  #replay = new Map<string, number>();
  /** The current connection is a resume and has not passed `#lastNs` yet. */
  #catchingUp = false;
  #lines = 0;
  #savedAt = 0;

  constructor(t: FollowTarget, o: PodLogFollowerOptions, log: Log) {
    this.#t = t;
    this.#o = o;
    this.#log = log;
  }

  get #cursorKey(): string {
    return `podlog:${keyOf(this.#t)}`;
  }

  start(): void {
    this.#loop = this.#run();
  }

  async stop(): Promise<void> {
    this.#stopped.abort();
    this.#controller?.abort();
    // A connect that hangs (no deadline in the client's log call) must not hold up shutdown.
    await Promise.race([this.#loop, sleep(2000)]);
    await this.#save(true);
  }

  async #run(): Promise<void> {
    await this.#load();
    const b = this.#o.backoff ?? { initialMs: 500, maxMs: 30_000 };
    let attempt = 0;
    while (!this.#stopped.signal.aborted) {
      const before = this.#lines;
      const err = await this.#once();
      if (this.#stopped.signal.aborted) break;
      attempt = this.#lines > before ? 0 : attempt + 1;
      const delay = backoffDelay(attempt, b.initialMs, b.maxMs, this.#o.random);
      const level = attempt <= 1 ? 'info' : 'debug';
      this.#o.logger[level](
        { ...this.#t, err: err ? err.message : null, retry_in_ms: delay },
        'pod log stream ended; resuming',
      );
      await sleep(delay, this.#stopped.signal);
    }
  }

  /** One connection; resolves when it ends (the error, if it failed). */
  async #once(): Promise<Error | undefined> {
    const since = this.#lastNs === null ? undefined : nsToRfc3339Seconds(this.#lastNs);
    this.#replay = new Map(this.#atLast);
    this.#catchingUp = this.#lastNs !== null;
    let finish: (err?: Error) => void = () => undefined;
    const ended = new Promise<Error | undefined>((resolve) => (finish = resolve));
    const writer = new LineWriter((lines) => this.#onLines(lines), finish);
    try {
      this.#controller = await this.#log.log(
        this.#t.namespace,
        this.#t.pod,
        this.#t.container,
        writer,
        {
          follow: true,
          timestamps: true,
          ...(since ? { sinceTime: since } : {}),
        },
      );
    } catch (err) {
      writer.destroy();
      return err instanceof Error ? err : new Error(String(err));
    }
    if (this.#stopped.signal.aborted) this.#controller.abort();
    const err = await ended;
    this.#controller = null;
    if (!writer.destroyed) writer.destroy();
    return err;
  }

  async #onLines(raw: string[]): Promise<void> {
    const entries: LogEntry[] = [];
    for (const text of raw) {
      const entry = this.#parse(text);
      if (entry && this.#fresh(BigInt(entry.tsNs), entry.line)) entries.push(entry);
    }
    if (!entries.length) return;
    this.#lines += entries.length;
    try {
      await this.#o.onEntries(this.#t.namespace, entries);
    } catch (err) {
      this.#o.logger.warn({ ...this.#t, err: String(err) }, 'log line handler failed');
    }
    await this.#save(false);
  }

  /** `<RFC3339Nano> <line>`; a line without a parsable timestamp gets the clock's time. */
  #parse(text: string): LogEntry | null {
    const sp = text.indexOf(' ');
    const ns = sp > 0 ? rfc3339ToNs(text.slice(0, sp)) : null;
    const tsNs = ns ?? msToNs(this.#o.clock.now().getTime());
    const line = ns !== null ? text.slice(sp + 1) : text;
    const { namespace, pod, container } = this.#t;
    return {
      namespace,
      pod,
      container,
      time: nsToDate(tsNs),
      tsNs: tsNs.toString(),
      line,
      labels: { namespace, pod, container },
    };
  }

  /** Drops what a resumed stream sends again; remembers what is delivered. */
  #fresh(ts: bigint, line: string): boolean {
    const last = this.#lastNs;
    if (last !== null && ts < last) return !this.#catchingUp;
    if (last !== null && ts === last) {
      const again = this.#replay.get(line) ?? 0;
      if (again > 0) {
        this.#replay.set(line, again - 1);
        return false;
      }
      this.#atLast.set(line, (this.#atLast.get(line) ?? 0) + 1);
      return true;
    }
    this.#catchingUp = false;
    this.#lastNs = ts;
    this.#atLast = new Map([[line, 1]]);
    this.#replay.clear();
    return true;
  }

  async #load(): Promise<void> {
    const raw = await this.#o.cursors?.getCursor(this.#cursorKey).catch(() => undefined);
    if (!raw) return;
    try {
      const c = JSON.parse(raw) as { ns?: unknown; lines?: unknown };
      if (typeof c.ns !== 'string' || !/^\d+$/.test(c.ns) || !Array.isArray(c.lines)) return;
      this.#lastNs = BigInt(c.ns);
      this.#atLast = new Map();
      for (const l of c.lines)
        if (typeof l === 'string') this.#atLast.set(l, (this.#atLast.get(l) ?? 0) + 1);
    } catch {
      // an unreadable cursor: read the container's log from the start
    }
  }

  /** Persists the position at most every 5 s (and when stopping). */
  async #save(force: boolean): Promise<void> {
    const store = this.#o.cursors;
    const now = this.#o.clock.now().getTime();
    if (!store || this.#lastNs === null || (!force && now - this.#savedAt < 5000)) return;
    this.#savedAt = now;
    const lines = [...this.#atLast].flatMap(([l, n]) => Array<string>(n).fill(l)).slice(0, 100);
    await store
      .setCursor(this.#cursorKey, JSON.stringify({ ns: this.#lastNs.toString(), lines }))
      .catch((err: unknown) =>
        this.#o.logger.warn(
          { ...this.#t, err: String(err) },
          'could not save the pod log position',
        ),
      );
  }
}
