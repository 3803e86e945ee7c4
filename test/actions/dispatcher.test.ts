import t from 'tap';
import { Dispatcher } from '../../src/actions/dispatcher.js';
import { ActionError, type ActionHandler, type ActionContext } from '../../src/actions/handler.js';
import { openMemoryStore } from '../../src/store/memory/index.js';
import { ManualClock } from '../../src/domain/clock.js';
import type { ActionRecord, PlannedAction } from '../../src/domain/action.js';
import { silentLogger } from '../helpers/healer.js';

const T0 = '2026-11-21T10:00:00.000Z';

async function setup(
  handlers: ActionHandler[],
  plan: PlannedAction[],
  destinations?: ActionRecord['destination'][],
) {
  const store = openMemoryStore();
  const clock = new ManualClock(T0);
  const { incident } = await store.recordAlert(
    {
      alert: 'A2',
      severity: 'critical',
      issueType: 'agent_failure',
      title: 't',
      description: 'd',
      namespace: 'cto',
      playId: null,
      taskId: null,
      agent: 'rex',
      subject: 's',
      evidence: [],
      context: {},
      detectedAt: T0,
    },
    'f'.repeat(64),
    clock.now(),
  );
  const actions: ActionRecord[] = plan.map((action, seq) => ({
    id: `a${seq}`,
    incidentId: incident.id,
    decisionId: 'd1',
    seq,
    action,
    destination:
      destinations?.[seq] ??
      (action.kind === 'spawn-remediation'
        ? 'kubernetes'
        : action.kind === 'notify'
          ? 'discord'
          : 'github'),
    state: 'pending',
    attempts: 0,
    nextAttemptAt: T0,
    lastError: null,
    result: null,
    createdAt: T0,
    updatedAt: T0,
  }));
  await store.commitDecision({
    decision: {
      id: 'd1',
      incidentId: incident.id,
      playId: null,
      alert: 'A2',
      reason: 'new',
      detail: 'x',
      plan,
      at: T0,
    },
    actions,
  });
  const outcomes: string[] = [];
  const d = new Dispatcher({
    store,
    owner: 'test-replica',
    handlers,
    clock,
    logger: silentLogger(),
    sessionOf: () => Promise.resolve(undefined),
    onOutcome: (a, o) => outcomes.push(`${a.action.kind}:${o}`),
    deadlineMs: 200,
    backoff: { initialMs: 1000, maxMs: 60_000 },
    maxAttempts: 5,
  });
  return { store, clock, d, incident, outcomes };
}

/** A fake destination: records calls, fails as scripted. */
function fake(
  kinds: PlannedAction['kind'][],
  destination: ActionRecord['destination'],
  script: (
    ctx: ActionContext,
    n: number,
  ) =>
    | Promise<Record<string, string | number | boolean | null>>
    | Record<string, string | number | boolean | null>,
) {
  const calls: string[] = [];
  const h: ActionHandler = {
    kinds,
    destination,
    async run(ctx) {
      calls.push(ctx.action.action.kind);
      const result = await script(ctx, calls.length);
      return {
        result,
        incident: (i) =>
          ctx.action.action.kind === 'open-issue'
            ? { ...i, githubIssue: { number: 7, url: 'u' } }
            : i,
      };
    },
  };
  return { h, calls };
}

void t.test(
  "runs an incident's actions in order; the CodeRun sees the issue the first action opened",
  async (t) => {
    let seenIssue: number | undefined;
    const gh = fake(['open-issue'], 'github', () => ({ number: 7 }));
    const kube = fake(['spawn-remediation'], 'kubernetes', (ctx) => {
      seenIssue = ctx.incident.githubIssue?.number;
      return { coderun: 'healer-a2-ffffffff-1' };
    });
    const { d, store, incident } = await setup(
      [gh.h, kube.h],
      [{ kind: 'open-issue' }, { kind: 'spawn-remediation', attempt: 1 }],
    );
    t.equal(await d.runOnce(), 2);
    t.equal(seenIssue, 7);
    t.same(
      (await store.actionsFor(incident.id)).map((a) => [a.state, a.attempts]),
      [
        ['done', 1],
        ['done', 1],
      ],
    );
    t.equal(await d.runOnce(), 0, 'nothing left');
  },
);

