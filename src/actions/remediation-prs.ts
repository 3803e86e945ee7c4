import type { Logger } from 'pino';
import type { Clock } from '../domain/clock.js';
import type { OutcomeStore } from '../domain/stores.js';
import { awaitsMerge, mergedOutcome, type PullRequestState } from '../incidents/history.js';
import { IntervalJob } from '../runtime/index.js';
import { parsePullRequestUrl, type GitHubClient } from '../sources/github/index.js';

export interface RemediationPullRequestsOptions {
  outcomes: Pick<OutcomeStore, 'listOutcomes' | 'recordOutcome'>;
  github: GitHubClient;
  clock: Clock;
  logger: Pick<Logger, 'warn' | 'info' | 'debug' | 'error'>;
  /** Outcomes recorded this long ago or later are followed (the history's window). */
  windowDays: number;
  everyMs: number;
}

/** How many outcomes one pass reads at most. */
const READ = 500;

/**
 * Follows the pull requests remediation runs opened (issue #17 point 3): an attempt whose pull
 * request GitHub reports merged is recorded as such in the outcome history — `cleared` becomes
 * `pr-merged`, a `pr-opened` says the merge (and becomes `pr-merged` once its condition clears).
 * A merged or closed pull request is read once per process; an open one on every pass.
 */
export class RemediationPullRequests {
  readonly #o: RemediationPullRequestsOptions;
  /** Pull requests that will not change any more (merged, or closed without a merge). */
  readonly #final = new Map<string, PullRequestState>();
  readonly job: IntervalJob<number>;

  constructor(o: RemediationPullRequestsOptions) {
    this.#o = o;
    this.job = new IntervalJob({
      name: 'remediation pull requests',
      everyMs: o.everyMs,
      run: () => this.pollOnce(),
      logger: o.logger,
      failureLevel: 'warn',
    });
  }

  /** One pass: every outcome that awaits its pull request's merge; returns how many changed. */
  async pollOnce(): Promise<number> {
    const now = this.#o.clock.now();
    const since = new Date(now.getTime() - this.#o.windowDays * 86_400_000).toISOString();
    const rows = (await this.#o.outcomes.listOutcomes({ since, limit: READ })).filter(awaitsMerge);
    let changed = 0;
    for (const o of rows) {
      const pr = await this.#read(o.pullRequestUrl!);
      const next = pr ? mergedOutcome(o, pr, now) : null;
      if (!next) continue;
      await this.#o.outcomes.recordOutcome(next);
      changed++;
      this.#o.logger.info(
        {
          incident_id: o.incidentId,
          attempt: o.attempt,
          pull_request: pr!.url,
          outcome: next.outcome,
        },
        'a remediation pull request was merged',
      );
    }
    return changed;
  }

  async #read(url: string): Promise<PullRequestState | null> {
    const known = this.#final.get(url);
    if (known) return known;
    const ref = parsePullRequestUrl(url);
    if (!ref) return null;
    try {
      const { data } = await this.#o.github.octokit.rest.pulls.get({
        owner: ref.owner,
        repo: ref.repo,
        pull_number: ref.number,
      });
      const pr: PullRequestState = {
        url,
        number: data.number,
        title: data.title,
        mergedAt: data.merged_at ?? null,
        closedUnmerged: data.state === 'closed' && !data.merged_at,
        changedFiles: typeof data.changed_files === 'number' ? data.changed_files : null,
        additions: typeof data.additions === 'number' ? data.additions : null,
        deletions: typeof data.deletions === 'number' ? data.deletions : null,
      };
      if (pr.mergedAt || pr.closedUnmerged) this.#final.set(url, pr);
      return pr;
    } catch (err) {
      const status = (err as { status?: number }).status;
      // gone or not ours to read: nothing will change, stop asking
      if (status === 404 || status === 410 || status === 403) {
        const gone: PullRequestState = {
          url,
          number: ref.number,
          title: '',
          mergedAt: null,
          closedUnmerged: true,
          changedFiles: null,
          additions: null,
          deletions: null,
        };
        this.#final.set(url, gone);
        this.#o.logger.debug(
          { err, pull_request: url },
          'a remediation pull request cannot be read',
        );
        return gone;
      }
      throw err;
    }
  }
}
