import type { GitHubClient } from './client.js';

interface Entry {
  etag: string;
  value: unknown;
  next: string | null;
}

export interface ConditionalResult<T> {
  value: T;
  /** false: GitHub answered 304 and the cached value was used (no rate limit spent). */
  fresh: boolean;
}

const is304 = (err: unknown): boolean =>
  typeof err === 'object' && err !== null && (err as { status?: unknown }).status === 304;

const nextLink = (link: string | undefined): string | null =>
  /<([^>]+)>;\s*rel="next"/.exec(link ?? '')?.[1] ?? null;

/**
 * Conditional GETs: every URL's ETag and its mapped value are kept in memory (a bounded LRU), and
 * sent back as `If-None-Match`, so an unchanged resource answers 304, costs no rate limit, and
 * reuses the cached value. A restart only costs one full fetch. Callers map the raw JSON into
 * the small values they keep, so the cache holds only those.
 */
export class ConditionalReader {
  readonly #client: GitHubClient;
  readonly #max: number;
  readonly #cache = new Map<string, Entry>();

  constructor(client: GitHubClient, opts: { maxEntries?: number } = {}) {
    this.#client = client;
    this.#max = Math.max(1, opts.maxEntries ?? 10_000);
  }

  get size(): number {
    return this.#cache.size;
  }

  /** One GET. `key` separates different mappings of the same URL; `map` must not throw. */
  async get<T>(
    url: string,
    map: (data: unknown) => T,
    opts: { key?: string; signal?: AbortSignal } = {},
  ): Promise<ConditionalResult<T> & { next: string | null }> {
    const key = `${opts.key ?? ''}|${url}`;
    const cached = this.#cache.get(key);
    try {
      const res = await this.#client.octokit.request(`GET ${url}`, {
        headers: cached ? { 'if-none-match': cached.etag } : {},
        request: opts.signal ? { signal: opts.signal } : {},
      });
      const value = map(res.data);
      const next = nextLink(res.headers.link);
      const etag = res.headers.etag;
      if (etag) this.#remember(key, { etag, value, next });
      else this.#cache.delete(key);
      return { value, fresh: true, next };
    } catch (err) {
      if (!cached || !is304(err)) throw err;
      this.#remember(key, cached);
      return { value: cached.value as T, fresh: false, next: cached.next };
    }
  }

  /** Every page of a list (following `Link: rel="next"`, at most `maxPages`), each page conditional. */
  async list<T>(
    url: string,
    map: (data: unknown) => T[],
    opts: { key?: string; signal?: AbortSignal; maxPages?: number } = {},
  ): Promise<ConditionalResult<T[]>> {
    const out: T[] = [];
    let fresh = false;
    let next: string | null = url;
    for (let page = 0; next !== null && page < (opts.maxPages ?? 10); page++) {
      const r: ConditionalResult<T[]> & { next: string | null } = await this.get(next, map, opts);
      out.push(...r.value);
      fresh ||= r.fresh;
      next = r.next;
    }
    return { value: out, fresh };
  }

  #remember(key: string, e: Entry): void {
    this.#cache.delete(key);
    this.#cache.set(key, e);
    while (this.#cache.size > this.#max) {
      const oldest = this.#cache.keys().next().value;
      if (oldest === undefined) break;
      this.#cache.delete(oldest);
    }
  }
}
