import t from 'tap';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, describeStore, loadConfig } from '../../src/config/index.js';
import { tmpDir } from '../helpers/healer.js';
import { runHealer } from '../helpers/process.js';
import { checkConfig } from '../../src/cli/check-config.js';
import { PassThrough } from 'node:stream';
import { policyFromConfig } from '../../src/incidents/policy.js';

void t.test('defaults: every env var and heal-config section has the spec default', (t) => {
  const c = loadConfig({ env: {}, cwd: tmpDir() });
  t.match(c.env, {
    HEALER_HOST: '0.0.0.0',
    HEALER_PORT: 8083,
    HEALER_NAMESPACES: ['cto'],
    HEALER_STORE: 'sqlite:./data/healer.db',
    GITHUB_API_URL: 'https://api.github.com',
    HEALER_GITHUB_POLL_SECONDS: 30,
    HEALER_LOKI_POLL_SECONDS: 5,
    HEALER_RULE_TICK_SECONDS: 15,
    HEALER_PROMPTS_DIR: './prompts',
    HEALER_SESSION_TTL_HOURS: 48,
    LOG_LEVEL: 'info',
    HEALER_API_TOKEN_READS: false,
  });
  t.same(c.store, { kind: 'sqlite', path: './data/healer.db' });
  t.equal(c.healConfigPath, null);
  t.match(c.heal, {
    coderun: {
      namespace: 'cto',
      githubApp: '5DLabs-Rex',
      service: 'heal',
      runType: 'implementation',
      cliConfig: { cliType: 'factory', settings: { template: 'heal/factory' } },
      memory: { agentName: 'healer-remediation' },
    },
    alerts: {
      staleProgressMinutes: 15,
      approvalLoopThreshold: 2,
      stuckCodeRunMinutes: 10,
      stepTimeoutMinutes: {
        implementation: 45,
        quality: 15,
        testing: 30,
        security: 15,
        integration: 20,
      },
      defaultStepTimeoutMinutes: 60,
      startupGraceSeconds: 30,
      terminatedTooLongSeconds: 60,
      restartThreshold: 3,
    },
    remediation: { mode: 'issue-and-fix', maxIterations: 3, cooldownMinutes: 10, maxConcurrent: 5 },
    dedup: { issueWindowMinutes: 30 },
    stages: { order: ['implementation', 'quality', 'security', 'testing', 'integration'] },
    issues: { repository: null },
  });
  t.equal(c.heal.coderun.remoteTools.length, 8);
  t.ok(c.heal.exclusions.prefixes.includes('cto-controller'));
  t.same(c.github, { enabled: false, auth: null });
  t.end();
});

void t.test(
  'HEALER_NAMESPACES lists and *; a heal-config.json in the working directory is read',
  (t) => {
    const dir = tmpDir();
    writeFileSync(
      join(dir, 'heal-config.json'),
      JSON.stringify({ remediation: { mode: 'observe' } }),
    );
    const c = loadConfig({
      env: { HEALER_NAMESPACES: 'cto, agents', GITHUB_TOKEN: 'x' },
      cwd: dir,
    });
    t.same(c.namespaces, ['cto', 'agents']);
    t.equal(c.clusterWide, false);
    t.equal(c.heal.remediation.mode, 'observe');
    t.equal(c.heal.remediation.maxIterations, 3, 'unset keys keep defaults');
    t.same(c.github, { enabled: true, auth: 'token' });
    t.equal(loadConfig({ env: { HEALER_NAMESPACES: '*' }, cwd: tmpDir() }).clusterWide, true);
    t.end();
  },
);

void t.test('every problem is listed with its source, env and file together', (t) => {
  const dir = tmpDir();
  const file = join(dir, 'heal.json');
  writeFileSync(
    file,
    JSON.stringify({
      remediation: { mode: 'yolo', maxIterations: 0 },
      alerts: { staleProgressMinutes: 'soon' },
      typo: {},
    }),
  );
  try {
    loadConfig({
      env: {
        HEALER_PORT: '99999',
        LOKI_URL: 'not a url',
        GITHUB_APP_ID: '12',
        HEALER_STORE: 'kubernetes',
      },
      configPath: file,
      cwd: dir,
    });
    t.fail('should throw');
  } catch (err) {
    t.type(err, ConfigError);
    const problems = (err as ConfigError).problems;
    const sources = problems.map((p) => p.source);
    t.ok(sources.includes('HEALER_PORT'));
    t.ok(sources.includes('LOKI_URL'));
    t.ok(sources.includes('GITHUB_APP_ID'));
    t.ok(sources.includes('HEALER_STORE'));
    t.ok(sources.includes(`${file}: remediation.mode`));
    t.ok(sources.includes(`${file}: remediation.maxIterations`));
    t.ok(sources.includes(`${file}: alerts.staleProgressMinutes`));
    t.ok(
      sources.some(
        (s) =>
          s.startsWith(`${file}: `) &&
          problems.find((p) => p.source === s)?.message.includes('typo'),
      ),
    );
  }
  t.end();
});

