import { EventEmitter } from 'node:events';
import { causeOf } from './grouping.js';
import { severityRank, type AlertDraft, type AlertId, type Severity } from '../domain/alert.js';
import { incidentId, type Incident, type RecordOutcome } from '../domain/incident.js';
import type { IncidentStore } from '../domain/stores.js';
import { fingerprint } from './fingerprint.js';
import { resolved as resolvedIncident } from './lifecycle.js';
import { KeyedQueue } from '../runtime/keyed-queue.js';

/**
 * Where an alert's condition is observed from: the watches, the Play's pull request, or one of
 * the proactive sources (resource pressure from metrics, platform health).
 */
export type ObservedSource = 'kubernetes' | 'github' | 'resources' | 'platform';

/**
 * Alerts whose condition is re-derived from current state on every tick, so they resolve when it
 * clears — and the source that state is read from.
 */
const RESOLVABLE: ReadonlyMap<AlertId, ObservedSource> = new Map([
  ['A1', 'github'],
  ['A2', 'kubernetes'],
  ['A3', 'github'],
  ['A4', 'github'],
  ['A5', 'github'],
  ['A7', 'kubernetes'],
  ['A8', 'kubernetes'],
  ['A9', 'kubernetes'],
  ['resource', 'resources'],
  ['platform', 'platform'],
]);

/** An open incident a sweep did not judge: the source its condition is read from is missing. */
export interface Unobserved {
  incident: Incident;
  /** Which source, and why it cannot be read (e.g. `Kubernetes: watching is off: no kubeconfig`). */
  missing: string;
}

/**
 * Why the source of an incident's alert cannot be read now (null: it can). Nothing fires an
 * incident whose source is not read, which is not the same as its condition having cleared.
 */
export type SourceCheck = (source: ObservedSource, incident: Incident) => string | null;

export interface TrackerEvents {
  recorded: [
    { incident: Incident; outcome: RecordOutcome; draft: AlertDraft; latencyMs: number | null },
  ];
  resolved: [{ incident: Incident; reason: string }];
  error: [unknown];
}

/**
 * Turns the drafts rules produce for an object into incidents. An (incident, object) pair is
 * recorded when it starts firing — re-evaluating an unchanged failure adds nothing — and an
 * incident resolves when no object fires it any more.
 */
export class IncidentTracker extends EventEmitter<TrackerEvents> {
  readonly #store: IncidentStore;
  readonly #now: () => Date;
  /** fingerprint → objects currently firing it */
  readonly #firing = new Map<string, Set<string>>();
  /** object → fingerprints it fires */
  readonly #byObject = new Map<string, Set<string>>();
  /** fingerprint → its alert (to keep what an evaluation did not run) */
  readonly #alertOf = new Map<string, AlertId>();
  /** The most severe level recorded per fingerprint (so getting worse is recorded, staying bad is not) */
  readonly #level = new Map<string, Severity>();
  /** store writes serialised per fingerprint (a repeat never races its creation), parallel across */
  readonly #queue = new KeyedQueue();

  /** fingerprint → since when nothing fires it (ms); it resolves once clear for `resolveAfterMs` */
  readonly #clearSince = new Map<string, number>();
  readonly #resolveAfterMs: number;

  constructor(opts: { store: IncidentStore; now: () => Date; resolveAfterMs?: number }) {
    super();
    this.#store = opts.store;
    this.#now = opts.now;
    this.#resolveAfterMs = opts.resolveAfterMs ?? 0;
  }

