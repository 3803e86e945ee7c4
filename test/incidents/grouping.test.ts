// Cause groups: the shipped rules and their examples, the pure correlation (join, form, nothing),
// the parent's draft, and rules files that are refused with every problem named.
import t from 'tap';
import type { AlertDraft } from '../../src/domain/alert.js';
import type { Incident } from '../../src/domain/incident.js';
import { fingerprint } from '../../src/incidents/fingerprint.js';
import {
  causeKey,
  causeOf,
  loadGroupingRules,
  parentDraft,
  parentFingerprint,
  parseGroupingRules,
  planGroup,
} from '../../src/incidents/grouping.js';
import { recordOccurrence } from '../../src/incidents/lifecycle.js';

const T0 = new Date('2026-11-21T10:00:00.000Z');
const rules = loadGroupingRules();

void t.test('the shipped rules load, each with examples that hold', (t) => {
  t.same(
    rules.map((r) => r.name),
    [
      'mcp-server-down',
      'node-not-ready',
      'image-pull-failing',
      'credential-rejected',
      'config-file-invalid',
    ],
  );
  for (const r of rules) {
    t.ok(
      r.examples.some((e) => e.keys.some((k) => k !== null)),
      `${r.name}: an example groups`,
    );
    t.ok(
      r.examples.some((e) => e.keys.some((k) => k === null)),
      `${r.name}: an example does not`,
    );
  }
  t.end();
});

function draft(over: Partial<AlertDraft> = {}): AlertDraft {
  return {
    alert: 'A2',
    severity: 'critical',
    issueType: 'agent_failure',
    title: 'Silent Failure: play-task-4-rex-abc',
    description: 'd',
    namespace: 'cto',
    playId: 'play-task-4',
    taskId: '4',
    agent: 'rex',
    subject: 'play-task-4',
    evidence: [],
    context: {},
    detectedAt: T0.toISOString(),
    ...over,
  };
}
const incident = (over: Partial<AlertDraft> = {}, extra: Partial<Incident> = {}): Incident => {
  const d = draft(over);
  return { ...recordOccurrence(undefined, d, fingerprint(d), T0).incident, ...extra };
};

const TOOLS = 'event Warning Failed: MCP server "cto-tools" unreachable: connection refused';

void t.test('keys: what each rule reads, and what it leaves alone', (t) => {
  const rows: [string, Partial<AlertDraft>, string, string | null][] = [
    ['tools server in an event', { evidence: [TOOLS] }, 'mcp-server-down', 'cto-tools'],
    [
      'another server',
      { evidence: ['MCP server github failed to start'] },
      'mcp-server-down',
      'github',
    ],
    [
      'an alert the rule does not group',
      { alert: 'A3', evidence: [TOOLS] },
      'mcp-server-down',
      null,
    ],
    [
      'a node that is fine',
      { alert: 'A7', context: { node: 'worker-1' }, evidence: ['claude: terminated exitCode=1'] },
      'node-not-ready',
      null,
    ],
    [
      'a node that is not ready',
      {
        alert: 'A7',
        context: { node: 'Worker-1' },
        evidence: ['event Warning NodeNotReady: Node is not ready'],
      },
      'node-not-ready',
      'worker-1',
    ],
    [
      'an image',
      { alert: 'A7', evidence: ['event Warning Failed: Failed to pull image "reg.io/x:1": 404'] },
      'image-pull-failing',
      'reg.io/x:1',
    ],
    [
      'a credential: the host, never the secret',
      {
        alert: 'runtime',
        evidence: [
          'fatal: Authentication failed for https://ghp_abcdefghijklmnopqrstuvwxyz0123456789@github.com/x.git',
        ],
      },
      'credential-rejected',
      'github.com',
    ],
    [
      'a config file',
      { alert: 'A11', evidence: ['error parsing /etc/cto/values.yaml: yaml: line 3'] },
      'config-file-invalid',
      '/etc/cto/values.yaml',
    ],
  ];
  for (const [name, over, rule, want] of rows)
    t.equal(
      causeKey(
        rules.find((r) => r.name === rule)!,
        incident(over),
      ),
      want,
      name,
    );
  t.end();
});

void t.test('planGroup: form the parent, join it, or nothing', (t) => {
  const rex = incident({ evidence: [TOOLS] });
  t.match(planGroup(rex, [], rules, T0), {
    kind: 'form',
    key: 'cto-tools',
    rule: { name: 'mcp-server-down' },
  });
  const parent = {
    ...recordOccurrence(
      undefined,
      parentDraft(rules[0], 'cto-tools', [rex], T0),
      parentFingerprint('mcp-server-down', 'cto-tools'),
      T0,
    ).incident,
  };
  t.same(causeOf(parent), { rule: 'mcp-server-down', key: 'cto-tools' });
  const cleo = incident({
    evidence: [TOOLS],
    agent: 'cleo',
    playId: 'play-task-5',
    subject: 'play-task-5',
  });
  t.match(planGroup(cleo, [parent, rex], rules, T0), { kind: 'join', parent: { id: parent.id } });
  t.equal(planGroup(parent, [parent], rules, T0), null, 'a parent is never grouped itself');
  t.equal(
    planGroup(incident({ evidence: [TOOLS], context: { remediation: true } }), [parent], rules, T0),
    null,
    'nor is a run of Healer’s own',
  );
  t.equal(
    planGroup(incident({ evidence: ['exit 1'] }), [parent], rules, T0),
    null,
    'no cause, no group',
  );
  const other = incident({ evidence: ['event Warning Failed: MCP server "github" unreachable'] });
  t.match(
    planGroup(other, [parent], rules, T0),
    { kind: 'form', key: 'github' },
    'another server: its own',
  );
  const resolved = { ...parent, state: 'resolved' as const };
  t.match(
    planGroup(cleo, [resolved], rules, T0),
    { kind: 'form' },
    'a resolved parent is not joined',
  );
  const later = new Date(T0.getTime() + 61 * 60_000);
  t.match(planGroup(cleo, [parent], rules, later), { kind: 'form' }, 'nor one past its window');
  t.end();
});