void t.test(
  'GitHub 5xx: retried with backoff, succeeds later, once; the CodeRun waits for the issue',
  async (t) => {
    const gh = fake(['open-issue'], 'github', (_ctx, n) => {
      if (n <= 2) throw new ActionError('GitHub answered 502', true);
      return { number: 7 };
    });
    const kube = fake(['spawn-remediation'], 'kubernetes', () => ({ coderun: 'x' }));
    const { d, store, clock, incident, outcomes } = await setup(
      [gh.h, kube.h],
      [{ kind: 'open-issue' }, { kind: 'spawn-remediation', attempt: 1 }],
    );
    await d.runOnce();
    t.same(kube.calls, [], 'CodeRun waits for the pending issue');
    const a0 = (await store.actionsFor(incident.id))[0];
    t.match(a0, { state: 'pending', attempts: 1, lastError: 'GitHub answered 502' });
    t.ok(a0.nextAttemptAt > T0, 'backed off');
    t.equal(await d.runOnce(), 0, 'not due yet');
    clock.advance(60_000);
    await d.runOnce();
    clock.advance(120_000);
    await d.runOnce();
    t.same(gh.calls, ['open-issue', 'open-issue', 'open-issue']);
    t.same(kube.calls, ['spawn-remediation'], 'created once, after the issue');
    t.same(outcomes, [
      'open-issue:retry',
      'open-issue:retry',
      'open-issue:done',
      'spawn-remediation:done',
    ]);
  },
);

void t.test(
  'a permanent failure is recorded with its reason; later actions still run',
  async (t) => {
    const gh = fake(['open-issue'], 'github', () => {
      throw new ActionError('no repository for a platform incident: set issues.repository', false);
    });
    const kube = fake(['spawn-remediation'], 'kubernetes', () => ({ coderun: 'x' }));
    const { d, store, incident } = await setup(
      [gh.h, kube.h],
      [{ kind: 'open-issue' }, { kind: 'spawn-remediation', attempt: 1 }],
    );
    await d.runOnce();
    await d.runOnce();
    const rows = await store.actionsFor(incident.id);
    t.match(rows[0], { state: 'failed', lastError: /issues.repository/ });
    t.match(rows[1], { state: 'done' });
  },
);

void t.test(
  'one failing destination never blocks another: notifications go out while GitHub is down',
  async (t) => {
    const gh = fake(['open-issue'], 'github', () => {
      throw new ActionError('ECONNRESET', true);
    });
    const discord = fake(['notify'], 'discord', () => ({ sent: true }));
    const { d } = await setup(
      [gh.h, discord.h],
      [{ kind: 'open-issue' }, { kind: 'notify', event: 'opened' }],
    );
    await d.runOnce();
    t.same(discord.calls, ['notify']);
  },
);

void t.test(
  'Retry-After is honoured; a hung destination hits the deadline and is retried',
  async (t) => {
    const discord = fake(['notify'], 'discord', () => {
      throw new ActionError('429', true, { retryAfterMs: 90_000 });
    });
    const { d, store, incident } = await setup([discord.h], [{ kind: 'notify', event: 'opened' }]);
    await d.runOnce();
    const a = (await store.actionsFor(incident.id))[0];
    t.ok(
      new Date(a.nextAttemptAt).getTime() - new Date(T0).getTime() >= 90_000,
      'waits at least retry_after',
    );

    const hung = fake(['open-issue'], 'github', () => new Promise(() => {}));
    const h2 = await setup([hung.h], [{ kind: 'open-issue' }]);
    await h2.d.runOnce();
    t.match((await h2.store.actionsFor(h2.incident.id))[0], {
      state: 'pending',
      lastError: /no answer within 200 ms/,
    });
  },
);

