// Every scenario file loads and validates, covers the alert it is named after, and a broken
// scenario is rejected with every problem named by file, path and line.
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import { ScenarioError, loadScenario, parseScenario } from '../sim/play/index.js';

const DIR = fileURLToPath(new URL('../scenarios/', import.meta.url));
const files = readdirSync(DIR)
  .filter((f) => f.endsWith('.yaml'))
  .sort();

// testing.md: a happy path and one scenario per alert, plus the look-alikes.
const REQUIRED: Record<string, string[]> = {
  'happy-path': [],
  'a1-comment-order': ['A1'],
  'a2-silent-failure': ['A2'],
  'a3-stale-progress': ['A3'],
  'a4-approval-loop': ['A4'],
  'a5-ci-after-tess': ['A5'],
  'a5-merge-conflict': ['A5'],
  'a7-crash-loop': ['A7'],
  'a7-oomkilled': ['A7'],
  'a7-image-pull': ['A7'],
  'a8-step-timeout': ['A8'],
  'a9-stuck-coderun': ['A9'],
  'a10-tool-mismatch': ['A10'],
  'a12-mcp-init-preflight': ['A12'],
  'completion-conflict': ['completion', 'runtime'],
  'lookalike-sidecar-exit0': [],
  'lookalike-timeout-config': [],
  'lookalike-approvals-with-commits': [],
};

void t.test('every scenario file loads and validates', async (t) => {
  t.same(
    Object.keys(REQUIRED).filter((n) => !files.includes(`${n}.yaml`)),
    [],
    'every required scenario exists',
  );
  for (const f of files) {
    const s = await loadScenario(DIR + f);
    t.equal(s.name, f.replace(/\.yaml$/, ''), `${f}: name matches the file`);
    const alerts = [...new Set(s.expect.alerts.map((a) => a.alert))].sort();
    if (f.replace(/\.yaml$/, '') in REQUIRED)
      t.same(
        alerts,
        [...REQUIRED[f.replace(/\.yaml$/, '')]].sort(),
        `${f}: expects ${alerts.join(', ') || 'nothing'}`,
      );
    if (s.expect.none) t.equal(s.expect.issues + s.expect.coderuns, 0, `${f}: nothing to do`);
    else t.ok(s.expect.issues > 0, `${f}: an alert opens an issue`);
  }
  const ids = await Promise.all(
    files.map(async (f) => (await loadScenario(DIR + f)).session.play_id),
  );
  t.equal(new Set(ids).size, ids.length, 'play ids are unique, so scenarios can share one world');
});

const SESSION = `
session:
  play_id: play-task-1-test
  repository: 5dlabs/cto
  cto_config:
    agents:
      rex: { githubApp: 5DLabs-Rex, cli: claude }
  tasks: [{ id: 1, title: One }]
`;
const scenario = (steps: string, expect = 'expect: { none: true, issues: 0, coderuns: 0 }') =>
  `name: bad\ndescription: test\n${SESSION}steps:\n${steps}\n${expect}\n`;

function problems(text: string): ScenarioError['problems'] {
  try {
    parseScenario(text, 'test/scenarios/bad.yaml');
  } catch (e) {
    if (e instanceof ScenarioError) return e.problems;
    throw e;
  }
  throw new Error('expected a ScenarioError');
}

void t.test('a broken scenario names the file, the path and the line of each problem', (t) => {
  const cases: [string, string, RegExp, string][] = [
    [
      'an unknown key in a step',
      `  - { at: 0s, pod: { agent: rex, phaze: Running } }`,
      /Unrecognized key.*phaze/i,
      'steps.0.pod',
    ],
    ['a bad duration', `  - { at: 3 minutes, wait: x }`, /is not a duration/, 'steps.0.at'],
    [
      'a bad container state',
      `  - { at: 0s, pod: { agent: rex, states: { claude: sleeping } } }`,
      /not a container state/,
      'steps.0.pod.states.claude',
    ],
    [
      'two actions in one step',
      `  - { at: 0s, wait: x, workflow: {} }`,
      /exactly one action.*workflow, wait|exactly one action.*wait/,
      'steps.0',
    ],
    [
      'steps out of order',
      `  - { at: 1m, wait: x }\n  - { at: 30s, wait: y }`,
      /time order/,
      'steps.1.at',
    ],
    [
      'an agent the session does not have',
      `  - { at: 0s, coderun: { agent: tess } }`,
      /"tess" is not in session/,
      'steps.0.coderun.agent',
    ],
    [
      'logs of a pod never created',
      `  - { at: 0s, logs: { pod: rex, lines: [hi] } }`,
      /no pod "rex"/,
      'steps.0.logs.pod',
    ],
    [
      'a container the pod does not have',
      `  - { at: 0s, pod: { agent: rex } }\n  - { at: 1s, pod: { agent: rex, states: { codex: running } } }`,
      /no container "codex"/,
      'steps.1.pod.states.codex',
    ],
    [
      'a comment before the PR',
      `  - { at: 0s, comment: { agent: rex, body: hi } }`,
      /needs a pull request/,
      'steps.0.comment',
    ],
    [
      'a comment with two authors',
      `  - { at: 0s, pr: { agent: rex } }\n  - { at: 1s, comment: { agent: rex, author: bob, body: hi } }`,
      /exactly one of agent/,
      'steps.1.comment',
    ],
    [
      '{pr} before the PR exists',
      `  - { at: 0s, pod: { agent: rex } }\n  - { at: 1s, logs: { pod: rex, lines: ['PR {pr}'] } }`,
      /need a pr step/,
      'steps.1.logs.lines.0',
    ],
    [
      'a completed check without conclusion',
      `  - { at: 0s, pr: { agent: rex } }\n  - { at: 1s, check: { name: ci, status: completed } }`,
      /needs a conclusion/,
      'steps.1.check.conclusion',
    ],
  ];
  for (const [what, steps, message, path] of cases) {
    const found = problems(scenario(steps));
    const p = found.find((x) => message.test(x.message));
    t.ok(p, `${what}: ${JSON.stringify(found)}`);
    t.equal(p?.path.join('.'), path, `${what}: path`);
    t.ok((p?.line ?? 0) > 0, `${what}: line`);
  }
  const wrongExpect = problems(
    scenario('  - { at: 0s, wait: x }', 'expect: { issues: 1, coderuns: 1 }'),
  );
  t.match(wrongExpect, [{ path: ['expect', 'alerts'], message: /list the expected alerts/ }]);
  const named = problems(scenario('  - { at: 0s, wait: x }').replace('name: bad', 'name: other'));
  t.match(named, [{ path: ['name'], message: /must equal the file name "bad"/ }]);
  try {
    parseScenario(
      scenario(`  - { at: 0s, pod: { agent: tess, phaze: x } }`),
      'test/scenarios/bad.yaml',
    );
  } catch (e) {
    t.match(
      (e as Error).message,
      /^test\/scenarios\/bad\.yaml: invalid scenario \(\d+ problems?\)\n {2}- steps\.0\.pod \(line \d+\)/,
    );
  }
  t.throws(
    () => parseScenario('name: [unclosed', 'x.yaml'),
    /x\.yaml: invalid scenario[\s\S]*YAML/,
  );
  t.end();
});
