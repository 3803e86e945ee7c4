// A throwaway PostgreSQL cluster: initdb into a fresh temporary directory, the server on a free
// loopback port (TCP only, no Unix socket), one database `healer`, password authentication.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chownSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { findBinaries, runAsUser, type Binaries, type RunAs } from './binaries.js';

export interface LocalPostgresOptions {
  /** Fixed port; default a free one. */
  port?: number;
  /** `fsync=off`: faster, still loses nothing on a clean stop or a killed server process. */
  fsync?: boolean;
  /** Receives the server's own log lines. */
  log?: (line: string) => void;
}

const USER = 'healer';
const DATABASE = 'healer';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class LocalPostgres {
  readonly #bin: Binaries;
  readonly #user: RunAs | undefined;
  readonly #dir: string;
  readonly #password = randomBytes(12).toString('hex');
  readonly #opts: LocalPostgresOptions;
  #port = 0;
  #child: ChildProcess | undefined;
  #exited: Promise<void> = Promise.resolve();

  private constructor(bin: Binaries, user: RunAs | undefined, opts: LocalPostgresOptions) {
    this.#bin = bin;
    this.#user = user;
    this.#opts = opts;
    this.#dir = mkdtempSync(join(tmpdir(), 'healer-pg-'));
    if (user) chownSync(this.#dir, user.uid, user.gid);
  }

  /** initdb, start, create the `healer` database. Removes everything again when a step fails. */
  static async create(opts: LocalPostgresOptions = {}): Promise<LocalPostgres> {
    const user = runAsUser();
    const pgServer = new LocalPostgres(await findBinaries(user), user, opts);
    try {
      pgServer.#initdb();
      await pgServer.start();
      await pgServer.#query('postgres', `CREATE DATABASE ${DATABASE}`);
      return pgServer;
    } catch (err) {
      await pgServer.destroy();
      throw err;
    }
  }

  get url(): string {
    return `postgres://${USER}:${this.#password}@127.0.0.1:${this.#port}/${DATABASE}`;
  }

  get binaries(): string {
    return this.#bin.source;
  }

  get #dataDir(): string {
    return join(this.#dir, 'data');
  }

  #ids() {
    return this.#user ? { uid: this.#user.uid, gid: this.#user.gid } : {};
  }

  #initdb(): void {
    const pwfile = join(this.#dir, 'pwfile');
    writeFileSync(pwfile, `${this.#password}\n`, { mode: 0o600 });
    if (this.#user) chownSync(pwfile, this.#user.uid, this.#user.gid);
    const r = spawnSync(
      this.#bin.initdb,
      [
        `--pgdata=${this.#dataDir}`,
        `--username=${USER}`,
        `--pwfile=${pwfile}`,
        '--auth=scram-sha-256',
        '--encoding=UTF8',
        '--no-locale',
        '--no-sync',
        '--no-instructions',
      ],
      { encoding: 'utf8', ...this.#ids(), env: { ...process.env, LC_ALL: 'C' } },
    );
    rmSync(pwfile, { force: true });
    if (r.status !== 0) {
      throw new Error(`initdb failed (${r.status ?? r.signal}): ${r.stderr || r.error?.message}`);
    }
  }

  /** Starts the server (again, on the same port once it has one); resolves when it accepts connections. */
  async start(): Promise<void> {
    if (this.#child) return;
    for (let attempt = 1; ; attempt++) {
      const fixed = this.#opts.port ?? (this.#port || undefined);
      this.#port = fixed ?? (await freePort());
      try {
        await this.#spawnServer();
        return;
      } catch (err) {
        // Another process took the free port between our probe and the bind: try another one.
        if (fixed !== undefined || attempt >= 5) throw err;
      }
    }
  }

  async #spawnServer(): Promise<void> {
    const args = ['-D', this.#dataDir, '-p', String(this.#port), '-h', '127.0.0.1', '-k', ''];
    args.push('-c', 'max_connections=200', '-c', 'shared_buffers=32MB');
    if (this.#opts.fsync === false) args.push('-c', 'fsync=off');
    const child = spawn(this.#bin.postgres, args, {
      ...this.#ids(),
      env: { ...process.env, LC_ALL: 'C' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.#child = child;
    let output = '';
    const onData = (d: Buffer) => {
      const text = d.toString();
      output = (output + text).slice(-4000);
      for (const line of text.split('\n')) if (line) this.#opts.log?.(line);
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    let gone = false;
    this.#exited = new Promise((resolve) => child.once('exit', () => resolve()));
    void this.#exited.then(() => {
      gone = true;
      if (this.#child === child) this.#child = undefined;
    });
    const deadline = Date.now() + 30_000;
    while (!gone) {
      try {
        await this.#query('postgres', 'SELECT 1');
        return;
      } catch {
        if (Date.now() > deadline) break;
        await sleep(50);
      }
    }
    await this.stop();
    throw new Error(`postgres did not accept connections on port ${this.#port}:\n${output}`);
  }

  async #query(database: string, sql: string): Promise<void> {
    const client = new pg.Client({
      host: '127.0.0.1',
      port: this.#port,
      user: USER,
      password: this.#password,
      database,
      connectionTimeoutMillis: 2000,
    });
    client.on('error', () => undefined);
    try {
      await client.connect();
      await client.query(sql);
    } finally {
      await client.end().catch(() => undefined);
    }
  }

  /** Stops the server (fast shutdown: open sessions are disconnected), keeping the data. */
  async stop(): Promise<void> {
    const child = this.#child;
    if (!child) return;
    const exited = this.#exited;
    child.kill('SIGINT');
    const escalate = setTimeout(() => child.kill('SIGQUIT'), 10_000);
    const kill = setTimeout(() => child.kill('SIGKILL'), 15_000);
    await exited;
    clearTimeout(escalate);
    clearTimeout(kill);
  }

  /** Stops the server and removes every file it had. */
  async destroy(): Promise<void> {
    await this.stop();
    rmSync(this.#dir, { recursive: true, force: true });
  }
}
