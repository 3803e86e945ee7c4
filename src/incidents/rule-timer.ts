import type { Incident } from '../domain/incident.js';
import { IntervalJob, type JobLogger } from '../runtime/index.js';
import type { IncidentTracker, SourceCheck, Unobserved } from './tracker.js';

export interface RuleTimerOptions {
  everyMs: number;
  logger: JobLogger;
  /** The time-based passes of the sources (PR rules, the cluster's cached objects), in order. */
  passes: (() => void | Promise<void>)[];
  tracker: Pick<IncidentTracker, 'sweep' | 'isFiring'>;
  /** Why an incident's source cannot be read now (it is then left open), or null. */
  unreadable: SourceCheck;
  /** Re-decides the incidents whose cooldown ended while their alert still fires. */
  recheckDue: (isFiring: (fingerprint: string) => boolean) => Promise<unknown>;
}

/**
 * The rule timer: time-based rules over every cached object, then resolve what nothing fires
 * any more (listing the open incidents whose source could not be read, left as they are), then
 * re-decide what is due. One pass at a time (an `IntervalJob`).
 */
export class RuleTimer {
  readonly job: IntervalJob;
  readonly #o: RuleTimerOptions;

  constructor(o: RuleTimerOptions) {
    this.#o = o;
    this.job = new IntervalJob({
      name: 'rule tick',
      everyMs: o.everyMs,
      run: () => this.pass(),
      logger: o.logger,
      immediate: false,
    });
  }

  /** One pass now (tests and CLI passes; `dryRun` resolves nothing and decides nothing). */
  pass = async (
    opts: { dryRun?: boolean; resolveAfterMs?: number } = {},
  ): Promise<{ cleared: Incident[]; unobserved: Unobserved[] }> => {
    for (const p of this.#o.passes) await p();
    const { tracker } = this.#o;
    const swept = await tracker.sweep(this.#o.unreadable, opts);
    if (!opts.dryRun) await this.#o.recheckDue((fp) => tracker.isFiring(fp));
    return swept;
  };
}
