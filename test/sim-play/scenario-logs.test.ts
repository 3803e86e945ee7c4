// The scenarios' log lines, read by Healer's own classifier and expected-behaviour files: a
// scenario expects exactly the log alerts its lines produce (A10/A11/A12/runtime/lifecycle, with
// the pre-flight severity inside the first 60 s of the container), A10's line names a tool the
// session declared, and every pod that ends Succeeded passes the completion check unless the
// scenario expects it to fail. This keeps the scenario data honest as the catalogue evolves.
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import {
  Classifier,
  expectedToolsFor,
  loadCatalogue,
  missingExpectedTools,
  parseToolInventory,
} from '../../src/detectors/patterns/index.js';
import { loadExpected, matchExpected } from '../../src/templates/expected.js';
import { loadScenario } from '../sim/play/index.js';
import type { PlayResult, Scenario } from '../sim/play/index.js';
import { emptyResult } from '../sim/play/result.js';
import { expectedWorld } from '../sim/play/verify/index.js';

const DIR = fileURLToPath(new URL('../scenarios/', import.meta.url));
const PROMPTS = fileURLToPath(new URL('../../prompts/expected/', import.meta.url));
const LOG_ALERTS = new Set(['A10', 'A11', 'A12', 'runtime', 'lifecycle']);
const PREFLIGHT_MS = 60_000;

/** A result as if played from a fixed start, for the placeholders and times. */
function dryResult(s: Scenario): PlayResult {
  const start = Date.parse('2026-01-01T00:00:00Z');
  const end = start + Math.max(...s.steps.map((st) => st.at));
  const hasPr = s.steps.some((st) => st.action.kind === 'pr');
  return {
    ...emptyResult(s, s.session),
    start: new Date(start).toISOString(),
    end: new Date(end).toISOString(),
    pr: hasPr
      ? {
          number: 1,
          url: `https://api.github.com/repos/${s.session.repository}/pulls/1`,
          htmlUrl: `https://github.com/${s.session.repository}/pull/1`,
          head: 'feature/task-1-xxxxx',
          base: 'main',
        }
      : null,
  };
}

const scenarios = await Promise.all(
  readdirSync(DIR)
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .map((f) => loadScenario(DIR + f)),
);
// The catalogue's own tests check its examples; here only the patterns matter.
const classifier = new Classifier(loadCatalogue(undefined, { checkExamples: false }));
const { expected: behaviours, errors } = loadExpected(PROMPTS);

void t.test('the expected-behaviour files load', (t) => {
  t.same(errors, []);
  t.end();
});

for (const s of scenarios) {
  void t.test(s.name, (t) => {
    const w = expectedWorld(s, dryResult(s));
    const found = new Set<string>();
    for (const pod of w.pods) {
      for (const [name, c] of pod.containers) {
        for (const line of c.all) {
          const f = classifier.classifyLine(line.text);
          if (!f) continue;
          const preflight =
            f.priority === 1 &&
            c.startedAt !== undefined &&
            line.time - c.startedAt >= -5000 &&
            line.time - c.startedAt <= PREFLIGHT_MS;
          found.add(`${f.alert} ${preflight ? 'critical' : f.severity} ${pod.agent}`);
          if (f.alert === 'A10') {
            const inv = parseToolInventory(line.text);
            const declared = expectedToolsFor(s.session.cto_config.agents[pod.agent]);
            t.ok(
              inv && missingExpectedTools(inv, declared).length > 0,
              `${pod.name}/${name}: the A10 line names a tool the session declared`,
            );
          }
        }
      }
    }
    const wanted = s.expect.alerts
      .filter((a) => LOG_ALERTS.has(a.alert))
      .map((a) => `${a.alert} ${a.severity} ${a.agent}`);
    t.same([...found].sort(), [...new Set(wanted)].sort(), 'log alerts as expected');

    for (const pod of w.pods.filter((p) => p.phase === 'Succeeded' && !p.deleted)) {
      const behaviour = behaviours.get(pod.agent);
      if (!behaviour) continue;
      const text = [...pod.containers.values()][0].all.map((l) => l.text).join('\n');
      const m = matchExpected(behaviour, text);
      const flagged = m.successMarkers.length === 0 || m.failureIndicators.length > 0;
      const wantFlag = s.expect.alerts.some(
        (a) => a.alert === 'completion' && a.agent === pod.agent,
      );
      t.equal(
        flagged,
        wantFlag,
        `${pod.agent} ended Succeeded: ${wantFlag ? 'the completion check must flag it' : 'passes the completion check'} (markers ${m.successMarkers.join(', ') || 'none'}; indicators ${m.failureIndicators.join(', ') || 'none'})`,
      );
    }
    t.end();
  });
}
