import type { Test } from 'tap';
import { at, session, type StoreFactory } from './fixtures.js';

/** The behaviour of every SessionStore. `make` returns a fresh, empty store. */
export function sessionStoreContract(t: Test, make: StoreFactory): void {
  void t.test('a started session reads back equal, field for field', async (t) => {
    const store = await make();
    t.teardown(() => store.close());
    const s = session('play-a', 0, {
      cto_config: {
        agents: {
          rex: {
            githubApp: '5DLabs-Rex',
            cli: null,
            model: null,
            tools: { remote: ['x'], localServers: {} },
          },
        },
      },
    });
    const r = await store.startSession(s);
    t.equal(r.outcome, 'started');
    t.same(await store.getSession('play-a'), s);
    t.equal(await store.getSession('play-missing'), undefined);
  });

  void t.test('an active session conflicts; an ended one is replaced', async (t) => {
    const store = await make();
    t.teardown(() => store.close());
    await store.startSession(session('play-b', 0));
    const again = await store.startSession(session('play-b', 1));
    t.equal(again.outcome, 'conflict');
    t.equal((await store.getSession('play-b'))?.started_at, at(0).toISOString(), 'first one kept');
    const ended = await store.endSession('play-b', 'completed', 'done', at(2));
    t.equal(ended.outcome, 'ended');
    const replaced = await store.startSession(session('play-b', 3));
    t.equal(replaced.outcome, 'started');
    t.equal(replaced.outcome === 'started' && replaced.replaced, 'completed');
    const now = await store.getSession('play-b');
    t.equal(now?.status, 'active');
    t.equal(now?.started_at, at(3).toISOString());
  });

  void t.test('100 concurrent starts of one id: exactly one started', async (t) => {
    const store = await make();
    t.teardown(() => store.close());
    const results = await Promise.all(
      Array.from({ length: 100 }, (_, i) => store.startSession(session('play-c', i % 50))),
    );
    t.equal(results.filter((r) => r.outcome === 'started').length, 1);
    t.equal(results.filter((r) => r.outcome === 'conflict').length, 99);
  });

  void t.test('ending: not found, ended, already ended leaves the record alone', async (t) => {
    const store = await make();
    t.teardown(() => store.close());
    t.same(await store.endSession('nope', 'failed', null, at(0)), { outcome: 'not_found' });
    await store.startSession(session('play-d'));
    const r = await store.endSession('play-d', 'failed', 'workflow failed', at(5));
    t.equal(r.outcome, 'ended');
    const s = await store.getSession('play-d');
    t.match(s, { status: 'failed', end_reason: 'workflow failed', ended_at: at(5).toISOString() });
    const again = await store.endSession('play-d', 'cancelled', 'x', at(6));
    t.equal(again.outcome, 'already_ended');
    t.equal((await store.getSession('play-d'))?.status, 'failed');
  });

  void t.test(
    'list: newest first, status filter, paging with a cursor covers every row once',
    async (t) => {
      const store = await make();
      t.teardown(() => store.close());
      for (let i = 0; i < 7; i++) await store.startSession(session(`play-l${i}`, i));
      await store.startSession(session('play-tie', 6)); // same started_at as play-l6
      await store.endSession('play-l2', 'completed', null, at(30));
      const all = await store.listSessions({ limit: 100 });
      t.same(
        all.sessions.map((s) => s.play_id),
        ['play-tie', 'play-l6', 'play-l5', 'play-l4', 'play-l3', 'play-l2', 'play-l1', 'play-l0'],
      );
      t.equal(all.nextCursor, null);
      const active = await store.listSessions({ limit: 100, status: 'active' });
      t.notOk(active.sessions.some((s) => s.play_id === 'play-l2'));
      t.equal(active.sessions.length, 7);
      const seen: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await store.listSessions({ limit: 3, ...(cursor ? { cursor } : {}) });
        t.ok(page.sessions.length <= 3);
        seen.push(...page.sessions.map((s) => s.play_id));
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
      t.same(
        seen,
        all.sessions.map((s) => s.play_id),
      );
      t.same(all.sessions[0], {
        play_id: 'play-tie',
        repository: '5dlabs/cto',
        status: 'active',
        task_count: 1,
        issue_count: 0,
        started_at: at(6).toISOString(),
        last_updated: at(6).toISOString(),
      });
    },
  );

  void t.test('update is read-modify-write; undefined means no change', async (t) => {
    const store = await make();
    t.teardown(() => store.close());
    await store.startSession(session('play-u'));
    const updated = await store.updateSession('play-u', (s) => ({
      ...s,
      last_updated: at(9).toISOString(),
    }));
    t.equal(updated?.last_updated, at(9).toISOString());
    const same = await store.updateSession('play-u', () => undefined);
    t.equal(same?.last_updated, at(9).toISOString());
    t.equal(await store.updateSession('nope', (s) => s), undefined);
    await Promise.all(
      Array.from({ length: 20 }, () =>
        store.updateSession('play-u', (s) => ({ ...s, tasks: [...s.tasks, s.tasks[0]] })),
      ),
    );
    t.equal((await store.getSession('play-u'))?.tasks.length, 21, 'no lost update');
  });

  void t.test('expire inactive sessions and purge old ended ones', async (t) => {
    const store = await make();
    t.teardown(() => store.close());
    await store.startSession(session('play-old', 0));
    await store.startSession(session('play-new', 50));
    const expired = await store.expireInactive(at(30), at(60));
    t.same(
      expired.map((s) => s.play_id),
      ['play-old'],
    );
    t.match(await store.getSession('play-old'), {
      status: 'expired',
      ended_at: at(60).toISOString(),
    });
    t.equal((await store.getSession('play-new'))?.status, 'active');
    t.equal(await store.purgeEnded(at(59)), 0);
    t.equal(await store.purgeEnded(at(61)), 1);
    t.equal(await store.getSession('play-old'), undefined);
    t.same(await store.countByStatus(), {
      active: 1,
      completed: 0,
      failed: 0,
      cancelled: 0,
      expired: 0,
    });
    t.same(
      (await store.activeSessions()).map((s) => s.play_id),
      ['play-new'],
    );
  });
}
