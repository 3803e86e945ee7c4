import type { AlertDraft } from '../../domain/alert.js';
import { prSnapshotOf } from './pr-snapshot.js';
import type { PrComment, PrSnapshot } from '../../domain/pr.js';
import type { Session } from '../../domain/session.js';
import { normaliseAgent } from '../../domain/stages.js';
import type { Rule } from '../rule.js';
import {
  agentOfAuthor,
  authorKey,
  commentLine,
  draftBase,
  isApproval,
  ms,
  prContext,
  prSubject,
} from './pr-agents.js';

type Event = { at: number; order: number; tie: string } & (
  { kind: 'commit' } | { kind: 'comment'; comment: PrComment; author: string }
);

/** Comments, reviews and commits in time order; at equal times commits first, then by id. */
function timeline(pr: PrSnapshot, session: Session): Event[] {
  const events: Event[] = [];
  for (const c of pr.commits) {
    const at = ms(c.date);
    if (at !== null) events.push({ at, order: 0, tie: c.sha, kind: 'commit' });
  }
  for (const c of pr.comments) {
    const at = ms(c.createdAt);
    if (at === null) continue;
    const tie = String(c.id).padStart(20, '0');
    events.push({
      at,
      order: 1,
      tie,
      kind: 'comment',
      comment: c,
      author: authorKey(session, c.author),
    });
  }
  return events.sort((a, b) => a.at - b.at || a.order - b.order || a.tie.localeCompare(b.tie));
}

interface Run {
  author: string;
  approvals: PrComment[];
}

/**
 * The longest run of approvals per author since the newest commit. A run is broken by a commit or
 * by another author's comment (approval or not); the same author's non-approval comment neither
 * counts nor breaks it (detection.md §3: "no other author's comment and no new commit between").
 * Only runs after the newest commit count: a new commit resolves the loop.
 */
function loopsSinceLastCommit(events: Event[]): Run[] {
  const lastCommit = events.findLastIndex((e) => e.kind === 'commit');
  const best = new Map<string, Run>();
  let run: Run | null = null;
  for (const e of events.slice(lastCommit + 1)) {
    if (e.kind !== 'comment') continue;
    if (run && run.author !== e.author) run = null;
    if (!isApproval(e.comment)) continue;
    run ??= { author: e.author, approvals: [] };
    run.approvals.push(e.comment);
    const prev = best.get(run.author);
    if (!prev || run.approvals.length > prev.approvals.length)
      best.set(run.author, { ...run, approvals: [...run.approvals] });
  }
  return [...best.values()].sort((a, b) => a.author.localeCompare(b.author));
}

/**
 * A4 — repeated approval loop (detection.md §3): the same author posted more than
 * `alerts.approvalLoopThreshold` approvals in a row. One draft per looping author, ordered by
 * author, so several looping agents give a deterministic result.
 */
export const a4ApprovalLoop: Rule = {
  id: 'A4',
  name: 'Repeated approval loop',
  kinds: ['pr'],
  timeBased: false,
  evaluate(signal, view) {
    if (signal.kind !== 'pr' || !view.session) return [];
    const pr = prSnapshotOf(signal.snapshot);
    if (!pr) return [];
    const session = view.session;
    const threshold = view.config.alerts.approvalLoopThreshold;
    const base = draftBase(signal, { ...view, session });
    const drafts: AlertDraft[] = [];
    for (const run of loopsSinceLastCommit(timeline(pr, session))) {
      const count = run.approvals.length;
      if (count <= threshold) continue;
      const login = run.approvals[0].author;
      // A session agent, else a roster agent the session does not list (by its stage mapping).
      const rosterName = normaliseAgent(login);
      const agent =
        agentOfAuthor(session, login)?.name ??
        (view.config.stages.agents[rosterName] !== undefined ? rosterName : null);
      const who = agent ?? login;
      drafts.push({
        ...base,
        alert: 'A4',
        severity: 'medium',
        issueType: 'other',
        title: `Repeated Approval Loop: ${who} approved PR #${pr.number} ${count} times in a row`,
        description: `${login} posted ${count} approvals in a row on PR #${pr.number} with no other author's comment or new commit in between (threshold ${threshold}).`,
        agent,
        subject: prSubject(pr),
        evidence: run.approvals.map(commentLine),
        context: {
          ...prContext(pr),
          author: login,
          agent,
          approvals_in_a_row: count,
          threshold,
          first_approval_at: run.approvals[0].createdAt,
          last_approval_at: run.approvals[count - 1].createdAt,
          head_sha: pr.headSha,
        },
      });
    }
    return drafts;
  },
};
