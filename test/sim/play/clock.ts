// Time in a played scenario. Steps sit at offsets on the scenario's timeline; the timeline is
// anchored so that its last step lands at "now" (of the reference clock), so everything a step
// writes — creationTimestamp, container startedAt/finishedAt, CodeRun status times, log line
// timestamps, comment and commit dates — lies in the past by as much as the scenario says, and
// time-based alerts fire without waiting. `speed` plays the steps out in real time, compressed.

/** A time source (structurally the same as Healer's `Clock`). */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/**
 * The simulated world's clock: real time, except while a step runs, when the player pins it to
 * the step's time so the servers stamp objects (creationTimestamp, created_at) with it.
 */
export class WorldClock implements Clock {
  #pinned: number | null = null;

  now(): Date {
    return this.#pinned === null ? new Date() : new Date(this.#pinned);
  }

  pin(at: Date | null): void {
    this.#pinned = at === null ? null : at.getTime();
  }

  get pinned(): Date | null {
    return this.#pinned === null ? null : new Date(this.#pinned);
  }
}

export interface TimelineOptions {
  /** Reference "now" the last step lands at (default: the system clock). */
  clock?: Clock;
  /** Virtual seconds per real second; default Infinity (every step at once, back-dated). */
  speed?: number;
  /** A fixed start, overriding the scenario's `clock.start`. */
  start?: Date;
}

export interface Timeline {
  /** Virtual time of the scenario's start and end. */
  start: Date;
  end: Date;
  speed: number;
  /** Virtual time of an offset. */
  at(offsetMs: number): Date;
  /** Waits (real time) until the step at this offset is due; immediate at infinite speed. */
  until(offsetMs: number, signal?: AbortSignal): Promise<void>;
}

export function makeTimeline(
  durationMs: number,
  fixedStart: string,
  opts: TimelineOptions = {},
): Timeline {
  const speed = opts.speed ?? Infinity;
  if (!(speed > 0)) throw new Error(`speed must be positive, got ${speed}`);
  const now = (opts.clock ?? systemClock).now().getTime();
  const realDuration = Number.isFinite(speed) ? durationMs / speed : 0;
  const start =
    opts.start?.getTime() ??
    (fixedStart !== 'auto' ? Date.parse(fixedStart) : now + realDuration - durationMs);
  const realStart = Date.now();
  return {
    start: new Date(start),
    end: new Date(start + durationMs),
    speed,
    at: (offsetMs) => new Date(start + offsetMs),
    async until(offsetMs, signal) {
      if (!Number.isFinite(speed)) return;
      const wait = realStart + offsetMs / speed - Date.now();
      if (wait <= 0) return;
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(resolve, wait);
        signal?.addEventListener(
          'abort',
          () => {
            clearTimeout(timer);
            reject(signal.reason instanceof Error ? signal.reason : new Error('aborted'));
          },
          { once: true },
        );
      });
    },
  };
}
