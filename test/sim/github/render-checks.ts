// JSON shapes of check runs, commit statuses and the combined status of a ref.
import type { CheckRun, CommitStatus, Repo, User } from './model.js';
import { minimalRepoJson, nodeId, repoPath, userJson } from './render-core.js';
import type { RenderCtx } from './render-core.js';

// GitHub's rule: failure if any latest status is error/failure, pending if none or any pending,
// success otherwise.
export function combinedState(statuses: CommitStatus[]): 'failure' | 'pending' | 'success' {
  const latest = latestPerContext(statuses);
  if (latest.some((s) => s.state === 'error' || s.state === 'failure')) return 'failure';
  if (latest.length === 0 || latest.some((s) => s.state === 'pending')) return 'pending';
  return 'success';
}

export function latestPerContext(statuses: CommitStatus[]): CommitStatus[] {
  const byContext = new Map<string, CommitStatus>();
  for (const s of [...statuses].sort((a, b) => b.id - a.id))
    if (!byContext.has(s.context)) byContext.set(s.context, s);
  return [...byContext.values()];
}

export function appJson(c: RenderCtx, r: Repo, bot: User) {
  const slug = bot.login.replace(/\[bot\]$/, '');
  return {
    id: bot.id,
    slug,
    client_id: `Iv1.${bot.id.toString(16).padStart(16, '0')}`,
    node_id: nodeId('A', bot.id),
    owner: userJson(c, r.owner),
    name: slug,
    description: null,
    external_url: `${c.html}/apps/${slug}`,
    html_url: `${c.html}/apps/${slug}`,
    created_at: '2024-01-01T00:00:00Z',
    updated_at: '2024-01-01T00:00:00Z',
    permissions: {
      checks: 'write',
      contents: 'read',
      metadata: 'read',
      pull_requests: 'write',
      statuses: 'write',
    },
    events: ['check_run', 'check_suite', 'pull_request'],
  };
}

export function checkRunJson(c: RenderCtx, r: Repo, cr: CheckRun) {
  const full = repoPath(r);
  const url = `${c.api}/repos/${full}/check-runs/${cr.id}`;
  const pulls = [...r.issues.values()].filter(
    (i) => i.pull && i.state === 'open' && c.world.headSha(r, i.pull.headRef) === cr.headSha,
  );
  const repoRef = { id: r.id, url: `${c.api}/repos/${full}`, name: r.name };
  return {
    id: cr.id,
    name: cr.name,
    node_id: nodeId('CR', cr.id),
    head_sha: cr.headSha,
    external_id: cr.externalId,
    url,
    html_url: `${c.html}/${full}/runs/${cr.id}`,
    details_url: cr.detailsUrl ?? `${c.html}/${full}/runs/${cr.id}`,
    status: cr.status,
    conclusion: cr.conclusion,
    started_at: cr.startedAt,
    completed_at: cr.completedAt,
    output: { ...cr.output, annotations_count: 0, annotations_url: `${url}/annotations` },
    check_suite: { id: cr.checkSuiteId },
    app: appJson(c, r, cr.app),
    pull_requests: pulls.map((i) => ({
      url: `${c.api}/repos/${full}/pulls/${i.number}`,
      id: i.pull!.id,
      number: i.number,
      head: { ref: i.pull!.headRef, sha: c.world.headSha(r, i.pull!.headRef) ?? '', repo: repoRef },
      base: { ref: i.pull!.baseRef, sha: c.world.headSha(r, i.pull!.baseRef) ?? '', repo: repoRef },
    })),
  };
}

export function statusJson(c: RenderCtx, r: Repo, s: CommitStatus) {
  return {
    url: `${c.api}/repos/${repoPath(r)}/statuses/${s.sha}`,
    avatar_url: userJson(c, s.creator).avatar_url,
    id: s.id,
    node_id: nodeId('SC', s.id),
    state: s.state,
    description: s.description,
    target_url: s.targetUrl,
    context: s.context,
    created_at: s.createdAt,
    updated_at: s.updatedAt,
    creator: userJson(c, s.creator),
  };
}

export function combinedStatusJson(c: RenderCtx, r: Repo, sha: string) {
  const all = r.statuses.filter((s) => s.sha === sha);
  const latest = latestPerContext(all).sort((a, b) => a.id - b.id);
  const api = `${c.api}/repos/${repoPath(r)}`;
  return {
    state: combinedState(all),
    statuses: latest.map((s) => {
      const { creator: _creator, ...simple } = statusJson(c, r, s);
      return simple;
    }),
    sha,
    total_count: latest.length,
    repository: minimalRepoJson(c, r),
    commit_url: `${api}/commits/${sha}`,
    url: `${api}/commits/${sha}/status`,
  };
}
