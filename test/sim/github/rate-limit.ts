// Primary rate limits per token and resource, with GitHub's headers. Uses real time (the
// throttling plugin compares x-ratelimit-reset with Date.now()).

export type Resource = 'core' | 'search';

export interface Bucket {
  limit: number;
  used: number;
  resetAt: number; // epoch seconds
}

export interface RateLimitConfig {
  core?: number; // requests per hour, default 5000 (60 for anonymous requests)
  search?: number; // requests per minute, default 30 (10 anonymous)
}

const WINDOW_S: Record<Resource, number> = { core: 3600, search: 60 };

export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();

  constructor(private readonly config: RateLimitConfig) {}

  private limitFor(key: string, resource: Resource): number {
    const anon = key === '';
    if (resource === 'core') return anon ? 60 : (this.config.core ?? 5000);
    return anon ? 10 : (this.config.search ?? 30);
  }

  bucket(key: string, resource: Resource): Bucket {
    const id = `${resource}\0${key}`;
    const nowS = Math.floor(Date.now() / 1000);
    let b = this.buckets.get(id);
    if (!b || b.resetAt <= nowS) {
      b = {
        limit: b?.limit ?? this.limitFor(key, resource),
        used: 0,
        resetAt: nowS + WINDOW_S[resource],
      };
      this.buckets.set(id, b);
    }
    return b;
  }

  exhausted(key: string, resource: Resource): boolean {
    const b = this.bucket(key, resource);
    return b.used >= b.limit;
  }

  consume(key: string, resource: Resource): void {
    const b = this.bucket(key, resource);
    if (b.used < b.limit) b.used++;
  }

  headers(key: string, resource: Resource): Record<string, string> {
    const b = this.bucket(key, resource);
    return {
      'x-ratelimit-limit': String(b.limit),
      'x-ratelimit-remaining': String(Math.max(0, b.limit - b.used)),
      'x-ratelimit-reset': String(b.resetAt),
      'x-ratelimit-used': String(b.used),
      'x-ratelimit-resource': resource,
    };
  }

  // Test hook: set what is left (and optionally the limit and reset) for a token's bucket.
  set(
    key: string,
    resource: Resource,
    o: { remaining?: number; limit?: number; resetInMs?: number },
  ): void {
    const b = this.bucket(key, resource);
    if (o.limit !== undefined) b.limit = o.limit;
    if (o.remaining !== undefined) b.used = Math.max(0, b.limit - o.remaining);
    if (o.resetInMs !== undefined) b.resetAt = Math.ceil((Date.now() + o.resetInMs) / 1000);
  }

  usedByToken(): Record<string, Record<Resource, number>> {
    const out: Record<string, Record<Resource, number>> = {};
    for (const [id, b] of this.buckets) {
      const [resource, key] = id.split('\0') as [Resource, string];
      out[key] ??= { core: 0, search: 0 };
      out[key][resource] = b.used;
    }
    return out;
  }

  overview(key: string) {
    const view = (r: Resource) => {
      const b = this.bucket(key, r);
      return {
        limit: b.limit,
        used: b.used,
        remaining: Math.max(0, b.limit - b.used),
        reset: b.resetAt,
      };
    };
    const fixed = (limit: number) => ({
      limit,
      used: 0,
      remaining: limit,
      reset: Math.floor(Date.now() / 1000) + 3600,
    });
    const core = view('core');
    return {
      resources: {
        core,
        search: view('search'),
        graphql: fixed(5000),
        integration_manifest: fixed(5000),
        source_import: fixed(100),
        code_scanning_upload: fixed(1000),
        actions_runner_registration: fixed(10000),
        scim: fixed(15000),
        dependency_snapshots: fixed(100),
        code_search: fixed(10),
      },
      rate: core,
    };
  }

  reset(): void {
    this.buckets.clear();
  }
}
