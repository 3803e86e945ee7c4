import { noJitterGenerator, type IExponentialBackoffOptions } from 'cockatiel';

export interface BackoffOptions {
  initialMs: number;
  maxMs: number;
  /** Source of jitter (tests pin it). */
  random?: () => number;
}

/**
 * Capped exponential backoff with jitter in [delay/2, delay]: cockatiel's exponential generator
 * (`initialMs · 2^attempt`, capped at `maxMs`) with half jitter drawn from an injectable random.
 * Stateless: the caller keeps the attempt count (persisted for the outbox, in memory elsewhere).
 */
export function backoffDelay(
  attempt: number,
  initialMs: number,
  maxMs: number,
  random: () => number = Math.random,
): number {
  const options: IExponentialBackoffOptions<number> = {
    generator: noJitterGenerator,
    initialDelay: initialMs,
    maxDelay: maxMs,
    exponent: 2,
  };
  const [capped] = noJitterGenerator(Math.max(0, attempt), options);
  return Math.round(capped / 2 + (random() * capped) / 2);
}

/** The next delay of a loop that counts its own failures. */
export const nextBackoff = (attempt: number, o: BackoffOptions): number =>
  backoffDelay(attempt, o.initialMs, o.maxMs, o.random);

/** Waits `ms`, or less when `signal` aborts (never rejects). */
export const sleep = (ms: number, signal?: AbortSignal): Promise<void> =>
  new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
