import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { AlertDraft } from '../domain/alert.js';
import type { ActionRecord, Decision, Silence } from '../domain/action.js';
import type { Clock } from '../domain/clock.js';
import { incidentId, type Incident, type RecordOutcome } from '../domain/incident.js';
import type { IncidentStore, OutcomeStore, SilenceStore } from '../domain/stores.js';
import {
  decide,
  decideAfterEvaluation,
  decideResolution,
  isFinished,
  servedIncidentId,
  type Decided,
} from '../incidents/decide.js';
import { decisionApplied, resolved as resolvedIncident } from '../incidents/lifecycle.js';
import type { Policy } from '../incidents/policy.js';
import type { Dispatcher } from './dispatcher.js';
import { KeyedQueue } from '../runtime/keyed-queue.js';
import {
  findInhibitor,
  inhibitable,
  inhibitionCandidates,
  type InhibitionRule,
} from '../incidents/inhibition.js';
import {
  classOf,
  outcomesOf,
  pullRequestOutcome,
  summariseClass,
  type ClassHistory,
} from '../incidents/history.js';
import type { RemediationOutcome } from '../domain/outcome.js';
import {
  causeKey,
  parentDraft,
  parentFingerprint,
  planGroup,
  type GroupingRule,
} from '../incidents/grouping.js';

export interface DecisionMakerOptions {
  store: IncidentStore & Pick<SilenceStore, 'listSilences'>;
  clock: Clock;
  policy: Policy;
  dispatcher: Pick<Dispatcher, 'destinationsFor' | 'kick'>;
  logger: Logger;
  onDecision?(d: Decision): void;
  /** How long a read of the open incidents and silences is shared between decisions (ms). */
  snapshotMs?: number;
  /** Inhibition rules (`patterns/inhibition.yaml`): symptoms of an open incident are its children. */
  inhibitions?: readonly InhibitionRule[];
  /** The outcome history (issue #17): every attempt's outcome is recorded, and consulted before a run. */
  outcomes?: OutcomeStore;
  /** Cause-group rules (`patterns/grouping.yaml`): incidents sharing a cause become one parent's children. */
  grouping?: readonly GroupingRule[];
}

/**
 * The step between incidents and actions: runs the pure `decide()` for every recorded alert and
 * commits the decision, its outbox actions and the incident change in one transaction.
 */
export class DecisionMaker {
  readonly #o: DecisionMakerOptions;
  /** Incidents in cooldown, re-decided when it ends if their alert still fires. */
  readonly #recheck = new Map<string, string>();

  readonly #inhibitable: ReadonlySet<string>;

  constructor(opts: DecisionMakerOptions) {
    this.#o = opts;
    this.#inhibitable = inhibitable(opts.inhibitions ?? []);
  }

