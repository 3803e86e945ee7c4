// Reads the Play's pull request back through Octokit and compares it with the expected world:
// head, base, author, labels, comments, reviews and commits (author, text, time), check runs and
// commit statuses per commit, mergeability.
import { octokitAs } from '../github-actors.js';
import type { ExpectedWorld } from './expected.js';

const secs = (ms: number) =>
  new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');

export async function verifyGitHub(
  githubUrl: string,
  repository: string,
  w: ExpectedWorld,
): Promise<string[]> {
  const out: string[] = [];
  if (!w.pr) return out;
  const gh = octokitAs(githubUrl, 'healer-reader');
  const [owner, repo] = repository.split('/');
  const pull_number = w.pr.number;
  const what = `PR #${pull_number}`;
  const { data: pr } = await gh.rest.pulls.get({ owner, repo, pull_number });
  if (pr.head.ref !== w.pr.head) out.push(`${what}: head ${pr.head.ref}, expected ${w.pr.head}`);
  if (pr.base.ref !== w.pr.base) out.push(`${what}: base ${pr.base.ref}, expected ${w.pr.base}`);
  if (pr.user.login !== w.pr.author)
    out.push(`${what}: opened by ${pr.user.login}, expected ${w.pr.author}`);
  if (pr.created_at !== secs(w.pr.createdAt))
    out.push(`${what}: created_at ${pr.created_at}, expected ${secs(w.pr.createdAt)}`);
  const labels = pr.labels.map((l) => l.name);
  for (const l of w.pr.labels)
    if (!labels.includes(l)) out.push(`${what}: label ${l} missing (${labels.join(', ')})`);

  const comments = await gh.paginate(gh.rest.issues.listComments, {
    owner,
    repo,
    issue_number: pull_number,
    per_page: 100,
  });
  const gotComments = comments.map((c) => `${c.created_at} ${c.user?.login}: ${c.body}`);
  const wantComments = w.comments.map((c) => `${secs(c.at)} ${c.login}: ${c.body}`);
  if (JSON.stringify(gotComments) !== JSON.stringify(wantComments))
    out.push(
      `${what} comments: ${JSON.stringify(gotComments)}, expected ${JSON.stringify(wantComments)}`,
    );

  const reviews = await gh.paginate(gh.rest.pulls.listReviews, {
    owner,
    repo,
    pull_number,
    per_page: 100,
  });
  const gotReviews = reviews.map((r) => `${r.submitted_at} ${r.user?.login} ${r.state}: ${r.body}`);
  const wantReviews = w.reviews.map((r) => `${secs(r.at)} ${r.login} ${r.state}: ${r.body}`);
  if (JSON.stringify(gotReviews) !== JSON.stringify(wantReviews))
    out.push(
      `${what} reviews: ${JSON.stringify(gotReviews)}, expected ${JSON.stringify(wantReviews)}`,
    );

  const commits = await gh.paginate(gh.rest.pulls.listCommits, {
    owner,
    repo,
    pull_number,
    per_page: 100,
  });
  const gotCommits = commits.map(
    (c) => `${c.commit.author?.date} ${c.author?.login}: ${c.commit.message}`,
  );
  const wantCommits = w.commits.map((c) => `${secs(c.at)} ${c.login}: ${c.message}`);
  // The PR opened on a branch without commits of its own starts with the commit GitHub made.
  const own = gotCommits.slice(gotCommits.length - wantCommits.length);
  if (
    JSON.stringify(own) !== JSON.stringify(wantCommits) ||
    gotCommits.length - wantCommits.length > 1
  )
    out.push(
      `${what} commits: ${JSON.stringify(gotCommits)}, expected ${JSON.stringify(wantCommits)}`,
    );

  for (const c of w.checks.values()) {
    const sha = commits[c.commit - 1]?.sha;
    const runs = sha
      ? (
          await gh.rest.checks.listForRef({
            owner,
            repo,
            ref: sha,
            check_name: c.name,
            filter: 'all',
          })
        ).data.check_runs
      : [];
    const run = runs[0];
    const where = `check "${c.name}" on commit ${c.commit}`;
    if (!run) {
      out.push(`${where}: not found`);
      continue;
    }
    if (run.status !== c.status) out.push(`${where}: status ${run.status}, expected ${c.status}`);
    if (run.conclusion !== c.conclusion)
      out.push(`${where}: conclusion ${run.conclusion}, expected ${c.conclusion}`);
    if (run.started_at !== secs(c.startedAt))
      out.push(`${where}: started_at ${run.started_at}, expected ${secs(c.startedAt)}`);
    if (c.completedAt !== undefined && run.completed_at !== secs(c.completedAt))
      out.push(`${where}: completed_at ${run.completed_at}, expected ${secs(c.completedAt)}`);
  }

  for (const s of w.statuses) {
    const sha = commits[s.commit - 1]?.sha ?? 'none';
    const { data } = await gh.rest.repos.listCommitStatusesForRef({
      owner,
      repo,
      ref: sha,
      per_page: 100,
    });
    if (
      !data.some(
        (x) => x.context === s.context && x.state === s.state && x.created_at === secs(s.at),
      )
    )
      out.push(`status ${s.context}=${s.state} at ${secs(s.at)} on commit ${s.commit}: not found`);
  }

  if (w.mergeable) {
    let { data } = await gh.rest.pulls.get({
      owner,
      repo,
      pull_number,
      headers: { 'if-none-match': '' },
    });
    if (data.mergeable === null && w.mergeable.mergeable !== null)
      ({ data } = await gh.rest.pulls.get({
        owner,
        repo,
        pull_number,
        headers: { 'if-none-match': '' },
      }));
    if (data.mergeable !== w.mergeable.mergeable)
      out.push(`${what}: mergeable ${data.mergeable}, expected ${w.mergeable.mergeable}`);
    if (w.mergeable.state && data.mergeable_state !== w.mergeable.state)
      out.push(`${what}: mergeable_state ${data.mergeable_state}, expected ${w.mergeable.state}`);
  }
  return out;
}
