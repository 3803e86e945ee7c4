import type { ActiveSessionsView } from '../../domain/active-sessions.js';
import type { StageContext } from '../../config/context.js';
import type { CodeRun, ObjectKind, Pod, Workflow } from '../../domain/kube.js';
import type { PrSnapshot } from '../../domain/pr.js';
import type { PrSummary } from '../../domain/session.js';
import type { Correlation, Signal } from '../../domain/signal.js';
import { githubClientFromEnv, type GitHubClient } from './client.js';
import type { GitHubMetrics } from './metrics.js';
import { PrPoller, type PollTarget } from './poller.js';
import { prSummary } from './snapshot.js';

export type GitHubChoice =
  { client: GitHubClient; reason: null } | { client: null; reason: string };

/** The GitHub client given (null: off), else the one the environment configures. */
export function chooseGitHub(
  given: GitHubClient | null | undefined,
  ctx: Pick<StageContext, 'config' | 'logger'>,
  metrics: GitHubMetrics,
): GitHubChoice {
  if (given === undefined)
    return githubClientFromEnv(ctx.config.env, { logger: ctx.logger, metrics });
  return given ? { client: given, reason: null } : { client: null, reason: 'disabled' };
}

export interface PrStageOptions {
  /** The GitHub client, or null with the reason pull requests are not read. */
  github: GitHubChoice;
  active: ActiveSessionsView;
  githubMetrics: GitHubMetrics;
  /** Where the PR rules' signal of a Play goes (the rule runner). */
  rules: { evaluate(signal: Signal, key: string, receivedAt: undefined): void };
  /** A Play's pull request changed: its summary is written on the session before rules run. */
  lifecycle: { prChanged(playId: string, summary: PrSummary): Promise<void> };
}

/** A Play's PR belongs to the Play; its task is the session's task when it has exactly one. */
export const prCorrelation = (playId: string, taskIds: readonly string[]): Correlation => ({
  playId,
  rule: 1,
  agent: null,
  taskId: taskIds.length === 1 ? taskIds[0] : null,
  remediation: false,
  servesFingerprint: null,
  excluded: null,
});

/**
 * The pull-request stage: polls each active Play's PR (the URLs its CodeRuns reported win over
 * finding it), keeps the last snapshot per Play and runs the PR rules on a changed snapshot and
 * on the timer (A3 without a PR runs from the agent's start).
 */
export class PrStage {
  readonly #o: PrStageOptions;
  /** The poller, when a GitHub client is configured. */
  readonly poller: PrPoller | undefined;
  readonly #snapshots = new Map<string, PrSnapshot>();
  readonly #prUrls = new Map<string, Set<string>>();

  constructor(ctx: Pick<StageContext, 'config' | 'clock' | 'logger'>, o: PrStageOptions) {
    this.#o = o;
    this.poller = o.github.client
      ? new PrPoller({
          github: o.github.client,
          clock: ctx.clock,
          intervalMs: ctx.config.env.HEALER_GITHUB_POLL_SECONDS * 1000,
          metrics: o.githubMetrics,
          logger: ctx.logger,
          sessions: () => this.#targets(),
          onSnapshot: (playId, snapshot, changed) => this.#snapshot(playId, snapshot, changed),
        })
      : undefined;
  }

  /** A Play's CodeRun reported its pull request's URL. */
  objectSeen(kind: ObjectKind, obj: Pod | CodeRun | Workflow, c: Correlation): void {
    const url = kind === 'coderun' ? (obj as CodeRun).status?.pullRequestUrl : undefined;
    if (!url || !c.playId) return;
    this.#prUrls.set(c.playId, (this.#prUrls.get(c.playId) ?? new Set()).add(url));
  }

  /** The session ended: its snapshot and URLs are dropped. */
  forget(playId: string): void {
    this.#snapshots.delete(playId);
    this.#prUrls.delete(playId);
  }

  /** One round of polling now (nothing without a client). */
  async pollOnce(): Promise<void> {
    await this.poller?.pollOnce();
  }

  /** The timer's pass: PR rules for every active session. */
  tick(): void {
    for (const playId of this.#o.active.playIds()) this.evaluate(playId, 'tick');
  }

  /** Why a Play's pull request cannot be read now (its PR incidents are then not judged), or null. */
  unread(playId: string | null): string | null {
    if (!this.poller)
      return `GitHub: pull requests are not read (${this.#o.github.reason ?? 'no client'})`;
    // a Play no longer watched has no PR rules to fire: its PR incidents clear with it
    if (playId === null || !this.#o.active.has(playId)) return null;
    const why = this.poller.unread(playId);
    return why === null ? null : `GitHub: ${why}`;
  }

  /** PR rules for one session. */
  evaluate(playId: string, cause: 'event' | 'tick'): void {
    const s = this.#o.active.get(playId);
    if (!s) return;
    const snapshot = this.#snapshots.get(playId) ?? null;
    const correlation = prCorrelation(
      playId,
      s.tasks.map((t) => t.id),
    );
    this.#o.rules.evaluate({ kind: 'pr', snapshot, correlation, cause }, `pr/${playId}`, undefined);
  }

  #targets(): PollTarget[] {
    return this.#o.active.list().map((s) => ({
      playId: s.play_id,
      repository: s.repository,
      taskIds: s.tasks.map((t) => t.id),
      pullRequestUrls: [...(this.#prUrls.get(s.play_id) ?? [])],
    }));
  }

  async #snapshot(playId: string, snapshot: PrSnapshot, changed: boolean): Promise<void> {
    this.#snapshots.set(playId, snapshot);
    if (!changed) return;
    await this.#o.lifecycle.prChanged(playId, prSummary(snapshot));
    this.evaluate(playId, 'event');
  }
}
