import type { AlertDraft } from '../../domain/alert.js';
import type { PrComment, PrSnapshot } from '../../domain/pr.js';
import type { Session, SessionAgent } from '../../domain/session.js';
import { normaliseAgent } from '../../domain/stages.js';
import type { RuleView, Signal } from '../../domain/signal.js';

/**
 * Shared pieces of the pull-request rules (A1, A3, A4, A5): who wrote a comment, which stage an
 * agent belongs to, what counts as an approval, and the fingerprint fields every PR draft shares.
 */

type StageConfig = RuleView['config']['stages'];

/** The stage that tests a Play; its approval starts A5's clock. */
export const TESTING_STAGE = 'testing';

/** detection.md §3, A4: an approval comment contains one of these (case-insensitive). */
export const APPROVAL_PATTERN = /approved|lgtm|looks good|all checks pass|✅/i;

/**
 * An approval: an `APPROVED` review, or a comment or commented review whose body matches
 * {@link APPROVAL_PATTERN}. A review requesting changes never is, whatever its body says.
 */
export const isApproval = (c: PrComment): boolean =>
  c.type === 'APPROVED' ||
  ((c.type === 'comment' || c.type === 'COMMENTED') && APPROVAL_PATTERN.test(c.body));

/** An agent pod is running (the session's agent phase, set from its pod or CodeRun). */
export const isRunning = (a: SessionAgent): boolean => a.phase.toLowerCase() === 'running';

/** Names an agent may appear under on GitHub, normalised: `5DLabs-Tess`, `5dlabs-tess[bot]`, `tess`. */
function agentKeys(a: SessionAgent): string[] {
  const keys = [normaliseAgent(a.name)];
  if (a.github_app) keys.push(normaliseAgent(a.github_app));
  return keys;
}

/** The session agent a GitHub login belongs to (through its GitHub App name or its own name). */
export function agentOfAuthor(session: Session, login: string): SessionAgent | null {
  const key = normaliseAgent(login);
  return session.agents.find((a) => agentKeys(a).includes(key)) ?? null;
}

/** A stable key for "the same author": the matched agent's name, else the normalised login. */
export const authorKey = (session: Session, login: string): string =>
  normaliseAgent(agentOfAuthor(session, login)?.name ?? login);

/** An agent's stage: the session's record when it is a known stage, else the configured mapping. */
export function stageOfAgent(a: SessionAgent, stages: StageConfig): string | null {
  if (stages.order.includes(a.stage)) return a.stage;
  const mapped = stages.agents[normaliseAgent(a.name)];
  return mapped !== undefined && stages.order.includes(mapped) ? mapped : null;
}

/**
 * The stage of a comment's author: the session agent it matches, else the configured stage of
 * the normalised login (an agent the session does not list, e.g. `5dlabs-blaze[bot]`).
 */
export function stageOfAuthor(session: Session, login: string, stages: StageConfig): string | null {
  const agent = agentOfAuthor(session, login);
  if (agent) return stageOfAgent(agent, stages);
  const mapped = stages.agents[normaliseAgent(login)];
  return mapped !== undefined && stages.order.includes(mapped) ? mapped : null;
}

export const ms = (iso: string | null | undefined): number | null => {
  if (!iso) return null;
  const t = Date.parse(iso);
  return Number.isNaN(t) ? null : t;
};

/** Fingerprint subject of every PR alert: `#<number>`. */
export const prSubject = (pr: PrSnapshot): string => `#${pr.number}`;

/** One evidence line for a comment or review: time, author, kind, first line of the body. */
export function commentLine(c: PrComment): string {
  const first = c.body.split('\n', 1)[0]?.trim() ?? '';
  const text = first.length > 120 ? `${first.slice(0, 119)}…` : first;
  const kind = c.type === 'comment' ? '' : ` [review ${c.type}]`;
  return `${c.createdAt} ${c.author}${kind}: ${text}`;
}

/** Running agents in a stable order (by start, then name) so output is deterministic. */
export function runningAgents(session: Session): SessionAgent[] {
  return session.agents
    .filter(isRunning)
    .sort(
      (a, b) =>
        (a.started_at ?? '').localeCompare(b.started_at ?? '') || a.name.localeCompare(b.name),
    );
}

/** Fields every PR draft shares: where it happened, whose Play, when. */
export function draftBase(
  signal: Extract<Signal, { kind: 'pr' }>,
  view: RuleView & { session: Session },
): Pick<AlertDraft, 'namespace' | 'playId' | 'taskId' | 'detectedAt'> {
  return {
    namespace: view.session.namespace,
    playId: signal.correlation.playId ?? view.session.play_id,
    taskId: signal.correlation.taskId,
    detectedAt: view.now.toISOString(),
  };
}

/** Context keys that every PR alert carries. */
export const prContext = (pr: PrSnapshot) => ({ pr_number: pr.number, pr_url: pr.url });
