import t from 'tap';
import { createHash } from 'node:crypto';
import {
  fingerprint,
  fingerprintKey,
  workflowFamily,
  type FingerprintInputs,
} from '../../src/incidents/fingerprint.js';

void t.test('workflow family of a pod name (remediation.md §1)', (t) => {
  const table: [string, string][] = [
    // The spec's examples.
    ['play-task-4-abc-step-123', 'play-task-4'],
    ['atlas-conflict-monitor-xyz', 'atlas-conflict-monitor'],
    ['cto-controller-794646b4c7-tg28b', 'cto-controller'],
    // The other shapes of the rule.
    ['play-task-4-rex-abc12-step-123', 'play-task-4'],
    ['play-task-12-cleo-x7k2p', 'play-task-12'],
    ['play-task-4', 'play-task-4'],
    ['healer-remediation-a7-1a2b3c4d-1-x9z8y', 'healer-remediation'],
    ['atlas-batch-integration-7f9c-k2l4m', 'atlas-batch-integration'],
    ['atlas-guardian-5d8f7c6b9-abcde', 'atlas-guardian'],
    ['play-1732170000-rex-abc12', 'play-1732170000'],
    ['play-task-x-rex', 'play-task'],
    ['openmemory-0', 'openmemory-0'],
    ['standalone', 'standalone'],
    ['', ''],
  ];
  for (const [name, family] of table) t.equal(workflowFamily(name), family, `${name} → ${family}`);
  t.end();
});

const draft: FingerprintInputs = {
  alert: 'A7',
  namespace: 'cto',
  playId: 'play-task-4',
  taskId: '4',
  agent: 'rex',
  subject: 'play-task-4',
};

void t.test('fingerprint is the sha256 hex of alert|namespace|play|task|agent|subject', (t) => {
  t.equal(fingerprintKey(draft), 'A7|cto|play-task-4|4|rex|play-task-4');
  const fp = fingerprint(draft);
  t.match(fp, /^[0-9a-f]{64}$/);
  t.equal(fp, createHash('sha256').update('A7|cto|play-task-4|4|rex|play-task-4').digest('hex'));
  t.equal(fingerprint({ ...draft }), fp, 'deterministic');
  t.end();
});

void t.test('objects with no session use "platform"; unknown task and agent are empty', (t) => {
  const d = { ...draft, playId: null, taskId: null, agent: null, subject: 'cto-controller' };
  t.equal(fingerprintKey(d), 'A7|cto|platform|||cto-controller');
  t.end();
});

void t.test('agent names are normalised: 5DLabs-Rex, Rex and rex are one incident', (t) => {
  t.equal(fingerprint({ ...draft, agent: '5DLabs-Rex' }), fingerprint(draft));
  t.equal(fingerprint({ ...draft, agent: 'Rex' }), fingerprint(draft));
  t.end();
});

void t.test('every input changes the fingerprint', (t) => {
  const fp = fingerprint(draft);
  const variants: FingerprintInputs[] = [
    { ...draft, alert: 'A2' },
    { ...draft, namespace: 'cto-staging' },
    { ...draft, playId: 'play-task-5' },
    { ...draft, taskId: '5' },
    { ...draft, agent: 'cleo' },
    { ...draft, subject: 'play-task-4-cleo-t7x2k' },
    { ...draft, playId: null },
  ];
  for (const v of variants) t.not(fingerprint(v), fp, JSON.stringify(v));
  t.end();
});

void t.test('pods of one workflow family share an incident; another play does not', (t) => {
  const of = (pod: string) => fingerprint({ ...draft, subject: workflowFamily(pod) });
  t.equal(of('play-task-4-rex-abc12-step-123'), of('play-task-4-rex-zz9x8-step-456'));
  t.not(of('play-task-4-rex-abc12-step-123'), of('play-task-5-rex-abc12-step-123'));
  t.end();
});
