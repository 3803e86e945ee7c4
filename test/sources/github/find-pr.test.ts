// Finding a Play's pull request: CodeRun status.pullRequestUrl, then a `task-<id>` label, then a
// head branch naming the task; re-checked cheaply (conditional requests) until found.
import t from 'tap';
import { ConditionalReader } from '../../../src/sources/github/conditional.js';
import {
  branchNamesTask,
  findPlayPr,
  parsePullRequestUrl,
} from '../../../src/sources/github/find-pr.js';
import { HEALER_TOKEN, OWNER, R, REPO, agentOctokit, healerClient, newSim } from './helpers.js';

const INPUT = { repository: `${OWNER}/${REPO}`, taskIds: ['4'] };

void t.test('pull request URLs from CodeRuns parse in every form GitHub writes them', (t) => {
  const cases: [string, ReturnType<typeof parsePullRequestUrl>][] = [
    ['https://github.com/5dlabs/cto/pull/412', { owner: '5dlabs', repo: 'cto', number: 412 }],
    ['https://github.com/5dlabs/cto/pull/412/', { owner: '5dlabs', repo: 'cto', number: 412 }],
    ['https://github.com/5dlabs/cto/pull/412/files', { owner: '5dlabs', repo: 'cto', number: 412 }],
    [
      'https://github.com/5dlabs/cto/pull/412#issuecomment-1',
      { owner: '5dlabs', repo: 'cto', number: 412 },
    ],
    ['https://ghe.example.com/platform/api/pull/7', { owner: 'platform', repo: 'api', number: 7 }],
    [
      'https://api.github.com/repos/5dlabs/cto/pulls/9',
      { owner: '5dlabs', repo: 'cto', number: 9 },
    ],
    ['https://github.com/5dlabs/cto/issues/412', null],
    ['https://github.com/5dlabs/cto/pull/0', null],
    ['not a url', null],
    ['', null],
  ];
  for (const [url, want] of cases) t.same(parsePullRequestUrl(url), want, url || '(empty)');
  t.end();
});

void t.test('a head branch names the task, not a task with a longer number', (t) => {
  const cases: [string, boolean][] = [
    ['feature/task-4', true],
    ['task-4', true],
    ['play-task-4-rex-abc12', true],
    ['Task_4-handlers', true],
    ['feat/task4', true],
    ['feature/task-42', false],
    ['feature/task-14', false],
    ['feature/multitask-4x', false],
    ['main', false],
  ];
  for (const [branch, want] of cases) t.equal(branchNamesTask(branch, '4'), want, branch);
  t.end();
});

void t.test('a CodeRun pullRequestUrl wins and costs no request', async (t) => {
  const gh = await newSim(t);
  const reader = new ConditionalReader(healerClient(gh.url));
  const ref = await findPlayPr(reader, {
    ...INPUT,
    pullRequestUrls: ['garbage', 'https://github.com/5dlabs/cto-parallel-test/pull/17'],
  });
  t.same(ref, { owner: OWNER, repo: REPO, number: 17, foundBy: 'coderun' });
  t.equal(gh.stats.total, 0);
});

void t.test(
  'an open PR labelled task-<id> is found; closed PRs, issues and task-42 are not',
  async (t) => {
    const gh = await newSim(t);
    const rex = agentOctokit(gh.url, 'rex');
    const make = async (head: string, labels: string[], close = false) => {
      const pr = await rex.rest.pulls.create({ ...R, title: head, head, base: 'main' });
      if (labels.length)
        await rex.rest.issues.addLabels({ ...R, issue_number: pr.data.number, labels });
      if (close)
        await rex.rest.pulls.update({ ...R, pull_number: pr.data.number, state: 'closed' });
      return pr.data.number;
    };
    await make('feature/old-attempt', ['task-4'], true);
    await make('feature/other', ['task-42']);
    await rex.rest.issues.create({ ...R, title: 'Task 4 tracking', labels: ['task-4'] });
    const wanted = await make('feature/implement-handlers', ['task-4', 'rex']);
    const reader = new ConditionalReader(healerClient(gh.url));
    t.same(await findPlayPr(reader, INPUT), { ...R, number: wanted, foundBy: 'label' });
  },
);

void t.test('else an open PR whose head branch names the task', async (t) => {
  const gh = await newSim(t);
  const rex = agentOctokit(gh.url, 'rex');
  await rex.rest.pulls.create({ ...R, title: 'other', head: 'feature/task-42', base: 'main' });
  const pr = await rex.rest.pulls.create({
    ...R,
    title: 'Task 4',
    head: 'play-task-4-rex-x7k2p',
    base: 'main',
  });
  const reader = new ConditionalReader(healerClient(gh.url));
  t.same(await findPlayPr(reader, { ...INPUT, taskIds: ['1', '4'] }), {
    ...R,
    number: pr.data.number,
    foundBy: 'branch',
  });
});

void t.test(
  're-checked until found: repeated misses are 304s that spend no rate limit',
  async (t) => {
    const gh = await newSim(t);
    const reader = new ConditionalReader(healerClient(gh.url));
    t.equal(await findPlayPr(reader, INPUT), null);
    const spent = gh.stats.rateLimitUsed[HEALER_TOKEN]?.core;
    t.equal(spent, 2, 'one label query and one pulls list');
    for (let i = 0; i < 5; i++) t.equal(await findPlayPr(reader, INPUT), null);
    t.equal(gh.stats.byStatus['304'], 10, 'every re-check answered 304');
    t.equal(gh.stats.rateLimitUsed[HEALER_TOKEN]?.core, spent, 'and cost nothing');
    const rex = agentOctokit(gh.url, 'rex');
    const pr = await rex.rest.pulls.create({
      ...R,
      title: 'Task 4',
      head: 'feature/task-4',
      base: 'main',
    });
    t.same(await findPlayPr(reader, INPUT), { ...R, number: pr.data.number, foundBy: 'branch' });
  },
);

void t.test('a session without repository or tasks finds nothing without asking', async (t) => {
  const gh = await newSim(t);
  const reader = new ConditionalReader(healerClient(gh.url));
  t.equal(await findPlayPr(reader, { repository: 'nope', taskIds: ['4'] }), null);
  t.equal(await findPlayPr(reader, { ...INPUT, taskIds: [] }), null);
  t.equal(gh.stats.total, 0);
});
