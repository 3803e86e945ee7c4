import type { PrSnapshot } from '../../domain/pr.js';
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

/**
 * Fetches one PR's snapshot with conditional requests: the PR (mergeable, mergeable_state, head
 * sha), then in parallel its issue comments, reviews, commits, and the head commit's check runs
 * and combined status. Six requests (more only for lists past 100 items); all 304 when nothing
 * changed. `fresh` is false when every answer was a 304.
 */
export async function fetchPrSnapshot(
  reader: ConditionalReader,
  ref: Pick<PrRef, 'owner' | 'repo' | 'number'>,
  fetchedAt: () => Date,
  signal?: AbortSignal,
): Promise<{ snapshot: PrSnapshot; fresh: boolean }> {
  const repo = `/repos/${enc(ref.owner)}/${enc(ref.repo)}`;
  const pr = `${repo}/pulls/${ref.number}`;
  const o = { signal };
  const head = await reader.get(pr, (d) => mapPull(d, `${ref.owner}/${ref.repo}`), o);
  const sha = enc(head.value.headSha);
  const none = Promise.resolve({ value: [], fresh: false });
  const [comments, reviews, commits, checkRuns, statuses] = await Promise.all([
    reader.list(`${repo}/issues/${ref.number}/comments?${PAGE}`, mapIssueComments, o),
    reader.list(`${pr}/reviews?${PAGE}`, mapReviews, o),
    // GitHub lists at most 250 commits of a PR.
    reader.list(`${pr}/commits?${PAGE}`, mapCommits, { ...o, maxPages: 3 }),
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
  const fresh = [head, comments, reviews, commits, checkRuns, statuses].some((r) => r.fresh);
  return { snapshot, fresh };
}