void t.test('a heal-config.json that is not JSON, or missing when named, is reported', (t) => {
  const dir = tmpDir();
  writeFileSync(join(dir, 'heal-config.json'), '{ "remediation": ');
  const problemsOf = (fn: () => unknown) => {
    try {
      fn();
    } catch (err) {
      return (err as ConfigError).problems;
    }
    return [];
  };
  t.match(
    problemsOf(() => loadConfig({ env: {}, cwd: dir })),
    [{ source: join(dir, 'heal-config.json'), message: /not valid JSON/ }],
  );
  t.match(
    problemsOf(() => loadConfig({ env: { HEALER_CONFIG: '/nope/heal.json' }, cwd: dir })),
    [{ source: '/nope/heal.json', message: /cannot be read/ }],
  );
  t.end();
});

void t.test(
  '`healer check-config` with three mistakes in heal-config.json prints all three and exits 1',
  async (t) => {
    const dir = tmpDir();
    const file = join(dir, 'heal-config.json');
    writeFileSync(
      file,
      JSON.stringify({
        remediation: { mode: 'fix-everything', cooldownMinutes: -5 },
        issues: { repository: 'not a repo' },
      }),
    );
    const r = await runHealer(['check-config', '--config', file], {}, dir);
    t.equal(r.code, 1);
    t.match(r.stderr, /configuration has 3 problems/);
    t.match(r.stderr, new RegExp(`${file}: remediation.mode: `));
    t.match(r.stderr, new RegExp(`${file}: remediation.cooldownMinutes: `));
    t.match(r.stderr, new RegExp(`${file}: issues.repository: must be owner/repo`));

    const ok = await runHealer(['check-config'], { HEALER_STORE: 'memory' }, tmpDir());
    t.equal(ok.code, 0);
    t.match(ok.stdout, /configuration OK/);
  },
);

void t.test(
  'HEALER_PROMPTS_DIR pointing nowhere: one clear line from check-config and serve',
  async (t) => {
    const dir = tmpDir();
    const missing = join(dir, 'no-prompts');
    const env = { HEALER_STORE: 'memory', HEALER_PROMPTS_DIR: missing };
    const check = (e: Record<string, string>) => {
      let err = '';
      const sink = new PassThrough();
      sink.on('data', (d: Buffer) => (err += d.toString()));
      const code = checkConfig({ env: e }, { out: new PassThrough(), err: sink });
      return { code, err };
    };
    t.same(check(env), {
      code: 1,
      err: `configuration has 1 problem: HEALER_PROMPTS_DIR: ${missing} does not exist\n`,
    });
    const file = join(dir, 'a-file');
    writeFileSync(file, 'x');
    t.match(
      check({ ...env, HEALER_PROMPTS_DIR: file }).err,
      /HEALER_PROMPTS_DIR: .*a-file is not a directory\n$/,
    );

    // serve in its own process: the real exit code and everything it prints.
    const serve = await runHealer(
      ['serve'],
      { ...env, HEALER_PORT: '0', HEALER_HOST: '127.0.0.1' },
      dir,
    );
    t.equal(serve.code, 1);
    t.equal(
      serve.stderr,
      `healer: invalid configuration: HEALER_PROMPTS_DIR: ${missing} does not exist\n`,
    );
    t.equal(serve.stdout, '', 'no log lines, no stack trace');
  },
);

void t.test(
  'HEALER_STORE: sqlite, memory, postgres:// and postgresql://; no ConfigMap store',
  (t) => {
    const store = (v: string) => loadConfig({ env: { HEALER_STORE: v }, cwd: tmpDir() }).store;
    t.same(store('postgres://healer:s3cret@db:5432/healer'), {
      kind: 'postgres',
      url: 'postgres://healer:s3cret@db:5432/healer',
    });
    t.equal(store('postgresql://db/healer?sslmode=require').kind, 'postgres');
    t.equal(
      describeStore(store('postgres://healer:s3cret@db:5432/healer')),
      'postgres://healer:***@db:5432/healer',
      'shown without its password',
    );
    t.same(store('memory'), { kind: 'memory' });
    for (const bad of ['kubernetes', 'postgres', 'mysql://db/x']) {
      t.throws(
        () => store(bad),
        /HEALER_STORE.*must be sqlite:<path>, postgres:\/\//s,
        `${bad} refused`,
      );
    }
    t.end();
  },
);

