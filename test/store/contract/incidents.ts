import type { Test } from 'tap';
import { at, podFailure, seedDecision, session, type StoreFactory } from './fixtures.js';

/** The behaviour of every IncidentStore (incidents, their decisions, the session mirror). `make` returns a fresh, empty store. */
export function incidentStoreContract(t: Test, make: StoreFactory): void {
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
      // a time range on last_seen: from inclusive, to exclusive
      const seen = (await store.listIncidents({ limit: 10 })).map((i) => i.lastSeen);
      t.same(
        (await store.listIncidents({ limit: 10, lastSeenFrom: seen[0] })).map((i) => i.alert),
        ['A7'],
        'from is inclusive',
      );
      t.same(
        (await store.listIncidents({ limit: 10, lastSeenTo: seen[0] })).map((i) => i.alert),
        ['A2'],
        'to is exclusive',
      );
      t.same(
        await store.listIncidents({ limit: 10, lastSeenFrom: seen[1], lastSeenTo: seen[1] }),
        [],
        'an empty range',
      );
      t.equal((await store.getIncident(other.incident.id))?.subject, 'cto-x');
      t.equal(await store.getIncident('inc-nope'), undefined);
      t.equal(
        (await store.getSession('play-i'))?.issues.length,
        1,
        'platform incident not mirrored',
      );
    },
  );

  void t.test('a decision, its outbox actions and the incident change commit together', async (t) => {
    const store = await make();
    t.teardown(() => store.close());
    const { incident, updated } = await seedDecision(store);
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
    const tl = await store.timeline('play-o');
    t.equal(tl.decisions.length, 1);
    t.equal(tl.actions.length, 2);
    t.same(await store.timeline('play-none'), { decisions: [], actions: [] });
  });

  void t.test('a decision whose incident change fails stores nothing', async (t) => {
    const store = await make();
    t.teardown(() => store.close());
    const { incident, decision, actions } = await seedDecision(store);
    await t.rejects(async () =>
      store.commitDecision({
        decision: { ...decision, id: 'dec-2' },
        actions: actions.map((a) => ({ ...a, id: `${a.id}-2`, decisionId: 'dec-2' })),
        incident: () => {
          throw new Error('change failed');
        },
      }),
    );
    t.same(
      (await store.decisionsFor(incident.id)).map((d) => d.id),
      ['dec-1'],
      'no second decision',
    );
    t.same(
      (await store.actionsFor(incident.id)).map((a) => a.id),
      ['act-1', 'act-2'],
      'no actions of the failed decision',
    );
    t.equal((await store.getIncident(incident.id))?.lastDecision, 'new');
  });

  void t.test('recording one fingerprint concurrently creates one incident', async (t) => {
    const store = await make();
    t.teardown(() => store.close());
    await store.startSession(session('play-o', 0));
    const results = await Promise.all(
      Array.from({ length: 20 }, () => store.recordAlert(podFailure(), 'd'.repeat(64), at(2))),
    );
    t.equal(results.filter((r) => r.outcome === 'created').length, 1);
    t.equal(results.filter((r) => r.outcome === 'repeat').length, 19);
    t.equal((await store.getIncident(results[0].incident.id))?.occurrences, 20);
    t.equal((await store.getSession('play-o'))?.issues.length, 1);
  });
}
