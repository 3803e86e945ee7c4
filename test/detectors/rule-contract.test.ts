// One contract over every registered rule: unique ids with templates, never throws on odd
// objects, deterministic, does not mutate its inputs, and fills every fingerprint input.
import t from 'tap';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { RULES } from '../../src/detectors/registry.js';
import type { Rule } from '../../src/detectors/rule.js';
import type { Correlation, RuleView, Signal, SignalKind } from '../../src/domain/signal.js';
import { ALERT_IDS, ISSUE_TYPES, SEVERITIES, type AlertDraft } from '../../src/domain/alert.js';
import type { CodeRun, Pod, Workflow } from '../../src/domain/kube.js';
import type { PrSnapshot } from '../../src/domain/pr.js';
import { fingerprint } from '../../src/incidents/fingerprint.js';
import { ALERT_TEMPLATES } from '../../src/templates/alerts.js';
import {
  corr,
  fixture,
  NOW,
  platform,
  session,
  sessionAgent,
  view,
} from './rules/kube-fixtures.js';

const FIXTURES = readdirSync(join(import.meta.dirname, '../fixtures/kube')).map((f) =>
  f.replace(/\.json$/, ''),
);
const real = (prefix: string) =>
  FIXTURES.filter((f) => f.startsWith(prefix)).map((f) => fixture<object>(f));

/** Shapes an API server, a half-written cache or a bug upstream could hand a rule. */
const ODD: unknown[] = [
  {},
  null,
  undefined,
  { metadata: null, spec: null, status: null },
  { metadata: { name: 'odd-1', namespace: 'cto', labels: null }, status: { phase: 'Running' } },
  {
    metadata: { name: 'odd-2' },
    status: { phase: 'Running', containerStatuses: null, conditions: null },
  },
  {
    metadata: { name: 'odd-3', creationTimestamp: 'not a date' },
    spec: {
      containers: [null, {}, { name: 'agent' }],
      initContainers: [null, { restartPolicy: 'Always' }],
    },
    status: {
      phase: 'Running',
      startTime: 42,
      containerStatuses: [
        null,
        {},
        { name: 'agent', state: {} },
        { name: 'x', state: { terminated: {} }, lastState: { terminated: null } },
      ],
      initContainerStatuses: [
        { state: { terminated: { exitCode: 'one' } } },
        { name: 'i', state: { waiting: {} } },
      ],
      conditions: [
        null,
        { type: 'ContainersReady', status: 'False' },
        { type: 'Ready', status: 'False', message: 42 },
        { type: 'PodScheduled', status: 'False', reason: 'Unschedulable' },
      ],
    },
  },
  {
    metadata: { name: 'odd-4', creationTimestamp: '2025-11-21T05:00:00Z' },
    status: { phase: 'Failed' },
  },
  {
    metadata: { name: 'odd-5', creationTimestamp: '2025-11-21T05:00:00Z' },
    status: { phase: 'Unknown', conditions: [{}] },
  },
  {
    metadata: { name: 'odd-6', creationTimestamp: '2025-11-21T05:00:00Z' },
    status: { phase: 'Succeeded' },
  },
  {
    metadata: { name: 'odd-7', creationTimestamp: '2025-11-21T04:00:00Z' },
    spec: { githubApp: 7 },
    status: { phase: 'Running', startedAt: '2025-11-21T04:00:00Z' },
  },
  {
    metadata: { name: 'odd-8', creationTimestamp: '2025-11-21T04:00:00Z' },
    status: {
      phase: 'Running',
      nodes: {
        a: null,
        b: { type: 'Pod', phase: 'Running', startedAt: '2025-11-21T04:00:00Z', displayName: 'rex' },
        c: {},
      },
    },
  },
  {
    metadata: { name: 'odd-9', creationTimestamp: '2025-11-21T04:00:00Z' },
    status: { nodes: 'garbage' },
  },
];

/** Snapshots that break PrSnapshot's type (the poller never builds them; rules must not throw). */
const BROKEN_PR: unknown[] = [
  {},
  null,
  { comments: null, commits: null, checks: null },
  { comments: [null, {}], commits: [{}], checks: [{}], fetchedAt: 'not a date', mergeable: false },
];

const EMPTY_PR: PrSnapshot = {
  repository: '',
  number: 0,
  url: '',
  state: 'closed',
  merged: false,
  headSha: '',
  headRef: '',
  mergeable: null,
  mergeableState: null,
  comments: [],
  commits: [],
  checks: [],
  fetchedAt: '',
};

