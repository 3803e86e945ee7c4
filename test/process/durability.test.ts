import t from 'tap';
import { join } from 'node:path';
import { readFileSync, writeFileSync } from 'node:fs';
import { request } from 'undici';
import { startHealerProcess, runHealer } from '../helpers/process.js';
import { tmpDir } from '../helpers/healer.js';

void t.test('kill -9 while starting sessions: every acknowledged session survives', async (t) => {
  const dir = tmpDir();
  const env = { HEALER_STORE: `sqlite:${join(dir, 'healer.db')}` };
  const first = await startHealerProcess(env);
  const acknowledged: string[] = [];
  let stop = false;
  // keep 8 writers busy, kill mid-stream
  const writers = Array.from({ length: 8 }, async (_, w) => {
    for (let i = 0; !stop; i++) {
      const id = `play-k${w}-${i}`;
      try {
        const res = await request(`${first.url}/api/v1/session/start`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ play_id: id, repository: 'o/r' }),
        });
        await res.body.text();
        if (res.statusCode === 200) acknowledged.push(id);
      } catch {
        return; // connection cut by the kill
      }
    }
  });
  await new Promise((r) => setTimeout(r, 1500));
  first.child.kill('SIGKILL');
  stop = true;
  await Promise.all(writers);
  await first.exited;
  t.ok(acknowledged.length > 20, `${acknowledged.length} sessions acknowledged before the kill`);

  const second = await startHealerProcess(env);
  t.teardown(() => second.child.kill('SIGKILL'));
  const stored = new Set<string>();
  let cursor: string | undefined;
  do {
    const res = await request(
      `${second.url}/api/v1/sessions?limit=5000${cursor ? `&cursor=${cursor}` : ''}`,
    );
    const body = (await res.body.json()) as {
      sessions: { play_id: string }[];
      next_cursor?: string;
    };
    for (const s of body.sessions) stored.add(s.play_id);
    cursor = body.next_cursor;
  } while (cursor);
  const lost = acknowledged.filter((id) => !stored.has(id));
  t.same(lost, [], 'no acknowledged session lost');
});

void t.test('SIGTERM drains and exits 0', async (t) => {
  const dir = tmpDir();
  const proc = await startHealerProcess({ HEALER_STORE: `sqlite:${join(dir, 'healer.db')}` });
  const health = await request(`${proc.url}/health`);
  t.same(await health.body.json(), { status: 'healthy', version: '0.1.0', service: 'healer' });
  proc.child.kill('SIGTERM');
  t.equal(await proc.exited, 0);
  t.ok(proc.logs.some((l) => l.includes('stopped cleanly')));
  t.ok(
    proc.logs.some((l) => l.includes('Kubernetes watching is off')),
    'says once that watching is off',
  );
  t.equal(proc.logs.filter((l) => l.includes('watching is off')).length, 1);
});

void t.test('a corrupt database file: clear error, exit 1, file untouched', async (t) => {
  const dir = tmpDir();
  const file = join(dir, 'healer.db');
  const garbage = 'this is not a sqlite database '.repeat(200);
  writeFileSync(file, garbage);
  const r = await runHealer(['serve'], { HEALER_STORE: `sqlite:${file}`, HEALER_PORT: '0' });
  t.equal(r.code, 1);
  t.match(r.stderr + r.stdout, /cannot open the sqlite store at .*healer\.db: .*not a database/);
  t.equal(readFileSync(file, 'utf8'), garbage, 'file left as it was');
});

void t.test('an unwritable database location: clear error, exit 1', async (t) => {
  // A path below a regular file can never be created, even as root.
  const dir = tmpDir();
  const file = join(dir, 'plainfile');
  writeFileSync(file, 'x');
  const r2 = await runHealer(['serve'], {
    HEALER_STORE: `sqlite:${join(file, 'healer.db')}`,
    HEALER_PORT: '0',
  });
  t.equal(r2.code, 1);
  t.match(r2.stderr + r2.stdout, /cannot open the sqlite store at .*plainfile\/healer\.db/);
});
