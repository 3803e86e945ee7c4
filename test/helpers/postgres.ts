// A real PostgreSQL for tests: runs `npm run postgres` (scripts/postgres.ts) the way a developer
// or CI would, reads its one JSON line, and stops it (removing its data) at teardown.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createInterface } from 'node:readline';
import pg from 'pg';
import { ROOT } from './process.js';

const NODE = `${ROOT}node_modules/.bin/node`;

export interface TestPostgres {
  /** URL of the `healer` database. */
  url: string;
  child: ChildProcess;
  /** Stops the server keeping its data (connections are cut); `start()` brings it back on the same port. */
  stop(): Promise<void>;
  start(): Promise<void>;
  /** A new empty database on the same server; its URL. */
  freshDatabase(prefix?: string): Promise<string>;
  /** Stops the server and removes its data; resolves with the script's exit code. */
  close(): Promise<number | null>;
}

interface TeardownHost {
  teardown(fn: () => unknown): void;
}

/**
 * Starts a throwaway PostgreSQL; with `t`, it is closed at `t`'s teardown. Tests run it with
 * `fsync=off` (a clean stop loses nothing); a benchmark of durable writes asks for `fsync`.
 */
export async function startPostgres(
  t?: TeardownHost,
  args: string[] = [],
  o: { fsync?: boolean } = {},
): Promise<TestPostgres> {
  const child = spawn(
    NODE,
    [
      '--import',
      import.meta.resolve('tsx'),
      'scripts/postgres.ts',
      ...(o.fsync ? [] : ['--no-fsync']),
      '--quiet',
      ...args,
    ],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => resolve(code)),
  );
  const stderr: string[] = [];
  const waiters: { event: string; resolve: () => void }[] = [];
  createInterface({ input: child.stderr }).on('line', (line) => {
    stderr.push(line);
    if (stderr.length > 200) stderr.shift();
    const m = /^\{"event":"(\w+)"\}$/.exec(line);
    if (!m) return;
    const i = waiters.findIndex((w) => w.event === m[1]);
    if (i >= 0) waiters.splice(i, 1)[0].resolve();
  });
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGTERM');
      reject(new Error(`npm run postgres printed no URL within 90 s:\n${stderr.join('\n')}`));
    }, 90_000);
    createInterface({ input: child.stdout }).once('line', (line) => {
      clearTimeout(timer);
      try {
        resolve((JSON.parse(line) as { url: string }).url);
      } catch {
        reject(new Error(`npm run postgres printed something else than JSON: ${line}`));
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`npm run postgres exited with ${code}:\n${stderr.join('\n')}`));
    });
  });
  const event = (name: string, signal: NodeJS.Signals) =>
    new Promise<void>((resolve) => {
      waiters.push({ event: name, resolve });
      child.kill(signal);
    });
  let closed: Promise<number | null> | undefined;
  const pgServer: TestPostgres = {
    url,
    child,
    stop: () => event('stopped', 'SIGUSR1'),
    start: () => event('started', 'SIGUSR2'),
    async freshDatabase(prefix = 'test') {
      const name = `${prefix}_${randomBytes(5).toString('hex')}`;
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        await client.query(`CREATE DATABASE ${name} STRATEGY FILE_COPY`);
      } finally {
        await client.end();
      }
      const u = new URL(url);
      u.pathname = `/${name}`;
      return u.toString();
    },
    close() {
      closed ??= (child.kill('SIGTERM'), exited);
      return closed;
    },
  };
  t?.teardown(() => pgServer.close());
  return pgServer;
}
