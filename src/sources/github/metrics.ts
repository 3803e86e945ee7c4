import { Counter, Gauge, Histogram } from 'prom-client';
import type { Registry } from 'prom-client';

/** Outcome of one HTTP exchange with GitHub: any 2xx, a conditional 304, or anything else. */
export type RequestOutcome = '200' | '304' | 'error';

/** The GitHub families (operations.md §5), registered on a registry the caller owns. */
export interface GitHubMetrics {
  /** `x-ratelimit-remaining` of the last answer, per `x-ratelimit-resource` (core, search, …). */
  rateLimitRemaining: Gauge<'resource'>;
  /** Every HTTP attempt (retries included), by outcome. */
  requests: Counter<'outcome'>;
  /** Time to refresh one session's PR snapshot (all its conditional requests). */
  pollDuration: Histogram;
}

export function registerGitHubMetrics(registry: Registry): GitHubMetrics {
  const registers = [registry];
  return {
    rateLimitRemaining: new Gauge({
      name: 'healer_github_rate_limit_remaining',
      help: 'GitHub API requests left in the current rate-limit window (x-ratelimit-remaining), by resource',
      labelNames: ['resource'],
      registers,
    }),
    requests: new Counter({
      name: 'healer_github_requests_total',
      help: 'HTTP requests to GitHub by outcome: 200 (any success), 304 (conditional, not modified, free) or error',
      labelNames: ['outcome'],
      registers,
    }),
    pollDuration: new Histogram({
      name: 'healer_github_poll_duration_seconds',
      help: "Time to refresh one session's pull-request snapshot",
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers,
    }),
  };
}

/** Records one answer: its outcome and, when GitHub sent it, the rate limit left. */
export function observeResponse(
  m: GitHubMetrics | undefined,
  status: number,
  headers: Headers,
): void {
  if (!m) return;
  m.requests.inc({
    outcome: status === 304 ? '304' : status >= 200 && status < 300 ? '200' : 'error',
  });
  const remaining = headers.get('x-ratelimit-remaining');
  if (remaining !== null && remaining !== '' && Number.isFinite(Number(remaining))) {
    m.rateLimitRemaining.set(
      { resource: headers.get('x-ratelimit-resource') ?? 'core' },
      Number(remaining),
    );
  }
}
