// The inhibition rules (patterns/inhibition.yaml): the shipped file loads and every example holds;
// a broken file is refused with every reason; the matcher picks the right parent.
import t from 'tap';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  InhibitionRulesError,
  PLAY_READ_LIMIT,
  findInhibitor,
  inhibitable,
  inhibitionCandidates,
  loadInhibitionRules,
  parseInhibitionRules,
  type InhibitionReader,
} from '../../src/incidents/inhibition.js';
import type { AlertDraft, AlertId } from '../../src/domain/alert.js';
import type { Incident, IncidentQuery } from '../../src/domain/incident.js';
import { fingerprint } from '../../src/incidents/fingerprint.js';
import { openMemoryStore } from '../../src/store/memory/index.js';
import { sampleA7Incident } from '../helpers/incidents.js';

void t.test('the shipped rules load; each has an inhibited and a not-inhibited example', (t) => {
  const rules = loadInhibitionRules();
  t.ok(rules.length >= 2);
  for (const r of rules) {
    t.ok(
      r.examples.some((e) => e.inhibited),
      `${r.name}: an inhibited example`,
    );
    t.ok(
      r.examples.some((e) => !e.inhibited),
      `${r.name}: a look-alike that is not`,
    );
  }
  t.same([...inhibitable(rules)].sort(), ['A10', 'A8', 'A9']);
  t.end();
});

void t.test('a broken rules file is refused with every reason', (t) => {
  const wrong = `rules:
  - name: backwards
    description: d
    source: [A9]
    target: [A2]
    equal: [playId]
    examples:
      - source: { alert: A9, playId: p }
        target: { alert: A2, playId: p }
        inhibited: false
      - source: { alert: A9, playId: p }
        target: { alert: A2, playId: q }
        inhibited: false
  - name: backwards
    description: d
    source: [A2]
    target: [A9]
    equal: [playId]
    examples:
      - source: { alert: A2, playId: p }
        target: { alert: A9, playId: p }
        inhibited: true
      - source: { alert: A2, playId: p }
        target: { alert: A9, playId: q }
        inhibited: false
`;
  t.throws(() => parseInhibitionRules(wrong, 'x.yaml'), {
    name: 'InhibitionRulesError',
    message:
      /x\.yaml: the inhibition rules have 2 problems:\n.*backwards: example 1 \(A9 → A2\) should not be inhibited\n.*backwards: the name is used twice/,
  });
  t.throws(() => parseInhibitionRules('rules:\n  - name: x\n    source: [A99]\n'), {
    message: /rules\.0\.source\.0/,
  });
  t.throws(() => parseInhibitionRules('rules: [\n'), { message: /not YAML/ });
  const dir = t.testdir({});
  t.throws(() => loadInhibitionRules(join(dir, 'missing.yaml')), InhibitionRulesError);
  writeFileSync(join(dir, 'empty.yaml'), 'rules: []\n');
  t.same(loadInhibitionRules(join(dir, 'empty.yaml')), [], 'no rules is a valid choice');
  t.end();
});

void t.test(
  'findInhibitor: the earliest open source on the same run; never itself, resolved or a child',
  (t) => {
    const rules = loadInhibitionRules();
    const run = { playId: 'play-task-4', agent: 'rex', taskId: '4' };
    const inc = (id: string, over: Partial<Incident>): Incident =>
      sampleA7Incident({ id, ...run, ...over });
    const target = inc('a9', { alert: 'A9' });
    const later = inc('a7', { alert: 'A7', firstSeen: '2026-01-01T10:05:00Z' });
    const earlier = inc('a2', { alert: 'A2', firstSeen: '2026-01-01T10:00:00Z' });
    t.equal(findInhibitor(target, [later, earlier, target], rules)?.source.id, 'a2');
    t.equal(
      findInhibitor(target, [{ ...earlier, state: 'resolved' }, later], rules)?.source.id,
      'a7',
    );
    t.equal(
      findInhibitor(
        target,
        [{ ...earlier, inhibitedBy: { incidentId: 'z', alert: 'A12', rule: 'r', at: '' } }],
        rules,
      ),
      null,
      'a child is never a parent',
    );
    t.equal(
      findInhibitor(target, [inc('b', { alert: 'A2', agent: 'blaze' })], rules),
      null,
      'another agent',
    );
    t.equal(
      findInhibitor(
        target,
        [inc('c', { alert: 'A2', playId: null, agent: null, taskId: null })],
        rules,
      ),
      null,
    );
    t.equal(
      findInhibitor(inc('a2x', { alert: 'A2' }), [later], rules),
      null,
      'A2 is not a symptom',
    );
    t.equal(
      findInhibitor(inc('a10', { alert: 'A10' }), [inc('a12', { alert: 'A12' })], rules)?.rule.name,
      'mcp-server-down-hides-its-tools',
    );
    t.end();
  },
);