void t.test("the original's environment names are read as aliases", (t) => {
  const dir = tmpDir();
  const templates = tmpDir();
  const prompts = tmpDir();
  const file = join(dir, 'alt-heal-config.json');
  writeFileSync(file, '{}');
  const c = loadConfig({
    env: { HEALER_TEMPLATES_DIR: templates, HEALER_CONFIG_PATH: file },
    cwd: tmpDir(),
  });
  t.equal(c.env.HEALER_PROMPTS_DIR, templates, 'HEALER_TEMPLATES_DIR → HEALER_PROMPTS_DIR');
  t.equal(c.healConfigPath, file, 'HEALER_CONFIG_PATH → HEALER_CONFIG');
  const both = loadConfig({
    env: { HEALER_TEMPLATES_DIR: templates, HEALER_PROMPTS_DIR: prompts },
    cwd: tmpDir(),
  });
  t.equal(both.env.HEALER_PROMPTS_DIR, prompts, 'the current name wins');
  t.end();
});

void t.test(
  'CTO_CONFIG_PATH: defaults.remediation of cto-config.json feed the remediation policy',
  (t) => {
    const dir = tmpDir();
    const cto = join(dir, 'cto-config.json');
    writeFileSync(
      cto,
      JSON.stringify({
        version: '1.0',
        defaults: {
          play: { repository: '5dlabs/cto' },
          remediation: { maxIterations: 5, syncTimeoutSecs: 600 },
        },
        agents: { rex: { githubApp: '5DLabs-Rex' } },
      }),
    );
    const c = loadConfig({ env: { CTO_CONFIG_PATH: cto }, cwd: tmpDir() });
    t.same(c.ctoConfig, { path: cto, maxIterations: 5, syncTimeoutSecs: 600 });
    t.equal(c.heal.remediation.maxIterations, 5, 'maxIterations → remediation.maxIterations');
    t.equal(c.heal.remediation.cooldownMinutes, 10, 'syncTimeoutSecs 600 → a 10 min wait');
    const policy = policyFromConfig(c.heal);
    t.equal(policy.maxAttempts, 5, 'the decisions use it');
    t.equal(policy.cooldownMinutes, 10);

    // heal-config.json's own values win; what it leaves unset comes from cto-config.json
    const heal = join(dir, 'heal-config.json');
    writeFileSync(heal, JSON.stringify({ remediation: { maxIterations: 2 } }));
    const both = loadConfig({ env: { CTO_CONFIG_PATH: cto, HEALER_CONFIG: heal }, cwd: tmpDir() });
    t.equal(both.heal.remediation.maxIterations, 2);
    t.equal(both.heal.remediation.cooldownMinutes, 10);

    // a cto-config.json without defaults.remediation changes nothing
    const bare = join(dir, 'bare.json');
    writeFileSync(bare, JSON.stringify({ agents: {} }));
    const plain = loadConfig({ env: { CTO_CONFIG_PATH: bare }, cwd: tmpDir() });
    t.equal(plain.heal.remediation.maxIterations, 3);
    t.equal(plain.heal.remediation.cooldownMinutes, 10);
    t.same(loadConfig({ env: {}, cwd: tmpDir() }).ctoConfig, null, 'unset: not read');
    t.end();
  },
);

void t.test('CTO_CONFIG_PATH: a bad file is a clear configuration error', (t) => {
  const dir = tmpDir();
  const problemsOf = (content: string | null) => {
    const file = join(dir, `cto-${Math.random().toString(36).slice(2)}.json`);
    if (content !== null) writeFileSync(file, content);
    try {
      loadConfig({ env: { CTO_CONFIG_PATH: file }, cwd: tmpDir() });
    } catch (err) {
      t.type(err, ConfigError);
      return { file, problems: (err as ConfigError).problems };
    }
    throw new Error('expected a ConfigError');
  };
  const missing = problemsOf(null);
  t.match(missing.problems, [
    { source: `CTO_CONFIG_PATH ${missing.file}`, message: /^cannot be read: ENOENT/ },
  ]);
  const broken = problemsOf('{"defaults": {');
  t.match(broken.problems, [
    { source: `CTO_CONFIG_PATH ${broken.file}`, message: /^not valid JSON/ },
  ]);
  const wrong = problemsOf(
    JSON.stringify({ defaults: { remediation: { maxIterations: 0, syncTimeoutSecs: '300' } } }),
  );
  t.same(wrong.problems.map((p) => p.source).sort(), [
    `CTO_CONFIG_PATH ${wrong.file}: defaults.remediation.maxIterations`,
    `CTO_CONFIG_PATH ${wrong.file}: defaults.remediation.syncTimeoutSecs`,
  ]);
  t.end();
});