/** Edge cases within the type: empty, unknown authors, unparsable dates, and a busy PR. */
const ODD_PR: unknown[] = [
  EMPTY_PR,
  {
    ...EMPTY_PR,
    state: 'open',
    fetchedAt: 'not a date',
    comments: [
      { id: 1, author: '', body: '', createdAt: 'yesterday', type: 'COMMENTED', url: null },
    ],
    commits: [{ sha: 'b'.repeat(40), message: '', author: null, date: '' }],
    checks: [
      {
        name: '',
        source: 'status',
        status: 'queued',
        conclusion: null,
        completedAt: null,
        url: null,
      },
    ],
  },
  {
    repository: '5dlabs/cto-parallel-test',
    number: 412,
    url: 'https://github.com/5dlabs/cto-parallel-test/pull/412',
    state: 'open',
    merged: false,
    headSha: '3f786850e387550fdab836ed7e6dc881de23001b',
    headRef: 'feature/task-4',
    mergeable: false,
    mergeableState: 'dirty',
    comments: [
      {
        id: 1,
        author: '5dlabs-rex[bot]',
        body: 'Implementation complete',
        createdAt: '2025-11-21T05:10:00Z',
        type: 'comment',
        url: null,
      },
      {
        id: 2,
        author: '5dlabs-tess[bot]',
        body: '✅ approved',
        createdAt: '2025-11-21T05:20:00Z',
        type: 'comment',
        url: null,
      },
      {
        id: 3,
        author: '5dlabs-tess[bot]',
        body: 'LGTM',
        createdAt: '2025-11-21T05:21:00Z',
        type: 'APPROVED',
        url: null,
      },
      {
        id: 4,
        author: '5dlabs-tess[bot]',
        body: 'looks good',
        createdAt: '2025-11-21T05:22:00Z',
        type: 'comment',
        url: null,
      },
    ],
    commits: [
      { sha: 'a'.repeat(40), message: 'feat: x', author: null, date: '2025-11-21T05:05:00Z' },
    ],
    checks: [
      {
        name: 'ci',
        source: 'check_run',
        status: 'completed',
        conclusion: 'failure',
        completedAt: '2025-11-21T05:30:00Z',
        url: null,
      },
    ],
    fetchedAt: '2025-11-21T06:00:00Z',
  },
];

const CORRELATIONS: Correlation[] = [
  corr(),
  platform(null),
  platform('rex'),
  corr({ agent: null, taskId: null }),
  corr({ agent: 'cleo', remediation: true, servesFingerprint: '1a2b3c4d5e6f7a8b' }),
  corr({ agent: '' }),
  corr({ agent: 'tess', rule: 5 }),
];

const VIEWS: RuleView[] = [
  view(),
  view({ session: null }),
  view({
    session: session([
      sessionAgent('rex', { phase: 'Running', pod: 'play-task-4-rex-abc12-step-123' }),
      sessionAgent('tess'),
      sessionAgent('cleo'),
    ]),
  }),
  view({ pods: ODD as Pod[], events: [null, {}] as never }),
  view({ now: new Date('2000-01-01T00:00:00Z') }),
];

function signalsFor(kind: SignalKind, c: Correlation, broken = false): Signal[] {
  switch (kind) {
    case 'pod':
      return [...ODD, ...real('pod-')].map((pod) => ({
        kind,
        pod: pod as Pod,
        correlation: c,
        cause: 'tick',
      }));
    case 'coderun':
      return [...ODD, ...real('coderun-')].map((cr) => ({
        kind,
        coderun: cr as CodeRun,
        correlation: c,
        cause: 'event',
      }));
    case 'workflow':
      return [...ODD, ...real('workflow-')].map((wf) => ({
        kind,
        workflow: wf as Workflow,
        correlation: c,
        cause: 'tick',
      }));
    case 'completed-logs':
      return [...ODD, ...real('pod-')].flatMap((pod) =>
        ['', 'CONFLICT\nerror: x', null as unknown as string].map((logs) => ({
          kind,
          pod: pod as Pod,
          container: 'agent',
          logs,
          correlation: c,
        })),
      );
    case 'pr':
      return (broken ? BROKEN_PR : ODD_PR).map((snapshot) => ({
        kind,
        snapshot: snapshot as PrSnapshot,
        correlation: c,
        cause: 'tick',
      }));
    case 'log':
      return logSignals(c);
  }
}

