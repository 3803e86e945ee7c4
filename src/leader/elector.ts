// Leader election on a coordination.k8s.io/v1 Lease, the way Kubernetes controllers do it
// (client-go's leaderelection): the holder renews every `renewPeriodMs`; a holder that could not
// renew for `renewDeadlineMs` stops acting, which is before any other replica may consider the
// lease expired (`leaseDurationMs` after it last saw it change). Candidates retry on a jittered
// period, and a watch on the Lease wakes them at once when it is released or expires.
import { performance } from 'node:perf_hooks';
import {
  ApiException,
  CoordinationV1Api,
  Observable,
  type KubeConfig,
  type ObservableMiddleware,
  type V1Lease,
} from '@kubernetes/client-node';
import type { Logger } from 'pino';
import { Reflector } from '../sources/kube/reflector.js';
import {
  holdSpec,
  isFree,
  readRecord,
  releaseSpec,
  sameRecord,
  type LeaseRecord,
} from './lease-record.js';

export interface LeaderStatus {
  leader: boolean;
  identity: string;
  /** Who holds the lease as last seen, or null. */
  holder: string | null;
  /** When the current holder acquired it (ISO), or null. */
  since: string | null;
}

export interface LeaderElectorOptions {
  kc: KubeConfig;
  namespace: string;
  name: string;
  identity: string;
  logger: Logger;
  /** Start the leader's work; resolves when it runs. */
  onStartedLeading(): Promise<void> | void;
  /** Stop the leader's work; resolves when nothing acts any more. */
  onStoppedLeading(reason: string): Promise<void> | void;
  /** Every change of the status (leadership or observed holder). */
  onStatus?(status: LeaderStatus): void;
  leaseDurationMs?: number;
  renewPeriodMs?: number;
  renewDeadlineMs?: number;
  retryPeriodMs?: number;
  requestTimeoutMs?: number;
  random?: () => number;
}

const withDeadline = (ms: number) => ({
  middleware: [
    {
      pre: (c) => {
        c.setSignal(AbortSignal.timeout(ms));
        return new Observable(Promise.resolve(c));
      },
      post: (r) => new Observable(Promise.resolve(r)),
    } satisfies ObservableMiddleware,
  ],
  middlewareMergeStrategy: 'append' as const,
});

const statusCode = (err: unknown): number | undefined =>
  err instanceof ApiException ? err.code : undefined;

const describe = (err: unknown): string => {
  if (err instanceof ApiException) {
    let message = '';
    try {
      message = (JSON.parse(String(err.body)) as { message?: string }).message ?? '';
    } catch {
      // not a Status body
    }
    return `HTTP ${err.code}${message ? `: ${message}` : ''}`;
  }
  return err instanceof Error ? err.message : String(err);
};

export class LeaderElector {
  readonly #o: Required<
    Pick<
      LeaderElectorOptions,
      | 'leaseDurationMs'
      | 'renewPeriodMs'
      | 'renewDeadlineMs'
      | 'retryPeriodMs'
      | 'requestTimeoutMs'
      | 'random'
    >
  > &
    LeaderElectorOptions;
  readonly #api: CoordinationV1Api;
  readonly #watch: Reflector<V1Lease>;
  #leading = false;
  #observed: LeaseRecord | undefined;
  #observedAt = 0;
  #lastRenewStart = 0;
  #deadline: NodeJS.Timeout | undefined;
  #stopping = false;
  #loop: Promise<void> | undefined;
  #wake: (() => void) | undefined;
  /** Starting and stopping the leader's work happen one after the other, never overlapping. */
  #transitions: Promise<void> = Promise.resolve();
  #lastStatus = '';
  #lastHolder: string | null | undefined;

