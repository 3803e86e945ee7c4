import { performance } from 'node:perf_hooks';
import type { Logger } from 'pino';
import type { ActionRecord } from '../domain/action.js';
import type { Incident } from '../domain/incident.js';
import type { Clock } from '../domain/clock.js';
import type { IncidentStore, OutboxStore } from '../domain/stores.js';
import type { Session } from '../domain/session.js';
import { backoffDelay, IntervalJob } from '../runtime/index.js';
import { runNeverStarted as giveUpRun } from '../incidents/lifecycle.js';
import { ActionError, type ActionHandler, type ActionOutcome } from './handler.js';

export interface DispatcherOptions {
  store: Pick<IncidentStore, 'getIncident'> & OutboxStore;
  /** Who claims the due actions (the replica's identity): two dispatchers never run the same one. */
  owner: string;
  handlers: readonly ActionHandler[];
  clock: Clock;
  logger: Logger;
  sessionOf(playId: string): Promise<Session | undefined>;
  onOutcome?(action: ActionRecord, outcome: 'done' | 'retry' | 'failed'): void;
  /** How often due actions are looked for (a decision also kicks the loop). */
  pollMs?: number;
  /** Deadline of one action run. */
  deadlineMs?: number;
  backoff?: { initialMs: number; maxMs: number };
  /** Retryable failures after which an action is given up (≈ a day with the default backoff). */
  maxAttempts?: number;
  /**
   * How long a pass's claim on its actions lasts (default the deadline plus 15 s: after a kill -9
   * the next leader waits at most this long for the actions the dead one had claimed). An action starts
   * only while a whole deadline of its claim is left, so a claim never lapses while it runs.
   */
  claimLeaseMs?: number;
}

/**
 * A spawn that failed for good: the run `decide()` planned is given up (lifecycle
 * `runNeverStarted`), so later alerts are not told forever that a remediation is active.
 */
function runNeverStarted(
  a: ActionRecord,
  at: string,
  why: string,
): ((i: Incident) => Incident) | undefined {
  const k = a.action;
  if (k.kind === 'spawn-evaluation') return (i) => giveUpRun(i, { kind: 'evaluation' }, at, why);
  if (k.kind === 'spawn-remediation')
    return (i) => giveUpRun(i, { kind: 'remediation', attempt: k.attempt }, at, why);
  return undefined;
}

/** Actions that need the incident's GitHub issue wait for its open-issue action. */
const NEEDS_ISSUE = new Set([
  'comment-issue',
  'label-issue',
  'relabel-severity',
  'close-issue',
  'spawn-remediation',
  'spawn-evaluation',
]);

/**
 * Runs the durable outbox: due actions of one incident in order, incidents and destinations in
 * parallel. Recoverable failures back off (capped, jittered, honouring Retry-After); permanent
 * ones are recorded with their reason. Handlers are idempotent, so a crash mid-action only
 * means the action runs again and adopts what it created.
 */
export class Dispatcher {
  readonly #o: DispatcherOptions;
  readonly #byKey = new Map<string, ActionHandler>();
  /** Outbox passes: on a timer and when kicked, never two at once. */
  readonly #job: IntervalJob<number>;
  #stopping = false;