/** Lines an agent container prints: tool inventories, MCP and config failures, odd and huge ones. */
const LOG_LINES = [
  'Tool inventory check failed: missing tools: brave_web_search, memory_create_entities',
  '[mcp] server "filesystem" failed to initialize: spawn npx ENOENT',
  'Error: cto-config.json not found at /workspace/cto-config.json',
  'panic: runtime error: invalid memory address or nil pointer dereference',
  'Killed: container exceeded its deadline',
  '',
  'missing tools: $(rm -rf /) `evil` ghp_abcdefghijklmnopqrstuvwxyz0123456789',
  'x'.repeat(20_000),
];

/** Classified lines of every log alert, in and out of the pre-flight window, with odd fields. */
function logSignals(c: Correlation): Signal[] {
  const alerts = ['A10', 'A11', 'A12', 'runtime', 'lifecycle'] as const;
  return alerts.flatMap((alert, k) =>
    LOG_LINES.map((text, n): Signal => ({
      kind: 'log',
      finding: {
        alert,
        severity: n % 2 ? 'critical' : 'medium',
        issueType: n % 2 ? 'pre_flight_failure' : 'agent_error',
        family: n === 5 ? 'unknown' : `family-${k}`,
        patternId: `pattern-${k}-${n}`,
        priority: ((n % 3) + 1) as 1 | 2 | 3,
        preflight: n % 2 === 1,
      },
      line: {
        namespace: n === 5 ? '' : 'cto',
        pod: n === 5 ? '' : 'play-task-4-rex-abc12',
        container: n === 5 ? '' : 'agent',
        at: `2025-11-21T05:0${n}:00.000Z`,
        text,
      },
      correlation: c,
      containerStartedAt: n % 3 ? '2025-11-21T05:00:00.000Z' : null,
      evidence: n === 5 ? [] : [text, `--- context ---`, text],
    })),
  );
}

function draftProblems(rule: Rule, d: AlertDraft, v: RuleView, s: Signal): string[] {
  const p: string[] = [];
  const strOrNull = (x: unknown) => x === null || (typeof x === 'string' && x !== '');
  if (d.alert !== rule.id) p.push(`alert ${d.alert} != rule ${rule.id}`);
  if (!SEVERITIES.includes(d.severity)) p.push(`severity ${d.severity}`);
  if (!ISSUE_TYPES.includes(d.issueType)) p.push(`issueType ${d.issueType}`);
  for (const k of ['title', 'namespace', 'subject'] as const)
    if (typeof d[k] !== 'string' || (k !== 'namespace' && d[k] === ''))
      p.push(`${k} ${String(d[k])}`);
  if (typeof d.description !== 'string') p.push('description');
  for (const k of ['playId', 'taskId', 'agent'] as const)
    if (!strOrNull(d[k])) p.push(`${k} ${String(d[k])}`);
  if (!Array.isArray(d.evidence) || d.evidence.some((l) => typeof l !== 'string'))
    p.push('evidence');
  for (const [k, x] of Object.entries(d.context ?? {}))
    if (!(
      x === null ||
      ['string', 'boolean'].includes(typeof x) ||
      (typeof x === 'number' && Number.isFinite(x))
    ))
      p.push(`context.${k}=${String(x)}`);
  // a log alert is detected when its line was written; every other rule at the view's time
  const detected = s.kind === 'log' ? s.line.at : v.now.toISOString();
  if (d.detectedAt !== detected) p.push(`detectedAt ${d.detectedAt}`);
  if (!/^[0-9a-f]{64}$/.test(fingerprint(d))) p.push('fingerprint');
  return p;
}

void t.test('rule ids are unique, known, and every rule has its templates', (t) => {
  const ids = RULES.map((r) => r.id);
  t.same([...new Set(ids)], ids, 'unique ids');
  for (const r of RULES) {
    t.ok(ALERT_IDS.includes(r.id), `${r.id} is an alert id`);
    t.ok(r.name && r.kinds.length > 0, `${r.id} has a name and kinds`);
    const slug = ALERT_TEMPLATES[r.id].slug;
    for (const dir of ['alerts', 'guidance', 'acceptance'])
      t.ok(
        existsSync(join(import.meta.dirname, '../../prompts', dir, `${slug}.hbs`)),
        `${r.id}: prompts/${dir}/${slug}.hbs`,
      );
  }
  for (const id of [
    'A2',
    'A7',
    'A8',
    'A9',
    'completion',
    'A10',
    'A11',
    'A12',
    'runtime',
    'lifecycle',
  ])
    t.ok(ids.includes(id as Rule['id']), `${id} registered`);
  t.end();
});

