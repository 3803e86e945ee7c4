import t from 'tap';
import { join } from 'node:path';
import { Agent, request } from 'undici';
import { testHealer, tmpDir } from '../helpers/healer.js';
import { openSqliteStore } from '../../src/store/sqlite/index.js';

void t.test(
  '100 concurrent starts of one play id over HTTP → exactly one 200 (sqlite store)',
  async (t) => {
    const store = openSqliteStore(join(tmpDir(), 'healer.db'));
    const { app } = await testHealer({ store });
    t.teardown(() => app.close());
    const url = await app.listen({ host: '127.0.0.1', port: 0 });
    const dispatcher = new Agent({ connections: 100 });
    t.teardown(() => dispatcher.close());
    const codes = await Promise.all(
      Array.from({ length: 100 }, async () => {
        const res = await request(`${url}/api/v1/session/start`, {
          method: 'POST',
          dispatcher,
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ play_id: 'play-race', repository: 'o/r' }),
        });
        await res.body.dump();
        return res.statusCode;
      }),
    );
    t.equal(codes.filter((c) => c === 200).length, 1);
    t.equal(codes.filter((c) => c === 409).length, 99);
  },
);
