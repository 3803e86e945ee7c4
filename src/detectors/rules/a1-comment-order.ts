import type { AlertDraft } from '../../domain/alert.js';
import { prSnapshotOf } from './pr-snapshot.js';
import type { Rule } from '../rule.js';
import {
  commentLine,
  draftBase,
  prContext,
  prSubject,
  runningAgents,
  stageOfAgent,
  stageOfAuthor,
} from './pr-agents.js';

const MAX_COMMENT_LINES = 10;

/**
 * A1 — comment order mismatch (detection.md §3): an agent of stage k is running, and the PR has
 * no comment (issue comment or review) from any agent of the nearest earlier stage the Play uses.
 * The session's agents decide which stages exist; the first stage never fires. Re-run on the
 * timer because an agent starting (a Kubernetes change) does not change the PR.
 */
export const a1CommentOrder: Rule = {
  id: 'A1',
  name: 'Comment order mismatch',
  kinds: ['pr'],
  timeBased: true,
  evaluate(signal, view) {
    if (signal.kind !== 'pr' || !view.session) return [];
    const pr = prSnapshotOf(signal.snapshot);
    if (!pr) return [];
    const session = view.session;
    const stages = view.config.stages;
    const order = stages.order;
    const used = new Set(session.agents.map((a) => stageOfAgent(a, stages)));
    const commented = new Set(pr.comments.map((c) => stageOfAuthor(session, c.author, stages)));
    const base = draftBase(signal, { ...view, session });
    const drafts: AlertDraft[] = [];

    for (const agent of runningAgents(session)) {
      const stage = stageOfAgent(agent, stages);
      const k = stage === null ? -1 : order.indexOf(stage);
      if (stage === null || k <= 0) continue;
      const expected = order
        .slice(0, k)
        .filter((s) => used.has(s))
        .at(-1);
      if (expected === undefined || commented.has(expected)) continue;
      const expectedAgents = session.agents.filter((a) => stageOfAgent(a, stages) === expected);
      const names = expectedAgents.map((a) => a.name).join(', ');
      const apps = expectedAgents.map((a) => a.github_app ?? a.name).join(', ');
      const comments = pr.comments.slice(-MAX_COMMENT_LINES).map((c) => `  ${commentLine(c)}`);
      drafts.push({
        ...base,
        alert: 'A1',
        severity: 'medium',
        issueType: 'other',
        title: `Comment Order Mismatch: ${agent.name} running on PR #${pr.number} without a ${names} comment`,
        description:
          `${agent.name} (${stage}) is running on ${base.playId ?? session.play_id}, but PR #${pr.number} ` +
          `has no comment from the ${expected} stage (${names}).`,
        agent: agent.name,
        subject: prSubject(pr),
        evidence: [
          `PR #${pr.number} comments (oldest first${pr.comments.length > MAX_COMMENT_LINES ? `, last ${MAX_COMMENT_LINES}` : ''}):`,
          ...(comments.length ? comments : ['  (no comments)']),
          `  (no comment from ${apps})`,
          `agent ${agent.name} ${agent.phase} since ${agent.started_at ?? 'unknown'}${agent.pod ? ` (pod ${agent.pod})` : ''}`,
        ],
        context: {
          ...prContext(pr),
          running_agent: agent.name,
          running_stage: stage,
          expected_stage: expected,
          expected_agents: names,
        },
      });
    }
    return drafts;
  },
};
