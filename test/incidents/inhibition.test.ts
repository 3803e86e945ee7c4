// The inhibition rules (patterns/inhibition.yaml): the shipped file loads and every example holds;
// a broken file is refused with every reason; the matcher picks the right parent.
import t from 'tap';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  InhibitionRulesError,
  findInhibitor,
  inhibitable,
  loadInhibitionRules,
  parseInhibitionRules,
} from '../../src/incidents/inhibition.js';
import type { Incident } from '../../src/domain/incident.js';
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
