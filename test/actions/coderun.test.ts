// The CodeRun handler against the simulated API server through @kubernetes/client-node: valid
// runs created once per attempt (409 and fingerprint-label adoption), CRD rejections permanent,
// server trouble retryable; and the follower that turns CodeRun status into attempt updates.
import { KubeConfig } from '@kubernetes/client-node';
import t, { type Test } from 'tap';
import { healConfigSchema } from '../../src/config/index.js';
import type { ActionRecord, PlannedAction } from '../../src/domain/action.js';
import type { Incident } from '../../src/domain/incident.js';
import type { CodeRun } from '../../src/domain/kube.js';
import type { Session } from '../../src/domain/session.js';
import { ActionError, type ActionContext } from '../../src/actions/handler.js';
import { createCodeRunHandler, type CodeRunDeps } from '../../src/actions/coderun/create.js';
import {
  applyAttemptUpdate,
  attemptFromCodeRun,
  incidentIdOfCodeRun,
} from '../../src/actions/coderun/follow.js';
import { createTemplateEngine, sampleView } from '../../src/templates/index.js';
import { sampleA7Incident } from '../helpers/incidents.js';
import { codeRunManifest, startKubeSim, type KubeSim, type Wire } from '../sim/kube/index.js';

const templates = createTemplateEngine();
const coderun = healConfigSchema.parse({}).coderun;
const NOW = new Date('2025-01-15T12:30:00Z');
const SECRET = 'sk-ant-api03-abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGH';

function incident(over: Partial<Incident> = {}): Incident {
  const v = sampleView('A7');
  return sampleA7Incident({
    evidence: [...v.evidence, `ANTHROPIC_API_KEY=${SECRET}`],
    context: { ...(v.context ?? {}), pod: 'play-task-4-rex-abc' },
    githubIssue: { number: 42, url: 'https://github.com/5dlabs/cto/issues/42' },
    ...over,
  });
}

const SESSION = {
  play_id: 'play-task-4',
  repository: '5dlabs/cto-parallel-test',
  service: 'cto-parallel-test',
  tasks: [],
} as unknown as Session;

function ctx(action: PlannedAction, inc: Incident): ActionContext {
  const record: ActionRecord = {
    id: 'act-1',
    incidentId: inc.id,
    decisionId: 'dec-1',
    seq: 0,
    action,
    destination: 'kubernetes',
    state: 'pending',
    attempts: 0,
    nextAttemptAt: NOW.toISOString(),
    lastError: null,
    result: null,
    createdAt: NOW.toISOString(),
    updatedAt: NOW.toISOString(),
  };
  return {
    action: record,
    incident: inc,
    session: SESSION,
    now: NOW,
    signal: AbortSignal.timeout(10_000),
  };
}

async function setup(t: Test, over: Partial<CodeRunDeps> = {}) {
  const sim = await startKubeSim();
  t.teardown(() => sim.close());
  const kc = new KubeConfig();
  kc.loadFromString(sim.kubeconfigYaml());
  const handler = createCodeRunHandler({
    kc,
    templates,
    coderun,
    repository: null,
    view: { dashboardUrl: null, maxAttempts: 3 },
    ...over,
  });
  return { sim, handler };
}

const runs = (sim: KubeSim) => sim.list('agents.platform/v1', 'coderuns', 'cto') as Wire[];

async function rejection(p: Promise<unknown>): Promise<ActionError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof ActionError) return err;
    throw err;
  }
  throw new Error('expected an ActionError');
}

const fp8 = incident().fingerprint.slice(0, 8);
const spawn = (attempt: number): PlannedAction => ({ kind: 'spawn-remediation', attempt });

