// The tracker: what an evaluation did not run keeps firing, and a sweep resolves only incidents
// whose source was read.
import t, { type Test } from 'tap';
import type { AlertDraft } from '../../src/domain/alert.js';
import { IncidentTracker } from '../../src/incidents/tracker.js';
import { openMemoryStore } from '../../src/store/memory/index.js';

const NOW = new Date('2026-11-21T10:00:00Z');

const draft = (alert: 'A9' | 'A7' | 'A5', subject = 'coderun-x'): AlertDraft => ({
  alert,
  severity: 'medium',
  issueType: 'stuck',
  title: `${alert} on ${subject}`,
  description: 'd',
  namespace: 'cto',
  playId: 'play-1',
  taskId: '1',
  agent: 'rex',
  subject,
  evidence: [],
  context: {},
  detectedAt: NOW.toISOString(),
});

function setup(t: Test) {
  const store = openMemoryStore();
  t.teardown(() => store.close());
  const tracker = new IncidentTracker({ store, now: () => NOW });
  const resolved: string[] = [];
  tracker.on('resolved', ({ incident }) => resolved.push(incident.alert));
  return { store, tracker, resolved };
}

void t.test(
  'an alert whose rule did not run on an event keeps firing; the next tick decides',
  async (t) => {
    const { store, tracker, resolved } = setup(t);
    await tracker.observe('coderun/cto/x', [draft('A9')]);
    // a watch event: tick-only rules (A9) did not run, so no draft for A9
    await tracker.observe('coderun/cto/x', [], undefined, new Set(['A9']));
    t.same(resolved, [], 'not resolved by an evaluation that did not look');
    t.equal((await store.openIncidents()).length, 1);
    // an event that does run the rule... and the tick that sees it clear resolves it
    await tracker.observe('coderun/cto/x', []);
    await tracker.idle();
    t.same(resolved, ['A9']);
  },
);

void t.test('an evaluation that skipped other alerts still stops the ones it ran', async (t) => {
  const { tracker, resolved } = setup(t);
  await tracker.observe('pod/cto/p', [draft('A7', 'p')]);
  await tracker.observe('pod/cto/p', [], undefined, new Set(['A9']));
  await tracker.idle();
  t.same(resolved, ['A7']);
});

void t.test('a sweep resolves only incidents whose source was read', async (t) => {
  const { store, tracker } = setup(t);
  await store.recordAlert(draft('A7', 'gone-pod'), 'a'.repeat(64), NOW);
  await store.recordAlert(draft('A5', 'play-1/pr'), 'b'.repeat(64), NOW);
  const swept = await tracker.sweep((source) =>
    source === 'kubernetes' ? 'Kubernetes: watching is off (no cluster)' : null,
  );
  await tracker.idle();
  t.same(
    swept.cleared.map((i) => i.alert),
    ['A5'],
  );
  t.same(
    swept.unobserved.map((u) => [u.incident.alert, u.missing]),
    [['A7', 'Kubernetes: watching is off (no cluster)']],
  );
  const open = await store.openIncidents();
  t.same(
    open.map((i) => i.alert),
    ['A7'],
    'the incident whose source was not read stays open',
  );
});
