import type { AlertDraft } from '../../domain/alert.js';
import { prSnapshotOf } from './pr-snapshot.js';
import type { PrCheck, PrComment } from '../../domain/pr.js';
import { normaliseAgent } from '../../domain/stages.js';
import type { Rule } from '../rule.js';
import {
  TESTING_STAGE,
  agentOfAuthor,
  commentLine,
  draftBase,
  isApproval,
  ms,
  prContext,
  prSubject,
  stageOfAuthor,
} from './pr-agents.js';

/**
 * Conclusions that fail A5. Check runs conclude `failure`/`timed_out`/`cancelled`; a commit
 * status has no such conclusions, its failing states are `failure` and `error` (GitHub's combined
 * status counts both as failing), so `error` is included.
 */
export const FAILING_CONCLUSIONS: ReadonlySet<string> = new Set([
  'failure',
  'timed_out',
  'cancelled',
  'error',
]);

const checkLine = (c: PrCheck): string =>
  `${c.source === 'status' ? 'status' : 'check'} "${c.name}" conclusion=${c.conclusion ?? 'none'} completed_at=${c.completedAt ?? 'unknown'}${c.url ? ` ${c.url}` : ''}`;

/**
 * A5 — post-Tess CI/merge failure (detection.md §3): after the testing agent's approval (its first
 * approving comment or `APPROVED` review on the PR), a check run or status on the head commit
 * concluded failing **after** that time, or the PR is unmergeable (`mergeable === false` or
 * `mergeable_state === "dirty"`; `mergeable: null` means GitHub is still computing and is not a
 * conflict). One draft per PR: `context.kind` is `ci_failure` when checks fail (with
 * `merge_conflict` saying whether the PR also conflicts), else `merge_conflict`.
 */
export const a5PostTessCi: Rule = {
  id: 'A5',
  name: 'Post-Tess CI/merge failure',
  kinds: ['pr'],
  timeBased: false,
  evaluate(signal, view) {
    if (signal.kind !== 'pr' || !view.session) return [];
    const pr = prSnapshotOf(signal.snapshot);
    if (!pr) return [];
    const session = view.session;
    const stages = view.config.stages;
    let approval: { comment: PrComment; at: number } | null = null;
    for (const c of pr.comments) {
      const at = ms(c.createdAt);
      if (at === null || !isApproval(c)) continue;
      if (stageOfAuthor(session, c.author, stages) !== TESTING_STAGE) continue;
      if (
        approval === null ||
        at < approval.at ||
        (at === approval.at && c.id < approval.comment.id)
      )
        approval = { comment: c, at };
    }
    if (!approval) return [];
    const approvedAt = approval.at;
    const failing = pr.checks
      .filter((c) => {
        const done = ms(c.completedAt);
        return (
          c.status === 'completed' &&
          c.conclusion !== null &&
          FAILING_CONCLUSIONS.has(c.conclusion) &&
          done !== null &&
          done > approvedAt
        );
      })
      .sort((a, b) => a.name.localeCompare(b.name) || a.source.localeCompare(b.source));
    const conflict = pr.mergeable === false || pr.mergeableState === 'dirty';
    if (failing.length === 0 && !conflict) return [];

    const kind = failing.length > 0 ? 'ci_failure' : 'merge_conflict';
    const author = approval.comment.author;
    const tester = agentOfAuthor(session, author)?.name ?? normaliseAgent(author);
    const names = failing.map((c) => c.name);
    const what = [
      failing.length > 0
        ? `${failing.length === 1 ? 'check' : 'checks'} ${names.map((n) => `"${n}"`).join(', ')} failed`
        : null,
      conflict ? `the PR is no longer mergeable (${pr.mergeableState ?? 'mergeable=false'})` : null,
    ]
      .filter(Boolean)
      .join(' and ');
    const draft: AlertDraft = {
      ...draftBase(signal, { ...view, session }),
      alert: 'A5',
      severity: 'high',
      issueType: 'ci_failure',
      title: `Post-Tess ${kind === 'ci_failure' ? 'CI Failure' : 'Merge Conflict'}: PR #${pr.number} after approval`,
      description: `After ${tester} approved PR #${pr.number} at ${approval.comment.createdAt}, ${what}.`,
      agent: tester,
      subject: prSubject(pr),
      evidence: [
        `approved: ${commentLine(approval.comment)}`,
        ...failing.map(checkLine),
        ...(conflict
          ? [`mergeable=${String(pr.mergeable)} mergeable_state=${pr.mergeableState ?? 'unknown'}`]
          : []),
        `head ${pr.headRef} ${pr.headSha}`,
      ],
      context: {
        ...prContext(pr),
        kind,
        approved_at: approval.comment.createdAt,
        approved_by: approval.comment.author,
        failed_checks: names.join(', '),
        failed_check_count: failing.length,
        merge_conflict: conflict,
        mergeable: pr.mergeable,
        mergeable_state: pr.mergeableState,
        head_sha: pr.headSha,
      },
    };
    return [draft];
  },
};
