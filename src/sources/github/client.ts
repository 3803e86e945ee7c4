import { createAppAuth } from '@octokit/auth-app';
import { retry } from '@octokit/plugin-retry';
import { throttling } from '@octokit/plugin-throttling';
import { Octokit } from '@octokit/rest';
import type { Logger } from 'pino';
import { observeResponse } from './metrics.js';
import type { GitHubMetrics } from './metrics.js';

/** Octokit with GitHub's recommended throttling (rate limits, write pacing) and retries (5xx, network). */
/** Octokit's request-log line of a 304 answer. */
const NOT_MODIFIED = /^[A-Z]+ \S+ - 304\b/;

export const HealerOctokit = Octokit.plugin(throttling, retry);
export type HealerOctokitInstance = InstanceType<typeof HealerOctokit>;

export type GitHubLogger = Pick<Logger, 'debug' | 'info' | 'warn' | 'error'>;

export type GitHubAuth =
  | { kind: 'token'; token: string }
  | { kind: 'app'; appId: number; privateKey: string; installationId: number };

export interface GitHubClientOptions {
  /** `https://api.github.com`, GitHub Enterprise's `https://ghe.example.com/api/v3`, or a test server. */
  baseUrl: string;
  auth: GitHubAuth;
  /** Deadline of each HTTP attempt (a timed-out attempt is retried like a 5xx). Default 10 s. */
  timeoutMs?: number;
  /** Retries of 5xx, network errors and timeouts (the retry plugin). Default 3. */
  retries?: number;
  /** Unit of the retry plugin's backoff (n² × unit). Default 1000 ms; tests shorten it. */
  retryBaseMs?: number;
  /** Longest `retry-after` / rate-limit reset Healer waits for before giving up. Default 120 s. */
  maxRetryAfterSeconds?: number;
  /** Octokit's write pacing (one write per second). Default true; tests switch it off. */
  pacing?: boolean;
  /** Requests in flight at once (the throttling plugin's global limit). Default 10, as the plugin. */
  maxConcurrent?: number;
  metrics?: GitHubMetrics;
  logger?: GitHubLogger;
  userAgent?: string;
}

/** The primary (`core`) rate limit as GitHub last reported it; null until the first answer. */
export interface CoreRateLimit {
  remaining: number | null;
  /** Epoch seconds when the window resets (`x-ratelimit-reset`). */
  reset: number | null;
}

export interface GitHubClient {
  octokit: HealerOctokitInstance;
  baseUrl: string;
  authKind: GitHubAuth['kind'];
  /** Updated from every answer; the poller skips rounds while it is exhausted. */
  rateLimit: CoreRateLimit;
}

type Throttle = NonNullable<
  NonNullable<ConstructorParameters<typeof HealerOctokit>[0]>['throttle']
>;

type Job = (...args: unknown[]) => Promise<unknown>;

// Stands in for the throttling plugin's Bottleneck groups: runs jobs at once, without pacing.
const unpaced = {
  key: () => ({ schedule: (_opts: unknown, job: Job, ...args: unknown[]) => job(...args) }),
} as unknown as NonNullable<Throttle['write']>;

/**
 * The plugin's global group (at most `max` requests in flight, retries not counted), as a plain
 * semaphore: Bottleneck schedules through several timer turns per job, which made a poll of
 * hundreds of sessions latency-bound. Passed as `throttle.global`, which the plugin honours.
 */
function concurrencyGroup(max: number): NonNullable<Throttle['write']> {
  let active = 0;
  const waiting: (() => void)[] = [];
  const limiter = {
    async schedule(opts: { weight?: number } | undefined, job: Job, ...args: unknown[]) {
      if (opts?.weight === 0) return job(...args); // a retry keeps the slot of its first attempt
      if (active >= max) await new Promise<void>((resolve) => waiting.push(resolve));
      active++;
      try {
        return await job(...args);
      } finally {
        active--;
        waiting.shift()?.();
      }
    },
  };
  return { key: () => limiter } as unknown as NonNullable<Throttle['write']>;
}

/**
 * `fetch` with a deadline on every attempt and metrics on every answer. A timed-out attempt throws
 * a plain Error, which Octokit turns into a retryable 500; a caller's abort stays an AbortError,
 * which is not retried.
 */
function deadlineFetch(
  timeoutMs: number,
  metrics: GitHubMetrics | undefined,
  limit: CoreRateLimit,
): typeof fetch {
  return async (input, init) => {
    const deadline = AbortSignal.timeout(timeoutMs);
    const signal = init?.signal ? AbortSignal.any([init.signal, deadline]) : deadline;
    try {
      const res = await fetch(input, { ...init, signal });
      observeResponse(metrics, res.status, res.headers);
      const remaining = res.headers.get('x-ratelimit-remaining');
      if (remaining !== null && (res.headers.get('x-ratelimit-resource') ?? 'core') === 'core') {
        limit.remaining = Number(remaining);
        limit.reset = Number(res.headers.get('x-ratelimit-reset') ?? 0) || null;
      }
      return res;
    } catch (err) {
      metrics?.requests.inc({ outcome: 'error' });
      if (deadline.aborted && !init?.signal?.aborted) {
        const method = init?.method ?? 'GET';
        const url =
          typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
        throw new Error(`GitHub did not answer ${method} ${url} within ${timeoutMs} ms`, {
          cause: err,
        });
      }
      throw err;
    }
  };
}

