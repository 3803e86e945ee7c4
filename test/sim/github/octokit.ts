// A real Octokit (throttling + retry plugins) pointed at the simulator, for tests. Write pacing
// (one write per second, one search per two seconds) is switched off so suites stay fast;
// everything else is the plugins' real behaviour. Optionally every response is checked against
// GitHub's OpenAPI description and problems are collected in `violations`.
import { Octokit } from '@octokit/rest';
import { retry } from '@octokit/plugin-retry';
import { throttling } from '@octokit/plugin-throttling';
import type { OpenApiValidator } from './openapi-validator.js';

export const SimOctokit = Octokit.plugin(throttling, retry);
export type SimOctokitInstance = InstanceType<typeof SimOctokit>;
type Throttle = NonNullable<NonNullable<ConstructorParameters<typeof SimOctokit>[0]>['throttle']>;
type LimitHandler = Throttle['onRateLimit'];

// Stands in for the plugin's Bottleneck groups: runs jobs at once instead of pacing them.
const unpaced = {
  key: () => ({ schedule: <T>(_opts: unknown, job: () => T): T => job() }),
} as unknown as NonNullable<Throttle['write']>;

export interface SimOctokitOptions {
  token?: string | null; // default "healer-token"; null = unauthenticated
  onRateLimit?: LimitHandler; // default: retry once if the wait is at most 5 s
  onSecondaryRateLimit?: LimitHandler; // default: retry once if the wait is at most 5 s
  retries?: number; // retry plugin attempts (default 3, its own default)
  retryAfterBaseValue?: number; // retry plugin backoff unit in ms (default 1000, its own default)
  validator?: OpenApiValidator; // check every response against GitHub's description
  violations?: string[]; // where validation problems go (required with validator)
}

export function simOctokit(baseUrl: string, o: SimOctokitOptions = {}): SimOctokitInstance {
  // Retry once when the wait is short; a long wait (a primary limit reset) would stall a test.
  const retryOnce: LimitHandler = (after, _options, _octokit, retryCount) =>
    retryCount < 1 && after <= 5;
  const octokit = new SimOctokit({
    baseUrl,
    ...(o.token === null ? {} : { auth: o.token ?? 'healer-token' }),
    userAgent: 'healer-tests',
    throttle: {
      onRateLimit: o.onRateLimit ?? retryOnce,
      onSecondaryRateLimit: o.onSecondaryRateLimit ?? retryOnce,
      write: unpaced,
      search: unpaced,
      notifications: unpaced,
    },
    retry: {
      ...(o.retries === undefined ? {} : { retries: o.retries }),
      ...(o.retryAfterBaseValue === undefined
        ? {}
        : { retryAfterBaseValue: o.retryAfterBaseValue }),
    },
    log: {
      debug: () => undefined,
      info: () => undefined,
      warn: () => undefined,
      error: () => undefined,
    },
  });
  const { validator, violations } = o;
  if (validator && violations) {
    octokit.hook.after('request', (response, options) => {
      if (new URL(response.url).pathname.startsWith('/_sim/')) return;
      violations.push(
        ...validator.validate(options.method, response.url, response.status, response.data),
      );
    });
    octokit.hook.error('request', (error, options) => {
      const e = error as {
        status?: number;
        response?: { url: string; status: number; data: unknown };
      };
      if (
        e.response &&
        e.status !== 304 &&
        !new URL(e.response.url).pathname.startsWith('/_sim/')
      ) {
        violations.push(
          ...validator.validate(options.method, e.response.url, e.response.status, e.response.data),
        );
      }
      throw error;
    });
  }
  return octokit;
}
