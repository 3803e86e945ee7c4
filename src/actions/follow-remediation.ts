import type { Logger } from 'pino';
import type { Incident } from '../domain/incident.js';
import type { CodeRun } from '../domain/kube.js';
import type { IncidentStore } from '../domain/stores.js';
import { applyAttemptUpdate, attemptFromCodeRun, incidentIdOfCodeRun } from './coderun/follow.js';
import type { DecisionMaker } from './decisions.js';

export interface RemediationFollowerOptions {
  store: Pick<IncidentStore, 'updateIncident'>;
  decisions: Pick<DecisionMaker, 'afterEvaluation' | 'recheckNow' | 'runUpdated'>;
  /** Whether the incident's failure still fires. */
  isFiring(fingerprint: string): boolean;
  logger: Logger;
}

/**
 * Follows the remediation CodeRuns Healer created: each change records the run's phase and PR
 * on the incident it serves; a finished evaluation goes on to the issue and the fix, a finished
 * fix whose failure still fires is decided on again (cooldown, next attempt, escalation).
 */
export class RemediationFollower {
  readonly #o: RemediationFollowerOptions;

  constructor(o: RemediationFollowerOptions) {
    this.#o = o;
  }

  changed(cr: CodeRun): void {
    const id = incidentIdOfCodeRun(cr);
    if (!id) return;
    const update = attemptFromCodeRun(cr);
    let ended: 'evaluation' | 'remediation' | null = null;
    this.#o.store
      .updateIncident(id, (i) => {
        const next = applyAttemptUpdate(i, update);
        if (next && update.finishedAt)
          ended = next.evaluation?.coderun === update.coderun ? 'evaluation' : 'remediation';
        return next;
      })
      .then((i) => (i ? this.#updated(i, ended) : undefined))
      .catch((err: unknown) =>
        this.#o.logger.warn({ err, incident_id: id }, 'could not record a remediation run'),
      );
  }

  async #updated(i: Incident, ended: 'evaluation' | 'remediation' | null): Promise<void> {
    if (i.state === 'resolved') return;
    // the run's outcome is recorded (outcome history)
    await this.#o.decisions.runUpdated(i);
    if (!ended) return;
    // evaluate-then-fix: the evaluation ended → adopt or write the issue, then remediate
    if (ended === 'evaluation') await this.#o.decisions.afterEvaluation(i);
    // the run finished while the failure still fires → decide now
    else if (this.#o.isFiring(i.fingerprint)) await this.#o.decisions.recheckNow(i);
  }
}
