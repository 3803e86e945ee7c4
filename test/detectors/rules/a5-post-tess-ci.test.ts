import t from 'tap';
import { a5PostTessCi } from '../../../src/detectors/rules/a5-post-tess-ci.js';
import type { PrSnapshot } from '../../../src/domain/pr.js';
import type { Session } from '../../../src/domain/session.js';
import {
  BODIES,
  agent,
  bot,
  check,
  comment,
  pipeline,
  run,
  session,
  snapshot,
  ODD_INPUTS,
} from './pr-fixtures.js';

interface Case {
  name: string;
  pr: Partial<PrSnapshot>;
  session?: Session;
  /** [kind, failed checks, merge_conflict] of the alert, or null for none. */
  expect: [string, string, boolean] | null;
}

const tess = bot('tess');
const approved = comment(tess, 30, BODIES.tess);
const history = [
  comment(bot('rex'), 8, BODIES.rex),
  comment(bot('cleo'), 15, BODIES.cleo),
  comment(bot('cipher'), 25, BODIES.cipher),
];

const cases: Case[] = [
  {
    name: 'CI failing after Tess approved fires ci_failure with the failing check',
    pr: {
      comments: [...history, approved],
      checks: [check('lint', 'success', 12), check('ci / test (ubuntu-latest)', 'failure', 38)],
      mergeableState: 'unstable',
    },
    expect: ['ci_failure', 'ci / test (ubuntu-latest)', false],
  },
  {
    name: 'a merge conflict after Tess approved fires merge_conflict',
    pr: {
      comments: [...history, approved],
      checks: [check('ci / test', 'success', 20)],
      mergeable: false,
      mergeableState: 'dirty',
    },
    expect: ['merge_conflict', '', true],
  },
  {
    name: 'mergeable_state dirty alone is a conflict',
    pr: { comments: [approved], mergeable: true, mergeableState: 'dirty' },
    expect: ['merge_conflict', '', true],
  },
  {
    name: 'a PR still computing mergeability (mergeable: null) is not a conflict',
    pr: { comments: [...history, approved], mergeable: null, mergeableState: 'unknown' },
    expect: null,
  },
  {
    name: 'a check that failed before Tess approved and passed after is fine (latest run listed)',
    pr: { comments: [...history, approved], checks: [check('ci / test', 'success', 36)] },
    expect: null,
  },
  {
    name: 'a failure that concluded before the approval does not count',
    pr: { comments: [...history, approved], checks: [check('ci / test', 'failure', 28)] },
    expect: null,
  },
  {
    name: 'without an approval from the testing agent nothing fires',
    pr: {
      comments: history,
      checks: [check('ci / test', 'failure', 38)],
      mergeable: false,
      mergeableState: 'dirty',
    },
    expect: null,
  },
  {
    name: "another agent's approval does not start the clock",
    pr: {
      comments: [comment(bot('cleo'), 30, 'LGTM ✅')],
      checks: [check('ci / test', 'failure', 38)],
    },
    expect: null,
  },
  {
    name: "Tess's non-approval comment does not start the clock",
    pr: {
      comments: [comment(tess, 30, 'Running the acceptance suite on the preview environment.')],
      checks: [check('ci / test', 'failure', 38)],
    },
    expect: null,
  },
  {
    name: 'an APPROVED review by Tess starts the clock',
    pr: {
      comments: [comment('5DLabs-Tess', 30, '', 'APPROVED')],
      checks: [check('e2e', 'timed_out', 50)],
    },
    expect: ['ci_failure', 'e2e', false],
  },
  {
    name: 'failure, timed_out, cancelled and a failing commit status are all listed',
    pr: {
      comments: [approved],
      checks: [
        check('build', 'cancelled', 31),
        check('e2e', 'timed_out', 32),
        check('unit', 'failure', 33),
        check('ci/jenkins', 'error', 34, 'status'),
        check('ci/circleci', 'failure', 35, 'status'),
        check('docs', 'neutral', 36),
        check('deploy-preview', 'skipped', 36),
        check('codecov', null, null),
      ],
    },
    expect: ['ci_failure', 'build, ci/circleci, ci/jenkins, e2e, unit', false],
  },
  {
    name: 'failing checks and a conflict together: one alert, ci_failure, conflict noted',
    pr: {
      comments: [approved],
      checks: [check('unit', 'failure', 40)],
      mergeable: false,
      mergeableState: 'dirty',
    },
    expect: ['ci_failure', 'unit', true],
  },
  {
    name: 'checks green and mergeable again: resolved',
    pr: { comments: [approved], checks: [check('unit', 'success', 45)], mergeableState: 'clean' },
    expect: null,
  },
  {
    name: 'the first approval counts: a failure between two Tess approvals still fires',
    pr: {
      comments: [approved, comment(tess, 40, BODIES.tess)],
      checks: [check('unit', 'failure', 35)],
    },
    expect: ['ci_failure', 'unit', false],
  },
  {
    name: 'Tess is the testing agent even when the session does not list her',
    session: session([agent('rex', 'Succeeded', 0)]),
    pr: { comments: [approved], checks: [check('unit', 'failure', 35)] },
    expect: ['ci_failure', 'unit', false],
  },
];