const NOW = new Date('2026-12-07T10:00:00Z');
const alertDraft = (alert: AlertId, playId: string | null, subject: string): AlertDraft => ({
  alert,
  severity: 'high',
  issueType: 'agent_failure',
  title: `${alert} ${subject}`,
  description: `${alert} on ${subject}`,
  namespace: 'cto',
  playId,
  taskId: playId ? playId.replace('play-', '') : null,
  agent: playId ? 'rex' : null,
  subject,
  evidence: [],
  context: {},
  detectedAt: NOW.toISOString(),
});

/** A real memory store behind a reader that counts what the inhibition check reads. */
function world(): {
  store: ReturnType<typeof openMemoryStore>;
  reader: InhibitionReader & { full: number; rows: number };
  record: (alert: AlertId, playId: string | null, subject: string) => Promise<Incident>;
} {
  const store = openMemoryStore();
  const record = async (alert: AlertId, playId: string | null, subject: string) => {
    const d = alertDraft(alert, playId, subject);
    return (await store.recordAlert(d, fingerprint(d), NOW)).incident;
  };
  const reader = {
    full: 0,
    rows: 0,
    openIncidents: async () => {
      reader.full++;
      const all = await store.openIncidents();
      reader.rows += all.length;
      return all;
    },
    listIncidents: async (q: IncidentQuery) => {
      const rows = await store.listIncidents(q);
      reader.rows += rows.length;
      return rows;
    },
  };
  return { store, reader, record };
}

void t.test(
  "inhibitionCandidates: the play's sources only, never every open incident, and the same answer as a full read",
  async (t) => {
    const rules = loadInhibitionRules();
    const { store, reader, record } = world();
    // a step timeout (A8) per play, the way 1,000 sessions fire it during the initial list
    for (let i = 0; i < 40; i++) await record('A8', `play-${i}`, `play-${i}-rex`);
    const a7 = await record('A7', 'play-1', 'play-1-rex-pod');
    const oldA2 = await record('A2', 'play-2', 'play-2-rex-pod');
    await store.updateIncident(oldA2.id, (i) => ({ ...i, state: 'resolved' }));
    await record('A12', 'play-3', 'play-3-mcp');
    const targets = [
      await record('A8', 'play-1', 'play-1-rex'), // inhibited by the open A7
      await record('A8', 'play-2', 'play-2-rex'), // its A2 resolved: not inhibited
      await record('A9', 'play-5', 'play-5-coderun'), // nothing on its play
      await record('A10', 'play-3', 'play-3-tools'), // under the open A12
      await record('A9', null, 'orphan-coderun'), // no play: nothing can match
    ];
    const all = await store.openIncidents();
    for (const target of targets) {
      const candidates = await inhibitionCandidates(target, rules, reader);
      t.same(
        findInhibitor(target, candidates, rules)?.source.id ?? null,
        findInhibitor(target, all, rules)?.source.id ?? null,
        `${target.alert} of ${target.playId}: the same parent as a full read`,
      );
    }
    t.equal(
      findInhibitor(targets[0], await inhibitionCandidates(targets[0], rules, reader), rules)
        ?.source.id,
      a7.id,
    );
    t.equal(reader.full, 0, 'no read of every open incident');
    t.ok(
      reader.rows <= 4,
      `only the plays' source incidents were read (${reader.rows} rows, ${all.length} open)`,
    );
  },
);

void t.test(
  'inhibitionCandidates reads every open incident when a rule does not match on the play, or the play has too many',
  async (t) => {
    const { reader, record } = world();
    const byAgent = parseInhibitionRules(`rules:
  - name: by-agent
    description: d
    source: [A2]
    target: [A9]
    equal: [agent]
    examples:
      - source: { alert: A2, agent: rex }
        target: { alert: A9, agent: rex }
        inhibited: true
      - source: { alert: A2, agent: rex }
        target: { alert: A9, agent: cleo }
        inhibited: false
`);
    const a2 = await record('A2', 'play-1', 'play-1-rex-pod');
    const a9 = await record('A9', 'play-2', 'play-2-coderun');
    const candidates = await inhibitionCandidates(a9, byAgent, reader);
    t.equal(reader.full, 1, 'a rule without playId needs the full read');
    t.equal(findInhibitor(a9, candidates, byAgent)?.source.id, a2.id, 'across plays');

    for (let i = 0; i < PLAY_READ_LIMIT; i++) await record('A2', 'play-9', `play-9-pod-${i}`);
    const a8 = await record('A8', 'play-9', 'play-9-rex');
    const rules = loadInhibitionRules();
    const many = await inhibitionCandidates(a8, rules, reader);
    t.equal(reader.full, 2, 'more than the limit on one play: the full read, nothing cut off');
    t.ok(findInhibitor(a8, many, rules), 'still inhibited');
  },
);