  constructor(opts: DispatcherOptions) {
    this.#o = opts;
    for (const h of opts.handlers)
      for (const k of h.kinds) this.#byKey.set(`${k}/${h.destination}`, h);
    this.#job = new IntervalJob({
      name: 'outbox pass',
      everyMs: opts.pollMs ?? 2000,
      schedule: 'rate',
      run: () => this.#pass(),
      logger: opts.logger,
    });
  }

  /** Destinations that have a handler for a kind (a `notify` goes to every configured notifier). */
  destinationsFor(kind: ActionRecord['action']['kind']): ActionRecord['destination'][] {
    return this.#o.handlers.filter((h) => h.kinds.includes(kind)).map((h) => h.destination);
  }

  start(): void {
    this.#stopping = false;
    this.#job.start();
  }

  /**
   * Stops: the pass in progress finishes the action it runs and starts no other; the claims left
   * are released so the next leader takes those actions at once.
   */
  async stop(): Promise<void> {
    this.#stopping = true;
    await this.#job.stop();
    try {
      await this.#o.store.releaseClaims(this.#o.owner);
    } catch (err) {
      this.#o.logger.warn({ err }, 'could not release the outbox claims; they lapse on their own');
    }
  }

  get #deadlineMs(): number {
    return this.#o.deadlineMs ?? 30_000;
  }

  /** Run due actions now (coalesced with a pass in progress). */
  kick(): void {
    this.#job.trigger();
  }

  /** Resolves when no pass is running or waiting (tests). */
  async idle(): Promise<void> {
    await this.#job.idle();
  }

  /**
   * One pass over the due actions; returns how many ran. Passes never overlap: one asked for
   * while another runs waits for it (two passes at once could both run the same action).
   */
  runOnce(): Promise<number> {
    return this.#job.runNow();
  }

  async #pass(): Promise<number> {
    const leaseMs = this.#o.claimLeaseMs ?? this.#deadlineMs + 15_000;
    const claimedAt = performance.now();
    const due = await this.#o.store.claimDueActions(
      this.#o.clock.now(),
      200,
      this.#o.owner,
      leaseMs,
    );
    /** An action starts only while its claim outlasts its deadline (else the next pass claims it again). */
    const mayStart = () =>
      !this.#stopping && performance.now() < claimedAt + leaseMs - this.#deadlineMs;
    const byIncident = new Map<string, ActionRecord[]>();
    for (const a of due) {
      const list = byIncident.get(a.incidentId);
      if (list) list.push(a);
      else byIncident.set(a.incidentId, [a]);
    }
    const counts = await Promise.all(
      [...byIncident.values()].map((list) => this.#runIncident(list, mayStart)),
    );
    return counts.reduce((a, b) => a + b, 0);
  }

  /** In order; notifications run regardless, the rest stop at the first action that did not finish. */
  async #runIncident(due: ActionRecord[], mayStart: () => boolean): Promise<number> {
    const all = await this.#o.store.actionsFor(due[0].incidentId);
    let ran = 0;
    let blocked = false;
    for (const a of due) {
      if (!mayStart()) break;
      const independent = a.action.kind === 'notify' || a.action.kind === 'remember';
      if (blocked && !independent) continue;
      if (NEEDS_ISSUE.has(a.action.kind) && this.#issuePending(all, a)) {
        blocked = true;
        continue;
      }
      const outcome = await this.#run(a);
      ran++;
      if (outcome === 'retry' && !independent) blocked = true;
      const idx = all.findIndex((x) => x.id === a.id);
      if (idx >= 0)
        all[idx] = {
          ...a,
          state: outcome === 'done' ? 'done' : outcome === 'failed' ? 'failed' : 'pending',
        };
    }
    return ran;
  }

  /** An earlier open-issue of the same incident is still pending. */
  #issuePending(all: ActionRecord[], a: ActionRecord): boolean {
    return all.some(
      (x) =>
        x.action.kind === 'open-issue' &&
        x.state === 'pending' &&
        (x.createdAt < a.createdAt || (x.createdAt === a.createdAt && x.seq < a.seq)),
    );
  }

  async #run(a: ActionRecord): Promise<'done' | 'retry' | 'failed'> {
    const { store, clock, logger } = this.#o;
    const now = clock.now();
    const handler = this.#byKey.get(`${a.action.kind}/${a.destination}`);
    const log = logger.child({
      incident_id: a.incidentId,
      action: a.action.kind,
      destination: a.destination,
      attempt: a.attempts + 1,
    });
    if (!handler) {
      await this.#failAt(
        a,
        `no handler for ${a.action.kind} → ${a.destination} (destination not configured)`,
      );
      this.#o.onOutcome?.(a, 'failed');
      return 'failed';
    }
    const incident = await store.getIncident(a.incidentId);
    if (!incident) {
      await this.#failAt(a, 'incident no longer exists');
      return 'failed';
    }
    const session = incident.playId ? ((await this.#o.sessionOf(incident.playId)) ?? null) : null;
    try {
      const out = await this.#withDeadline((signal) =>
        handler.run({ action: a, incident, session, now, signal }),
      );
      await store.finishAction(
        a.id,
        (x) => ({
          ...x,
          state: 'done',
          attempts: x.attempts + 1,
          result: out.result,
          lastError: null,
          updatedAt: clock.now().toISOString(),
        }),
        out.incident,
      );
      log.info({ result: out.result }, `${a.action.kind} done`);
      this.#o.onOutcome?.(a, 'done');
      return 'done';
    } catch (err) {
      return this.#failed(a, err, log);
    }
  }

  /** The action fails for good without running (no handler, no incident). */
  async #failAt(a: ActionRecord, why: string): Promise<void> {
    await this.#o.store.finishAction(a.id, (x) => ({
      ...x,
      state: 'failed',
      lastError: why,
      updatedAt: this.#o.clock.now().toISOString(),
    }));
  }

  /** Runs a handler under the dispatcher's deadline: past it, the handler is aborted (retryable). */
  async #withDeadline(
    run: (signal: AbortSignal) => Promise<ActionOutcome>,
  ): Promise<ActionOutcome> {
    const deadlineMs = this.#deadlineMs;
    const controller = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    return Promise.race([
      run(controller.signal),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          controller.abort();
          reject(new ActionError(`no answer within ${deadlineMs} ms`, true));
        }, deadlineMs);
      }),
    ]).finally(() => clearTimeout(timer));
  }

  /** A failed run: retried after a capped backoff (honouring Retry-After), or given up. */
  async #failed(a: ActionRecord, err: unknown, log: Logger): Promise<'retry' | 'failed'> {
    const { store, clock } = this.#o;
    const iso = () => clock.now().toISOString();
    const e =
      err instanceof ActionError
        ? err
        : new ActionError(err instanceof Error ? err.message : String(err), true, { cause: err });
    const attempts = a.attempts + 1;
    const giveUp = !e.retryable || attempts >= (this.#o.maxAttempts ?? 40);
    const { initialMs, maxMs } = this.#o.backoff ?? { initialMs: 2000, maxMs: 30 * 60_000 };
    const wait = Math.max(e.retryAfterMs ?? 0, backoffDelay(attempts - 1, initialMs, maxMs));
    await store.finishAction(
      a.id,
      (x) => ({
        ...x,
        attempts,
        state: giveUp ? 'failed' : 'pending',
        lastError: e.message,
        nextAttemptAt: new Date(clock.now().getTime() + (giveUp ? 0 : wait)).toISOString(),
        updatedAt: iso(),
      }),
      giveUp ? runNeverStarted(a, iso(), e.message) : undefined,
    );
    if (giveUp) log.error({ err: e.message }, `${a.action.kind} failed for good`);
    else log.warn({ err: e.message, retryInMs: wait }, `${a.action.kind} failed; will retry`);
    this.#o.onOutcome?.(a, giveUp ? 'failed' : 'retry');
    return giveUp ? 'failed' : 'retry';
  }
}