for (const c of cases) {
  void t.test(c.name, (t) => {
    const drafts = run(a5PostTessCi, c.session ?? pipeline('atlas', 45), snapshot(c.pr), 60);
    t.same(
      drafts.map((d) => [d.context.kind, d.context.failed_checks, d.context.merge_conflict]),
      c.expect ? [c.expect] : [],
    );
    for (const d of drafts) {
      t.equal(d.alert, 'A5');
      t.equal(d.severity, 'high');
      t.equal(d.issueType, 'ci_failure');
      t.equal(d.subject, '#412');
      t.equal(d.agent, 'tess');
      for (const name of String(d.context.failed_checks).split(', ').filter(Boolean))
        t.ok(
          d.evidence.some((e) => e.includes(`"${name}"`)),
          `evidence lists ${name}`,
        );
    }
    t.end();
  });
}

void t.test('the alert says which condition and when Tess approved', (t) => {
  const pr = snapshot({
    comments: [approved],
    checks: [check('ci / test (ubuntu-latest)', 'failure', 38)],
    mergeable: false,
    mergeableState: 'dirty',
  });
  const [d] = run(a5PostTessCi, pipeline('atlas', 45), pr, 60);
  t.equal(d.title, 'Post-Tess CI Failure: PR #412 after approval');
  t.equal(d.context.approved_at, approved.createdAt);
  t.equal(d.context.approved_by, tess);
  t.equal(d.context.mergeable, false);
  t.equal(d.context.mergeable_state, 'dirty');
  t.match(
    d.description,
    /After tess approved PR #412 at .*, check "ci \/ test \(ubuntu-latest\)" failed and the PR is no longer mergeable \(dirty\)\./,
  );
  t.match(
    d.evidence.join('\n'),
    /approved: .*5dlabs-tess\[bot\]: ✅ All acceptance criteria met\. APPROVED/,
  );
  t.match(d.evidence.join('\n'), /mergeable=false mergeable_state=dirty/);
  const [conflict] = run(
    a5PostTessCi,
    pipeline('atlas', 45),
    snapshot({ comments: [approved], mergeable: false, mergeableState: 'dirty' }),
    60,
  );
  t.equal(conflict.title, 'Post-Tess Merge Conflict: PR #412 after approval');
  t.end();
});

for (const [name, s, pr] of ODD_INPUTS) {
  void t.test(`odd input never throws and is deterministic: ${name}`, (t) => {
    const first = run(a5PostTessCi, s, pr, 600);
    t.same(run(a5PostTessCi, s, pr, 600), first);
    t.end();
  });
}
