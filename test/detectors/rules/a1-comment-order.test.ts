import t from 'tap';
import { a1CommentOrder } from '../../../src/detectors/rules/a1-comment-order.js';
import type { PrComment } from '../../../src/domain/pr.js';
import type { Session } from '../../../src/domain/session.js';
import {
  BODIES,
  agent,
  bot,
  comment,
  pipeline,
  run,
  session,
  snapshot,
  ODD_INPUTS,
} from './pr-fixtures.js';

interface Case {
  name: string;
  session: Session | null;
  comments: PrComment[] | null; // null: no PR yet
  config?: object;
  /** [running agent, expected stage] of each alert, or [] for none. */
  expect: [string, string][];
}

const intake = comment('5dlabs-morgan[bot]', 1, 'Task 4 intake complete: 3 acceptance criteria.');

const cases: Case[] = [
  {
    name: 'cleo running while rex never commented fires for the implementation stage',
    session: pipeline('cleo', 10),
    comments: [intake],
    expect: [['cleo', 'implementation']],
  },
  {
    name: 'cleo running after rex commented is in order',
    session: pipeline('cleo', 10),
    comments: [intake, comment(bot('rex'), 8, BODIES.rex)],
    expect: [],
  },
  {
    name: 'the first stage never fires, even with no comment at all',
    session: pipeline('rex', 0),
    comments: [],
    expect: [],
  },
  {
    name: 'the nearest earlier stage decides: tess running, cleo commented but cipher did not',
    session: pipeline('tess', 30),
    comments: [comment(bot('rex'), 8, BODIES.rex), comment(bot('cleo'), 15, BODIES.cleo)],
    expect: [['tess', 'security']],
  },
  {
    name: 'stages the Play does not use are skipped: rex → tess only, rex commented',
    session: session([agent('rex', 'Succeeded', 0), agent('tess', 'Running', 20)]),
    comments: [comment(bot('rex'), 8, BODIES.rex)],
    expect: [],
  },
  {
    name: 'stages the Play does not use are skipped: rex → tess only, rex silent',
    session: session([agent('rex', 'Succeeded', 0), agent('tess', 'Running', 20)]),
    comments: [comment(bot('cleo'), 15, BODIES.cleo)],
    expect: [['tess', 'implementation']],
  },
  {
    name: 'authors match the GitHub App name case-insensitively (5DLabs-Cipher)',
    session: pipeline('tess', 30),
    comments: [comment(bot('rex'), 8, BODIES.rex), comment('5DLabs-Cipher', 25, BODIES.cipher)],
    expect: [],
  },
  {
    name: 'a review counts as a comment of its author',
    session: pipeline('tess', 30),
    comments: [comment(bot('cipher'), 25, 'No findings.', 'APPROVED')],
    expect: [],
  },
  {
    name: 'another agent of the same stage counts (blaze implemented instead of rex)',
    session: pipeline('cleo', 10),
    comments: [comment(bot('blaze'), 8, BODIES.rex)],
    expect: [],
  },
  {
    name: "a human's comment is not the earlier stage's comment",
    session: pipeline('cleo', 10),
    comments: [comment('jonathon', 5, BODIES.human)],
    expect: [['cleo', 'implementation']],
  },
  {
    name: 'a finished agent is not running: nothing to check',
    session: session([agent('rex', 'Succeeded', 0), agent('cleo', 'Succeeded', 10)]),
    comments: [],
    expect: [],
  },
  {
    name: 'running agents are matched case-insensitively on phase',
    session: session([agent('rex', 'Succeeded', 0), agent('cleo', 'running', 10)]),
    comments: [],
    expect: [['cleo', 'implementation']],
  },
  {
    name: 'no PR yet: A1 cannot judge comments',
    session: pipeline('cleo', 10),
    comments: null,
    expect: [],
  },
  {
    name: 'no session: nothing',
    session: null,
    comments: [],
    expect: [],
  },
  {
    name: 'a configured stage order is followed (security before quality)',
    session: pipeline('cleo', 10),
    comments: [comment(bot('rex'), 8, BODIES.rex)],
    config: {
      stages: { order: ['implementation', 'security', 'quality', 'testing', 'integration'] },
    },
    expect: [['cleo', 'security']],
  },
  {
    name: 'an agent of a stage outside the order (bolt, infrastructure) never fires',
    session: session([
      agent('rex', 'Succeeded', 0),
      agent('bolt', 'Running', 10, { stage: 'infrastructure', github_app: '5DLabs-Bolt' }),
    ]),
    comments: [],
    expect: [],
  },
];

for (const c of cases) {
  void t.test(c.name, (t) => {
    const pr = c.comments === null ? null : snapshot({ comments: c.comments });
    const drafts = run(a1CommentOrder, c.session, pr, 40, c.config);
    t.same(
      drafts.map((d) => [d.agent, d.context.expected_stage]),
      c.expect,
    );
    for (const d of drafts) {
      t.equal(d.alert, 'A1');
      t.equal(d.severity, 'medium');
      t.equal(d.subject, '#412', 'the fingerprint subject is the PR number');
      t.equal(d.playId, 'play-task-4');
      t.equal(d.taskId, '4');
      t.equal(d.context.pr_number, 412);
      t.equal(d.context.running_stage, c.session?.agents.find((a) => a.name === d.agent)?.stage);
      t.ok(d.evidence.some((e) => e.includes('no comment from')));
    }
    t.end();
  });
}

void t.test('the alert names the missing agents and shows the comments as evidence', (t) => {
  const [d] = run(a1CommentOrder, pipeline('cleo', 10), snapshot({ comments: [intake] }), 40);
  t.equal(d.title, 'Comment Order Mismatch: cleo running on PR #412 without a rex comment');
  t.equal(d.context.expected_agents, 'rex');
  t.match(d.evidence.join('\n'), /5dlabs-morgan\[bot\]: Task 4 intake complete/);
  t.match(d.evidence.join('\n'), /no comment from 5DLabs-Rex/);
  t.end();
});

for (const [name, s, pr] of ODD_INPUTS) {
  void t.test(`odd input never throws and is deterministic: ${name}`, (t) => {
    const first = run(a1CommentOrder, s, pr, 600);
    t.same(run(a1CommentOrder, s, pr, 600), first);
    t.end();
  });
}
