import t from 'tap';
import {
  applyPreflight,
  Classifier,
  inPreflightWindow,
  loadCatalogue,
} from '../../../src/detectors/patterns/index.js';

const classifier = new Classifier(loadCatalogue());
const started = '2025-11-02T09:14:00Z';
const a12 = classifier.classifyLine('McpError: MCP error -32000: Connection closed')!;
const runtime = classifier.classifyLine('Error: connect ECONNREFUSED 127.0.0.1:3000')!;

void t.test('the 60 s window after the container started', (t) => {
  t.ok(inPreflightWindow('2025-11-02T09:14:30Z', started));
  t.ok(inPreflightWindow('2025-11-02T09:15:00Z', started), '60 s exactly');
  t.notOk(inPreflightWindow('2025-11-02T09:15:01Z', started));
  t.ok(inPreflightWindow('2025-11-02T09:13:58Z', started), 'a little clock skew');
  t.notOk(inPreflightWindow('2025-11-02T09:13:00Z', started));
  t.notOk(inPreflightWindow('2025-11-02T09:14:10Z', null), 'no start time');
  t.notOk(inPreflightWindow('not a time', started));
  t.ok(inPreflightWindow(Date.parse(started) + 5000, new Date(started)));
  t.end();
});

void t.test(
  'a priority-1 match in the window is a critical pre-flight failure with its own issue type',
  (t) => {
    t.match(applyPreflight(a12, '2025-11-02T09:14:20Z', started), {
      severity: 'critical',
      preflight: true,
      issueType: 'mcp_init_failed',
      alert: 'A12',
    });
    t.end();
  },
);

void t.test('the same match later in the run keeps the catalogue severity', (t) => {
  t.match(applyPreflight(a12, '2025-11-02T09:30:00Z', started), {
    severity: 'high',
    preflight: false,
  });
  t.end();
});

void t.test('runtime findings are never pre-flight failures', (t) => {
  t.match(applyPreflight(runtime, '2025-11-02T09:14:05Z', started), {
    severity: 'high',
    preflight: false,
  });
  t.end();
});
