import PQueue from 'p-queue';

export interface JobLogger {
  warn(obj: object, msg: string): void;
  error?(obj: object, msg: string): void;
}

export interface IntervalJobOptions<T> {
  /** Named in the log line of a failed run. */
  name: string;
  everyMs: number;
  run: () => Promise<T> | T;
  logger: JobLogger;
  /**
   * `delay` (default): the pause runs from the end of one run to the start of the next.
   * `rate`: a run starts every `everyMs`; a slot that finds a run in progress is skipped.
   */
  schedule?: 'delay' | 'rate';
  /** Run once as soon as the job starts. Default true. */
  immediate?: boolean;
  /** Level of the log line of a failed run. Default `error`. */
  failureLevel?: 'error' | 'warn';
}

/**
 * A background job on a timer: runs never overlap (one p-queue of concurrency 1), a failure is
 * logged and never escapes, `stop()` waits for the run in progress. `trigger()` asks for a run
 * now (coalesced: at most one waits behind the running one); `runNow()` runs one and hands the
 * result (or failure) to the caller, after whatever runs already.
 */
export class IntervalJob<T = unknown> {
  readonly #o: IntervalJobOptions<T>;
  readonly #queue = new PQueue({ concurrency: 1 });
  #timer: NodeJS.Timeout | undefined;
  #started = false;
  #stopped = false;

  constructor(o: IntervalJobOptions<T>) {
    this.#o = o;
  }

  get running(): boolean {
    return this.#started;
  }

  start(): void {
    if (this.#started) return;
    this.#started = true;
    this.#stopped = false;
    if (this.#o.schedule === 'rate') {
      this.#timer = setInterval(() => {
        if (this.#queue.size === 0 && this.#queue.pending === 0) this.trigger();
      }, this.#o.everyMs);
      this.#timer.unref();
      if (this.#o.immediate ?? true) this.trigger();
    } else if (this.#o.immediate ?? true) this.trigger();
    else this.#scheduleNext();
  }

  /** Stops the timer and waits for the run in progress (and one already asked for). */
  async stop(): Promise<void> {
    this.#started = false;
    this.#stopped = true;
    clearInterval(this.#timer);
    clearTimeout(this.#timer);
    this.#timer = undefined;
    await this.#queue.onIdle();
  }

  /** Asks for a run now; ignored once stopped (until started again) or when one already waits. */
  trigger(): void {
    if (this.#stopped || this.#queue.size > 0) return;
    void this.#queue.add(() => this.#guarded());
  }

  /** Runs once now (after the runs already queued), started or not; the caller sees a failure. */
  runNow(): Promise<T> {
    return this.#queue.add(async () => await this.#o.run());
  }

  /** Resolves when no run is in progress or waiting. */
  idle(): Promise<void> {
    return this.#queue.onIdle();
  }

  async #guarded(): Promise<void> {
    try {
      await this.#o.run();
    } catch (err) {
      const msg = `${this.#o.name} failed; will run again`;
      const { logger } = this.#o;
      if (this.#o.failureLevel !== 'warn' && logger.error) logger.error({ err }, msg);
      else logger.warn({ err }, msg);
    } finally {
      if (this.#o.schedule !== 'rate') this.#scheduleNext();
    }
  }

  #scheduleNext(): void {
    if (!this.#started) return;
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => this.trigger(), this.#o.everyMs);
    this.#timer.unref();
  }
}
