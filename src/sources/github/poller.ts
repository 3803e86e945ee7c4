import PQueue from 'p-queue';
import type { Clock } from '../../domain/clock.js';
import { IntervalJob } from '../../runtime/index.js';
import type { PrSnapshot } from '../../domain/pr.js';
import type { GitHubClient, GitHubLogger } from './client.js';
import { ConditionalReader } from './conditional.js';
import { fetchPrSnapshot } from './fetch-snapshot.js';
import { findPlayPr, refFromCodeRuns } from './find-pr.js';
import type { PrRef } from './find-pr.js';
import type { GitHubMetrics } from './metrics.js';
import { snapshotDigest } from './snapshot.js';

/** One active session as the poller sees it. */
export interface PollTarget {
  playId: string;
  /** `owner/repo`. */
  repository: string;
  taskIds: readonly string[];
  /** `status.pullRequestUrl` of the session's CodeRuns (most relevant first); wins over finding. */
  pullRequestUrls?: readonly string[];
  /** A PR already known to the caller; skips finding. */
  pr?: Pick<PrRef, 'owner' | 'repo' | 'number'> | null;
}
export type ActiveSessionsWithPrRefs = readonly PollTarget[];

export interface PrPollerOptions {
  github: GitHubClient;
  clock: Clock;
  /** Pause between the end of one round and the start of the next (`HEALER_GITHUB_POLL_SECONDS`). */
  intervalMs: number;
  /** The active sessions, read at every round and before each session's poll. */
  sessions: () => ActiveSessionsWithPrRefs;
  /**
   * Called after every successful poll of a session. `changed` is true for the first snapshot of
   * a session (or of a new PR) and whenever anything but `fetchedAt` differs from the last one;
   * only then should rules run. Never called for a session that has left `sessions()`.
   */
  onSnapshot: (playId: string, snapshot: PrSnapshot, changed: boolean) => Promise<void>;
  logger: GitHubLogger;
  metrics?: GitHubMetrics;
  /** Sessions polled at the same time. Default 8 (each polls its six resources in parallel). */
  concurrency?: number;
  /** ETag cache entries (one per URL). Default 10,000. */
  etagCacheSize?: number;
  /**
   * Every this many rounds a session's comments, reviews and commits are re-validated even when
   * the PR answered 304 (see `fetchPrSnapshot`). Default 10 (5 minutes at 30 s).
   */
  listRevalidateRounds?: number;
}

export interface PollReport {
  sessions: number;
  polled: number;
  changed: number;
  /** Sessions whose PR is not found yet (re-checked next round). */
  noPr: number;
  errors: number;
  /** Left `sessions()` before their turn, or still being polled by an earlier round. */
  skipped: number;
}

interface SessionState {
  found: PrRef | null;
  refKey: string | null;
  digest: string | null;
  /** The last snapshot of the current PR, for reusing unchanged lists. */
  last: PrSnapshot | null;
  polls: number;
  failing: boolean;
  /** The last round read the Play's pull request (or that it has none); false until then and after a failure. */
  read: boolean;
}

type Outcome = 'changed' | 'unchanged' | 'no-pr' | 'error' | 'skipped';

const refKey = (r: Pick<PrRef, 'owner' | 'repo' | 'number'>) =>
  `${r.owner}/${r.repo}#${r.number}`.toLowerCase();

const statusOf = (err: unknown): number | undefined =>
  typeof err === 'object' && err !== null ? (err as { status?: number }).status : undefined;

/**
 * Polls the pull request of every active session (detection.md §1): one snapshot per session per
 * interval, with conditional requests, so an unchanged PR costs no rate limit. Requests are
 * sessions × resources (three 304s a round for an unchanged PR, six when it changed); finding a
 * PR that is not known yet adds two conditional list requests.
 */
export class PrPoller {
  readonly #o: PrPollerOptions;
  readonly #reader: ConditionalReader;
  readonly #state = new Map<string, SessionState>();
  readonly #inFlight = new Set<string>();
  readonly #job: IntervalJob<PollReport>;
  #abort = new AbortController();
  #limitLogged = false;

