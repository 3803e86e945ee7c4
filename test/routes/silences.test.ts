import t from 'tap';
import { testHealer } from '../helpers/healer.js';
import type { ManualClock } from '../../src/domain/clock.js';

const json = { 'content-type': 'application/json' };

void t.test('create, list, get and expire a silence', async (t) => {
  const { app, clock } = await testHealer();
  t.teardown(() => app.close());
  const body = {
    matchers: { alert: 'a7', play_id: 'play-task-4' },
    ends_at: '2026-11-21T12:00:00Z',
    comment: 'known flaky node',
    created_by: 'ops@5dlabs',
  };
  const created = await app.inject({
    method: 'POST',
    url: '/api/v1/silences',
    headers: json,
    payload: body,
  });
  t.equal(created.statusCode, 201);
  const s = created.json<{
    silence: { id: string; matchers: Record<string, string>; active: boolean; ends_at: string };
  }>().silence;
  t.match(s, {
    matchers: { alert: 'A7', play_id: 'play-task-4' },
    active: true,
    ends_at: '2026-11-21T12:00:00.000Z',
  });
  t.match((await app.inject({ method: 'GET', url: '/api/v1/silences' })).json(), {
    count: 1,
    silences: [{ id: s.id }],
  });
  t.match((await app.inject({ method: 'GET', url: `/api/v1/silences/${s.id}` })).json(), {
    silence: { comment: 'known flaky node' },
  });
  const del = await app.inject({ method: 'DELETE', url: `/api/v1/silences/${s.id}` });
  t.equal(del.statusCode, 200);
  t.match(del.json(), { silence: { active: false, expired_at: String } });
  t.match((await app.inject({ method: 'GET', url: '/api/v1/silences' })).json(), { count: 0 });
  t.match((await app.inject({ method: 'GET', url: '/api/v1/silences?all=true' })).json(), {
    count: 1,
  });
  t.equal(
    (await app.inject({ method: 'DELETE', url: '/api/v1/silences/sil-nope' })).statusCode,
    404,
  );
  (clock as ManualClock).advance(3 * 3600_000);
  const late = await app.inject({
    method: 'POST',
    url: '/api/v1/silences',
    headers: json,
    payload: body,
  });
  t.equal(late.statusCode, 400, 'ends_at now in the past');
  t.match(late.json(), {
    status: 'error',
    errors: [{ path: 'ends_at', message: 'must be in the future' }],
  });
});

void t.test(
  'bad silences: no matcher, unknown matcher key, too far, missing fields → 400 listing each',
  async (t) => {
    const { app } = await testHealer();
    t.teardown(() => app.close());
    for (const payload of [
      { matchers: {}, ends_at: '2026-11-21T12:00:00Z', comment: 'c', created_by: 'me' },
      {
        matchers: { playId: 'x' },
        ends_at: '2026-11-21T12:00:00Z',
        comment: 'c',
        created_by: 'me',
      },
      {
        matchers: { alert: 'A7' },
        ends_at: '2027-06-01T00:00:00Z',
        comment: 'c',
        created_by: 'me',
      },
      { matchers: { alert: 'A7' } },
    ]) {
      const res = await app.inject({
        method: 'POST',
        url: '/api/v1/silences',
        headers: json,
        payload,
      });
      t.equal(res.statusCode, 400, JSON.stringify(payload));
      t.match(res.json(), { status: 'error', message: /^Invalid request: / });
    }
    t.match(
      (await app.inject({ method: 'GET', url: '/api/v1/silences?all=true' })).json(),
      { count: 0 },
      'nothing stored',
    );
  },
);
