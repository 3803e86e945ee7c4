// Fault injection state: failing requests with a Status (500, 429 with Retry-After, …) and
// delaying every response. Cutting watches, compaction and refused connections live in server.ts,
// which owns the sockets; this file only decides.
import type { KubeApiError } from './errors.js';
import { injected } from './errors.js';

export interface FailRequestsOptions {
  /** HTTP status to answer: 500 InternalError, 429 TooManyRequests, 503, 504, or any other code. */
  status: number;
  /** Fail this many matching requests, then stop (default: unlimited within forMs). */
  count?: number;
  /** Fail matching requests for this long (default: until count is used up, or until clear()). */
  forMs?: number;
  /** Only requests whose `METHOD /path?query` matches, e.g. /pods/ or /^GET .*watch=true/. */
  match?: RegExp;
  /** Retry-After seconds on 429/503 answers (default 1). */
  retryAfterSeconds?: number;
}

interface Rule {
  opts: FailRequestsOptions;
  remaining: number;
  until: number;
}

export class FaultState {
  private rules: Rule[] = [];
  delayMs = 0;
  /** Requests answered by an injected failure. */
  injectedFailures = 0;

  failRequests(opts: FailRequestsOptions): void {
    this.rules.push({
      opts,
      remaining: opts.count ?? Infinity,
      until: opts.forMs !== undefined ? Date.now() + opts.forMs : Infinity,
    });
  }

  /** The injected error for this request, if a rule applies (consumes one of its count). */
  check(method: string, pathAndQuery: string): KubeApiError | undefined {
    const now = Date.now();
    this.rules = this.rules.filter((r) => r.remaining > 0 && r.until > now);
    const line = `${method} ${pathAndQuery}`;
    for (const r of this.rules) {
      if (r.opts.match) {
        r.opts.match.lastIndex = 0;
        if (!r.opts.match.test(line)) continue;
      }
      r.remaining--;
      this.injectedFailures++;
      return injected(r.opts.status, r.opts.retryAfterSeconds ?? 1);
    }
    return undefined;
  }

  clear(): void {
    this.rules = [];
    this.delayMs = 0;
  }
}