  constructor(o: PrPollerOptions) {
    this.#o = o;
    this.#reader = new ConditionalReader(o.github, { maxEntries: o.etagCacheSize });
    this.#job = new IntervalJob({
      name: 'GitHub poll round',
      everyMs: o.intervalMs,
      run: () => this.pollOnce(),
      logger: o.logger,
      failureLevel: 'warn',
    });
  }

  start(): void {
    if (this.#job.running) return;
    if (this.#abort.signal.aborted) this.#abort = new AbortController();
    this.#job.start();
  }

  /** Stops the timer, aborts requests in flight and waits for the current round to end. */
  async stop(): Promise<void> {
    this.#abort.abort();
    await this.#job.stop();
  }

  /**
   * Why the pull request of a Play cannot be judged now, or null when the last round read it (or
   * that the Play has none). Rules on a PR that was never read, or whose last read failed, fire
   * nothing — which does not mean their condition cleared.
   */
  unread(playId: string): string | null {
    const s = this.#state.get(playId);
    if (!s) return `the pull request of play ${playId} was not read yet`;
    if (s.failing) return `reading the pull request of play ${playId} failed in the last round`;
    return s.read ? null : `the pull request of play ${playId} was not read yet`;
  }

  #activeIds(): Set<string> {
    return new Set(this.#o.sessions().map((s) => s.playId));
  }

  /** One round over every active session, a few at a time. */
  async pollOnce(): Promise<PollReport> {
    const targets = this.#o.sessions();
    const ids = new Set(targets.map((t) => t.playId));
    for (const id of this.#state.keys()) if (!ids.has(id)) this.#state.delete(id);
    const report: PollReport = {
      sessions: targets.length,
      polled: 0,
      changed: 0,
      noPr: 0,
      errors: 0,
      skipped: 0,
    };
    // GitHub answers every request with 403 until the window resets: wait for it quietly.
    const { remaining, reset } = this.#o.github.rateLimit;
    if (remaining === 0 && reset !== null && reset * 1000 > Date.now()) {
      if (!this.#limitLogged)
        this.#o.logger.warn(
          { reset_at: new Date(reset * 1000).toISOString() },
          'GitHub rate limit exhausted; pull-request polling paused until it resets',
        );
      this.#limitLogged = true;
      report.skipped = targets.length;
      return report;
    }
    this.#limitLogged = false;
    const queue = new PQueue({ concurrency: Math.max(1, this.#o.concurrency ?? 8) });
    await queue.addAll(
      targets.map((t) => async () => {
        const outcome = await this.#pollSession(t);
        if (outcome === 'changed' || outcome === 'unchanged') report.polled++;
        if (outcome === 'changed') report.changed++;
        else if (outcome === 'no-pr') report.noPr++;
        else if (outcome === 'error') report.errors++;
        else if (outcome === 'skipped') report.skipped++;
      }),
    );
    return report;
  }

  async #pollSession(t: PollTarget): Promise<Outcome> {
    const signal = this.#abort.signal;
    if (signal.aborted || this.#inFlight.has(t.playId) || !this.#activeIds().has(t.playId))
      return 'skipped';
    this.#inFlight.add(t.playId);
    let state = this.#state.get(t.playId);
    if (!state) {
      state = {
        found: null,
        refKey: null,
        digest: null,
        last: null,
        polls: 0,
        failing: false,
        read: false,
      };
      this.#state.set(t.playId, state);
    }
    const log = { play_id: t.playId };
    const started = performance.now();
    try {
      const ref =
        refFromCodeRuns(t.pullRequestUrls) ??
        (t.pr ? { ...t.pr, foundBy: 'given' as const } : null) ??
        state.found ??
        (state.found = await findPlayPr(this.#reader, t, { signal }));
      if (!ref) {
        state.failing = false;
        state.read = true;
        return 'no-pr';
      }
      if (refKey(ref) !== state.refKey) {
        this.#o.logger.info(
          { ...log, pr: refKey(ref), found_by: ref.foundBy },
          'pull request found',
        );
        state.refKey = refKey(ref);
        state.digest = null;
        state.last = null;
        state.polls = 0;
      }
      const every = Math.max(1, this.#o.listRevalidateRounds ?? 10);
      const { snapshot } = await fetchPrSnapshot(this.#reader, ref, () => this.#o.clock.now(), {
        signal,
        previous: state.last,
        revalidateLists: state.polls > 0 && state.polls % every === 0,
      });
      state.last = snapshot;
      state.polls++;
      this.#o.metrics?.pollDuration.observe((performance.now() - started) / 1000);
      if (!this.#activeIds().has(t.playId)) return 'skipped';
      const digest = snapshotDigest(snapshot);
      const changed = digest !== state.digest;
      if (state.failing) this.#o.logger.info(log, 'pull request polling recovered');
      state.failing = false;
      state.read = true;
      // A change counts as seen only once the handler took it; a failed handler sees it again.
      if (await this.#deliver(t.playId, snapshot, changed)) state.digest = digest;
      // A PR found by label or branch that was closed without merging: look again next round.
      if (snapshot.state === 'closed' && !snapshot.merged && state.found === ref)
        state.found = null;
      return changed ? 'changed' : 'unchanged';
    } catch (err) {
      if (signal.aborted) return 'skipped';
      if (statusOf(err) === 404 && state.found) state.found = null; // re-find next round
      // One warning when polling starts failing, then debug until it recovers.
      const level = state.failing ? 'debug' : 'warn';
      state.failing = true;
      state.read = false;
      this.#o.logger[level]({ ...log, err }, 'pull request poll failed; retrying next round');
      return 'error';
    } finally {
      this.#inFlight.delete(t.playId);
    }
  }

  async #deliver(playId: string, snapshot: PrSnapshot, changed: boolean): Promise<boolean> {
    try {
      await this.#o.onSnapshot(playId, snapshot, changed);
      return true;
    } catch (err) {
      this.#o.logger.warn({ play_id: playId, err }, 'PR snapshot handler failed');
      return false;
    }
  }
}
