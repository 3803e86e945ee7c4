import t from 'tap';
import { completionCheck } from '../../../src/detectors/rules/completion.js';
import type { Correlation } from '../../../src/domain/signal.js';
import type { Pod } from '../../../src/domain/kube.js';
import { corr, logsSignal, patch, platform, pod, view } from './kube-fixtures.js';

const REX_OK = [
  '2025-11-21T05:41:02Z INFO rex: Implementation plan ready (3 files)',
  '[main 4f1c2ab] feat(tasks): add task handlers',
  ' 3 files changed, 212 insertions(+), 4 deletions(-)',
  '+ git push origin feature/task-4',
  'To https://github.com/5dlabs/cto-parallel-test.git',
  '   9d3e1f0..4f1c2ab  feature/task-4 -> feature/task-4',
  'PR updated: https://github.com/5dlabs/cto-parallel-test/pull/412',
].join('\n');

const REX_CONFLICT = [
  '+ git pull --rebase origin main',
  'Auto-merging src/tasks/handlers.rs',
  'CONFLICT (content): Merge conflict in src/tasks/handlers.rs',
  'error: could not apply 4f1c2ab... feat(tasks): add task handlers',
  'hint: Resolve all conflicts manually, mark them as resolved with',
  '+ git push origin feature/task-4',
  'Everything up-to-date',
].join('\n');

const REX_SILENT = [
  '2025-11-21T05:41:02Z INFO rex: Implementation plan ready (3 files)',
  '2025-11-21T05:58:40Z INFO rex: exiting',
].join('\n');

const TESS_OK = [
  'running 42 tests',
  'test result: ok. 42 passed; 0 failed; 0 ignored; 0 measured; 0 filtered out; finished in 3.21s',
  'Review submitted: APPROVED',
].join('\n');

const TESS_FAILED = [
  'running 42 tests',
  'test result: FAILED. 40 passed; 2 failed; 0 ignored; 0 measured; 0 filtered out',
].join('\n');

interface Row {
  name: string;
  pod?: Pod;
  logs: string;
  c?: Correlation;
  want: { title: string; context: Record<string, string | number | null> } | null;
}

const P = 'play-task-4-rex-abc12-step-123';

const rows: Row[] = [
  { name: 'a rex run that pushed and updated its PR is verified', logs: REX_OK, want: null },
  {
    name: 'a succeeded rex pod whose logs show CONFLICT is flagged, even with git push',
    logs: REX_CONFLICT,
    want: {
      title: `Unverified Completion: ${P} logs show "error:", "CONFLICT"`,
      context: {
        failureIndicators: 'error:, CONFLICT',
        failureMatches: 'error:, CONFLICT',
        successMarkersFound: 1,
        container: 'agent',
      },
    },
  },
  {
    name: 'a run that printed no success marker is flagged',
    logs: REX_SILENT,
    want: {
      title: `Unverified Completion: ${P} succeeded without success markers`,
      context: { successMarkersFound: 0, failureIndicators: null, phase: 'Succeeded' },
    },
  },
  {
    name: 'empty logs are flagged',
    logs: '',
    want: {
      title: `Unverified Completion: ${P} succeeded without success markers`,
      context: { logLines: 1 },
    },
  },
  {
    name: "tess's '0 failed' is not a failure",
    logs: TESS_OK,
    c: corr({ agent: 'tess' }),
    want: null,
  },
  {
    name: 'tess with 2 failed tests is flagged',
    logs: TESS_FAILED,
    c: corr({ agent: 'tess' }),
    want: {
      title: `Unverified Completion: ${P} logs show "test result: FAILED", "2 failed"`,
      context: {
        successMarkersFound: 0,
        failureMatches: 'test result: FAILED, 2 failed',
        failureIndicators: 'test result: FAILED, \\b[1-9][0-9]* (tests? )?failed',
      },
    },
  },
  {
    name: 'an agent without expected/<agent>.md is not checked',
    logs: REX_SILENT,
    c: corr({ agent: 'morgan' }),
    want: null,
  },
  {
    name: 'an object with no agent is not checked',
    logs: REX_SILENT,
    c: corr({ agent: null }),
    want: null,
  },
  {
    name: 'a pod that did not succeed is not checked',
    pod: patch(pod('pod-succeeded'), (p) => void (p.status!.phase = 'Failed')),
    logs: REX_SILENT,
    want: null,
  },
  {
    name: 'an excluded pod produces nothing',
    logs: REX_CONFLICT,
    c: corr({ excluded: 'prefix healer' }),
    want: null,
  },
  {
    name: 'a platform pod with a known agent is checked',
    logs: REX_CONFLICT,
    c: platform('rex'),
    want: {
      title: `Unverified Completion: ${P} logs show "error:", "CONFLICT"`,
      context: {},
    },
  },
];

void t.test('completion check table', (t) => {
  for (const row of rows) {
    const drafts = completionCheck.evaluate(
      logsSignal(row.pod ?? pod('pod-succeeded'), row.logs, row.c ?? corr()),
      view(),
    );
    if (row.want === null) {
      t.same(drafts, [], row.name);
      continue;
    }
    t.equal(drafts.length, 1, `${row.name}: one draft`);
    t.equal(drafts[0]?.title, row.want.title, `${row.name}: title`);
    t.match(drafts[0]?.context, row.want.context, row.name);
  }
  t.end();
});

void t.test('a completion draft fills every field and quotes the offending lines', (t) => {
  const [d] = completionCheck.evaluate(logsSignal(pod('pod-succeeded'), REX_CONFLICT), view());
  t.match(d, {
    alert: 'completion',
    severity: 'medium',
    issueType: 'agent_failure',
    namespace: 'cto',
    playId: 'play-task-4',
    taskId: '4',
    agent: 'rex',
    subject: 'play-task-4',
  });
  t.same(d?.evidence, [
    'CONFLICT (content): Merge conflict in src/tasks/handlers.rs',
    'error: could not apply 4f1c2ab... feat(tasks): add task handlers',
  ]);
  const [silent] = completionCheck.evaluate(logsSignal(pod('pod-succeeded'), REX_SILENT), view());
  t.equal(silent?.issueType, 'other');
  t.same(silent?.evidence, REX_SILENT.split('\n'), 'no indicator: the last lines');
  t.end();
});
