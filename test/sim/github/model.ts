// In-memory state of the simulated GitHub: users, repositories with branches and commits,
// issues (pull requests are issues with a `pull` part), comments, reviews, labels, check runs
// and commit statuses. Pure data plus small helpers; rendering lives in render-*.ts.
import { createHash } from 'node:crypto';

export type UserType = 'User' | 'Bot' | 'Organization';

export interface User {
  login: string;
  id: number;
  type: UserType;
}

export interface GitPerson {
  name: string;
  email: string;
  date: string;
}

export interface Commit {
  sha: string;
  message: string;
  author: GitPerson;
  committer: GitPerson;
  authorLogin: string | null;
  parents: string[];
  tree: string;
}

export interface Label {
  id: number;
  name: string;
  color: string;
  description: string | null;
  default: boolean;
}

export interface Comment {
  id: number;
  body: string;
  user: User;
  createdAt: string;
  updatedAt: string;
}

export type ReviewState = 'APPROVED' | 'CHANGES_REQUESTED' | 'COMMENTED' | 'PENDING' | 'DISMISSED';

export interface Review {
  id: number;
  user: User;
  body: string;
  state: ReviewState;
  commitId: string;
  submittedAt: string | null;
}

export interface Pull {
  id: number;
  headRef: string;
  baseRef: string;
  draft: boolean;
  merged: boolean;
  mergedAt: string | null;
  maintainerCanModify: boolean;
  // GitHub computes mergeability in the background: null until a GET after a change.
  mergeableComputed: boolean;
  mergeableOverride: boolean | null | undefined;
  mergeableStateOverride: string | undefined;
  reviews: Review[];
}

export interface Issue {
  id: number;
  number: number;
  title: string;
  body: string | null;
  user: User;
  labels: string[]; // lower-case keys into Repo.labels
  assignees: User[];
  state: 'open' | 'closed';
  stateReason: string | null;
  locked: boolean;
  createdAt: string;
  updatedAt: string;
  closedAt: string | null;
  closedBy: User | null;
  comments: Comment[];
  pull: Pull | null;
}

export interface CheckRun {
  id: number;
  name: string;
  headSha: string;
  status: string;
  conclusion: string | null;
  startedAt: string | null;
  completedAt: string | null;
  detailsUrl: string | null;
  externalId: string;
  output: { title: string | null; summary: string | null; text: string | null };
  app: User; // the app's bot user; rendered as a GitHub App
  checkSuiteId: number;
}

export interface CommitStatus {
  id: number;
  sha: string;
  state: 'error' | 'failure' | 'pending' | 'success';
  description: string | null;
  targetUrl: string | null;
  context: string;
  createdAt: string;
  updatedAt: string;
  creator: User;
}

export interface Repo {
  id: number;
  owner: User;
  name: string;
  description: string | null;
  private: boolean;
  createdAt: string;
  updatedAt: string;
  pushedAt: string;
  defaultBranch: string;
  branches: Map<string, string[]>; // branch → commit shas, oldest first
  commits: Map<string, Commit>;
  labels: Map<string, Label>;
  issues: Map<number, Issue>;
  nextNumber: number;
  checkRuns: CheckRun[];
  statuses: CommitStatus[];
}

// A sha that depends only on its seed (for derived objects such as test merge commits).
export function stableSha(seed: string): string {
  return createHash('sha1').update(seed).digest('hex');
}

