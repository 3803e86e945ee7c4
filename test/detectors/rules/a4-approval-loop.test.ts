import t from 'tap';
import { a4ApprovalLoop } from '../../../src/detectors/rules/a4-approval-loop.js';
import type { PrComment, PrCommit } from '../../../src/domain/pr.js';
import {
  BODIES,
  bot,
  comment,
  commit,
  pipeline,
  run,
  snapshot,
  ODD_INPUTS,
} from './pr-fixtures.js';

interface Case {
  name: string;
  comments: PrComment[];
  commits?: PrCommit[];
  config?: object;
  /** [author, approvals in a row] of each alert. */
  expect: [string, number][];
}

const tess = bot('tess');
const cleo = bot('cleo');
const base = [commit(2, 'feat(tasks): add task handlers')];

const cases: Case[] = [
  {
    name: 'three consecutive LGTMs by one agent fire',
    comments: [
      comment(tess, 30, BODIES.tessLgtm),
      comment(tess, 35, BODIES.tessLgtm),
      comment(tess, 41, BODIES.tessLgtm),
    ],
    expect: [[tess, 3]],
  },
  {
    name: 'two approvals in a row are within the threshold (more than 2 fires)',
    comments: [comment(tess, 30, BODIES.tess), comment(tess, 35, BODIES.tess)],
    expect: [],
  },
  {
    name: 'approvals interleaved with commits are not a loop',
    comments: [
      comment(tess, 30, BODIES.tess),
      comment(tess, 35, BODIES.tess),
      comment(tess, 41, BODIES.tess),
    ],
    commits: [...base, commit(32, 'fix: handle empty title'), commit(38, 'test: empty title')],
    expect: [],
  },
  {
    name: "another author's comment breaks the run",
    comments: [
      comment(tess, 30, BODIES.tess),
      comment(bot('rex'), 32, 'Pushed a fix for the flaky test, please re-check.'),
      comment(tess, 35, BODIES.tess),
      comment(tess, 41, BODIES.tess),
    ],
    expect: [],
  },
  {
    name: "the same author's non-approval comment neither counts nor breaks the run",
    comments: [
      comment(tess, 30, BODIES.tess),
      comment(tess, 33, 'Re-running the acceptance suite against the preview deployment…'),
      comment(tess, 35, BODIES.tess),
      comment(tess, 41, BODIES.tess),
    ],
    expect: [[tess, 3]],
  },
  {
    name: 'APPROVED reviews are approvals',
    comments: [
      comment(tess, 30, '', 'APPROVED'),
      comment(tess, 35, '', 'APPROVED'),
      comment(tess, 41, 'Approving again.', 'APPROVED'),
    ],
    expect: [[tess, 3]],
  },
  {
    name: 'a commented review saying LGTM is an approval; a change request never is',
    comments: [
      comment(cleo, 30, 'LGTM', 'COMMENTED'),
      comment(cleo, 35, 'Not approved yet: see the unwrap on line 88.', 'CHANGES_REQUESTED'),
      comment(cleo, 41, 'LGTM', 'COMMENTED'),
    ],
    expect: [],
  },
  {
    name: 'the GitHub App name and its bot login are the same author',
    comments: [
      comment(tess, 30, BODIES.tess),
      comment('5DLabs-Tess', 35, BODIES.tess),
      comment('5DLABS-TESS[BOT]', 41, BODIES.tess),
    ],
    expect: [[tess, 3]],
  },
  {
    name: 'every approval wording counts, case-insensitively',
    comments: [
      comment(cleo, 30, 'Looks Good to me.'),
      comment(cleo, 31, 'ALL CHECKS PASS'),
      comment(cleo, 32, '✅'),
      comment(cleo, 33, 'Approved.'),
    ],
    expect: [[cleo, 4]],
  },
  {
    name: 'a loop followed by a new commit is resolved',
    comments: [
      comment(tess, 30, BODIES.tess),
      comment(tess, 35, BODIES.tess),
      comment(tess, 41, BODIES.tess),
    ],
    commits: [...base, commit(45, 'fix: address review')],
    expect: [],
  },
  {
    name: 'several looping authors give one alert each, ordered by author',
    comments: [
      comment(tess, 30, BODIES.tess),
      comment(tess, 31, BODIES.tess),
      comment(tess, 32, BODIES.tess),
      comment(cleo, 33, BODIES.cleo),
      comment(cleo, 34, BODIES.cleo),
      comment(cleo, 35, BODIES.cleo),
      comment(cleo, 36, BODIES.cleo),
    ],
    expect: [
      [cleo, 4],
      [tess, 3],
    ],
  },
  {
    name: 'the threshold comes from config (alerts.approvalLoopThreshold)',
    comments: [comment(tess, 30, BODIES.tess), comment(tess, 35, BODIES.tess)],
    config: { alerts: { approvalLoopThreshold: 1 } },
    expect: [[tess, 2]],
  },
  {
    name: 'a commit at the same second as an approval comes first',
    comments: [
      comment(tess, 30, BODIES.tess),
      comment(tess, 35, BODIES.tess),
      comment(tess, 41, BODIES.tess),
    ],
    commits: [...base, commit(30, 'fix: typo')],
    expect: [[tess, 3]],
  },
  {
    name: 'ordinary review traffic is not a loop',
    comments: [
      comment(bot('rex'), 8, BODIES.rex),
      comment(cleo, 15, BODIES.cleo),
      comment(bot('cipher'), 25, BODIES.cipher),
      comment(tess, 30, BODIES.tess),
    ],
    expect: [],
  },
];

for (const c of cases) {
  void t.test(c.name, (t) => {
    const pr = snapshot({ comments: c.comments, commits: c.commits ?? base });
    const drafts = run(a4ApprovalLoop, pipeline('tess', 28), pr, 50, c.config);
    t.same(
      drafts.map((d) => [d.context.author, d.context.approvals_in_a_row]),
      c.expect,
    );
    for (const d of drafts) {
      t.equal(d.alert, 'A4');
      t.equal(d.subject, '#412');
      t.equal(d.evidence.length, d.context.approvals_in_a_row, 'one evidence line per approval');
    }
    t.end();
  });
}

void t.test('the loop is deterministic whatever order the comments arrive in', (t) => {
  const comments = cases.find((c) => c.name.startsWith('several looping'))!.comments;
  const reversed = snapshot({ comments: [...comments].reverse(), commits: base });
  const forward = snapshot({ comments, commits: base });
  t.same(
    run(a4ApprovalLoop, pipeline('tess', 28), reversed, 50),
    run(a4ApprovalLoop, pipeline('tess', 28), forward, 50),
  );
  t.end();
});

void t.test('the alert names the author, the agent and the count', (t) => {
  const comments = [30, 35, 41].map((m) => comment(tess, m, BODIES.tessLgtm));
  const [d] = run(a4ApprovalLoop, pipeline('tess', 28), snapshot({ comments }), 50);
  t.equal(d.agent, 'tess');
  t.equal(d.title, 'Repeated Approval Loop: tess approved PR #412 3 times in a row');
  t.equal(d.context.threshold, 2);
  t.equal(d.context.first_approval_at, comments[0].createdAt);
  t.equal(d.context.last_approval_at, comments[2].createdAt);
  t.match(d.evidence[0], /5dlabs-tess\[bot\]: LGTM/);
  t.end();
});

for (const [name, s, pr] of ODD_INPUTS) {
  void t.test(`odd input never throws and is deterministic: ${name}`, (t) => {
    const first = run(a4ApprovalLoop, s, pr, 600);
    t.same(run(a4ApprovalLoop, s, pr, 600), first);
    t.end();
  });
}
