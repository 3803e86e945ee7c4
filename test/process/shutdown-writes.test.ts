// A write in flight at SIGTERM is not lost: sessions being started while the service drains are
// either refused (503) or acknowledged and stored; the store closes only after the producers stop.
import t from 'tap';
import { join } from 'node:path';
import { request } from 'undici';
import { startHealerProcess } from '../helpers/process.js';
import { tmpDir } from '../helpers/healer.js';

void t.test(
  'SIGTERM while sessions are being started: every acknowledged write is stored, exit 0',
  async (t) => {
    const dir = tmpDir();
    const env = { HEALER_STORE: `sqlite:${join(dir, 'healer.db')}` };
    const first = await startHealerProcess(env);
    const acknowledged: string[] = [];
    const refused = new Set<number>();
    let stop = false;
    // 8 writers busy when SIGTERM arrives: their writes are in flight during the drain
    const writers = Array.from({ length: 8 }, async (_, w) => {
      for (let i = 0; !stop; i++) {
        const id = `play-t${w}-${i}`;
        try {
          const res = await request(`${first.url}/api/v1/session/start`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ play_id: id, repository: 'o/r' }),
          });
          await res.body.text();
          if (res.statusCode === 200) acknowledged.push(id);
          else refused.add(res.statusCode);
        } catch {
          return; // the server closed after the drain
        }
      }
    });
    await new Promise((r) => setTimeout(r, 1500));
    first.child.kill('SIGTERM');
    const code = await first.exited;
    stop = true;
    await Promise.all(writers);
    t.equal(code, 0, 'exit 0');
    t.ok(acknowledged.length > 20, `${acknowledged.length} sessions acknowledged`);
    t.same(
      [...refused].filter((s) => s >= 500 && s !== 503),
      [],
      'no 5xx but a 503 while draining',
    );
    t.notOk(
      first.logs.some((l) => /database is not open/.test(l)),
      'nothing wrote to the store after it closed',
    );

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
    t.same(
      acknowledged.filter((id) => !stored.has(id)),
      [],
      'no acknowledged session lost',
    );
  },
);
