import { existsSync } from 'node:fs';
import { dirname } from 'node:path';
import t from 'tap';
import pg from 'pg';
import { startPostgres } from '../helpers/postgres.js';

async function query<R extends pg.QueryResultRow>(url: string, sql: string): Promise<R[]> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  client.on('error', () => undefined);
  await client.connect();
  try {
    return (await client.query<R>(sql)).rows;
  } finally {
    await client.end();
  }
}

void t.test('npm run postgres: a real server, restartable, removed on SIGTERM', async (t) => {
  const server = await startPostgres();
  t.teardown(() => server.close());
  t.match(server.url, /^postgres:\/\/healer:[0-9a-f]+@127\.0\.0\.1:\d+\/healer$/);

  const [info] = await query<{ version: string; dir: string; db: string }>(
    server.url,
    `SELECT current_setting('server_version') AS version, current_setting('data_directory') AS dir,
            current_database() AS db`,
  );
  t.match(info.version, /^\d+\.\d+/, 'answers as a PostgreSQL server');
  t.equal(info.db, 'healer');
  t.ok(existsSync(info.dir), 'its data directory exists while it runs');

  await query(server.url, 'CREATE TABLE kept (v text); INSERT INTO kept VALUES ($$survives$$)');
  await server.stop();
  await t.rejects(query(server.url, 'SELECT 1'), 'refuses connections while stopped');
  await server.start();
  t.same(
    await query(server.url, 'SELECT v FROM kept'),
    [{ v: 'survives' }],
    'data kept across a restart',
  );

  const other = await server.freshDatabase('x');
  t.same(
    await query(other, 'SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = $$public$$'),
    [{ n: 0 }],
  );

  t.equal(await server.close(), 0, 'SIGTERM: exits 0');
  t.notOk(existsSync(dirname(info.dir)), 'SIGTERM: its files are removed');
  await t.rejects(query(server.url, 'SELECT 1'), 'the server is gone');
});
