// The remediation/evaluation CodeRun builder: deterministic, bounded names, sanitised labels,
// taskId rule, and every variant accepted by the simulated API server's CodeRun CRD validation.
import { ApiException, CustomObjectsApi, KubeConfig } from '@kubernetes/client-node';
import t from 'tap';
import { parse } from 'yaml';
import { healConfigSchema } from '../../src/domain/heal-config.js';
import type { AlertId } from '../../src/domain/alert.js';
import {
  buildRemediationCodeRun,
  evaluationName,
  remediationName,
  toYaml,
  type CodeRunInput,
} from '../../src/actions/coderun/manifest.js';
import {
  healerRunsSelector,
  incidentRunsSelector,
  sanitizeLabelValue,
} from '../../src/actions/coderun/labels.js';
import { foldPositive, hash31, taskIdFor } from '../../src/actions/coderun/task-id.js';
import { startKubeSim, type Wire } from '../sim/kube/index.js';

const FP = '1f3a9c2e7b40d5e68a9b0c1d2e3f405162738495a6b7c8d9e0f1a2b3c4d5e6f7';
const coderun = healConfigSchema.parse({}).coderun;

type RunIncident = CodeRunInput['incident'];
const playIncident: RunIncident = {
  fingerprint: FP,
  alert: 'A7',
  playId: 'play-task-4',
  taskId: '4',
  agent: 'rex',
  namespace: 'cto',
  context: { pod: 'play-task-4-rex-abc', phase: 'Failed' },
};
const platformIncident: RunIncident = {
  fingerprint: 'ab'.repeat(32),
  alert: 'A9',
  playId: null,
  taskId: null,
  agent: null,
  namespace: 'cto',
  context: {},
};

function input(over: Partial<CodeRunInput> = {}): CodeRunInput {
  return {
    incident: playIncident,
    attempt: 1,
    maxAttempts: 3,
    coderun,
    prompt: '# Healer remediation\n\nFix the pod failure.\n```\nerror: exit 1\n```\n',
    acceptance: '- [ ] the pod no longer fails\n- [ ] CI green\n',
    issue: { number: 12, url: 'https://github.com/5dlabs/cto/issues/12' },
    session: { repository: '5dlabs/cto-parallel-test', service: 'test-service' },
    kind: 'remediation',
    ...over,
  };
}

const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

const variants: [string, CodeRunInput][] = [
  ['remediation attempt 1 of a Play incident with its issue', input()],
  [
    'remediation attempt 3, non-numeric task id, no issue yet',
    input({ attempt: 3, issue: null, incident: { ...playIncident, taskId: 'task-abc' } }),
  ],
  [
    'platform incident without session, task or agent',
    input({ incident: platformIncident, session: null, issue: null }),
  ],
  [
    'evaluation run with its own model',
    input({
      kind: 'evaluation',
      issue: null,
      coderun: { ...coderun, evaluationModel: 'claude-sonnet-4-5-20250929' },
    }),
  ],
  [
    'awkward label input: long pod name with odd characters, long play id',
    input({
      attempt: 2,
      incident: {
        ...playIncident,
        playId: `play-${'x'.repeat(80)}`,
        context: { pod: `--Pod/Name with spaces_${'y'.repeat(80)}.` },
      },
    }),
  ],
];

