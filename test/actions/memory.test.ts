// The `remember` action and the recall behind remediation prompts, against the simulated OpenMemory
// through the project's client: what is stored, that a retried action stores it once, which failures
// are retried, and which memories a prompt gets.
import t from 'tap';
import { startOpenMemorySim } from '../sim/openmemory/index.js';
import { OpenMemoryClient } from '../../src/sources/memory/openmemory.js';
import {
  OpenMemoryRemediationMemory,
  RECALL,
  createMemoryHandler,
  memoryOf,
} from '../../src/actions/memory/index.js';
import { ActionError, type ActionContext } from '../../src/actions/handler.js';
import type { ActionRecord } from '../../src/domain/action.js';
import type { Incident } from '../../src/domain/incident.js';
import { sampleA7Incident } from '../helpers/incidents.js';

const resolved = (over: Partial<Incident> = {}): Incident =>
  sampleA7Incident({
    state: 'resolved',
    resolvedAt: '2026-12-01T10:00:00Z',
    resolution: 'condition cleared',
    attempts: [
      {
        attempt: 1,
        coderun: 'healer-a7-0123abcd-1',
        namespace: 'cto',
        phase: 'Failed',
        createdAt: '2026-12-01T09:00:00Z',
        finishedAt: '2026-12-01T09:20:00Z',
        pullRequestUrl: null,
      },
      {
        attempt: 2,
        coderun: 'healer-a7-0123abcd-2',
        namespace: 'cto',
        phase: 'Succeeded',
        createdAt: '2026-12-01T09:30:00Z',
        finishedAt: '2026-12-01T09:50:00Z',
        pullRequestUrl: 'https://github.com/5dlabs/cto/pull/77',
      },
    ],
    ...over,
  });

const ctx = (incident: Incident): ActionContext => ({
  action: { action: { kind: 'remember' } } as ActionRecord,
  incident,
  session: null,
  now: new Date('2026-12-01T10:01:00Z'),
  signal: AbortSignal.timeout(5_000),
});

void t.test(
  'what a resolution stores: every run, what worked, redacted, owned by the agent',
  (t) => {
    const m = memoryOf(
      resolved({
        title: 'Pod Failure: rex crashed with token ghp_Zq8mW2rT5yU9iO1pA4sD7fG3hJ6kL0xCvB2n',
      }),
    );
    t.equal(m.userId, 'rex');
    t.match(
      m.content,
      /Attempt 1 \(CodeRun healer-a7-0123abcd-1\) ended Failed without a pull request\./,
    );
    t.match(m.content, /What worked: attempt 2 \(https:\/\/github\.com\/5dlabs\/cto\/pull\/77\)/);
    t.notMatch(m.content, /ghp_Zq8m/, 'a secret in the title is redacted');
    t.same(m.tags, ['healer', 'remediation', 'a7', 'fixed']);
    t.match(m.metadata, {
      alert: 'A7',
      attempts: 2,
      pull_request: 'https://github.com/5dlabs/cto/pull/77',
    });
    const none = memoryOf(resolved({ agent: null, attempts: [] }));
    t.equal(none.userId, 'healer', 'platform incidents are owned by healer');
    t.match(none.content, /No remediation run succeeded/);
    t.end();
  },
);

void t.test(
  'a retried remember stores the resolution once; a new resolution is stored again',
  async (t) => {
    const sim = await startOpenMemorySim();
    t.teardown(() => sim.close());
    const handler = createMemoryHandler(
      new OpenMemoryRemediationMemory(new OpenMemoryClient({ url: sim.url })),
    );
    const first = await handler.run(ctx(resolved()));
    const again = await handler.run(ctx(resolved()));
    t.equal(sim.memories.length, 1);
    t.same(again.result, { memory: first.result.memory, existed: true });
    await handler.run(ctx(resolved({ resolvedAt: '2026-12-02T10:00:00Z' })));
    t.equal(sim.memories.length, 2, 'a later resolution (after a reopen) is new knowledge');
    const skipped = await handler.run(ctx(resolved({ state: 'open' })));
    t.match(skipped.result, { skipped: /no longer resolved/ });
    t.equal(sim.memories.length, 2);
  },
);

void t.test('failures: unreachable and 5xx are retried, a refused request is not', async (t) => {
  const sim = await startOpenMemorySim({ apiKey: 'right-key' });
  t.teardown(() => sim.close());
  const refused = createMemoryHandler(
    new OpenMemoryRemediationMemory(new OpenMemoryClient({ url: sim.url, apiKey: 'wrong-key' })),
  );
  await t.rejects(refused.run(ctx(resolved())), {
    name: 'ActionError',
    retryable: false,
    message: /401/,
  });
  const closed = await startOpenMemorySim();
  const url = closed.url;
  await closed.close();
  const down = createMemoryHandler(
    new OpenMemoryRemediationMemory(new OpenMemoryClient({ url, timeoutMs: 2_000 })),
  );
  const err = await down.run(ctx(resolved())).catch((e: unknown) => e);
  t.ok(err instanceof ActionError && err.retryable, 'unreachable is retried');
});

void t.test(
  'recall: the agent’s most relevant memories, at most three, above the floor',
  async (t) => {
    const sim = await startOpenMemorySim();
    t.teardown(() => sim.close());
    const client = new OpenMemoryClient({ url: sim.url });
    const incident = sampleA7Incident();
    for (let n = 0; n < 5; n++)
      await client.add(`A7 pod failure of rex, variant ${n}: ${incident.title}`, { userId: 'rex' });
    await client.add('an unrelated note about cargo caches', { userId: 'rex' });
    await client.add(`A7 pod failure: ${incident.title}`, { userId: 'cleo' });
    const got = await new OpenMemoryRemediationMemory(client).recall(incident);
    t.equal(got.length, RECALL.shown);
    t.ok(got.every((m) => m.score >= RECALL.minScore && /variant/.test(m.content)));
    t.ok(got[0].score >= got.at(-1)!.score, 'most relevant first');
  },
);
