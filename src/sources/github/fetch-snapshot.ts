import type { PrComment, PrCommit, PrSnapshot } from '../../domain/pr.js';
import type { ConditionalReader } from './conditional.js';
import type { PrRef } from './find-pr.js';
import {
  buildSnapshot,
  mapCheckRuns,
  mapCombinedStatus,
  mapCommits,
  mapIssueComments,
  mapPull,
  mapReviews,
} from './snapshot.js';

const enc = encodeURIComponent;
const PAGE = 'per_page=100';

export interface FetchOptions {
  signal?: AbortSignal;
  /** The last snapshot of the same PR, whose comments, reviews and commits may be reused. */
  previous?: PrSnapshot | null;
  /** Re-validate comments, reviews and commits even when the PR itself answered 304. */
  revalidateLists?: boolean;
}

export interface FetchResult {
  snapshot: PrSnapshot;
  /** false when every answer was a 304 (or reused). */
  fresh: boolean;
}

/**
 * Fetches one PR's snapshot with conditional requests (`If-None-Match`, 304 when unchanged):
 *
 * - every time: the PR (mergeable, mergeable_state, head sha, and `updated_at`/`comments`), then
 *   the head commit's check runs and combined status (checks change without the PR changing);
 * - the PR's issue comments, reviews and commits when the PR answered 200 (a new comment, review
 *   or push changes the PR's `updated_at`, `comments` or head sha), when there is no previous
 *   snapshot, or when `revalidateLists` asks for it (the poller does every few rounds, a safety
 *   net for edits GitHub does not reflect on the PR).
 *
 * So an unchanged PR costs three 304s a round, a changed one six requests.
 */
export async function fetchPrSnapshot(
  reader: ConditionalReader,
  ref: Pick<PrRef, 'owner' | 'repo' | 'number'>,
  fetchedAt: () => Date,
  opts: FetchOptions = {},
): Promise<FetchResult> {
  const repo = `/repos/${enc(ref.owner)}/${enc(ref.repo)}`;
  const pr = `${repo}/pulls/${ref.number}`;
  const o = { signal: opts.signal };
  const head = await reader.get(pr, (d) => mapPull(d, `${ref.owner}/${ref.repo}`), o);
  const sha = enc(head.value.headSha);
  const previous = opts.previous ?? null;
  const lists = !previous || head.fresh || opts.revalidateLists === true;
  const keep = <T>(value: T) => Promise.resolve({ value, fresh: false });
  const none = keep([]);
  const [comments, reviews, commits, checkRuns, statuses] = await Promise.all([
    lists
      ? reader.list(`${repo}/issues/${ref.number}/comments?${PAGE}`, mapIssueComments, o)
      : keep<PrComment[]>(previous.comments),
    lists ? reader.list(`${pr}/reviews?${PAGE}`, mapReviews, o) : keep<PrComment[]>([]),
    // GitHub lists at most 250 commits of a PR.
    lists
      ? reader.list(`${pr}/commits?${PAGE}`, mapCommits, { ...o, maxPages: 3 })
      : keep<PrCommit[]>(previous.commits),
    sha ? reader.list(`${repo}/commits/${sha}/check-runs?${PAGE}`, mapCheckRuns, o) : none,
    sha ? reader.get(`${repo}/commits/${sha}/status?${PAGE}`, mapCombinedStatus, o) : none,
  ]);
  const snapshot = buildSnapshot({
    head: head.value,
    issueComments: comments.value,
    reviews: reviews.value,
    commits: commits.value,
    checkRuns: checkRuns.value,
    statuses: statuses.value,
    fetchedAt: fetchedAt(),
  });
  const parts = [head, comments, reviews, commits, checkRuns, statuses];
  return { snapshot, fresh: parts.some((r) => r.fresh) };
}