void t.test('the manifest of attempt 1', (t) => {
  const m = buildRemediationCodeRun(input());
  t.equal(m.apiVersion, 'agents.platform/v1');
  t.equal(m.kind, 'CodeRun');
  t.equal(m.metadata.name, 'healer-a7-1f3a9c2e-1');
  t.equal(m.metadata.namespace, 'cto');
  t.same(m.metadata.labels, {
    'agents.platform/type': 'healer-remediation',
    'healer.platform/remediation': 'true',
    'healer.platform/fingerprint': '1f3a9c2e7b40d5e6',
    'healer.platform/play-id': 'play-task-4',
    'alert-type': 'a7',
    remediation: 'true',
    'task-id': '4',
    'target-pod': 'play-task-4-rex-abc',
    'issue-number': '12',
  });
  t.same(m.spec, {
    taskId: 4,
    service: 'heal',
    runType: 'implementation',
    githubApp: '5DLabs-Rex',
    model: 'claude-opus-4-5-20251101',
    repositoryUrl: 'https://github.com/5dlabs/cto',
    docsRepositoryUrl: 'https://github.com/5dlabs/cto',
    docsProjectDirectory: 'docs',
    docsBranch: 'main',
    workingDirectory: '.',
    enableDocker: true,
    remoteTools:
      'mcp_tools_github_*,mcp_tools_kubernetes_*,mcp_tools_argocd_*,mcp_tools_cto_*,mcp_tools_context7_*,mcp_tools_firecrawl_*,mcp_tools_grafana_*,mcp_tools_openmemory_*',
    localTools: '',
    cliConfig: {
      cliType: 'factory',
      model: 'claude-opus-4-5-20251101',
      settings: {
        template: 'heal/factory',
        // flat, as the CodeRun controller reads them (it ignores a nested `memory` object)
        memoryEnabled: true,
        memoryAgentName: 'healer-remediation',
        memorySessionPrefix: 'heal-remediation',
        memoryRetrieveOnStart: true,
        memoryPersistOnComplete: true,
      },
    },
    promptModification: input().prompt,
    acceptanceCriteria: input().acceptance,
    env: {
      ALERT_TYPE: 'A7',
      TASK_ID: '4',
      PLAY_ID: 'play-task-4',
      HEAL_ISSUE_NUMBER: '12',
      HEAL_ISSUE_URL: 'https://github.com/5dlabs/cto/issues/12',
      REMEDIATION_MODE: 'true',
      HEAL_ATTEMPT: '1',
      HEAL_MAX_ATTEMPTS: '3',
      HEAL_RUN_KIND: 'remediation',
      HEAL_FINGERPRINT: FP,
      HEAL_NAMESPACE: 'cto',
      HEAL_AGENT: 'rex',
      HEAL_TARGET_REPOSITORY: '5dlabs/cto-parallel-test',
      HEAL_TARGET_SERVICE: 'test-service',
    },
  });
  t.end();
});

void t.test('variants', (t) => {
  const [, third, platform, evaluation, awkward] = variants.map(([, v]) =>
    buildRemediationCodeRun(v),
  );
  t.equal(third.metadata.name, 'healer-a7-1f3a9c2e-3');
  t.equal(third.spec.taskId, 1736169498, 'task-abc hashed');
  t.notOk(
    'issue-number' in third.metadata.labels!,
    'no issue-number label before the issue exists',
  );
  t.match(third.spec.env, { HEAL_ISSUE_NUMBER: '', HEAL_ISSUE_URL: '', HEAL_ATTEMPT: '3' });

  t.same(Object.keys(platform.metadata.labels!), [
    'agents.platform/type',
    'healer.platform/remediation',
    'healer.platform/fingerprint',
    'healer.platform/play-id',
    'alert-type',
    'remediation',
  ]);
  t.equal(platform.metadata.labels!['healer.platform/play-id'], 'platform');
  t.equal(
    platform.spec.taskId,
    foldPositive(hash31('ab'.repeat(32))),
    'no task id: the fingerprint hashed',
  );
  t.match(platform.spec.env, { TASK_ID: '', PLAY_ID: '', HEAL_TARGET_REPOSITORY: '' });

  t.equal(evaluation.metadata.name, 'healer-eval-a7-1f3a9c2e');
  t.equal(evaluation.metadata.labels!['agents.platform/type'], 'healer-evaluation');
  t.equal(evaluation.metadata.labels!['healer.platform/remediation'], 'true', 'still a Healer run');
  t.equal(evaluation.spec.model, 'claude-sonnet-4-5-20250929');
  t.match(evaluation.spec.cliConfig, { model: 'claude-sonnet-4-5-20250929' });
  t.match(evaluation.spec.env, { HEAL_RUN_KIND: 'evaluation' });

  const labels = awkward.metadata.labels!;
  t.equal(labels['healer.platform/play-id'], `play-${'x'.repeat(58)}`);
  t.equal(labels['target-pod'], `Pod-Name-with-spaces_${'y'.repeat(42)}`);
  for (const m of [third, platform, evaluation, awkward])
    for (const [k, v] of Object.entries(m.metadata.labels!)) t.match(v, LABEL_VALUE, `${k} valid`);
  t.end();
});

