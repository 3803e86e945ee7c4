import type { Test } from 'tap';
import { createSession } from '../../src/sessions/model.js';
import type { Store } from '../../src/sessions/store.js';
import type { SessionStart } from '../../src/domain/session.js';
import { DEFAULT_AGENT_STAGES } from '../../src/domain/stages.js';

const start = (play_id: string, extra: Partial<SessionStart> = {}): SessionStart => ({
  play_id,
  repository: '5dlabs/cto',
  service: null,
  namespace: 'cto',
  cto_config: { agents: {} },
  tasks: [{ id: '1', title: 'one', agent_hint: null, dependencies: [], priority: 0 }],
  ...extra,
});

const at = (minute: number) => new Date(Date.UTC(2026, 10, 21, 10, minute));
const session = (id: string, minute = 0, extra: Partial<SessionStart> = {}) =>
  createSession(start(id, extra), at(minute), DEFAULT_AGENT_STAGES);

/** The behaviour every Store implementation must have. `make` returns a fresh, empty store. */
export function storeContract(t: Test, make: () => Promise<Store> | Store): void {
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

  void t.test(
    'incidents: create, repeat, resolve, reopen; mirrored into the session',
    async (t) => {
      const store = await make();
      t.teardown(() => store.close());
      await store.startSession(session('play-i', 0));
      const draft = {
        alert: 'A2' as const,
        severity: 'critical' as const,
        issueType: 'agent_failure' as const,
        title: 'Silent Failure: play-i-rex-1',
        description: 'rex exited 1 behind a sidecar',
        namespace: 'cto',
        playId: 'play-i',
        taskId: '1',
        agent: 'rex',
        subject: 'play-i-rex',
        evidence: ['rex: terminated exitCode=1'],
        context: { method: 'exit_code' },
        detectedAt: at(1).toISOString(),
      };
      const fp = 'a'.repeat(64);
      const first = await store.recordAlert(draft, fp, at(1));
      t.equal(first.outcome, 'created');
      t.match(first.incident, {
        id: 'inc-aaaaaaaaaaaaaaaa',
        state: 'open',
        occurrences: 1,
        firstSeen: at(1).toISOString(),
      });
      const again = await store.recordAlert({ ...draft, evidence: ['second'] }, fp, at(2));
      t.equal(again.outcome, 'repeat');
      t.match(again.incident, {
        occurrences: 2,
        lastSeen: at(2).toISOString(),
        evidence: ['second'],
      });
      const s = await store.getSession('play-i');
      t.equal(s?.issues.length, 1);
      t.match(s?.issues[0], {
        incident_id: first.incident.id,
        alert: 'A2',
        issue_type: 'agent_failure',
        severity: 'critical',
        occurrences: 2,
        state: 'open',
        agent: 'rex',
        task_id: '1',
        remediation_spawned: false,
        github_issue: null,
        detected_at: at(1).toISOString(),
        last_seen: at(2).toISOString(),
      });
      t.equal((await store.listSessions({ limit: 10 })).sessions[0]?.issue_count, 1);

      await store.updateIncident(first.incident.id, (i) => ({
        ...i,
        state: 'resolved',
        resolvedAt: at(3).toISOString(),
        resolution: 'pod gone',
      }));
      t.equal((await store.getSession('play-i'))?.issues[0]?.state, 'resolved');
      t.same(await store.openIncidents(), []);
      const back = await store.recordAlert(draft, fp, at(4));
      t.equal(back.outcome, 'reopened');
      t.match(back.incident, { state: 'open', reopened: 1, occurrences: 3, resolvedAt: null });

      const other = await store.recordAlert(
        { ...draft, alert: 'A7', playId: null, subject: 'cto-x' },
        'b'.repeat(64),
        at(5),
      );
      t.equal(other.incident.playId, null, 'platform incident');
      t.same(
        (await store.listIncidents({ limit: 10 })).map((i) => i.alert),
        ['A7', 'A2'],
        'newest first',
      );
      t.same(
        (await store.listIncidents({ limit: 10, playId: 'play-i' })).map((i) => i.alert),
        ['A2'],
      );
      t.same(
        (await store.listIncidents({ limit: 10, alert: 'A7' })).map((i) => i.playId),
        [null],
      );
      t.same(await store.listIncidents({ limit: 10, state: 'resolved' }), []);
      t.equal((await store.getIncident(other.incident.id))?.subject, 'cto-x');
      t.equal(await store.getIncident('inc-nope'), undefined);
      t.equal(
        (await store.getSession('play-i'))?.issues.length,
        1,
        'platform incident not mirrored',
      );
    },
  );

  void t.test(
    'decisions and outbox actions commit together; due actions; timeline; silences',
    async (t) => {
      const store = await make();
      t.teardown(() => store.close());
      await store.startSession(session('play-o', 0));
      const draft = {
        alert: 'A7' as const,
        severity: 'high' as const,
        issueType: 'agent_failure' as const,
        title: 'Pod Failure: x',
        description: 'd',
        namespace: 'cto',
        playId: 'play-o',
        taskId: '1',
        agent: 'rex',
        subject: 'play-o',
        evidence: [],
        context: {},
        detectedAt: at(1).toISOString(),
      };
      const { incident } = await store.recordAlert(draft, 'c'.repeat(64), at(1));
      const decision = {
        id: 'dec-1',
        incidentId: incident.id,
        playId: 'play-o',
        alert: 'A7' as const,
        reason: 'new' as const,
        detail: 'first sighting',
        plan: [{ kind: 'open-issue' as const }, { kind: 'spawn-remediation' as const, attempt: 1 }],
        at: at(1).toISOString(),
      };
      const action = (id: string, seq: number, due: number) => ({
        id,
        incidentId: incident.id,
        decisionId: 'dec-1',
        seq,
        action: decision.plan[seq],
        destination: seq === 0 ? ('github' as const) : ('kubernetes' as const),
        state: 'pending' as const,
        attempts: 0,
        nextAttemptAt: at(due).toISOString(),
        lastError: null,
        result: null,
        createdAt: at(1).toISOString(),
        updatedAt: at(1).toISOString(),
      });
      const updated = await store.commitDecision({
        decision,
        actions: [action('act-1', 0, 1), action('act-2', 1, 5)],
        incident: (i) => ({ ...i, lastDecision: 'new' }),
      });
      t.equal(updated?.lastDecision, 'new');
      t.equal((await store.getIncident(incident.id))?.lastDecision, 'new');
      t.same(
        (await store.decisionsFor(incident.id)).map((d) => d.reason),
        ['new'],
      );
      t.same(
        (await store.actionsFor(incident.id)).map((a) => a.id),
        ['act-1', 'act-2'],
      );
      t.same(
        (await store.dueActions(at(2), 10)).map((a) => a.id),
        ['act-1'],
      );
      t.same(
        (await store.dueActions(at(6), 10)).map((a) => a.id),
        ['act-1', 'act-2'],
      );
      await store.updateAction('act-1', (a) => ({ ...a, state: 'done', result: { issue: 12 } }));
      t.same(
        (await store.dueActions(at(6), 10)).map((a) => a.id),
        ['act-2'],
      );
      t.same((await store.actionsFor(incident.id))[0]?.result, { issue: 12 });
      const tl = await store.timeline('play-o');
      t.equal(tl.decisions.length, 1);
      t.equal(tl.actions.length, 2);
      t.same(await store.timeline('play-none'), { decisions: [], actions: [] });

      const silence = {
        id: 'sil-1',
        matchers: { alert: 'A7' },
        startsAt: at(0).toISOString(),
        endsAt: at(30).toISOString(),
        comment: 'noisy',
        createdBy: 'ops',
        expiredAt: null,
      };
      await store.createSilence(silence);
      t.same(
        (await store.listSilences(at(10))).map((s) => s.id),
        ['sil-1'],
      );
      t.same(await store.listSilences(at(31)), [], 'past endsAt');
      await store.expireSilence('sil-1', at(11));
      t.same(await store.listSilences(at(12)), [], 'expired');
      t.equal((await store.listSilences()).length, 1, 'still listed without now');
      t.equal((await store.getSilence('sil-1'))?.expiredAt, at(11).toISOString());
      t.equal(await store.expireSilence('nope', at(1)), undefined);
    },
  );

  void t.test('cursors are durable key/values', async (t) => {
    const store = await make();
    t.teardown(() => store.close());
    t.equal(await store.getCursor('loki:cto'), undefined);
    await store.setCursor('loki:cto', '123');
    await store.setCursor('loki:cto', '456');
    t.equal(await store.getCursor('loki:cto'), '456');
    await store.ping();
  });
}
