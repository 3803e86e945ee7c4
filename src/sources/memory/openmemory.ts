// A small client of OpenMemory's REST API (the CaviraOSS backend the platform's agents use through
// their `openmemory_*` tools): POST /memory/add, POST /memory/query, GET /memory/all,
// GET /memory/{id}. Every call has a deadline and fails with an OpenMemoryError.
import { fetch } from 'undici';

export class OpenMemoryError extends Error {
  readonly status: number | null;
  constructor(message: string, status: number | null = null) {
    super(message);
    this.name = 'OpenMemoryError';
    this.status = status;
  }
  /** No answer at all (network, deadline) rather than an error answer. */
  get unreachable(): boolean {
    return this.status === null;
  }
}

export interface MemoryItem {
  id: string;
  content: string;
  tags: string[];
  metadata: Record<string, unknown>;
  created_at: number;
  updated_at: number;
  last_seen_at: number;
  salience: number;
  decay_lambda?: number;
  primary_sector: string;
  version?: number;
  sectors?: string[];
}

export interface MemoryMatch {
  id: string;
  content: string;
  score: number;
  sectors: string[];
  primary_sector: string;
  path: string[];
  salience: number;
  last_seen_at: number;
}

export interface AddResult {
  id: string;
  primary_sector: string;
  sectors: string[];
}

export class OpenMemoryClient {
  readonly #base: string;
  readonly #key: string | undefined;
  readonly #timeoutMs: number;

  constructor(opts: { url: string; apiKey?: string | undefined; timeoutMs?: number }) {
    this.#base = opts.url.replace(/\/+$/, '');
    this.#key = opts.apiKey;
    this.#timeoutMs = opts.timeoutMs ?? 10_000;
  }

  add(
    content: string,
    o: { tags?: string[]; metadata?: Record<string, unknown>; userId?: string } = {},
  ): Promise<AddResult> {
    return this.#call<AddResult>('POST', '/memory/add', {
      content,
      tags: o.tags ?? [],
      metadata: o.metadata ?? {},
      ...(o.userId ? { user_id: o.userId } : {}),
    });
  }

  async query(
    text: string,
    o: { k?: number; userId?: string; sector?: string; minScore?: number } = {},
  ): Promise<MemoryMatch[]> {
    const filters: Record<string, unknown> = {};
    if (o.userId) filters.user_id = o.userId;
    if (o.sector) filters.sector = o.sector;
    if (o.minScore !== undefined) filters.min_score = o.minScore;
    const body = await this.#call<{ matches?: MemoryMatch[] }>('POST', '/memory/query', {
      query: text,
      k: o.k ?? 8,
      filters,
    });
    return body.matches ?? [];
  }

  async all(
    o: { limit?: number; offset?: number; sector?: string; userId?: string } = {},
  ): Promise<MemoryItem[]> {
    const q = new URLSearchParams({ l: String(o.limit ?? 100), u: String(o.offset ?? 0) });
    if (o.sector) q.set('sector', o.sector);
    if (o.userId) q.set('user_id', o.userId);
    const body = await this.#call<{ items?: MemoryItem[] }>('GET', `/memory/all?${q.toString()}`);
    return body.items ?? [];
  }

  /** One memory, or null when OpenMemory does not know the id. */
  async get(id: string): Promise<MemoryItem | null> {
    try {
      return await this.#call<MemoryItem>('GET', `/memory/${encodeURIComponent(id)}`);
    } catch (err) {
      if (err instanceof OpenMemoryError && err.status === 404) return null;
      throw err;
    }
  }

  async #call<T>(method: string, path: string, body?: unknown): Promise<T> {
    let res;
    try {
      res = await fetch(`${this.#base}${path}`, {
        method,
        headers: {
          accept: 'application/json',
          ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
          ...(this.#key ? { authorization: `Bearer ${this.#key}` } : {}),
        },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
        signal: AbortSignal.timeout(this.#timeoutMs),
      });
    } catch (err) {
      const cause = (err as { cause?: { code?: string } }).cause?.code;
      throw new OpenMemoryError(`OpenMemory unreachable: ${cause ?? (err as Error).message}`);
    }
    const text = await res.text();
    if (!res.ok)
      throw new OpenMemoryError(
        `OpenMemory answered ${res.status} to ${method} ${path.split('?')[0]}: ${text.slice(0, 200)}`,
        res.status,
      );
    try {
      return JSON.parse(text) as T;
    } catch {
      throw new OpenMemoryError(
        `OpenMemory answered ${method} ${path} with invalid JSON`,
        res.status,
      );
    }
  }
}