void t.test('spawn-remediation creates a valid CodeRun and records the attempt', async (t) => {
  const { sim, handler } = await setup(t);
  const inc = incident();
  const out = await handler.run(ctx(spawn(1), inc));
  const name = `healer-a7-${fp8}-1`;
  t.same(out.result, {
    coderun: name,
    namespace: 'cto',
    attempt: 1,
    kind: 'remediation',
    adopted: false,
    via: 'created',
  });
  const cr = sim.get('agents.platform/v1', 'coderuns', 'cto', name) as Wire;
  t.ok(cr, 'the CodeRun exists');
  t.match(cr.metadata.labels, {
    'agents.platform/type': 'healer-remediation',
    'healer.platform/remediation': 'true',
    'healer.platform/fingerprint': inc.fingerprint.slice(0, 16),
    'alert-type': 'a7',
    'task-id': '4',
    'target-pod': 'play-task-4-rex-abc',
    'issue-number': '42',
  });
  t.equal(cr.spec.taskId, 4);
  t.match(cr.spec.env, { HEAL_ATTEMPT: '1', HEAL_ISSUE_NUMBER: '42', ALERT_TYPE: 'A7' });
  t.match(cr.spec.promptModification, /Fixes #42/);
  t.notMatch(cr.spec.promptModification, SECRET, 'the prompt is redacted');
  t.match(cr.spec.promptModification, '[REDACTED:');
  t.ok(cr.spec.acceptanceCriteria.length > 0);

  const after = out.incident!(inc);
  t.equal(after.state, 'remediating');
  t.equal(after.remediationSpawned, true);
  t.match(after.attempts, [
    { attempt: 1, coderun: name, namespace: 'cto', phase: 'Pending', finishedAt: null },
  ]);
  t.equal(out.incident!({ ...inc, state: 'escalated' }).state, 'escalated', 'no state regression');
  const planned = {
    attempt: 1,
    coderun: '',
    namespace: '',
    phase: 'Planned',
    createdAt: '2025-01-15T12:29:00Z',
    finishedAt: null,
    pullRequestUrl: null,
  };
  t.match(
    out.incident!({ ...inc, attempts: [planned] }).attempts,
    [{ attempt: 1, coderun: name, phase: 'Pending' }],
    "decide()'s planned record is replaced by the run",
  );
  t.equal(out.incident!({ ...inc, attempts: [planned] }).attempts.length, 1);
});

void t.test('a repeated spawn adopts; 409 on the deterministic name adopts', async (t) => {
  const { sim, handler } = await setup(t);
  const first = await handler.run(ctx(spawn(1), incident()));
  const again = await handler.run(ctx(spawn(1), first.incident!(incident())));
  t.match(again.result, { coderun: `healer-a7-${fp8}-1`, adopted: true, via: 'label' });
  t.equal(runs(sim).length, 1);

  // A run of that name without Healer's labels (created by hand, or by an old version).
  sim.create(codeRunManifest(`healer-a7-${fp8}-2`));
  sim.patchStatus('agents.platform/v1', 'coderuns', 'cto', `healer-a7-${fp8}-2`, {
    status: { phase: 'Running' },
  });
  const conflict = await handler.run(ctx(spawn(2), incident()));
  t.match(conflict.result, { coderun: `healer-a7-${fp8}-2`, adopted: true, via: 'conflict' });
  t.match(conflict.incident!(incident()).attempts, [{ attempt: 2, phase: 'Running' }]);
  t.equal(runs(sim).length, 2);
});

void t.test(
  'an existing run of the same attempt is adopted by its fingerprint label',
  async (t) => {
    const { sim, handler } = await setup(t);
    const inc = incident();
    const labels = {
      'agents.platform/type': 'healer-remediation',
      'healer.platform/remediation': 'true',
      'healer.platform/fingerprint': inc.fingerprint.slice(0, 16),
      'alert-type': 'a7',
    };
    sim.create(
      codeRunManifest('heal-legacy-run', { labels, spec: { env: { HEAL_ATTEMPT: '1' } } }),
    );
    const out = await handler.run(ctx(spawn(1), inc));
    t.match(out.result, { coderun: 'heal-legacy-run', adopted: true, via: 'label' });
    t.equal(runs(sim).length, 1, 'nothing created');

    const second = await handler.run(ctx(spawn(2), inc));
    t.match(second.result, { coderun: `healer-a7-${fp8}-2`, via: 'created' }, 'another attempt');
    t.equal(runs(sim).length, 2);
  },
);

void t.test('spawn-evaluation creates the evaluation run once', async (t) => {
  const { sim, handler } = await setup(t);
  const inc = incident({ githubIssue: null });
  const out = await handler.run(ctx({ kind: 'spawn-evaluation' }, inc));
  t.match(out.result, { coderun: `healer-eval-a7-${fp8}`, kind: 'evaluation', via: 'created' });
  const after = out.incident!(inc);
  t.match(after.evaluation, { coderun: `healer-eval-a7-${fp8}`, phase: 'Pending' });
  t.same(after.attempts, [], 'an evaluation is not a remediation attempt');
  const cr = sim.get('agents.platform/v1', 'coderuns', 'cto', `healer-eval-a7-${fp8}`) as Wire;
  t.match(cr.spec.promptModification, /healer:fingerprint=/, 'asks for an issue with the marker');
  const again = await handler.run(ctx({ kind: 'spawn-evaluation' }, after));
  t.match(again.result, { adopted: true });
  t.equal(runs(sim).length, 1);
});

void t.test('a resolved incident gets no run', async (t) => {
  const { sim, handler } = await setup(t);
  const out = await handler.run(ctx(spawn(1), incident({ state: 'resolved' })));
  t.match(out.result, { skipped: /resolved/ });
  t.equal(out.incident, undefined);
  t.equal(runs(sim).length, 0);
});

void t.test('a CRD rejection is permanent and says which field', async (t) => {
  const build = (): CodeRun =>
    codeRunManifest(`healer-a7-${fp8}-1`, { spec: { taskId: 'four' } }) as unknown as CodeRun;
  const { sim, handler } = await setup(t, { build });
  const e = await rejection(handler.run(ctx(spawn(1), incident())));
  t.equal(e.retryable, false);
  t.match(e.message, /creating CodeRun cto\/healer-a7-.*422.*spec\.taskId/);
  t.equal(runs(sim).length, 0);

  const { handler: elsewhere } = await setup(t, { coderun: { ...coderun, namespace: 'nope' } });
  const missing = await rejection(elsewhere.run(ctx(spawn(1), incident())));
  t.equal(missing.retryable, false);
  t.match(missing.message, /404.*namespaces "nope" not found/);
});

void t.test('a minimal manifest from another builder is created as given', async (t) => {
  const build = (): CodeRun => codeRunManifest('minimal-run') as unknown as CodeRun;
  const { sim, handler } = await setup(t, { build });
  const out = await handler.run(ctx(spawn(1), incident()));
  t.match(out.result, { coderun: 'minimal-run', via: 'created' });
  t.ok(sim.get('agents.platform/v1', 'coderuns', 'cto', 'minimal-run'));
});

void t.test('server errors, throttling and refused connections are retryable', async (t) => {
  const { sim, handler } = await setup(t);
  sim.faults.failRequests({ status: 500, count: 1, match: /^POST / });
  const e = await rejection(handler.run(ctx(spawn(1), incident())));
  t.equal(e.retryable, true);
  t.match(e.message, /500/);
  sim.faults.failRequests({ status: 429, count: 1, match: /^GET /, retryAfterSeconds: 7 });
  const limited = await rejection(handler.run(ctx(spawn(1), incident())));
  t.equal(limited.retryable, true);
  t.equal(limited.retryAfterMs, 7000);
  t.equal(runs(sim).length, 0);
  const refused = sim.faults.refuseConnections(300);
  const down = await rejection(handler.run(ctx(spawn(1), incident())));
  t.equal(down.retryable, true);
  await refused;
  const ok = await handler.run(ctx(spawn(1), incident()));
  t.match(ok.result, { via: 'created' });
  t.equal(runs(sim).length, 1);
});

void t.test('the follower maps CodeRun status to attempt updates', async (t) => {
  const { sim, handler } = await setup(t);
  const inc = incident();
  const out = await handler.run(ctx(spawn(1), inc));
  let current = out.incident!(inc);
  const name = `healer-a7-${fp8}-1`;
  const read = () => sim.get('agents.platform/v1', 'coderuns', 'cto', name) as unknown as CodeRun;

  t.equal(incidentIdOfCodeRun(read()), inc.id, 'the label leads to the incident');
  t.equal(applyAttemptUpdate(current, attemptFromCodeRun(read())), undefined, 'nothing new');

  sim.patchStatus('agents.platform/v1', 'coderuns', 'cto', name, { status: { phase: 'Running' } });
  current = applyAttemptUpdate(current, attemptFromCodeRun(read()))!;
  t.match(current.attempts, [{ attempt: 1, phase: 'Running', finishedAt: null }]);

  sim.patchStatus('agents.platform/v1', 'coderuns', 'cto', name, {
    status: {
      phase: 'Succeeded',
      finishedAt: '2025-01-15T12:45:00Z',
      pullRequestUrl: 'https://github.com/5dlabs/cto/pull/77',
    },
  });
  const done = attemptFromCodeRun(read());
  t.same(done, {
    coderun: name,
    namespace: 'cto',
    phase: 'Succeeded',
    finishedAt: '2025-01-15T12:45:00Z',
    pullRequestUrl: 'https://github.com/5dlabs/cto/pull/77',
  });
  current = applyAttemptUpdate(current, done)!;
  t.match(current.attempts, [
    { phase: 'Succeeded', pullRequestUrl: 'https://github.com/5dlabs/cto/pull/77' },
  ]);
  const stale = applyAttemptUpdate(current, { coderun: name, namespace: 'cto', phase: 'Running' });
  t.equal(stale, undefined, 'a stale Running event does not undo Succeeded');
  t.equal(
    applyAttemptUpdate(current, { coderun: 'someone-else', namespace: 'cto', phase: 'Failed' }),
    undefined,
    'a run of another incident changes nothing',
  );
  const withEval = {
    ...current,
    evaluation: { ...current.attempts[0], coderun: 'ev', phase: 'Running' },
  };
  t.match(
    applyAttemptUpdate(withEval, { coderun: 'ev', namespace: 'cto', phase: 'Failed' })?.evaluation,
    {
      phase: 'Failed',
    },
  );
});

void t.test("the action's deadline aborts a slow API server (retryable)", async (t) => {
  const { sim, handler } = await setup(t);
  sim.faults.delay(3_000);
  t.teardown(() => sim.faults.clear());
  const started = Date.now();
  const e = await rejection(
    handler.run({ ...ctx(spawn(1), incident()), signal: AbortSignal.timeout(200) }),
  );
  t.ok(Date.now() - started < 2_000, 'gave up at the deadline');
  t.equal(e.retryable, true);
  t.match(e.message, /aborted/);
});

void t.test(
  'the platform-wide cap: with maxConcurrent runs going, a spawn waits (retryably); a finished one frees a place',
  async (t) => {
    const { sim, handler } = await setup(t, { maxConcurrent: 2 });
    for (const n of [1, 2]) {
      sim.create(
        codeRunManifest(`healer-a2-0000000${n}-1`, {
          labels: { 'healer.platform/remediation': 'true' },
        }),
      );
    }
    const err = await rejection(handler.run(ctx(spawn(1), incident())));
    t.equal(err.retryable, true);
    t.match(err.message, /2 Healer CodeRuns are running \(remediation.maxConcurrent 2\)/);
    t.equal(err.retryAfterMs, 60_000);
    t.equal(runs(sim).length, 2, 'nothing created');
    sim.patchStatus('agents.platform/v1', 'CodeRun', 'cto', 'healer-a2-00000001-1', {
      status: { phase: 'Succeeded' },
    });
    const out = await handler.run(ctx(spawn(1), incident()));
    t.match(out.result, { via: 'created' });
    t.equal(runs(sim).length, 3);
  },
);
