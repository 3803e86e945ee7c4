// openapi/healer.json: structurally valid OpenAPI 3.1 (Redocly CLI with the `spec` ruleset, offline),
// every operation documented (summary, operationId, 4xx answers), and a route schema change that is
// not regenerated is caught.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pino from 'pino';
import t from 'tap';
import { z } from 'zod';
import { renderOpenApi } from '../../scripts/openapi-doc.js';
import { loadConfig } from '../../src/config/index.js';
import { createHealer } from '../../src/pipeline.js';
import { openMemoryStore } from '../../src/store/memory/index.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const DOC = join(ROOT, 'openapi/healer.json');
const REDOCLY = join(ROOT, 'node_modules/@redocly/cli/bin/cli.js');

interface Problem {
  ruleId: string;
  severity: string;
  message: string;
  location?: { pointer?: string }[];
}
interface LintReport {
  totals: { errors: number; warnings: number };
  problems: Problem[];
}

/** `redocly lint --format=json` with the project's redocly.yaml, no network. */
function redocly(target: string): { status: number; report: LintReport; stderr: string } {
  const r = spawnSync(
    process.execPath,
    [REDOCLY, 'lint', target, '--config', join(ROOT, 'redocly.yaml'), '--format=json'],
    {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 60_000,
      env: {
        ...process.env,
        REDOCLY_TELEMETRY: 'off',
        REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true',
        NO_COLOR: '1',
      },
    },
  );
  const json = r.stdout.slice(r.stdout.indexOf('{'));
  return { status: r.status ?? -1, report: JSON.parse(json) as LintReport, stderr: r.stderr };
}

type Operation = {
  operationId?: string;
  summary?: string;
  responses?: Record<string, { description?: string }>;
};
type Doc = { openapi: string; paths: Record<string, Record<string, Operation>> };

const METHODS = new Set(['get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'trace']);

/**
 * Operational routes without client errors to document: probes, metrics, the document itself and
 * the dashboard take no input that can be wrong.
 */
const NO_4XX: Record<string, string> = {
  'GET /health': 'liveness probe, no input',
  'GET /ready': 'readiness probe, no input (503 documented)',
  'GET /openapi.json': 'the document itself',
  'GET /': 'the dashboard page',
};

function operations(doc: Doc): [string, Operation][] {
  return Object.entries(doc.paths).flatMap(([path, item]) =>
    Object.entries(item)
      .filter(([m]) => METHODS.has(m))
      .map(([m, op]) => [`${m.toUpperCase()} ${path}`, op] as [string, Operation]),
  );
}

void t.test('redocly lint (spec ruleset) passes on openapi/healer.json', (t) => {
  const { status, report, stderr } = redocly('healer');
  t.equal(status, 0, stderr);
  t.same(report.problems, [], 'no problem');
  t.same(report.totals, { ...report.totals, errors: 0, warnings: 0 });
  t.end();
});

void t.test('redocly catches structural mistakes (the ruleset is not a no-op)', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'healer-openapi-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const doc = JSON.parse(readFileSync(DOC, 'utf8')) as Doc;
  const [path, item] = Object.entries(doc.paths)[0];
  const op = Object.values(item)[0] as Operation & Record<string, unknown>;
  op.summry = 'a misspelt key';
  delete op.responses;
  doc.paths[`${path}/{missing}`] = { get: { operationId: op.operationId, responses: { 200: {} } } };
  const broken = join(dir, 'broken.json');
  writeFileSync(broken, JSON.stringify(doc));
  const { status, report } = redocly(broken);
  t.not(status, 0);
  t.ok(report.totals.errors >= 3, `${report.totals.errors} errors`);
  const rules = new Set(report.problems.map((p) => p.ruleId));
  t.comment([...rules].join(', '));
  t.ok(rules.has('struct'), 'unknown key / missing responses: struct');
  t.ok(rules.has('operation-operationId-unique'), 'duplicate operationId');
  t.ok(rules.has('path-parameters-defined'), 'undeclared path parameter');
  t.end();
});

void t.test('every operation has a summary, a unique operationId and its 4xx answers', (t) => {
  const doc = JSON.parse(readFileSync(DOC, 'utf8')) as Doc;
  const ops = operations(doc);
  t.ok(ops.length >= 8, `${ops.length} operations`);
  const ids = new Set<string>();
  const missing4xx: string[] = [];
  for (const [name, op] of ops) {
    t.ok(op.summary?.trim(), `${name}: summary`);
    t.ok(op.operationId && /^[a-z][A-Za-z0-9]*$/.test(op.operationId), `${name}: operationId`);
    t.notOk(ids.has(op.operationId!), `${name}: operationId unique`);
    ids.add(op.operationId!);
    const codes = Object.keys(op.responses ?? {});
    for (const c of codes) t.ok(op.responses![c].description, `${name} ${c}: description`);
    if (!codes.some((c) => /^4\d\d$/.test(c)) && !(name in NO_4XX)) missing4xx.push(name);
  }
  t.same(
    missing4xx,
    [],
    'operations without a documented 4xx (exempt: ' + Object.keys(NO_4XX).join(', ') + ')',
  );
  for (const exempt of Object.keys(NO_4XX))
    if (!ops.some(([n]) => n === exempt))
      t.comment(`exempt ${exempt} is not in the document (yet)`);
  t.end();
});

void t.test('a route schema change without `npm run openapi` is caught', async (t) => {
  // test/routes/operations.test.ts compares the committed document with a fresh generation. Here:
  // that comparison does see a change of the route schemas. Generate once as is, then again with
  // one more route with a body schema (route options cannot be edited once registered).
  const fresh = await renderOpenApi();
  const config = loadConfig({ env: { HEALER_STORE: 'memory' }, cwd: '/nonexistent-healer-dir' });
  const healer = await createHealer({
    config,
    logger: pino({ level: 'silent' }),
    store: openMemoryStore(),
    kube: { kc: null, reason: 'test' },
  });
  healer.app.post(
    '/api/v1/drift-probe',
    {
      schema: {
        summary: 'A route added without regenerating',
        body: z.object({ play_id: z.string().max(253) }),
      },
    },
    () => ({}),
  );
  await healer.app.ready();
  const changed = `${JSON.stringify(healer.app.swagger(), null, 2)}\n`;
  await healer.app.close();
  t.not(changed, fresh, 'the document generated from changed routes differs');
  t.match(changed, /drift-probe/, 'the new route and its body schema are in it');
  const committed = readFileSync(DOC, 'utf8');
  t.not(changed, committed, 'so the committed document would be reported stale');
});