  /**
   * The drafts an object produces now (possibly none). `receivedAt` (performance.now ms) feeds
   * latency. `unevaluated`: alerts whose rules did not run in this evaluation (tick-only rules on
   * a watch event); what they fire for the object keeps firing, unchanged.
   */
  observe(
    objectKey: string,
    drafts: readonly AlertDraft[],
    receivedAt?: number,
    unevaluated?: ReadonlySet<AlertId>,
  ): Promise<void> {
    const now = new Map<string, AlertDraft>();
    for (const d of drafts) {
      const fp = fingerprint(d);
      now.set(fp, d);
      this.#alertOf.set(fp, d.alert);
    }
    const before = this.#byObject.get(objectKey) ?? new Set<string>();
    const kept = unevaluated?.size
      ? [...before].filter((fp) => !now.has(fp) && unevaluated.has(this.#alertOf.get(fp)!))
      : [];
    // a pair that keeps firing but got worse (high → critical) is recorded again: the incident
    // takes the higher severity
    const started = [...now.keys()].filter(
      (fp) =>
        !before.has(fp) ||
        severityRank(now.get(fp)!.severity) < severityRank(this.#level.get(fp) ?? 'info'),
    );
    const stopped = [...before].filter((fp) => !now.has(fp) && !kept.includes(fp));
    if (now.size || kept.length) this.#byObject.set(objectKey, new Set([...now.keys(), ...kept]));
    else this.#byObject.delete(objectKey);
    for (const fp of started) this.#fire(fp, objectKey);
    const cleared = stopped.filter((fp) => this.#unfire(fp, objectKey));
    for (const fp of started) this.#clearSince.delete(fp);
    // a condition that clears does not resolve at once: a crash loop looks healthy between two
    // crashes. It resolves when it stayed clear for `resolveAfterMs` (checked by `sweep`).
    const at = this.#now().getTime();
    for (const fp of cleared) if (!this.#clearSince.has(fp)) this.#clearSince.set(fp, at);
    const resolveNow = this.#resolveAfterMs === 0 ? cleared : [];
    const writes = [
      ...started.map((fp) => this.#enqueue(fp, () => this.#record(now.get(fp)!, fp, receivedAt))),
      ...resolveNow.map((fp) =>
        this.#enqueue(fp, () => this.#resolveIfClear(fp, 'condition cleared')),
      ),
    ];
    return Promise.all(writes).then(() => undefined);
  }

  /**
   * One occurrence of an event-like alert (a log line, a completion check): always recorded,
   * never resolved by the tracker (there is no state to clear).
   */
  occurrence(draft: AlertDraft, receivedAt?: number): Promise<void> {
    const fp = fingerprint(draft);
    return this.#enqueue(fp, () => this.#record(draft, fp, receivedAt));
  }

  /** The object is gone (deleted): everything it fired may resolve. */
  forget(objectKey: string): Promise<void> {
    return this.observe(objectKey, []);
  }

  /**
   * After a full pass over every cached object: open incidents of resolvable alerts that nothing
   * fires (e.g. after a restart, or an object deleted while Healer was down) resolve — but only
   * those whose source was read: an incident whose source `unreadable` names is left open and
   * returned in `unobserved` with the reason.
   */
  async sweep(
    unreadable: SourceCheck,
    opts: { dryRun?: boolean; resolveAfterMs?: number } = {},
  ): Promise<{ cleared: Incident[]; unobserved: Unobserved[] }> {
    const open = await this.#store.openIncidents();
    const at = this.#now().getTime();
    const grace = opts.resolveAfterMs ?? this.#resolveAfterMs;
    const unobserved: Unobserved[] = [];
    const clear = open.filter((i) => {
      const source = RESOLVABLE.get(i.alert);
      // a cause group's parent is fired by nothing: it resolves when its children have
      if (!source || this.#firing.has(i.fingerprint) || causeOf(i)) return false;
      const missing = unreadable(source, i);
      if (missing !== null) {
        unobserved.push({ incident: i, missing });
        return false;
      }
      // first seen clear now (e.g. after a restart): the grace starts here
      const since = this.#clearSince.get(i.fingerprint) ?? at;
      if (!opts.dryRun) this.#clearSince.set(i.fingerprint, since);
      return at - since >= grace;
    });
    if (opts.dryRun) return { cleared: clear, unobserved };
    await Promise.all(
      clear.map((i) =>
        this.#enqueue(i.fingerprint, () =>
          this.#resolveIfClear(i.fingerprint, 'condition no longer observed'),
        ),
      ),
    );
    return { cleared: clear, unobserved };
  }

  /** Resolves once every queued write is done (tests, shutdown). */
  async idle(): Promise<void> {
    await this.#queue.idle();
  }

  isFiring(fp: string): boolean {
    return this.#firing.has(fp);
  }

  #fire(fp: string, key: string): void {
    let set = this.#firing.get(fp);
    if (!set) this.#firing.set(fp, (set = new Set()));
    set.add(key);
  }

  /** Removes one object from a fingerprint; true when nothing fires it any more. */
  #unfire(fp: string, key: string): boolean {
    const set = this.#firing.get(fp);
    set?.delete(key);
    if (set && set.size === 0) {
      this.#firing.delete(fp);
      this.#alertOf.delete(fp);
    }
    return !this.#firing.has(fp);
  }

  async #record(draft: AlertDraft, fp: string, receivedAt: number | undefined): Promise<void> {
    const level = this.#level.get(fp);
    if (!level || severityRank(draft.severity) < severityRank(level))
      this.#level.set(fp, draft.severity);
    const r = await this.#store.recordAlert(draft, fp, this.#now());
    const latencyMs = receivedAt === undefined ? null : performance.now() - receivedAt;
    this.emit('recorded', { ...r, draft, latencyMs });
  }

  async #resolveIfClear(fp: string, reason: string): Promise<void> {
    if (this.#firing.has(fp)) return;
    this.#clearSince.delete(fp);
    const id = incidentId(fp);
    const at = this.#now().toISOString();
    let resolved: Incident | undefined;
    await this.#store.updateIncident(id, (i) => {
      if (!RESOLVABLE.has(i.alert)) return undefined;
      resolved = resolvedIncident(i, at, reason);
      return resolved;
    });
    if (resolved) this.emit('resolved', { incident: resolved, reason });
  }

  #enqueue(fp: string, fn: () => Promise<void>): Promise<void> {
    return this.#queue.run(fp, fn).catch((err: unknown) => {
      this.emit('error', err);
    });
  }
}
