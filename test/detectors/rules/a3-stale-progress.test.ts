import t from 'tap';
import { a3StaleProgress } from '../../../src/detectors/rules/a3-stale-progress.js';
import type { PrCommit } from '../../../src/domain/pr.js';
import type { Session } from '../../../src/domain/session.js';
import { agent, commit, pipeline, run, session, snapshot, ODD_INPUTS } from './pr-fixtures.js';

interface Case {
  name: string;
  session: Session | null;
  commits: PrCommit[] | null; // null: no PR yet
  now: number; // minutes after T0
  config?: object;
  /** [agent, minutes, measured_from] of each alert. */
  expect: [string, number, string][];
}

const implement = commit(2, 'feat(tasks): add task handlers');

const cases: Case[] = [
  {
    name: 'no commit for longer than the threshold while rex runs fires',
    session: pipeline('rex', 0),
    commits: [implement],
    now: 20,
    expect: [['rex', 18, 'last_commit']],
  },
  {
    name: 'a commit younger than the threshold is progress',
    session: pipeline('rex', 0),
    commits: [implement],
    now: 16,
    expect: [],
  },
  {
    name: 'exactly the threshold is not older than it',
    session: pipeline('rex', 0),
    commits: [implement],
    now: 17,
    expect: [],
  },
  {
    name: 'a new commit clears it',
    session: pipeline('rex', 0),
    commits: [implement, commit(19, 'test(tasks): cover validation')],
    now: 20,
    expect: [],
  },
  {
    name: 'no PR yet: measured from the agent start',
    session: pipeline('rex', 0),
    commits: null,
    now: 20,
    expect: [['rex', 20, 'agent_start']],
  },
  {
    name: 'no PR yet and the agent started recently',
    session: pipeline('rex', 0),
    commits: null,
    now: 10,
    expect: [],
  },
  {
    name: 'an agent that started after the newest commit gets its full threshold',
    session: pipeline('cleo', 40),
    commits: [implement],
    now: 50,
    expect: [],
  },
  {
    name: 'an agent that started after the newest commit, past the threshold',
    session: pipeline('cleo', 40),
    commits: [implement],
    now: 56,
    expect: [['cleo', 16, 'agent_start']],
  },
  {
    name: 'no running agent: nothing is stale',
    session: session([agent('rex', 'Succeeded', 0), agent('cleo', 'Waiting')]),
    commits: [implement],
    now: 120,
    expect: [],
  },
  {
    name: 'a running agent without a start time and no PR cannot be measured',
    session: session([agent('rex', 'Running', null)]),
    commits: null,
    now: 120,
    expect: [],
  },
  {
    name: 'a running agent without a start time is measured from the newest commit',
    session: session([agent('rex', 'Running', null)]),
    commits: [implement],
    now: 30,
    expect: [['rex', 28, 'last_commit']],
  },
  {
    name: 'the threshold comes from config (alerts.staleProgressMinutes)',
    session: pipeline('rex', 0),
    commits: [implement],
    now: 20,
    config: { alerts: { staleProgressMinutes: 30 } },
    expect: [],
  },
  {
    name: 'two agents running in parallel are reported separately, ordered by start',
    session: session([
      agent('rex', 'Succeeded', 0),
      agent('cipher', 'Running', 5),
      agent('cleo', 'Running', 5),
    ]),
    commits: [implement],
    now: 30,
    expect: [
      ['cipher', 25, 'agent_start'],
      ['cleo', 25, 'agent_start'],
    ],
  },
  {
    name: 'no session: nothing',
    session: null,
    commits: [implement],
    now: 120,
    expect: [],
  },
];

for (const c of cases) {
  void t.test(c.name, (t) => {
    const pr = c.commits === null ? null : snapshot({ commits: c.commits });
    const drafts = run(a3StaleProgress, c.session, pr, c.now, c.config);
    t.same(
      drafts.map((d) => [d.agent, d.context.minutes_since_commit, d.context.measured_from]),
      c.expect,
    );
    for (const d of drafts) {
      t.equal(d.alert, 'A3');
      t.equal(d.issueType, 'stuck');
      t.equal(d.subject, pr ? '#412' : 'play-task-4');
      t.equal(d.context.pr_number, pr ? 412 : null);
    }
    t.end();
  });
}

void t.test('the alert carries the last commit and the threshold', (t) => {
  const [d] = run(a3StaleProgress, pipeline('rex', 0), snapshot({ commits: [implement] }), 27);
  t.equal(d.title, 'Stale Progress: rex has not pushed for 25m');
  t.equal(d.context.threshold_minutes, 15);
  t.equal(d.context.last_commit_sha, implement.sha);
  t.equal(d.context.last_commit_at, implement.date);
  t.match(d.description, /newest commit on PR #412 is 25 minutes old \(threshold 15 minutes\)/);
  t.match(d.evidence[0], /feature\/task-4 newest commit .* feat\(tasks\): add task handlers/);
  t.end();
});

void t.test('the newest commit wins over older ones listed after it', (t) => {
  const pr = snapshot({ commits: [commit(19, 'fix: clippy'), implement] });
  const [d] = run(a3StaleProgress, pipeline('rex', 0), pr, 40);
  t.equal(d.context.minutes_since_commit, 21);
  t.equal(d.context.last_commit_at, commit(19).date);
  t.end();
});

for (const [name, s, pr] of ODD_INPUTS) {
  void t.test(`odd input never throws and is deterministic: ${name}`, (t) => {
    const first = run(a3StaleProgress, s, pr, 600);
    t.same(run(a3StaleProgress, s, pr, 600), first);
    t.end();
  });
}
