import t from 'tap';
import {
  ChecklistScanner,
  Classifier,
  foldChecklist,
  loadCatalogue,
  markOf,
  preflightState,
} from '../../../src/detectors/patterns/index.js';
import type { ChecklistMark } from '../../../src/detectors/patterns/index.js';
import { readFileSync } from 'node:fs';
import { PREFLIGHT_ITEMS } from '../../../src/domain/preflight.js';

const catalogue = loadCatalogue();
const scanner = new ChecklistScanner(catalogue);
const classifier = new Classifier(catalogue);

const marksOf = (text: string): ChecklistMark[] =>
  text.split('\n').flatMap((line) => {
    const f = classifier.classifyLine(line);
    const m = f ? markOf(f) : null;
    return [...scanner.scanLine(line), ...(m ? [m] : [])];
  });
const fixture = (p: string) =>
  readFileSync(new URL(`../../fixtures/logs/${p}`, import.meta.url), 'utf8');

void t.test('no marks: eight unknown items in the fixed order', (t) => {
  const items = foldChecklist([]);
  t.same(
    items.map((i) => i.id),
    PREFLIGHT_ITEMS.map((i) => i.id),
  );
  t.ok(items.every((i) => i.state === 'unknown' && i.evidence === null));
  t.equal(preflightState(items, true), 'pending');
  t.equal(preflightState(items, false), 'unknown');
  t.end();
});

void t.test('a fail mark beats a pass mark; evidence is the deciding line', (t) => {
  const items = foldChecklist([
    { item: 'tools_server_reachable', result: 'pass', evidence: 'ok', patternId: 'p' },
    { item: 'tools_server_reachable', result: 'fail', evidence: 'down', patternId: 'f' },
    { item: 'template_loaded', result: 'pass', evidence: '✓ prompt.md', patternId: 'p' },
  ]);
  t.match(
    items.find((i) => i.id === 'tools_server_reachable'),
    { state: 'failed', evidence: 'down' },
  );
  t.match(
    items.find((i) => i.id === 'template_loaded'),
    { state: 'passed', evidence: '✓ prompt.md' },
  );
  t.equal(preflightState(items, true), 'failed');
  t.end();
});

void t.test(
  'the healthy CTO pre-flight output passes all eight items but two it cannot show',
  (t) => {
    const items = foldChecklist(
      marksOf(
        fixture('mcp/cto-preflight-ok.log') + '\nrole matches task: quality\ntask language: rust',
      ),
    );
    t.same(
      items.filter((i) => i.state !== 'passed').map((i) => i.id),
      [],
    );
    t.equal(preflightState(items, true), 'passed');
    t.end();
  },
);

void t.test(
  'the failing CTO pre-flight output fails template, config, tools and server items',
  (t) => {
    const items = foldChecklist(marksOf(fixture('mcp/cto-preflight-failing.log')));
    const state = Object.fromEntries(items.map((i) => [i.id, i.state]));
    t.match(state, {
      agent_type_identified: 'passed',
      template_loaded: 'failed',
      cto_config_loaded: 'failed',
      remote_tools_accessible: 'failed',
      local_servers_initialised: 'unknown',
      tools_server_reachable: 'failed',
    });
    t.equal(preflightState(items, false), 'failed');
    t.end();
  },
);