void t.test(
  'one image: the platform check and the agent pods it breaks share one cause, whichever is seen first; another image does not',
  (t) => {
    const image = 'ghcr.io/5dlabs/rex:9.9.9';
    const check = incident({
      alert: 'platform',
      playId: null,
      taskId: null,
      agent: null,
      subject: `Image/${image}`,
      evidence: ['pod cto/play-task-4-rex-p1p2p', 'pod agents-b/play-task-5-rex-p5p6p'],
      context: { check: 'image-pull', image, namespaces: 2, pods: 2 },
    });
    // the A7 rule names the image of a container waiting in ImagePullBackOff
    const pod = incident({
      alert: 'A7',
      evidence: ['rex: waiting reason=ImagePullBackOff ready=false restartCount=0'],
      context: { reason: 'ImagePullBackOff', image },
    });
    const typo = incident({
      alert: 'A7',
      agent: 'cleo',
      subject: 'play-task-4-cleo',
      context: { reason: 'ImagePullBackOff', image: 'ghcr.io/5dlabs/cleo:1.0.0-typo' },
    });
    const rule = rules.find((r) => r.name === 'image-pull-failing')!;
    const parentOf = (first: Incident) =>
      recordOccurrence(
        undefined,
        parentDraft(rule, image, [first], T0),
        parentFingerprint(rule.name, image),
        T0,
      ).incident;
    for (const [first, then] of [
      [check, pod],
      [pod, check],
    ] as const) {
      t.match(planGroup(first, [], rules, T0), { kind: 'form', key: image });
      const parent = parentOf(first);
      t.match(
        planGroup(then, [parent, first], rules, T0),
        { kind: 'join', parent: { id: parent.id } },
        `${then.alert} after ${first.alert}: joins the one parent`,
      );
      t.match(
        planGroup(typo, [parent, first], rules, T0),
        { kind: 'form', key: 'ghcr.io/5dlabs/cleo:1.0.0-typo' },
        'another image forms its own',
      );
    }
    t.end();
  },
);

void t.test('the parent draft names the cause and lists the children', (t) => {
  const a = incident({ evidence: [TOOLS] });
  const b = incident({ evidence: [TOOLS], agent: 'blaze', subject: 'play-task-4-blaze' });
  const c = incident({
    evidence: [TOOLS],
    agent: 'cleo',
    playId: 'play-task-5',
    subject: 'play-task-5',
  });
  const d = parentDraft(rules[0], 'cto-tools', [a, b, c], T0);
  t.match(d, {
    alert: 'A2',
    title: 'MCP server failing: cto-tools',
    agent: null,
    taskId: null,
    playId: 'play-task-4',
    subject: 'cause-mcp-server-down',
    context: {
      cause_rule: 'mcp-server-down',
      cause_key: 'cto-tools',
      children: `${a.id}, ${b.id}, ${c.id}`,
      plays: 'play-task-4, play-task-5',
      agents: 'rex, blaze, cleo',
    },
  });
  t.match(
    d.description,
    /One cause behind 3 incidents of 3 agents \(rex, blaze, cleo\) in 2 Plays/,
  );
  t.equal(
    parentFingerprint('mcp-server-down', 'cto-tools'),
    parentFingerprint('mcp-server-down', 'cto-tools'),
    'whichever child forms it',
  );
  t.end();
});

void t.test('a bad rules file is refused with every problem', (t) => {
  t.throws(() => parseGroupingRules('rules: [', 'x.yaml'), /x.yaml: [\s\S]*not YAML/);
  const bad = `rules:
  - name: Bad Name
    title: t
    description: d
    alerts: [A99]
    keys: [{ evidence: 'no group here' }]
    examples: []
`;
  let message = '';
  try {
    parseGroupingRules(bad, 'bad.yaml');
  } catch (err) {
    message = (err as Error).message;
  }
  t.match(message, /kebab-case/);
  t.match(message, /alerts/);
  t.match(message, /named group/);
  t.match(message, /needs an example/);
  const wrong = `rules:
  - name: r
    title: t
    description: d
    alerts: [A7]
    keys: [{ evidence: 'image "(?<key>[^"]+)"' }]
    examples:
      - incidents: [{ alert: A7, evidence: ['image "a"'] }]
        keys: [b]
      - incidents: [{ alert: A7 }]
        keys: [null]
`;
  t.throws(
    () => parseGroupingRules(wrong, 'w.yaml'),
    /r: example 1, incident 1 \(A7\) has key "a", expected "b"/,
  );
  t.end();
});