/** Builds the GitHub client: token or GitHub App installation auth, throttling, retries, deadlines. */
export function createGitHubClient(o: GitHubClientOptions): GitHubClient {
  const log = o.logger;
  const maxWait = o.maxRetryAfterSeconds ?? 120;
  const throttle: Throttle = {
    onRateLimit: (retryAfter, options, _octokit, retryCount) => {
      const retrying = retryCount < 1 && retryAfter <= maxWait;
      log?.warn(
        { method: options.method, url: options.url, retryAfter, retrying },
        'GitHub rate limit exhausted',
      );
      return retrying;
    },
    onSecondaryRateLimit: (retryAfter, options, _octokit, retryCount) => {
      const retrying = retryCount < 2 && retryAfter <= maxWait;
      log?.warn(
        { method: options.method, url: options.url, retryAfter, retrying },
        'GitHub secondary rate limit; waiting for retry-after',
      );
      return retrying;
    },
    ...(o.pacing === false ? { write: unpaced, search: unpaced, notifications: unpaced } : {}),
  };
  // Not in the plugin's option types, but read from them like `write` (state.global ?? its own).
  Object.assign(throttle, { global: concurrencyGroup(o.maxConcurrent ?? 10) });
  const auth =
    o.auth.kind === 'token'
      ? { auth: o.auth.token }
      : {
          authStrategy: createAppAuth,
          auth: {
            appId: o.auth.appId,
            privateKey: o.auth.privateKey,
            installationId: o.auth.installationId,
          },
        };
  const rateLimit: CoreRateLimit = { remaining: null, reset: null };
  const octokit = new HealerOctokit({
    ...auth,
    baseUrl: o.baseUrl.replace(/\/+$/, ''),
    userAgent: o.userAgent ?? 'healer',
    throttle,
    retry: { retries: o.retries ?? 3, retryAfterBaseValue: o.retryBaseMs ?? 1000 },
    request: { fetch: deadlineFetch(o.timeoutMs ?? 10_000, o.metrics, rateLimit) },
    log: {
      debug: () => undefined,
      info: () => undefined,
      warn: (msg: string) => log?.warn(msg),
      // Octokit reports every non-2xx answer here, including the 304 of a conditional request
      // (`GET /repos/… - 304 with id … in 3ms`): that one is the normal, free outcome.
      error: (msg: string) => (NOT_MODIFIED.test(msg) ? log?.debug(msg) : log?.error(msg)),
    },
  });
  return { octokit, baseUrl: o.baseUrl.replace(/\/+$/, ''), authKind: o.auth.kind, rateLimit };
}

/** The GitHub settings of the environment (operations.md §1). */
export interface GitHubEnv {
  GITHUB_TOKEN?: string | undefined;
  GITHUB_APP_ID?: string | undefined;
  GITHUB_APP_PRIVATE_KEY?: string | undefined;
  GITHUB_APP_INSTALLATION_ID?: string | undefined;
  GITHUB_API_URL: string;
}

/** Token first, then a complete GitHub App triple; null when neither is configured. */
export function githubAuthFromEnv(env: GitHubEnv): GitHubAuth | null {
  if (env.GITHUB_TOKEN) return { kind: 'token', token: env.GITHUB_TOKEN };
  const { GITHUB_APP_ID: id, GITHUB_APP_PRIVATE_KEY: key, GITHUB_APP_INSTALLATION_ID: inst } = env;
  if (id && key && inst) {
    // A key pasted into a single-line env var usually carries literal `\n`.
    const privateKey = key.includes('\\n') ? key.replace(/\\n/g, '\n') : key;
    return { kind: 'app', appId: Number(id), privateKey, installationId: Number(inst) };
  }
  return null;
}

/**
 * The client the service uses, or null with the reason when no credentials are set. Call once at
 * start: it logs once that the GitHub rules (A1, A3, A4, A5) and issue actions are off.
 */
export function githubClientFromEnv(
  env: GitHubEnv,
  deps: { logger: GitHubLogger; metrics?: GitHubMetrics } & Partial<
    Omit<GitHubClientOptions, 'baseUrl' | 'auth' | 'logger' | 'metrics'>
  >,
): { client: GitHubClient; reason: null } | { client: null; reason: string } {
  const auth = githubAuthFromEnv(env);
  if (!auth) {
    const reason =
      'no GitHub credentials (set GITHUB_TOKEN, or GITHUB_APP_ID + GITHUB_APP_PRIVATE_KEY + GITHUB_APP_INSTALLATION_ID)';
    deps.logger.warn(`GitHub rules A1, A3, A4, A5 and GitHub issue actions are off: ${reason}`);
    return { client: null, reason };
  }
  const client = createGitHubClient({ ...deps, baseUrl: env.GITHUB_API_URL, auth });
  deps.logger.info(
    { baseUrl: client.baseUrl, auth: auth.kind },
    'GitHub client ready (pull-request polling and issue actions on)',
  );
  return { client, reason: null };
}