void t.test('deterministic: same input, byte-identical manifest', (t) => {
  for (const [name, v] of variants) {
    const a = buildRemediationCodeRun(v);
    const b = buildRemediationCodeRun(structuredClone(v));
    t.equal(JSON.stringify(a), JSON.stringify(b), `${name}: JSON`);
    t.equal(toYaml(a), toYaml(b), `${name}: YAML`);
    t.same(parse(toYaml(a)), a, `${name}: YAML reads back as the manifest`);
  }
  const y = toYaml(buildRemediationCodeRun(input()));
  t.match(y, /promptModification: \|/, 'the prompt is a block scalar');
  t.match(y, /^apiVersion: agents\.platform\/v1\nkind: CodeRun\n/);
  t.end();
});

void t.test('names: bounded, DNS-1123, deterministic', (t) => {
  t.equal(remediationName('A7', FP, 1), 'healer-a7-1f3a9c2e-1');
  t.equal(remediationName('completion', FP, 20), 'healer-completion-1f3a9c2e-20');
  t.equal(evaluationName('runtime', FP), 'healer-eval-runtime-1f3a9c2e');
  const long = 'A-Very_Long/Alert Name That Keeps Going And Going Beyond Any Limit 123';
  for (const name of [
    remediationName(long, FP, 1),
    remediationName(long, FP, 999),
    evaluationName(long, FP),
  ]) {
    t.ok(name.length <= 63, `${name} ≤ 63`);
    t.match(name, DNS_LABEL);
  }
  t.match(
    remediationName(long, FP, 999),
    /^healer-a-very-long-alert-.*-1f3a9c2e-999$/,
    'suffix kept whole',
  );
  t.equal(remediationName('!!!', FP, 1), 'healer-alert-1f3a9c2e-1', 'nothing left of the alert');
  t.throws(() => remediationName('A7', FP, 0), RangeError);
  t.throws(() => remediationName('A7', FP, 1.5), RangeError);
  const m = buildRemediationCodeRun(
    input({ incident: { ...playIncident, alert: long as AlertId } }),
  );
  t.ok(m.metadata.name!.length <= 63);
  t.ok(m.metadata.labels!['alert-type'].length <= 63);
  t.end();
});

void t.test('sanitizeLabelValue', (t) => {
  const cases: [Parameters<typeof sanitizeLabelValue>[0], string][] = [
    ['play-task-4', 'play-task-4'],
    ['', ''],
    [null, ''],
    [undefined, ''],
    [12, '12'],
    [true, 'true'],
    ['a b/c:d', 'a-b-c-d'],
    ['-_.abc', 'abc'],
    ['abc-_.', 'abc'],
    ['.hidden', 'hidden'],
    ['___', ''],
    ['ünïcode', 'n-code'],
    ['x'.repeat(70), 'x'.repeat(63)],
    [`${'a'.repeat(62)}-b`, 'a'.repeat(62)],
    [`${'a'.repeat(61)}._b`, 'a'.repeat(61)],
    ['Mixed.Case_ok-1', 'Mixed.Case_ok-1'],
  ];
  for (const [value, want] of cases)
    t.equal(sanitizeLabelValue(value), want, JSON.stringify(value));
  let seed = 7;
  const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const alphabet = 'aZ09-_./ :@ü\u0000';
  for (let i = 0; i < 500; i++) {
    const s = Array.from(
      { length: Math.floor(rand() * 90) },
      () => alphabet[Math.floor(rand() * alphabet.length)],
    ).join('');
    const v = sanitizeLabelValue(s);
    if (!LABEL_VALUE.test(v) || v.length > 63)
      t.fail(`invalid label value for ${JSON.stringify(s)}: ${v}`);
    if (sanitizeLabelValue(v) !== v) t.fail(`not idempotent for ${JSON.stringify(s)}`);
  }
  t.equal(
    incidentRunsSelector(FP),
    'healer.platform/remediation=true,healer.platform/fingerprint=1f3a9c2e7b40d5e6',
  );
  t.equal(healerRunsSelector(), 'healer.platform/remediation=true');
  t.end();
});