export function isoSeconds(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export class World {
  readonly users = new Map<string, User>();
  readonly repos = new Map<string, Repo>();
  private nextId = 1_000_000;
  private nextUserId = 100_000;
  private shaSeq = 0;

  constructor(readonly now: () => Date) {}

  id(): number {
    return this.nextId++;
  }

  timestamp(): string {
    return isoSeconds(this.now());
  }

  sha(seed: string): string {
    return createHash('sha1').update(`${this.shaSeq++}\0${seed}`).digest('hex');
  }

  user(login: string, type?: UserType): User {
    const key = login.toLowerCase();
    let u = this.users.get(key);
    if (!u) {
      u = {
        login,
        id: this.nextUserId++,
        type: type ?? (login.endsWith('[bot]') ? 'Bot' : 'User'),
      };
      this.users.set(key, u);
    } else if (type === 'Organization' && u.type === 'User') {
      u.type = 'Organization';
    }
    return u;
  }

  findRepo(owner: string, name: string): Repo | undefined {
    return this.repos.get(`${owner}/${name}`.toLowerCase());
  }

  createRepo(
    owner: User,
    name: string,
    o: { description?: string | null; private?: boolean; createdAt?: string } = {},
  ): Repo {
    const at = o.createdAt ?? this.timestamp();
    const repo: Repo = {
      id: this.id(),
      owner,
      name,
      description: o.description ?? null,
      private: o.private ?? false,
      createdAt: at,
      updatedAt: at,
      pushedAt: at,
      defaultBranch: 'main',
      branches: new Map(),
      commits: new Map(),
      labels: new Map(),
      issues: new Map(),
      nextNumber: 1,
      checkRuns: [],
      statuses: [],
    };
    this.repos.set(`${owner.login}/${name}`.toLowerCase(), repo);
    const initial = this.makeCommit(repo, {
      message: 'Initial commit',
      author: owner,
      date: at,
      parents: [],
    });
    repo.branches.set('main', [initial.sha]);
    return repo;
  }

  makeCommit(
    repo: Repo,
    o: { message: string; author: User | GitPerson; date?: string; parents: string[] },
  ): Commit {
    const date = o.date ?? this.timestamp();
    const person: GitPerson =
      'login' in o.author
        ? {
            name: o.author.login,
            email: `${o.author.id}+${o.author.login}@users.noreply.github.com`,
            date,
          }
        : { ...o.author, date: o.author.date || date };
    const c: Commit = {
      sha: this.sha(`${repo.id}:${o.message}`),
      message: o.message,
      author: person,
      committer: { ...person },
      authorLogin: 'login' in o.author ? o.author.login : null,
      parents: o.parents,
      tree: this.sha(`tree:${o.message}`),
    };
    repo.commits.set(c.sha, c);
    repo.pushedAt = date;
    return c;
  }

  // Adds a commit on top of a branch (created from the default branch when missing).
  commitToBranch(
    repo: Repo,
    branch: string,
    o: { message: string; author: User | GitPerson; date?: string },
  ): Commit {
    const history = this.ensureBranch(repo, branch);
    const c = this.makeCommit(repo, {
      ...o,
      parents: history.length ? [history[history.length - 1]] : [],
    });
    history.push(c.sha);
    for (const issue of repo.issues.values()) {
      if (issue.pull && issue.state === 'open' && issue.pull.headRef === branch) {
        issue.pull.mergeableComputed = false;
        issue.updatedAt = c.committer.date;
      }
    }
    return c;
  }

  ensureBranch(repo: Repo, branch: string): string[] {
    let history = repo.branches.get(branch);
    if (!history) {
      history = [...(repo.branches.get(repo.defaultBranch) ?? [])];
      repo.branches.set(branch, history);
    }
    return history;
  }

  headSha(repo: Repo, branch: string): string | undefined {
    const h = repo.branches.get(branch);
    return h?.[h.length - 1];
  }

  // A ref as the commits API takes it: a branch name, a full sha, or an unambiguous prefix.
  resolveRef(repo: Repo, ref: string): string | undefined {
    const branch = this.headSha(repo, ref.replace(/^(refs\/)?heads\//, ''));
    if (branch) return branch;
    if (repo.commits.has(ref)) return ref;
    if (/^[0-9a-f]{7,39}$/.test(ref)) {
      const found = [...repo.commits.keys()].filter((s) => s.startsWith(ref));
      if (found.length === 1) return found[0];
    }
    return undefined;
  }

  // Commits on the pull request's head that are not on its base, oldest first.
  pullCommits(repo: Repo, pull: Pick<Pull, 'headRef' | 'baseRef'>): Commit[] {
    const base = new Set(repo.branches.get(pull.baseRef) ?? []);
    return (repo.branches.get(pull.headRef) ?? [])
      .filter((s) => !base.has(s))
      .map((s) => repo.commits.get(s)!);
  }

  label(repo: Repo, name: string, o: { color?: string; description?: string | null } = {}): Label {
    const key = name.toLowerCase();
    let l = repo.labels.get(key);
    if (!l) {
      l = {
        id: this.id(),
        name,
        color: o.color ?? 'ededed',
        description: o.description ?? null,
        default: false,
      };
      repo.labels.set(key, l);
    }
    return l;
  }

  newIssue(
    repo: Repo,
    o: { title: string; body: string | null; user: User; createdAt?: string },
  ): Issue {
    const at = o.createdAt ?? this.timestamp();
    const issue: Issue = {
      id: this.id(),
      number: repo.nextNumber++,
      title: o.title,
      body: o.body,
      user: o.user,
      labels: [],
      assignees: [],
      state: 'open',
      stateReason: null,
      locked: false,
      createdAt: at,
      updatedAt: at,
      closedAt: null,
      closedBy: null,
      comments: [],
      pull: null,
    };
    repo.issues.set(issue.number, issue);
    return issue;
  }
}
