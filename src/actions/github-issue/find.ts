// Finding the issue of an incident at the destination: the body's hidden fingerprint marker is
// the durable record of dedup (remediation.md §1), so even a wiped store finds its issue again.
import type { HealerOctokitInstance } from '../../sources/github/index.js';
import { githubActionError } from './errors.js';

export interface RepoRef {
  owner: string;
  repo: string;
}

export interface FoundIssue {
  number: number;
  url: string;
  state: string;
  /** How it was found: `search` (search API) or `list` (open issues with the Healer labels). */
  via: 'search' | 'list';
}

interface IssueLike {
  number: number;
  html_url: string;
  state: string;
  body?: string | null;
  pull_request?: unknown;
}

/** `owner/repo` → its parts; null for anything else. */
export function parseRepo(full: string | null | undefined): RepoRef | null {
  const m = /^([A-Za-z0-9_.-]+)\/([A-Za-z0-9_.-]+)$/.exec(full?.trim() ?? '');
  return m ? { owner: m[1], repo: m[2] } : null;
}

/** `https://github.com/o/r/issues/12` (or GitHub Enterprise) → `{owner, repo, number}`. */
export function parseIssueUrl(url: string): (RepoRef & { number: number }) | null {
  const m = /\/([A-Za-z0-9_.-]+)\/([A-Za-z0-9_.-]+)\/issues\/(\d+)\/?$/.exec(url);
  return m ? { owner: m[1], repo: m[2], number: Number(m[3]) } : null;
}

/** The marker text searched for (without the HTML comment), exactly as the templates write it. */
export const markerText = (fingerprint: string): string => `healer:fingerprint=${fingerprint}`;

const carries = (i: IssueLike, fingerprint: string): boolean =>
  !i.pull_request && (i.body ?? '').includes(markerText(fingerprint));

const found = (i: IssueLike, via: FoundIssue['via']): FoundIssue => ({
  number: i.number,
  url: i.html_url,
  state: i.state,
  via,
});

/** The oldest match wins, so two racing writers converge on the same issue. */
const oldest = (items: IssueLike[]): IssueLike | undefined =>
  [...items].sort((a, b) => a.number - b.number)[0];

/**
 * The search API: `repo:o/r is:issue is:open in:body "healer:fingerprint=<fp>"`. Returns null when
 * nothing matches, undefined when the search itself failed permanently (e.g. a 422 for a
 * repository search cannot see): the caller then relies on the listing. Retryable failures throw.
 */
async function bySearch(
  octokit: HealerOctokitInstance,
  r: RepoRef,
  fingerprint: string,
  signal: AbortSignal,
): Promise<FoundIssue | null | undefined> {
  try {
    const res = await octokit.rest.search.issuesAndPullRequests({
      q: `repo:${r.owner}/${r.repo} is:issue is:open in:body "${markerText(fingerprint)}"`,
      per_page: 20,
      request: { signal },
    });
    const hit = oldest(
      (res.data.items as IssueLike[]).filter((i) => i.state === 'open' && carries(i, fingerprint)),
    );
    return hit ? found(hit, 'search') : null;
  } catch (err) {
    const e = githubActionError('searching issues', err);
    if (e.retryable) throw e;
    return undefined;
  }
}

/** Open issues labelled `heal` and the alert label, pages of 100 (at most `maxPages`). */
async function byListing(
  octokit: HealerOctokitInstance,
  r: RepoRef,
  fingerprint: string,
  alertLabel: string,
  signal: AbortSignal,
  maxPages: number,
): Promise<FoundIssue | null> {
  const matches: IssueLike[] = [];
  for (let page = 1; page <= maxPages; page++) {
    let items: IssueLike[];
    try {
      const res = await octokit.rest.issues.listForRepo({
        ...r,
        state: 'open',
        labels: `heal,${alertLabel}`,
        per_page: 100,
        page,
        request: { signal },
      });
      items = res.data;
    } catch (err) {
      throw githubActionError(`listing open issues of ${r.owner}/${r.repo}`, err);
    }
    matches.push(...items.filter((i) => carries(i, fingerprint)));
    if (items.length < 100) break;
  }
  const hit = oldest(matches);
  return hit ? found(hit, 'list') : null;
}

/**
 * The open issue carrying the incident's marker, or null. Search first (finds issues whose
 * labels a person removed), then the listing (no search-index lag, so an issue created a moment
 * ago by an attempt whose answer was lost is still found).
 */
export async function findIssueByMarker(
  octokit: HealerOctokitInstance,
  r: RepoRef,
  opts: { fingerprint: string; alertLabel: string; signal: AbortSignal; maxPages?: number },
): Promise<FoundIssue | null> {
  const searched = await bySearch(octokit, r, opts.fingerprint, opts.signal);
  if (searched) return searched;
  return byListing(octokit, r, opts.fingerprint, opts.alertLabel, opts.signal, opts.maxPages ?? 10);
}