void t.test(
  'gives up after maxAttempts; an action without a handler fails with a clear reason',
  async (t) => {
    const gh = fake(['open-issue'], 'github', () => {
      throw new ActionError('502', true);
    });
    const { d, store, clock, incident } = await setup(
      [gh.h],
      [{ kind: 'open-issue' }, { kind: 'notify', event: 'opened' }],
      ['github', 'webhook'],
    );
    for (let i = 0; i < 6; i++) {
      await d.runOnce();
      clock.advance(3600_000);
    }
    const rows = await store.actionsFor(incident.id);
    t.match(rows[0], { state: 'failed', attempts: 5 });
    t.match(rows[1], { state: 'failed', lastError: /no handler for notify → webhook/ });
  },
);

void t.test(
  'a spawn that fails for good marks the planned attempt Failed, so later alerts can move on',
  async (t) => {
    const kube = fake(['spawn-remediation'], 'kubernetes', () => {
      throw new ActionError('the API server answered 422: spec.model: Required value', false);
    });
    const { d, store, incident } = await setup(
      [kube.h],
      [{ kind: 'spawn-remediation', attempt: 1 }],
    );
    await store.updateIncident(incident.id, (i) => ({
      ...i,
      attempts: [
        {
          attempt: 1,
          coderun: '',
          namespace: 'cto',
          phase: 'Planned',
          createdAt: T0,
          finishedAt: null,
          pullRequestUrl: null,
        },
      ],
    }));
    await d.runOnce();
    const after = await store.getIncident(incident.id);
    t.match(after?.attempts?.[0], {
      phase: 'Failed',
      finishedAt: T0,
      failure: /not started: .*422/,
    });
  },
);

void t.test(
  'two dispatchers on one store (an old leader still draining and a new one) run each action once',
  async (t) => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const gh = fake(['open-issue'], 'github', async () => {
      await gate;
      return { number: 7 };
    });
    const notify = fake(['notify'], 'discord', () => ({ sent: true }));
    const {
      d: oldLeader,
      store,
      clock,
    } = await setup(
      [gh.h, notify.h],
      [{ kind: 'open-issue' }, { kind: 'notify', event: 'opened' }],
    );
    const newLeader = new Dispatcher({
      store,
      owner: 'new-leader',
      handlers: [gh.h, notify.h],
      clock,
      logger: silentLogger(),
      sessionOf: () => Promise.resolve(undefined),
    });
    const first = oldLeader.runOnce(); // claims both, blocks in open-issue
    await new Promise((r) => setTimeout(r, 20));
    t.equal(await newLeader.runOnce(), 0, 'the new leader finds every due action claimed');
    release();
    t.equal(await first, 2);
    t.same(gh.calls, ['open-issue'], 'the issue opened once');
    t.same(notify.calls, ['notify'], 'notified once');
    t.equal(await newLeader.runOnce(), 0, 'nothing left for the new leader');
  },
);

void t.test('a stopping dispatcher starts no further action and releases its claims', async (t) => {
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  const gh = fake(['open-issue', 'comment-issue'], 'github', async (ctx) => {
    if (ctx.action.action.kind === 'open-issue') await gate;
    return { number: 7 };
  });
  const {
    d: oldLeader,
    store,
    clock,
  } = await setup([gh.h], [{ kind: 'open-issue' }, { kind: 'comment-issue', comment: 'attempt' }]);
  oldLeader.start();
  await new Promise((r) => setTimeout(r, 20));
  const stopped = oldLeader.stop();
  release();
  await stopped;
  t.same(gh.calls, ['open-issue'], 'the action in flight finished; the next did not start');
  const heir = new Dispatcher({
    store,
    owner: 'heir',
    handlers: [gh.h],
    clock,
    logger: silentLogger(),
    sessionOf: () => Promise.resolve(undefined),
  });
  t.equal(await heir.runOnce(), 1, 'the released action runs on the next leader at once');
  t.same(gh.calls, ['open-issue', 'comment-issue']);
});