void t.test('taskId: numeric ids as they are, others a stable 31-multiplier hash', (t) => {
  t.equal(hash31('abc'), 96354, 'Java "abc".hashCode()');
  t.equal(hash31('hello'), 99162322);
  t.equal(hash31('Hello World'), -862545276, 'wraps like a Java int');
  t.equal(hash31(''), 0);
  t.equal(foldPositive(-862545276), 1284938372);
  t.equal(foldPositive(0), 1, 'never 0');
  t.equal(foldPositive(-1), 2147483647);
  const cases: [string | null, number][] = [
    ['4', 4],
    ['007', 7],
    [' 12 ', 12],
    ['0', 0],
    ['2147483647', 2147483647],
    ['2147483648', 1787712557],
    ['task-abc', 1736169498],
    ['play-task-4', 308120229],
    ['-5', foldPositive(hash31('-5'))],
    ['1.5', foldPositive(hash31('1.5'))],
    [null, 3274],
    ['', 3274],
  ];
  for (const [id, want] of cases) t.equal(taskIdFor(id, 'fp'), want, JSON.stringify(id));
  t.end();
});

void t.test('every variant is a valid CodeRun for the API server', async (t) => {
  const sim = await startKubeSim();
  t.teardown(() => sim.close());
  const kc = new KubeConfig();
  kc.loadFromString(sim.kubeconfigYaml());
  const api = kc.makeApiClient(CustomObjectsApi);
  const CR = { group: 'agents.platform', version: 'v1', plural: 'coderuns', namespace: 'cto' };
  const failure = async (p: Promise<unknown>): Promise<ApiException<Wire>> => {
    try {
      await p;
    } catch (e) {
      if (e instanceof ApiException) return e;
      throw e;
    }
    throw new Error('expected the API server to refuse');
  };

  for (const [name, v] of variants) {
    await t.test(name, async (t) => {
      const body = buildRemediationCodeRun(v);
      const created = await api.createNamespacedCustomObjectWithHttpInfo({ ...CR, body });
      t.equal(created.httpStatusCode, 201, 'created');
      t.equal(created.data.metadata.name, body.metadata.name);
      t.same(created.data.spec, body.spec, 'stored spec is what was sent');
      const again = await failure(
        api.createNamespacedCustomObject({ ...CR, body: buildRemediationCodeRun(v) }),
      );
      t.equal(again.code, 409, 'a repeated create answers 409');
      t.equal(again.body.reason ?? JSON.parse(again.body as string).reason, 'AlreadyExists');
    });
  }

  await t.test('the selectors find what the labels say', async (t) => {
    const mine = await api.listNamespacedCustomObject({
      ...CR,
      labelSelector: incidentRunsSelector(FP),
    });
    t.same(mine.items.map((i: Wire) => i.metadata.name).sort(), [
      'healer-a7-1f3a9c2e-1',
      'healer-a7-1f3a9c2e-2',
      'healer-a7-1f3a9c2e-3',
      'healer-eval-a7-1f3a9c2e',
    ]);
    const all = await api.listNamespacedCustomObject({
      ...CR,
      labelSelector: healerRunsSelector(),
    });
    t.equal(all.items.length, 5, 'and the platform incident’s run');
  });

  await t.test('control: the validation is live (no taskId → 422)', async (t) => {
    const body = buildRemediationCodeRun(input({ attempt: 9 })) as Wire;
    delete body.spec.taskId;
    const e = await failure(api.createNamespacedCustomObject({ ...CR, body }));
    t.equal(e.code, 422);
  });
});

void t.test('memory settings reach the CodeRun as the flat keys the controller reads', (t) => {
  const settingsOf = (cfg: unknown) =>
    (
      buildRemediationCodeRun(
        input({ coderun: healConfigSchema.parse({ coderun: cfg }).coderun }),
      ) as unknown as { spec: { cliConfig: { settings: Record<string, unknown> } } }
    ).spec.cliConfig.settings;
  const plain = settingsOf({});
  t.notOk('memory' in plain, 'no nested memory object');
  t.match(plain, {
    memoryEnabled: true,
    memoryAgentName: 'healer-remediation',
    memorySessionPrefix: 'heal-remediation',
    memoryRetrieveOnStart: true,
    memoryPersistOnComplete: true,
  });
  t.match(
    settingsOf({ memory: { enabled: false, agentName: 'heal-x' } }),
    { memoryEnabled: false, memoryAgentName: 'heal-x' },
    'heal-config memory → flat keys',
  );
  const legacy = settingsOf({
    cliConfig: {
      settings: { template: 't', memory: { sessionPrefix: 'old' }, memoryAgentName: 'op' },
    },
  });
  t.notOk('memory' in legacy, 'a nested memory in the settings is read, not passed on');
  t.match(legacy, { template: 't', memorySessionPrefix: 'old', memoryAgentName: 'op' });
  t.end();
});