  /**
   * The open incident this alert is a symptom of. Read fresh from the store, not the shared
   * snapshot: the source is typically recorded moments before its symptoms.
   */
  async #inhibition(
    incident: Incident,
    draft: AlertDraft,
  ): Promise<{ source: Incident; rule: string } | null> {
    if (!this.#inhibitable.has(incident.alert) || draft.context.remediation === true) return null;
    const rules = this.#o.inhibitions ?? [];
    const candidates = await inhibitionCandidates(incident, rules, this.#o.store);
    const found = findInhibitor(incident, candidates, rules);
    return found ? { source: found.source, rule: found.rule.name } : null;
  }

  /**
   * The cause group of this incident (`patterns/grouping.yaml`): the open parent of its cause, which
   * is created (and decided: issue, remediation) when this is the first incident of that cause, or
   * re-recorded with this child listed when it joins. Read fresh from the store, like inhibition.
   */
  async #group(
    incident: Incident,
    draft: AlertDraft,
    now: Date,
  ): Promise<{ parent: Incident; rule: string; key: string } | null> {
    const rules = this.#o.grouping ?? [];
    if (draft.context.remediation === true || !rules.some((r) => causeKey(r, incident)))
      return null;
    const plan = planGroup(incident, await this.#o.store.openIncidents(), rules, now);
    if (!plan) return null;
    // a child again (a repeat): nothing changes on the parent
    if (plan.kind === 'join' && incident.groupedBy?.incidentId === plan.parent.id)
      return { parent: plan.parent, rule: plan.rule.name, key: plan.key };
    const fp = parentFingerprint(plan.rule.name, plan.key);
    // one parent per cause: children of one cause form or join it one at a time
    const parent = await this.#queue.run(`group:${fp}`, async () => {
      const open = await this.#o.store.openIncidents();
      const children = open.filter(
        (c) => c.groupedBy?.incidentId === incidentId(fp) && c.id !== incident.id,
      );
      const d = parentDraft(plan.rule, plan.key, [...children, incident], now);
      const r = await this.#o.store.recordAlert(d, fp, now);
      return { ...r, draft: d };
    });
    // the parent is decided like any incident (a first sighting opens its issue and run)
    void this.onRecorded(parent).catch((err: unknown) =>
      this.#o.logger.error(
        { err, incident_id: parent.incident.id },
        'deciding on a cause group failed',
      ),
    );
    return { parent: parent.incident, rule: plan.rule.name, key: plan.key };
  }

  /**
   * A child of a cause group resolved: when none of the group's children is open any more, the
   * parent resolves too (its issue is closed with the reason). Returns the resolved parent.
   */
  async childResolved(child: Incident): Promise<Incident | undefined> {
    const parentId = child.groupedBy?.incidentId;
    if (!parentId) return undefined;
    const open = await this.#o.store.openIncidents();
    if (open.some((c) => c.id !== child.id && c.groupedBy?.incidentId === parentId))
      return undefined;
    const at = this.#o.clock.now().toISOString();
    let resolved: Incident | undefined;
    await this.#o.store.updateIncident(parentId, (p) => {
      resolved = resolvedIncident(p, at, 'every incident of this cause resolved');
      return resolved;
    });
    if (resolved) await this.onResolved(resolved);
    return resolved;
  }

  /** Decisions of one incident run one at a time, each on the incident as the last one left it. */
  readonly #queue = new KeyedQueue();

  #serial<T>(incidentId: string, fn: () => Promise<T>): Promise<T> {
    return this.#queue.run(incidentId, fn);
  }

  /** Resolves once every decision in progress is committed (tests, shutdown). */
  async idle(): Promise<void> {
    await this.#queue.idle();
  }

  /** Decides on one recorded alert. */
  onRecorded(input: {
    incident: Incident;
    outcome: RecordOutcome;
    draft: AlertDraft;
  }): Promise<Decision | undefined> {
    return this.#serial(input.incident.id, async () => {
      const fresh = (await this.#o.store.getIncident(input.incident.id)) ?? input.incident;
      return this.#decide({ ...input, incident: fresh });
    });
  }

  async #decide(input: {
    incident: Incident;
    outcome: RecordOutcome;
    draft: AlertDraft;
  }): Promise<Decision | undefined> {
    const { store, clock, policy } = this.#o;
    const now = clock.now();
    const [silences, open, runningRemediations] = await Promise.all([
      this.#silences(now),
      this.#openIncidents(),
      this.#running(),
    ]);
    const servedId =
      input.draft.context.remediation === true ? servedIncidentId(input.draft) : null;
    const served = servedId ? ((await store.getIncident(servedId)) ?? null) : null;
    const x = {
      ...input,
      now,
      policy,
      silences,
      runningRemediations,
      recentIssueForFamily: this.#recentIssue(open, input.incident, now),
      served,
      inhibition: await this.#inhibition(input.incident, input.draft),
      group: await this.#group(input.incident, input.draft, now),
    };
    let r = decide(x);
    // only a decision that would start a run reads the class's history, then decides with it
    if (this.#o.outcomes && r.plan.some(startsRun))
      r = decide({ ...x, history: await this.classHistory(input.incident, now) });
    if (r.recheckAt) this.#recheck.set(input.incident.id, r.recheckAt);
    else this.#recheck.delete(input.incident.id);
    const d = await this.#commit(input.incident, r, now);
    if (r.attached && served) {
      const attached = r.attached;
      await this.#serial(served.id, () => this.#commit(served, attached, now));
    }
    return d;
  }

  /** The class's outcomes (other incidents, within the window); null when the store cannot say. */
  async classHistory(incident: Incident, now: Date): Promise<ClassHistory | null> {
    const { outcomes, policy, logger } = this.#o;
    if (!outcomes) return null;
    const cls = classOf(incident);
    const since = new Date(now.getTime() - policy.historyWindowDays * 86_400_000).toISOString();
    try {
      const rows = await outcomes.listOutcomes({ ...cls, since, limit: 500 });
      return summariseClass(cls, rows, incident.id, now, policy.historyWindowDays);
    } catch (err) {
      logger.warn(
        { err, incident_id: incident.id },
        'could not read the outcome history; deciding without it',
      );
      return null;
    }
  }

  /** Records outcomes; a failing write is logged, never fails the decision already committed. */
  async #record(rows: RemediationOutcome[]): Promise<void> {
    const { outcomes, logger } = this.#o;
    if (!outcomes) return;
    for (const o of rows)
      await outcomes
        .recordOutcome(o)
        .catch((err: unknown) =>
          logger.warn(
            { err, incident_id: o.incidentId, outcome: o.outcome },
            'could not record a remediation outcome',
          ),
        );
  }

  /**
   * A remediation run of the incident changed (phase, pull request): a run that opened a pull
   * request and has no settled outcome yet is recorded as `pr-opened`.
   */
  async runUpdated(incident: Incident): Promise<void> {
    const { outcomes } = this.#o;
    if (!outcomes) return;
    const mine = await outcomes
      .listOutcomes({ incidentId: incident.id, limit: 100 })
      .catch(() => []);
    const settled = new Set(mine.filter((o) => o.outcome !== 'pr-opened').map((o) => o.id));
    const o = pullRequestOutcome(incident, settled, this.#o.clock.now());
    if (o) await this.#record([o]);
  }

  /** The incident resolved: comment, close the issue, notify if it had notified. */
  onResolved(incident: Incident): Promise<Decision | undefined> {
    this.#recheck.delete(incident.id);
    return this.#serial(incident.id, async () => {
      const fresh = (await this.#o.store.getIncident(incident.id)) ?? incident;
      const now = this.#o.clock.now();
      return this.#commit(fresh, decideResolution(fresh, now, this.#o.policy), now);
    });
  }

  /**
   * An incident resolved: its children (symptoms it inhibited) whose alert still fires are decided
   * afresh, on their own now. Returns how many were re-decided.
   */
  async releaseChildren(
    parent: Incident,
    isFiring: (fingerprint: string) => boolean,
  ): Promise<number> {
    // only an alert some rule names as a source can have children: skip the read otherwise
    if (!(this.#o.inhibitions ?? []).some((r) => r.source.includes(parent.alert))) return 0;
    const children = (await this.#o.store.openIncidents()).filter(
      (c) => c.inhibitedBy?.incidentId === parent.id && isFiring(c.fingerprint),
    );
    for (const c of children) await this.recheckNow(c);
    return children.length;
  }

  /** The evaluation run of `evaluate-then-fix` ended: adopt or write the issue, then remediate. */
  afterEvaluation(incident: Incident): Promise<Decision | undefined> {
    return this.#serial(incident.id, async () => {
      const fresh = (await this.#o.store.getIncident(incident.id)) ?? incident;
      const now = this.#o.clock.now();
      const r = decideAfterEvaluation(fresh, now, this.#o.policy, await this.#running());
      return r ? this.#commit(fresh, r, now) : undefined;
    });
  }

  /** Healer runs planned or running platform-wide (remediation and evaluation). */
  /**
   * Open incidents and active silences, read at most once per `snapshotMs` and shared by every
   * decision made meanwhile: a burst of alerts must not load the whole table once per alert.
   */
  #openSnapshot: { at: number; value: Promise<Incident[]> } | undefined;
  #silenceSnapshot: { at: number; value: Promise<Silence[]> } | undefined;

  #openIncidents(): Promise<Incident[]> {
    const t = Date.now();
    if (!this.#openSnapshot || t - this.#openSnapshot.at > (this.#o.snapshotMs ?? 1000)) {
      this.#openSnapshot = { at: t, value: this.#o.store.openIncidents() };
    }
    return this.#openSnapshot.value;
  }

  #silences(now: Date): Promise<Silence[]> {
    const t = Date.now();
    if (!this.#silenceSnapshot || t - this.#silenceSnapshot.at > (this.#o.snapshotMs ?? 1000)) {
      this.#silenceSnapshot = { at: t, value: this.#o.store.listSilences(now) };
    }
    return this.#silenceSnapshot.value;
  }

  /** A silence was created or expired: the next decision reads them again. */
  silencesChanged(): void {
    this.#silenceSnapshot = undefined;
  }

  async #running(): Promise<number> {
    return this.#fromSnapshot(await this.#openIncidents()).running;
  }

  /**
   * What every decision reads from a snapshot of the open incidents, computed once per snapshot
   * (not once per decision: a burst of 200,000 decisions over 10,000 open incidents made these two
   * scans quadratic): the runs in flight, and the incidents with an issue by alert family.
   */
  readonly #snapshotViews = new WeakMap<
    Incident[],
    { running: number; issued: Map<string, Incident[]> }
  >();

  #fromSnapshot(open: Incident[]): { running: number; issued: Map<string, Incident[]> } {
    let v = this.#snapshotViews.get(open);
    if (v) return v;
    v = { running: 0, issued: new Map() };
    for (const i of open) {
      v.running +=
        i.attempts.filter((a) => !isFinished(a)).length +
        (i.evaluation && !isFinished(i.evaluation) ? 1 : 0);
      if (i.githubIssue === null) continue;
      const family = familyOf(i);
      const list = v.issued.get(family);
      if (list) list.push(i);
      else v.issued.set(family, [i]);
    }
    this.#snapshotViews.set(open, v);
    return v;
  }

  /** Re-decide an incident whose alert still fires (e.g. its remediation run just finished). */
  async recheckNow(incident: Incident): Promise<Decision | undefined> {
    return this.onRecorded({ incident, outcome: 'repeat', draft: draftOf(incident) });
  }

  /** Incidents whose cooldown ended: re-decide those whose alert still fires. */
  async recheckDue(isFiring: (fingerprint: string) => boolean): Promise<number> {
    const now = this.#o.clock.now().toISOString();
    let n = 0;
    for (const [id, at] of this.#recheck) {
      if (at > now) continue;
      this.#recheck.delete(id);
      const incident = await this.#o.store.getIncident(id);
      if (!incident || incident.state === 'resolved' || !isFiring(incident.fingerprint)) continue;
      await this.onRecorded({ incident, outcome: 'repeat', draft: draftOf(incident) });
      n++;
    }
    return n;
  }

  /** Fresh-store dedup: another incident of the same alert and family got an issue within the window. */
  #recentIssue(open: Incident[], i: Incident, now: Date): boolean {
    const since = new Date(
      now.getTime() - this.#o.policy.issueWindowMinutes * 60_000,
    ).toISOString();
    const issued = this.#fromSnapshot(open).issued.get(familyOf(i)) ?? [];
    return issued.some((o) => o.id !== i.id && o.firstSeen >= since);
  }

  async #commit(incident: Incident, r: Decided, now: Date): Promise<Decision> {
    const at = now.toISOString();
    const decision: Decision = {
      id: `dec-${randomUUID()}`,
      incidentId: incident.id,
      playId: incident.playId,
      alert: incident.alert,
      reason: r.reason,
      detail: r.detail,
      plan: r.plan,
      at,
    };
    const actions: ActionRecord[] = [];
    for (const step of r.plan) {
      const destinations = this.#o.dispatcher.destinationsFor(step.kind);
      // a notification with no notifier configured, or an issue action without GitHub, is recorded as
      // a failed action saying so, so the timeline tells why nothing happened
      for (const destination of destinations.length
        ? destinations
        : [OPTIONAL.has(step.kind) ? null : fallbackDestination(step.kind)]) {
        if (!destination) continue;
        actions.push({
          id: `${decision.id}-${actions.length}`,
          incidentId: incident.id,
          decisionId: decision.id,
          seq: actions.length,
          action: step,
          destination,
          state: 'pending',
          attempts: 0,
          nextAttemptAt: at,
          lastError: null,
          result: null,
          createdAt: at,
          updatedAt: at,
        });
      }
    }
    const after = await this.#o.store.commitDecision({
      decision,
      actions,
      incident: (i) => decisionApplied(i, r.incidentChange, r.reason),
    });
    if (this.#o.outcomes)
      await this.#record(
        outcomesOf(incident, after ?? { ...incident, ...r.incidentChange }, r.reason, now),
      );
    if (r.plan.some((p) => p.kind === 'spawn-remediation' || p.kind === 'spawn-evaluation')) {
      this.#openSnapshot = undefined; // the platform-wide run count just changed
    }
    this.#o.onDecision?.(decision);
    this.#o.logger[r.reason === 'repeat' ? 'debug' : 'info'](
      {
        incident_id: incident.id,
        alert: incident.alert,
        play_id: incident.playId,
        reason: r.reason,
        plan: r.plan.map((p) => p.kind),
      },
      r.detail,
    );
    if (actions.length) this.#o.dispatcher.kick();
    return decision;
  }
}

const startsRun = (p: { kind: string }) =>
  p.kind === 'spawn-remediation' || p.kind === 'spawn-evaluation';

/** Steps dropped when no destination is configured (nobody to notify, no memory to write to). */
const OPTIONAL = new Set<string>(['notify', 'remember']);

const fallbackDestination = (kind: string): ActionRecord['destination'] =>
  kind === 'spawn-remediation' || kind === 'spawn-evaluation' ? 'kubernetes' : 'github';

/** The draft an incident was last recorded from (for re-decisions without a new alert). */
const draftOf = (i: Incident): AlertDraft => ({
  alert: i.alert,
  severity: i.severity,
  issueType: i.issueType,
  title: i.title,
  description: i.description,
  namespace: i.namespace,
  playId: i.playId,
  taskId: i.taskId,
  agent: i.agent,
  subject: i.subject,
  evidence: i.evidence,
  context: i.context,
  detectedAt: i.lastSeen,
});

/** An incident's alert family for the issue dedup: same alert, subject and namespace. */
const familyOf = (i: Pick<Incident, 'alert' | 'subject' | 'namespace'>): string =>
  JSON.stringify([i.alert, i.subject, i.namespace]);
