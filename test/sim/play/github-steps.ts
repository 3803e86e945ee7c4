// The Play's pull request and what happens on it: the implementing agent opens it, agents push
// commits, comment and review, CI runs check runs and commit statuses, GitHub computes
// mergeability. Writes go through the REST API as each agent's GitHub App (the world's clock is
// pinned to the step's time, so created_at is the step's time); without a world control the
// simulator's back-dating endpoints stand in for comments and reviews.
import { templateVars } from './context.js';
import type { PlayContext, PullRequestRuntime } from './context.js';
import { expand } from './template.js';
import { patchCodeRunStatus } from './coderun-steps.js';
import { botLogin, headBranch, taskOf } from './names.js';
import type {
  CheckStep,
  CommentStep,
  CommitStep,
  MergeableStep,
  PrStep,
  ReviewStep,
  StatusStep,
} from './schema-github.js';

const CI_APP = 'github-actions[bot]';
const iso = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, 'Z');

function loginOf(ctx: PlayContext, who: { agent?: string; author?: string }): string {
  return who.agent !== undefined
    ? botLogin(who.agent, ctx.session.cto_config.agents[who.agent])
    : who.author!;
}

const ownerRepo = (ctx: PlayContext) => {
  const [owner, repo] = ctx.session.repository.split('/');
  return { owner, repo };
};

export async function prStep(ctx: PlayContext, s: PrStep): Promise<void> {
  const { owner, repo } = ownerRepo(ctx);
  const task = taskOf(ctx.session, s.agent);
  const title = ctx.session.tasks.find((t) => t.id === task)?.title ?? `Task ${task}`;
  const head = s.head ?? ctx.branch?.name ?? headBranch(ctx.session.play_id, task);
  const app = ctx.session.cto_config.agents[s.agent].githubApp ?? s.agent;
  const gh = ctx.github.as(loginOf(ctx, s));
  const { data } = await gh.rest.pulls.create({
    owner,
    repo,
    head,
    base: s.base,
    draft: s.draft,
    title: s.title ?? `feat(task-${task}): ${title}`,
    body:
      s.body ??
      `## Summary\n\nImplements task ${task}: ${title}.\n\n## Play\n\n- play: \`${ctx.session.play_id}\`\n- agent: ${app}\n`,
  });
  const service = ctx.session.service;
  await gh.rest.issues.addLabels({
    owner,
    repo,
    issue_number: data.number,
    labels: s.labels ?? [`task-${task}`, ...(service ? [`service-${service}`] : [])],
  });
  const pr: PullRequestRuntime = {
    owner,
    repo,
    number: data.number,
    url: data.url,
    htmlUrl: data.html_url,
    head,
    base: s.base,
    headSha: data.head.sha,
  };
  ctx.pr = pr;
  ctx.result.pr = { number: pr.number, url: pr.url, htmlUrl: pr.htmlUrl, head, base: s.base };
  // The controller records the PR on the CodeRun of the agent that opened it.
  for (const cr of ctx.coderuns.values())
    if (cr.agent === s.agent && !cr.deleted) await patchCodeRunStatus(ctx, cr);
}

export async function commentStep(ctx: PlayContext, s: CommentStep): Promise<void> {
  const pr = ctx.pr!;
  const login = loginOf(ctx, s);
  const body = expand(s.body, templateVars(ctx));
  if (ctx.control) {
    await ctx.github
      .as(login)
      .rest.issues.createComment({ owner: pr.owner, repo: pr.repo, issue_number: pr.number, body });
  } else {
    await ctx.github.sim(
      'POST',
      `/_sim/repos/${pr.owner}/${pr.repo}/issues/${pr.number}/comments`,
      {
        body,
        login,
        created_at: iso(ctx.now),
      },
    );
  }
  ctx.result.counts.comments++;
}

