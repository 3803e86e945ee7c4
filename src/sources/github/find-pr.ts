import type { ConditionalReader } from './conditional.js';

/** Where a Play's pull request is: enough to poll it. */
export interface PrRef {
  owner: string;
  repo: string;
  number: number;
  /** How it was found (`coderun`: CodeRun `status.pullRequestUrl`). */
  foundBy: 'coderun' | 'label' | 'branch' | 'given';
}

/** What the finder needs from a session. */
export interface FindPrInput {
  /** `owner/repo` of the session. */
  repository: string;
  taskIds: readonly string[];
  /** `status.pullRequestUrl` of the session's CodeRuns, most relevant first. */
  pullRequestUrls?: readonly string[];
}

const enc = encodeURIComponent;

/**
 * `https://github.com/o/r/pull/12`, GitHub Enterprise `https://ghe/o/r/pull/12`, or the API form
 * `…/repos/o/r/pulls/12` → a ref; anything else → null.
 */
export function parsePullRequestUrl(url: string): Omit<PrRef, 'foundBy'> | null {
  let path: string;
  try {
    path = new URL(url).pathname;
  } catch {
    return null;
  }
  const m = /\/([^/]+)\/([^/]+)\/pulls?\/(\d+)(?:\/[a-z]+)?\/?$/.exec(path);
  if (!m) return null;
  const number = Number(m[3]);
  if (!Number.isSafeInteger(number) || number <= 0) return null;
  return { owner: decodeURIComponent(m[1]), repo: decodeURIComponent(m[2]), number };
}

/** A head branch names the task: `feature/task-4`, `task-4`, `play-task-4-rex`, `task_4` — not `task-42`. */
export function branchNamesTask(branch: string, taskId: string): boolean {
  const id = taskId.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(^|[^a-z0-9])task[-_]?${id}($|[^a-z0-9])`, 'i').test(branch);
}

/** The ref given by the CodeRuns, if any (no request needed). */
export function refFromCodeRuns(urls: readonly string[] | undefined): PrRef | null {
  for (const url of urls ?? []) {
    const ref = parsePullRequestUrl(url);
    if (ref) return { ...ref, foundBy: 'coderun' };
  }
  return null;
}

interface ListedIssue {
  number: number;
  pull_request?: unknown;
}
interface ListedPull {
  number: number;
  head?: { ref?: string };
}

const newestFirst = (a: { number: number }, b: { number: number }) => b.number - a.number;

/**
 * Finds a Play's pull request (the issue's item 2), first match wins:
 * 1. a CodeRun's `status.pullRequestUrl`;
 * 2. an open PR labelled `task-<task id>` in the session's repository (newest if several);
 * 3. an open PR whose head branch names the task (newest if several).
 * Requests are conditional (304 when nothing changed), so re-checking until found is cheap.
 */
export async function findPlayPr(
  reader: Pick<ConditionalReader, 'list'>,
  input: FindPrInput,
  opts: { signal?: AbortSignal } = {},
): Promise<PrRef | null> {
  const fromCodeRun = refFromCodeRuns(input.pullRequestUrls);
  if (fromCodeRun) return fromCodeRun;
  const [owner, repo] = input.repository.split('/');
  if (!owner || !repo || input.taskIds.length === 0) return null;
  const base = `/repos/${enc(owner)}/${enc(repo)}`;

  for (const id of input.taskIds) {
    const q = new URLSearchParams({ labels: `task-${id}`, state: 'open', per_page: '100' });
    const { value } = await reader.list(
      `${base}/issues?${q.toString()}`,
      (d) =>
        (Array.isArray(d) ? (d as ListedIssue[]) : []).map((i) => ({
          number: i.number,
          pull_request: Boolean(i.pull_request),
        })),
      { key: 'find', signal: opts.signal, maxPages: 3 },
    );
    const pr = value.filter((i) => i.pull_request).sort(newestFirst)[0];
    if (pr) return { owner, repo, number: pr.number, foundBy: 'label' };
  }

  const q = new URLSearchParams({ state: 'open', per_page: '100' });
  const { value: pulls } = await reader.list(
    `${base}/pulls?${q.toString()}`,
    (d) =>
      (Array.isArray(d) ? (d as ListedPull[]) : []).map((p) => ({
        number: p.number,
        head: { ref: p.head?.ref ?? '' },
      })),
    { key: 'find', signal: opts.signal, maxPages: 5 },
  );
  for (const id of input.taskIds) {
    const pr = pulls.filter((p) => branchNamesTask(p.head?.ref ?? '', id)).sort(newestFirst)[0];
    if (pr) return { owner, repo, number: pr.number, foundBy: 'branch' };
  }
  return null;
}