  constructor(opts: LeaderElectorOptions) {
    const o = {
      leaseDurationMs: 15_000,
      renewPeriodMs: 5_000,
      renewDeadlineMs: 10_000,
      retryPeriodMs: 5_000,
      requestTimeoutMs: 4_000,
      random: Math.random,
      ...opts,
    };
    if (!(o.renewPeriodMs < o.renewDeadlineMs && o.renewDeadlineMs < o.leaseDurationMs)) {
      throw new Error('leader election needs renewPeriod < renewDeadline < leaseDuration');
    }
    this.#o = o;
    this.#api = o.kc.makeApiClient(CoordinationV1Api);
    this.#watch = new Reflector<V1Lease>({
      kc: o.kc,
      kind: 'leases',
      path: `/apis/coordination.k8s.io/v1/namespaces/${o.namespace}/leases`,
      logger: o.logger,
      backoff: { initialMs: 500, maxMs: 10_000 },
      onEvent: (type, lease) => {
        if (lease.metadata?.name !== o.name) return;
        if (type === 'DELETED') this.#observe(undefined);
        else this.#observe(readRecord(lease));
        // Released, deleted or taken: candidates look again at once.
        if (!this.#leading) this.#wake?.();
      },
    });
  }

  get identity(): string {
    return this.#o.identity;
  }

  get isLeader(): boolean {
    return this.#leading;
  }

  status(): LeaderStatus {
    const holder = this.#observed?.holder ?? null;
    return {
      leader: this.#leading,
      identity: this.#o.identity,
      holder,
      since: holder ? (this.#observed?.acquireTime ?? null) : null,
    };
  }

  /** When the observed lease runs out unless renewed (its renew time plus its duration, ISO), or null. */
  expiresAt(): string | null {
    const r = this.#observed;
    if (!r?.holder || !r.renewTime) return null;
    return new Date(Date.parse(r.renewTime) + r.leaseDurationSeconds * 1000).toISOString();
  }

  start(): void {
    if (this.#loop) return;
    this.#watch.start();
    this.#loop = this.#run();
  }

  /** Stops the leader's work (if leading), then releases the lease so another replica takes over at once. */
  async stop(): Promise<void> {
    this.#stopping = true;
    this.#wake?.();
    await this.#loop;
    await this.#watch.stop();
    const wasLeading = this.#leading;
    await this.#stopLeading('shutting down');
    if (wasLeading) await this.#release();
  }

  async #run(): Promise<void> {
    while (!this.#stopping) {
      const started = performance.now();
      const held = await this.#tryAcquireOrRenew();
      if (this.#stopping) break;
      if (held) {
        this.#lastRenewStart = started;
        this.#armDeadline();
        if (!this.#leading) await this.#startLeading();
        await this.#sleep(this.#o.renewPeriodMs);
      } else if (this.#leading) {
        // Renewal failed: try again soon; the deadline timer ends our leadership if it keeps failing.
        await this.#sleep(this.#jitter(Math.min(1_000, this.#o.renewPeriodMs / 2)));
      } else {
        await this.#sleep(this.#candidateWait());
      }
    }
  }

  /** Jittered retry period, but no later than the moment the observed lease expires. */
  #candidateWait(): number {
    const retry = this.#jitter(this.#o.retryPeriodMs);
    const r = this.#observed;
    if (!r?.holder) return retry;
    const expiresIn = this.#observedAt + r.leaseDurationSeconds * 1000 - performance.now();
    return Math.max(10, Math.min(retry, expiresIn + 10));
  }

  /** `ms` stretched by up to 20 %, like client-go's JitterUntil(…, 1.2). */
  #jitter(ms: number): number {
    return Math.round(ms * (1 + 0.2 * this.#o.random()));
  }

  #sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.#wake = () => {
        this.#wake = undefined;
        done();
      };
    });
  }

  #armDeadline(): void {
    clearTimeout(this.#deadline);
    const left = this.#lastRenewStart + this.#o.renewDeadlineMs - performance.now();
    this.#deadline = setTimeout(
      () => {
        this.#o.logger.warn(
          { lease: this.#o.name, renewDeadlineMs: this.#o.renewDeadlineMs },
          'could not renew the leader lease in time: stopping the leader work before it expires',
        );
        void this.#stopLeading('lease not renewed in time');
      },
      Math.max(0, left),
    );
  }

  #observe(record: LeaseRecord | undefined): void {
    if (record === undefined) {
      this.#observed = undefined;
    } else if (!sameRecord(this.#observed, record)) {
      this.#observed = record;
      this.#observedAt = performance.now();
    }
    this.#emitStatus();
  }

  #emitStatus(): void {
    const s = this.status();
    const key = JSON.stringify(s);
    if (key === this.#lastStatus) return;
    this.#lastStatus = key;
    if (s.holder !== this.#lastHolder) {
      this.#lastHolder = s.holder;
      this.#o.logger.info({ lease: this.#o.name, holder: s.holder }, 'leader lease holder');
    }

    this.#o.onStatus?.(s);
  }

  /** One round of client-go's tryAcquireOrRenew: true when we hold the lease afterwards. */
  async #tryAcquireOrRenew(): Promise<boolean> {
    const { namespace, name, identity } = this.#o;
    const opts = withDeadline(this.#o.requestTimeoutMs);
    const durationS = Math.ceil(this.#o.leaseDurationMs / 1000);
    let lease: V1Lease;
    try {
      lease = await this.#api.readNamespacedLease({ namespace, name }, opts);
    } catch (err) {
      if (statusCode(err) !== 404) return this.#failed('read', err);
      try {
        const created = await this.#api.createNamespacedLease(
          {
            namespace,
            body: {
              metadata: { name, namespace },
              spec: holdSpec(undefined, identity, durationS, new Date()),
            },
          },
          opts,
        );
        this.#observe(readRecord(created));
        return true;
      } catch (e) {
        if (statusCode(e) === 409) return false; // another replica created it first
        return this.#failed('create', e);
      }
    }
    const record = readRecord(lease);
    this.#observe(record);
    if (!isFree(record, identity, this.#observedAt, performance.now())) return false;
    try {
      const updated = await this.#api.replaceNamespacedLease(
        {
          namespace,
          name,
          body: { ...lease, spec: holdSpec(record, identity, durationS, new Date()) },
        },
        opts,
      );
      this.#observe(readRecord(updated));
      return true;
    } catch (err) {
      if (statusCode(err) === 409) return false; // someone wrote it since we read it
      return this.#failed(this.#leading ? 'renew' : 'acquire', err);
    }
  }

  #failed(what: string, err: unknown): false {
    this.#o.logger.warn({ lease: this.#o.name, err: describe(err) }, `leader lease ${what} failed`);
    return false;
  }

  #startLeading(): Promise<void> {
    this.#transitions = this.#transitions.then(async () => {
      if (this.#leading || this.#stopping) return;
      this.#leading = true;
      this.#o.logger.info({ lease: this.#o.name, identity: this.#o.identity }, 'became the leader');
      this.#emitStatus();
      try {
        await this.#o.onStartedLeading();
      } catch (err) {
        this.#o.logger.error({ err }, 'starting the leader work failed');
      }
    });
    return this.#transitions;
  }

  #stopLeading(reason: string): Promise<void> {
    this.#transitions = this.#transitions.then(async () => {
      clearTimeout(this.#deadline);
      if (!this.#leading) return;
      try {
        await this.#o.onStoppedLeading(reason);
      } catch (err) {
        this.#o.logger.error({ err }, 'stopping the leader work failed');
      }
      this.#leading = false;
      this.#o.logger.info({ lease: this.#o.name, reason }, 'stopped leading');
      this.#emitStatus();
    });
    return this.#transitions;
  }

  /** Hands the lease back (holder cleared) if it is still ours. */
  async #release(): Promise<void> {
    const { namespace, name, identity } = this.#o;
    const opts = withDeadline(this.#o.requestTimeoutMs);
    try {
      const lease = await this.#api.readNamespacedLease({ namespace, name }, opts);
      const record = readRecord(lease);
      if (record.holder !== identity) return;
      const released = await this.#api.replaceNamespacedLease(
        { namespace, name, body: { ...lease, spec: releaseSpec(record, new Date()) } },
        opts,
      );
      this.#observe(readRecord(released));
      this.#o.logger.info({ lease: name }, 'released the leader lease');
    } catch (err) {
      this.#o.logger.warn(
        { lease: name, err: describe(err) },
        'could not release the leader lease; it expires on its own',
      );
    }
  }
}