export async function reviewStep(ctx: PlayContext, s: ReviewStep): Promise<void> {
  const pr = ctx.pr!;
  const login = loginOf(ctx, s);
  const body = expand(s.body ?? '', templateVars(ctx));
  if (ctx.control) {
    await ctx.github.as(login).rest.pulls.createReview({
      owner: pr.owner,
      repo: pr.repo,
      pull_number: pr.number,
      event: s.event,
      body,
      commit_id: pr.headSha,
    });
  } else {
    await ctx.github.sim('POST', `/_sim/repos/${pr.owner}/${pr.repo}/pulls/${pr.number}/reviews`, {
      event: s.event,
      body,
      login,
      commit_id: pr.headSha,
      submitted_at: iso(ctx.now),
    });
  }
  ctx.result.counts.reviews++;
}

export async function commitStep(ctx: PlayContext, s: CommitStep): Promise<void> {
  const { owner, repo } = ownerRepo(ctx);
  const login = loginOf(ctx, s);
  const body = { message: expand(s.message, templateVars(ctx)), author: login, date: iso(ctx.now) };
  if (ctx.pr) {
    const c = await ctx.github.sim(
      'POST',
      `/_sim/repos/${owner}/${repo}/pulls/${ctx.pr.number}/commits`,
      body,
      login,
    );
    ctx.pr.headSha = String(c.sha);
  } else {
    const agent = s.agent ?? Object.keys(ctx.session.cto_config.agents)[0];
    const name = ctx.branch?.name ?? headBranch(ctx.session.play_id, taskOf(ctx.session, agent));
    const c = await ctx.github.sim(
      'POST',
      `/_sim/repos/${owner}/${repo}/branches/${encodeURIComponent(name)}/commits`,
      body,
      login,
    );
    ctx.branch = { name, headSha: String(c.sha) };
  }
  ctx.result.counts.commits++;
}

export async function checkStep(ctx: PlayContext, s: CheckStep): Promise<void> {
  const pr = ctx.pr!;
  const gh = ctx.github.as(s.author ?? CI_APP);
  const key = `${s.name}@${pr.headSha}`;
  const at = iso(ctx.now);
  const output =
    s.title !== undefined || s.summary !== undefined
      ? { title: s.title ?? s.name, summary: s.summary ?? s.title ?? '' }
      : undefined;
  const fields = {
    ...(s.status ? { status: s.status } : {}),
    ...(s.conclusion ? { conclusion: s.conclusion, completed_at: at } : {}),
    ...(output ? { output } : {}),
  };
  const id = ctx.checks.get(key);
  if (id === undefined) {
    const { data } = await gh.rest.checks.create({
      owner: pr.owner,
      repo: pr.repo,
      name: s.name,
      head_sha: pr.headSha,
      started_at: at,
      details_url: `${pr.htmlUrl.replace(/\/pull\/\d+$/, '')}/actions/runs/${ctx.step + 1000}`,
      ...(s.status || s.conclusion ? {} : { status: 'in_progress' as const }),
      ...fields,
    });
    ctx.checks.set(key, data.id);
  } else {
    await gh.rest.checks.update({ owner: pr.owner, repo: pr.repo, check_run_id: id, ...fields });
  }
  ctx.result.counts.checks++;
}

export async function statusStep(ctx: PlayContext, s: StatusStep): Promise<void> {
  const pr = ctx.pr!;
  await ctx.github.as(s.author ?? CI_APP).rest.repos.createCommitStatus({
    owner: pr.owner,
    repo: pr.repo,
    sha: pr.headSha,
    state: s.state,
    context: s.context,
    ...(s.description ? { description: s.description } : {}),
    ...(s.target_url ? { target_url: s.target_url } : {}),
  });
  ctx.result.counts.statuses++;
}

export async function mergeableStep(ctx: PlayContext, s: MergeableStep): Promise<void> {
  const pr = ctx.pr!;
  await ctx.github.sim('PATCH', `/_sim/repos/${pr.owner}/${pr.repo}/pulls/${pr.number}`, {
    mergeable: s.mergeable,
    ...(s.state ? { mergeable_state: s.state } : {}),
  });
}
