// Fault injection state for the Loki simulator. The server consults it before every request.

export interface FailRequestsOptions {
  status: number; // e.g. 500, 502, 503, 429
  count?: number; // the next N matching requests (default: unlimited within forMs)
  forMs?: number; // for this long (default: until count runs out, or clear())
  body?: string; // plain-text body (default: a Loki-like message for the status)
  path?: string | RegExp; // only requests whose path starts with / matches this (default: all API paths)
}

export interface OutageOptions {
  // 'refuse' closes the listening socket (connection refused, open keep-alive sockets are
  // destroyed); '503' keeps listening and answers every request with 503. Default 'refuse'.
  mode?: 'refuse' | '503';
}

export interface LokiFaults {
  failRequests(opts: FailRequestsOptions): void;
  outage(forMs: number, opts?: OutageOptions): void;
  // Resolves when no outage is in progress (the listener is back up).
  outageOver(): Promise<void>;
  delay(ms: number): void; // every answer waits this long (0 = off)
  ingestDelayMs: number; // lines pushed from now on become queryable this long after the push
  clear(): void;
}

interface FailRule {
  status: number;
  remaining: number;
  until: number;
  body: string | undefined;
  path: string | RegExp | undefined;
}

const DEFAULT_BODIES: Record<number, string> = {
  429: 'too many outstanding requests',
  500: 'rpc error: code = Internal desc = simulated internal error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

export class FaultState {
  rules: FailRule[] = [];
  delayMs = 0;
  ingestDelayMs = 0;
  outage503Until = 0;

  constructor(private readonly now: () => number) {}

  addRule(o: FailRequestsOptions): void {
    this.rules.push({
      status: o.status,
      remaining: o.count ?? Number.POSITIVE_INFINITY,
      until: o.forMs === undefined ? Number.POSITIVE_INFINITY : this.now() + o.forMs,
      body: o.body,
      path: o.path,
    });
  }

  // Returns the failure to answer for this request, consuming one count, or undefined.
  take(path: string): { status: number; body: string } | undefined {
    const now = this.now();
    if (now < this.outage503Until) return { status: 503, body: 'Service Unavailable' };
    this.rules = this.rules.filter((r) => r.remaining > 0 && r.until > now);
    for (const r of this.rules) {
      const applies =
        r.path === undefined ||
        (typeof r.path === 'string' ? path.startsWith(r.path) : r.path.test(path));
      if (!applies) continue;
      r.remaining--;
      return {
        status: r.status,
        body: r.body ?? DEFAULT_BODIES[r.status] ?? `simulated ${r.status}`,
      };
    }
    return undefined;
  }

  clear(): void {
    this.rules = [];
    this.delayMs = 0;
    this.ingestDelayMs = 0;
    this.outage503Until = 0;
  }
}
