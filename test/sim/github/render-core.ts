// JSON shapes of users, repositories and labels, as GitHub's REST API returns them.
// API URLs point at the simulator; html URLs at `htmlBase` (default https://github.com).
import type { Label, Repo, User } from './model.js';
import type { World } from './model.js';

export interface RenderCtx {
  api: string;
  html: string;
  world: World;
}

export function nodeId(prefix: string, id: number): string {
  return `${prefix}_kwDO${Buffer.from(String(id)).toString('base64url')}`;
}

export function userJson(c: RenderCtx, u: User) {
  const path = encodeURIComponent(u.login);
  const api = `${c.api}/users/${path}`;
  const bot = u.type === 'Bot';
  return {
    login: u.login,
    id: u.id,
    node_id: nodeId(bot ? 'BOT' : u.type === 'Organization' ? 'O' : 'U', u.id),
    avatar_url: `https://avatars.githubusercontent.com/${bot ? 'in' : 'u'}/${u.id}?v=4`,
    gravatar_id: '',
    url: api,
    html_url: bot
      ? `${c.html}/apps/${encodeURIComponent(u.login.replace(/\[bot\]$/, ''))}`
      : `${c.html}/${path}`,
    followers_url: `${api}/followers`,
    following_url: `${api}/following{/other_user}`,
    gists_url: `${api}/gists{/gist_id}`,
    starred_url: `${api}/starred{/owner}{/repo}`,
    subscriptions_url: `${api}/subscriptions`,
    organizations_url: `${api}/orgs`,
    repos_url: `${api}/repos`,
    events_url: `${api}/events{/privacy}`,
    received_events_url: `${api}/received_events`,
    type: u.type,
    user_view_type: 'public',
    site_admin: false,
  };
}

export function repoPath(r: Repo): string {
  return `${r.owner.login}/${r.name}`;
}

// Fields shared by minimal-repository, repository and full-repository.
function repoUrls(c: RenderCtx, r: Repo) {
  const full = repoPath(r);
  const api = `${c.api}/repos/${full}`;
  return {
    id: r.id,
    node_id: nodeId('R', r.id),
    name: r.name,
    full_name: full,
    private: r.private,
    owner: userJson(c, r.owner),
    html_url: `${c.html}/${full}`,
    description: r.description,
    fork: false,
    url: api,
    archive_url: `${api}/{archive_format}{/ref}`,
    assignees_url: `${api}/assignees{/user}`,
    blobs_url: `${api}/git/blobs{/sha}`,
    branches_url: `${api}/branches{/branch}`,
    collaborators_url: `${api}/collaborators{/collaborator}`,
    comments_url: `${api}/comments{/number}`,
    commits_url: `${api}/commits{/sha}`,
    compare_url: `${api}/compare/{base}...{head}`,
    contents_url: `${api}/contents/{+path}`,
    contributors_url: `${api}/contributors`,
    deployments_url: `${api}/deployments`,
    downloads_url: `${api}/downloads`,
    events_url: `${api}/events`,
    forks_url: `${api}/forks`,
    git_commits_url: `${api}/git/commits{/sha}`,
    git_refs_url: `${api}/git/refs{/sha}`,
    git_tags_url: `${api}/git/tags{/sha}`,
    git_url: `git://${new URL(c.html).host}/${full}.git`,
    issue_comment_url: `${api}/issues/comments{/number}`,
    issue_events_url: `${api}/issues/events{/number}`,
    issues_url: `${api}/issues{/number}`,
    keys_url: `${api}/keys{/key_id}`,
    labels_url: `${api}/labels{/name}`,
    languages_url: `${api}/languages`,
    merges_url: `${api}/merges`,
    milestones_url: `${api}/milestones{/number}`,
    notifications_url: `${api}/notifications{?since,all,participating}`,
    pulls_url: `${api}/pulls{/number}`,
    releases_url: `${api}/releases{/id}`,
    ssh_url: `git@${new URL(c.html).host}:${full}.git`,
    stargazers_url: `${api}/stargazers`,
    statuses_url: `${api}/statuses/{sha}`,
    subscribers_url: `${api}/subscribers`,
    subscription_url: `${api}/subscription`,
    tags_url: `${api}/tags`,
    teams_url: `${api}/teams`,
    trees_url: `${api}/git/trees{/sha}`,
    hooks_url: `${api}/hooks`,
  };
}

function openIssues(r: Repo): number {
  let n = 0;
  for (const i of r.issues.values()) if (i.state === 'open') n++;
  return n;
}

export function minimalRepoJson(c: RenderCtx, r: Repo) {
  return repoUrls(c, r);
}

// The `repository` schema (used in a pull request's head and base).
export function repoJson(c: RenderCtx, r: Repo) {
  const full = repoPath(r);
  const open = openIssues(r);
  return {
    ...repoUrls(c, r),
    clone_url: `${c.html}/${full}.git`,
    mirror_url: null,
    svn_url: `${c.html}/${full}`,
    homepage: null,
    language: 'TypeScript',
    forks_count: 0,
    stargazers_count: 0,
    watchers_count: 0,
    size: 128,
    default_branch: r.defaultBranch,
    open_issues_count: open,
    is_template: false,
    topics: [] as string[],
    has_issues: true,
    has_projects: true,
    has_wiki: true,
    has_pages: false,
    has_downloads: true,
    has_discussions: false,
    archived: false,
    disabled: false,
    visibility: r.private ? 'private' : 'public',
    pushed_at: r.pushedAt,
    created_at: r.createdAt,
    updated_at: r.updatedAt,
    allow_forking: true,
    web_commit_signoff_required: false,
    license: null,
    forks: 0,
    open_issues: open,
    watchers: 0,
  };
}

export function fullRepoJson(c: RenderCtx, r: Repo) {
  return {
    ...repoJson(c, r),
    permissions: { admin: true, maintain: true, push: true, triage: true, pull: true },
    allow_squash_merge: true,
    allow_merge_commit: true,
    allow_rebase_merge: true,
    allow_auto_merge: false,
    delete_branch_on_merge: false,
    allow_update_branch: false,
    use_squash_pr_title_as_default: false,
    squash_merge_commit_title: 'COMMIT_OR_PR_TITLE',
    squash_merge_commit_message: 'COMMIT_MESSAGES',
    merge_commit_title: 'MERGE_MESSAGE',
    merge_commit_message: 'PR_TITLE',
    ...(r.owner.type === 'Organization' ? { organization: userJson(c, r.owner) } : {}),
    network_count: 0,
    subscribers_count: 1,
  };
}

export function labelJson(c: RenderCtx, r: Repo, l: Label) {
  return {
    id: l.id,
    node_id: nodeId('LA', l.id),
    url: `${c.api}/repos/${repoPath(r)}/labels/${encodeURIComponent(l.name)}`,
    name: l.name,
    color: l.color,
    default: l.default,
    description: l.description,
  };
}

export function authorAssociation(r: Repo, u: User): string {
  if (u.login.toLowerCase() === r.owner.login.toLowerCase()) return 'OWNER';
  for (const commit of r.commits.values())
    if (commit.authorLogin?.toLowerCase() === u.login.toLowerCase()) return 'CONTRIBUTOR';
  return 'NONE';
}
