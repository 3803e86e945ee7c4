// Fault injection for the simulated GitHub: secondary rate limits, 5xx answers, slow answers,
// search index lag. Test-only `/_sim/*` requests are never affected.
import type { Answer } from './http.js';

export interface SecondaryRateLimitOptions {
  count?: number; // the next N API requests (default 1)
  retryAfter?: number; // seconds in the retry-after header (default 60)
  status?: 403 | 429; // GitHub answers either; default 403
}

export interface FailOptions {
  status?: number; // default 502
  count?: number; // the next N matching requests (default: unlimited within forMs)
  forMs?: number; // for this long
  method?: string; // only this method
  path?: string | RegExp; // only paths starting with / matching this
}

export interface GitHubFaults {
  secondaryRateLimit(o?: SecondaryRateLimitOptions): void;
  failRequests(o?: FailOptions): void;
  delay(ms: number): void;
  searchLagMs: number; // new issues show up in /search/issues only this long after creation
  clear(): void;
}

interface FailRule {
  status: number;
  remaining: number;
  until: number;
  method: string | undefined;
  path: string | RegExp | undefined;
}

export const SECONDARY_MESSAGE =
  'You have exceeded a secondary rate limit. Please wait a few minutes before you try again. ' +
  'If you reach out to GitHub Support for help, please include the request ID ';

export class FaultState implements GitHubFaults {
  private secondary: { remaining: number; retryAfter: number; status: number } | undefined;
  private rules: FailRule[] = [];
  delayMs = 0;
  searchLagMs = 0;

  secondaryRateLimit(o: SecondaryRateLimitOptions = {}): void {
    this.secondary = {
      remaining: o.count ?? 1,
      retryAfter: o.retryAfter ?? 60,
      status: o.status ?? 403,
    };
  }

  failRequests(o: FailOptions = {}): void {
    this.rules.push({
      status: o.status ?? 502,
      remaining: o.count ?? (o.forMs === undefined ? 1 : Number.POSITIVE_INFINITY),
      until: o.forMs === undefined ? Number.POSITIVE_INFINITY : Date.now() + o.forMs,
      method: o.method?.toUpperCase(),
      path: o.path,
    });
  }

  delay(ms: number): void {
    this.delayMs = ms;
  }

  clear(): void {
    this.secondary = undefined;
    this.rules = [];
    this.delayMs = 0;
    this.searchLagMs = 0;
  }

  // The injected answer for this request, if any (consumes one count).
  take(method: string, path: string, requestId: string): Answer | undefined {
    if (this.secondary && this.secondary.remaining > 0) {
      this.secondary.remaining--;
      const { retryAfter, status } = this.secondary;
      if (this.secondary.remaining === 0) this.secondary = undefined;
      return {
        status,
        headers: { 'retry-after': String(retryAfter) },
        body: {
          message: `${SECONDARY_MESSAGE}${requestId}.`,
          documentation_url:
            'https://docs.github.com/free-pro-team@latest/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits',
          status: String(status),
        },
      };
    }
    const now = Date.now();
    this.rules = this.rules.filter((r) => r.remaining > 0 && r.until > now);
    const rule = this.rules.find(
      (r) =>
        (!r.method || r.method === method) &&
        (r.path === undefined ||
          (typeof r.path === 'string' ? path.startsWith(r.path) : r.path.test(path))),
    );
    if (!rule) return undefined;
    rule.remaining--;
    if (rule.status === 502 || rule.status === 504) {
      // GitHub's edge answers these with an HTML page, not JSON.
      return {
        status: rule.status,
        headers: { 'content-type': 'text/html; charset=utf-8' },
        body: `<!DOCTYPE html><html><head><title>Unicorn! · GitHub</title></head><body>We had issues producing the response to your request. Sorry about that.</body></html>`,
      };
    }
    return { status: rule.status, body: { message: 'Server Error', status: String(rule.status) } };
  }
}