void t.test('every rule: never throws, deterministic, inputs untouched, drafts complete', (t) => {
  let calls = 0;
  let drafts = 0;
  for (const rule of RULES) {
    const problems: string[] = [];
    for (const kind of rule.kinds)
      for (const c of CORRELATIONS)
        for (const signal of signalsFor(kind, c))
          for (const v of VIEWS) {
            const before = JSON.stringify(signal);
            const where = `${kind} ${JSON.stringify(signal).slice(0, 80)}`;
            try {
              calls++;
              const a = rule.evaluate(signal, v);
              const b = rule.evaluate(structuredClone(signal), v);
              if (JSON.stringify(a) !== JSON.stringify(b))
                problems.push(`not deterministic: ${where}`);
              if (JSON.stringify(signal) !== before) problems.push(`mutated its signal: ${where}`);
              if (!Array.isArray(a)) problems.push(`returned ${typeof a}: ${where}`);
              for (const d of a) {
                drafts++;
                for (const p of draftProblems(rule, d, v, signal)) problems.push(`${p}: ${where}`);
              }
            } catch (err) {
              problems.push(`threw ${(err as Error).message}: ${where}`);
            }
          }
    t.same([...new Set(problems)].slice(0, 10), [], `${rule.id}: contract holds`);
  }
  t.ok(drafts > 0, `${calls} evaluations, ${drafts} drafts checked`);
  t.end();
});

void t.test('kube rules stay silent on excluded objects', (t) => {
  const excluded = corr({ excluded: 'label healer.platform/exclude=true' });
  for (const rule of RULES.filter((r) => !r.kinds.includes('pr')))
    for (const kind of rule.kinds) {
      const out = signalsFor(kind, excluded).flatMap((s) => rule.evaluate(s, view()));
      t.same(out, [], `${rule.id} ${kind}`);
    }
  t.end();
});

void t.test('a log rule drafts the lines classified as its alert, and only those', (t) => {
  const signals = logSignals(corr());
  for (const rule of RULES.filter((r) => r.kinds.includes('log'))) {
    const own = signals.filter((s) => s.kind === 'log' && s.finding.alert === rule.id);
    const drafted = signals.flatMap((s) => rule.evaluate(s, view()));
    t.equal(drafted.length, own.length, `${rule.id}: one draft per line of its alert`);
    t.ok(
      drafted.every((d) => d.alert === rule.id),
      `${rule.id}: never another alert's line`,
    );
    t.notOk(
      drafted.some((d) => d.evidence.join('\n').includes('ghp_abcdefghijklmnopqrstuvwxyz')),
      `${rule.id}: evidence is redacted`,
    );
    t.ok(
      drafted.every((d) => d.evidence.every((l) => l.length <= 8000)),
      `${rule.id}: evidence lines are clipped`,
    );
  }
  t.end();
});

void t.test('a tick and an event over the same object give the same drafts', (t) => {
  const pod = fixture<Pod>('pod-crashloop');
  for (const rule of RULES.filter((r) => r.kinds.includes('pod'))) {
    const tick = rule.evaluate({ kind: 'pod', pod, correlation: corr(), cause: 'tick' }, view());
    const event = rule.evaluate({ kind: 'pod', pod, correlation: corr(), cause: 'event' }, view());
    t.same(tick, event, rule.id);
  }
  t.equal(NOW.toISOString(), '2025-11-21T06:00:00.000Z');
  t.end();
});

void t.test('PR rules on snapshots that break the PrSnapshot type', (t) => {
  for (const rule of RULES.filter((r) => r.kinds.includes('pr'))) {
    const threw: string[] = [];
    for (const signal of signalsFor('pr', corr(), true))
      try {
        rule.evaluate(signal, view());
      } catch (err) {
        threw.push(`${(err as Error).message}: ${JSON.stringify(signal).slice(0, 60)}`);
      }
    t.same(threw, [], `${rule.id} does not throw on {} / null arrays`);
  }
  t.end();
});
