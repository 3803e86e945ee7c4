// The PostgreSQL connection pool of the store: transactions, and what happens when the server goes
// away. Connection-class failures (refused, reset, terminated by a restart, "starting up") are
// retried with capped exponential backoff (cockatiel); a write is retried only when its COMMIT was
// never sent, so an ambiguous outcome is never repeated. When the retries are used up the caller
// gets a 503 HealerError, and `/ready` reports the store as unavailable until a ping succeeds.
import { ExponentialBackoff, handleWhen, retry, type RetryPolicy } from 'cockatiel';
import pg from 'pg';
import { HealerError } from '../../domain/errors.js';

export type Sql = Pick<pg.PoolClient, 'query'>;

/** SQLSTATE classes and codes that mean "the server or the connection went away; try again". */
const TRANSIENT_STATES = new Set(['57P01', '57P02', '57P03', '53300', '40001', '40P01']);
const TRANSIENT_MESSAGES =
  /Connection terminated|connect ECONNREFUSED|ECONNRESET|EPIPE|timeout exceeded when trying to connect|Client has encountered a connection error|Connection terminated unexpectedly|the database system is (starting up|shutting down)/i;

export function isTransient(err: unknown): boolean {
  if (err instanceof CommitUncertain) return false;
  const e = err as { code?: string; message?: string };
  if (typeof e?.code === 'string') {
    if (TRANSIENT_STATES.has(e.code) || e.code.startsWith('08')) return true;
    if (
      ['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'ENOTFOUND', 'EAI_AGAIN'].includes(
        e.code,
      )
    )
      return true;
  }
  return typeof e?.message === 'string' && TRANSIENT_MESSAGES.test(e.message);
}

/** The connection broke while COMMIT was in flight: the write may or may not have happened. */
class CommitUncertain extends Error {}

const redactUrl = (url: string): string => url.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@');

export interface DatabaseOptions {
  url: string;
  max?: number;
  /** Retries of one operation when the connection fails (default 6: about 5 s of backoff). */
  maxAttempts?: number;
}

export class Database {
  readonly pool: pg.Pool;
  readonly #retry: RetryPolicy;
  readonly #where: string;
  /** Last connection failure, null once a query succeeded again (readiness). */
  lastError: string | null = null;

  constructor(opts: DatabaseOptions) {
    this.#where = redactUrl(opts.url);
    this.pool = new pg.Pool({
      connectionString: opts.url,
      max: opts.max ?? 10,
      connectionTimeoutMillis: 3_000,
      idleTimeoutMillis: 30_000,
      query_timeout: 15_000,
      keepAlive: true,
      application_name: 'healer',
    });
    // An idle client that loses its connection emits here; without a listener the process dies.
    this.pool.on('error', (err) => {
      this.lastError = err.message;
    });
    this.#retry = retry(handleWhen(isTransient), {
      maxAttempts: opts.maxAttempts ?? 6,
      backoff: new ExponentialBackoff({ initialDelay: 100, maxDelay: 2_000 }),
    });
  }

  get where(): string {
    return this.#where;
  }

  /** One statement outside a transaction (reads), retried on connection failures. */
  async query<R extends pg.QueryResultRow>(sql: string, args: unknown[] = []): Promise<R[]> {
    return this.#run(async () => (await this.pool.query<R>(sql, args)).rows);
  }

  /**
   * One data-modifying statement on its own (autocommit: atomic, durable when it answers), one
   * round trip instead of BEGIN/…/COMMIT. Retried when the connection could not be had or the
   * server rolled the statement back (serialization failure, deadlock); a connection lost while
   * the statement ran is an uncertain outcome, never repeated (a 503 that says so).
   */
  async statement<R extends pg.QueryResultRow>(
    sql: string,
    args: unknown[] = [],
    /** A hot statement's name: parsed and planned once per connection, then only executed. */
    name?: string,
  ): Promise<R[]> {
    return this.#withClient(async (client, markBroken) => {
      try {
        return (await client.query<R>({ name, text: sql, values: args })).rows;
      } catch (err) {
        const code = (err as { code?: string }).code;
        if (isTransient(err) && code !== '40001' && code !== '40P01') {
          markBroken();
          throw new CommitUncertain(`statement outcome unknown: ${(err as Error).message}`);
        }
        throw err;
      }
    });
  }

  /**
   * `fn` inside BEGIN … COMMIT on one connection; resolves after COMMIT. Retried from the start
   * on a connection failure before COMMIT (the server rolled the transaction back), never after.
   */
  async tx<T>(fn: (sql: Sql) => Promise<T>): Promise<T> {
    return this.#withClient(async (client, markBroken) => {
      await client.query('BEGIN');
      let out: T;
      try {
        out = await fn(client);
      } catch (err) {
        await client.query('ROLLBACK').catch(markBroken);
        throw err;
      }
      try {
        await client.query('COMMIT');
      } catch (err) {
        markBroken();
        if (isTransient(err))
          throw new CommitUncertain(`COMMIT outcome unknown: ${(err as Error).message}`);
        throw err;
      }
      return out;
    });
  }

  /**
   * `fn` on one checked-out connection (retried as a whole by the policy); a connection that
   * broke is destroyed rather than returned to the pool. A checked-out client has no pool
   * listener: a server that goes away between two statements (a restart, a terminated backend)
   * emits 'error' on it, which would otherwise end the process.
   */
  #withClient<T>(fn: (client: pg.PoolClient, markBroken: () => void) => Promise<T>): Promise<T> {
    return this.#run(async () => {
      const client = await this.pool.connect();
      let broken = false;
      const markBroken = () => {
        broken = true;
      };
      const onError = (err: Error) => {
        broken = true;
        this.lastError = err.message;
      };
      client.on('error', onError);
      try {
        return await fn(client, markBroken);
      } catch (err) {
        if (isTransient(err)) broken = true;
        throw err;
      } finally {
        client.off('error', onError);
        client.release(broken);
      }
    });
  }

  async #run<T>(fn: () => Promise<T>): Promise<T> {
    try {
      const out = await this.#retry.execute(fn);
      this.lastError = null;
      return out;
    } catch (err) {
      if (isTransient(err) || err instanceof CommitUncertain) {
        this.lastError = (err as Error).message;
        throw new HealerError(
          'STORE_UNAVAILABLE',
          503,
          err instanceof CommitUncertain
            ? 'the PostgreSQL store lost its connection while committing; the change may not be stored, retry'
            : `the PostgreSQL store is unavailable (${(err as Error).message}); retry shortly`,
          { cause: err },
        );
      }
      throw err;
    }
  }

  async ping(): Promise<void> {
    try {
      await this.pool.query('SELECT 1');
      this.lastError = null;
    } catch (err) {
      this.lastError = (err as Error).message;
      throw new Error(
        `PostgreSQL at ${this.#where} unreachable: ${this.lastError}; retrying with backoff`,
      );
    }
  }

  close(): Promise<void> {
    return this.pool.end();
  }
}
