import type { AlertDraft } from '../../domain/alert.js';
import { prSnapshotOf } from './pr-snapshot.js';
import type { PrCommit, PrSnapshot } from '../../domain/pr.js';
import type { Rule } from '../rule.js';
import { describeThreshold, thresholdContext, thresholdIn } from '../thresholds/adaptive.js';
import { draftBase, ms, prContext, prSubject, runningAgents } from './pr-agents.js';

const MINUTE = 60_000;

function newestCommit(pr: PrSnapshot | null): { commit: PrCommit; at: number } | null {
  let best: { commit: PrCommit; at: number } | null = null;
  for (const commit of pr?.commits ?? []) {
    const at = ms(commit.date);
    if (at !== null && (best === null || at > best.at)) best = { commit, at };
  }
  return best;
}

/**
 * A3 — stale progress (detection.md §3): an agent is running and the PR's newest commit is older
 * than `alerts.staleProgressMinutes`; with no PR yet, measured from the agent's start.
 *
 * The clock starts at the later of the newest commit and the agent's start: an agent is never
 * blamed for time before it ran (a reviewer that starts an hour after the last commit gets its
 * full threshold). Time-based: the pipeline re-sends the last snapshot on every rule tick, and
 * for a session without a PR it sends `{ kind: 'pr', snapshot: null }` so this rule still runs.
 */
export const a3StaleProgress: Rule = {
  id: 'A3',
  name: 'Stale progress',
  kinds: ['pr'],
  timeBased: true,
  evaluate(signal, view) {
    if (signal.kind !== 'pr' || !view.session) return [];
    const session = view.session;
    const pr: PrSnapshot | null = prSnapshotOf(signal.snapshot);
    const thresholdMin = view.config.alerts.staleProgressMinutes;
    const newest = newestCommit(pr);
    const base = draftBase(signal, { ...view, session });
    const now = view.now.getTime();
    const drafts: AlertDraft[] = [];

    for (const agent of runningAgents(session)) {
      const started = ms(agent.started_at);
      const from =
        newest && (started === null || newest.at >= started)
          ? { at: newest.at, what: 'last_commit' as const }
          : started !== null
            ? { at: started, what: 'agent_start' as const }
            : null;
      if (!from) continue;
      const t = thresholdIn(view, 'stale-progress', agent.name, agent.stage, thresholdMin * 60);
      const tMin = Math.round(t.seconds / 6) / 10;
      const elapsed = now - from.at;
      if (elapsed <= t.seconds * 1000) continue;
      const minutes = Math.floor(elapsed / MINUTE);
      const sinceWhat =
        from.what === 'last_commit'
          ? `the newest commit on ${pr ? `PR #${pr.number}` : 'the PR'} is ${minutes} minutes old`
          : pr
            ? `no commit on PR #${pr.number} since it started ${minutes} minutes ago`
            : `no pull request and no commit since it started ${minutes} minutes ago`;
      const evidence = [
        newest
          ? `branch ${pr?.headRef ?? '?'} newest commit ${newest.commit.sha} at ${newest.commit.date} by ${newest.commit.author ?? 'unknown'}: ${newest.commit.message.split('\n', 1)[0]}`
          : 'no pull request found for this Play yet',
        `agent ${agent.name} ${agent.phase} since ${agent.started_at ?? 'unknown'}${agent.pod ? ` (pod ${agent.pod})` : ''}`,
        `checked at ${view.now.toISOString()} (threshold ${tMin} minutes)`,
        `threshold ${describeThreshold(t)}`,
      ];
      drafts.push({
        ...base,
        alert: 'A3',
        severity: 'medium',
        issueType: 'stuck',
        title: `Stale Progress: ${agent.name} has not pushed for ${minutes}m`,
        description: `${agent.name} has been running on ${base.playId ?? session.play_id}, but ${sinceWhat} (threshold ${tMin} minutes).`,
        agent: agent.name,
        subject: pr ? prSubject(pr) : (base.playId ?? session.play_id),
        evidence,
        context: {
          ...(pr ? prContext(pr) : { pr_number: null, pr_url: null }),
          minutes_since_commit: minutes,
          threshold_minutes: tMin,
          ...thresholdContext(t),
          measured_from: from.what,
          last_commit_at: newest?.commit.date ?? null,
          last_commit_sha: newest?.commit.sha ?? null,
          agent_started_at: agent.started_at,
        },
      });
    }
    return drafts;
  },
};
