import { createHash } from 'node:crypto';
import type { RestEndpointMethodTypes } from '@octokit/rest';
import type { PrCheck, PrComment, PrCommit, PrSnapshot } from '../../domain/pr.js';
import type { PrSummary } from '../../domain/session.js';

/** GitHub REST answers → the small `PrSnapshot` parts Healer keeps. Pure, never throws. */

type RestPull = RestEndpointMethodTypes['pulls']['get']['response']['data'];
type RestIssueComment =
  RestEndpointMethodTypes['issues']['listComments']['response']['data'][number];
type RestReview = RestEndpointMethodTypes['pulls']['listReviews']['response']['data'][number];
type RestCommit = RestEndpointMethodTypes['pulls']['listCommits']['response']['data'][number];
type RestChecks = RestEndpointMethodTypes['checks']['listForRef']['response']['data'];
type RestCombined = RestEndpointMethodTypes['repos']['getCombinedStatusForRef']['response']['data'];

/** The pull request itself: what the snapshot keeps besides comments, commits and checks. */
export type PrHead = Omit<PrSnapshot, 'comments' | 'commits' | 'checks' | 'fetchedAt'>;

const array = <T>(data: unknown): T[] => (Array.isArray(data) ? (data as T[]) : []);

export function mapPull(data: unknown, repository: string): PrHead {
  const p = (data ?? {}) as Partial<RestPull>;
  return {
    repository,
    number: p.number ?? 0,
    url: p.html_url ?? '',
    state: p.state === 'closed' ? 'closed' : 'open',
    merged: p.merged === true,
    headSha: p.head?.sha ?? '',
    headRef: p.head?.ref ?? '',
    mergeable: typeof p.mergeable === 'boolean' ? p.mergeable : null,
    mergeableState: p.mergeable_state ?? null,
  };
}

export const mapIssueComments = (data: unknown): PrComment[] =>
  array<RestIssueComment>(data).map((c) => ({
    id: c.id,
    author: c.user?.login ?? 'ghost',
    body: c.body ?? '',
    createdAt: c.created_at,
    type: 'comment',
    url: c.html_url ?? null,
  }));

const REVIEW_TYPES = new Set(['APPROVED', 'CHANGES_REQUESTED', 'COMMENTED', 'DISMISSED']);

/** Submitted reviews only (a PENDING review is a draft nobody else sees). */
export const mapReviews = (data: unknown): PrComment[] =>
  array<RestReview>(data)
    .filter((r) => REVIEW_TYPES.has(r.state) && r.submitted_at)
    .map((r) => ({
      id: r.id,
      author: r.user?.login ?? 'ghost',
      body: r.body ?? '',
      createdAt: r.submitted_at ?? '',
      type: r.state as PrComment['type'],
      url: r.html_url ?? null,
    }));

/** Commits, dated by the committer (when it reached the branch) rather than the author. */
export const mapCommits = (data: unknown): PrCommit[] =>
  array<RestCommit>(data).map((c) => ({
    sha: c.sha,
    message: c.commit?.message ?? '',
    author: c.author?.login ?? c.commit?.author?.name ?? null,
    date: c.commit?.committer?.date ?? c.commit?.author?.date ?? '',
  }));

const CHECK_STATUSES = new Set(['queued', 'in_progress', 'completed']);

export const mapCheckRuns = (data: unknown): PrCheck[] =>
  array<RestChecks['check_runs'][number]>((data as Partial<RestChecks> | null)?.check_runs).map(
    (c) => ({
      name: c.name,
      source: 'check_run',
      // `waiting`, `requested`, `pending` are all "not started yet".
      status: CHECK_STATUSES.has(c.status) ? (c.status as PrCheck['status']) : 'queued',
      conclusion: c.conclusion ?? null,
      completedAt: c.completed_at ?? null,
      url: c.details_url ?? c.html_url ?? null,
    }),
  );

/** The latest status per context (the combined status); `pending` is in progress, others completed. */
export const mapCombinedStatus = (data: unknown): PrCheck[] =>
  array<RestCombined['statuses'][number]>((data as Partial<RestCombined> | null)?.statuses).map(
    (s) => ({
      name: s.context,
      source: 'status',
      status: s.state === 'pending' ? 'in_progress' : 'completed',
      conclusion: s.state === 'pending' ? null : s.state,
      completedAt: s.state === 'pending' ? null : (s.updated_at ?? s.created_at ?? null),
      url: s.target_url ?? null,
    }),
  );

const byTimeThenId = (a: PrComment, b: PrComment) =>
  a.createdAt.localeCompare(b.createdAt) || a.id - b.id;

export function buildSnapshot(parts: {
  head: PrHead;
  issueComments: PrComment[];
  reviews: PrComment[];
  commits: PrCommit[];
  checkRuns: PrCheck[];
  statuses: PrCheck[];
  fetchedAt: Date;
}): PrSnapshot {
  return {
    ...parts.head,
    comments: [...parts.issueComments, ...parts.reviews].sort(byTimeThenId),
    commits: parts.commits,
    checks: [...parts.checkRuns, ...parts.statuses],
    fetchedAt: parts.fetchedAt.toISOString(),
  };
}

/** A digest of everything but `fetchedAt`: equal digests mean nothing changed on the PR. */
export function snapshotDigest(s: PrSnapshot): string {
  const { fetchedAt: _fetchedAt, ...rest } = s;
  return createHash('sha256').update(JSON.stringify(rest)).digest('hex');
}

const PASSED = new Set(['success', 'neutral', 'skipped']);
const FAILED = new Set([
  'failure',
  'timed_out',
  'cancelled',
  'action_required',
  'startup_failure',
  'error',
]);

/** The session's `pr` field (api.md): number, url, state (`merged` when merged), checks counted. */
export function prSummary(s: PrSnapshot): PrSummary {
  const checks = { passed: 0, failed: 0, pending: 0 };
  for (const c of s.checks) {
    if (c.status === 'completed' && c.conclusion && PASSED.has(c.conclusion)) checks.passed++;
    else if (c.status === 'completed' && c.conclusion && FAILED.has(c.conclusion)) checks.failed++;
    else checks.pending++;
  }
  return {
    number: s.number,
    url: s.url,
    state: s.merged ? 'merged' : s.state,
    mergeable: s.mergeable,
    checks,
  };
}
