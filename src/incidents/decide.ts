import { isFinishedCodeRunPhase } from '../domain/coderun-phase.js';
import type { AlertDraft } from '../domain/alert.js';
import type {
  DecisionReason,
  PlannedAction,
  RemediationAttempt,
  Silence,
} from '../domain/action.js';
import type { Incident, RecordOutcome } from '../domain/incident.js';
import type { IncidentState } from '../domain/incident.js';
import { acknowledgement } from '../domain/incident.js';
import type { Policy } from './policy.js';
import { describeMatchers, matchSilence } from './silences.js';

/**
 * The decision for one recorded alert (remediation.md §1–§2.3): a plan of outbox actions and a
 * reason from the closed set, so "why did Healer (not) act?" always has an answer. Pure: the
 * caller passes the incident after recording the alert, the clock, silences and capacity.
 */

export interface DecideInput {
  /** The incident after recording this alert. */
  incident: Incident;
  outcome: RecordOutcome;
  draft: AlertDraft;
  now: Date;
  policy: Policy;
  /** Silences to apply (inactive ones are ignored). */
  silences: readonly Silence[];
  /** Healer CodeRuns running platform-wide now (not Succeeded/Failed). */
  runningRemediations: number;
  /** Fresh store: an issue for the same alert and workflow family exists within the dedup window. */
  recentIssueForFamily?: boolean;
  /** For alerts of Healer's own runs: the incident the run serves ({@link servedIncidentId}). */
  served?: Incident | null;
  /** The open incident this one is a symptom of, by an inhibition rule ({@link findInhibitor}). */
  inhibition?: { source: Incident; rule: string } | null;
}

export interface Decided {
  reason: DecisionReason;
  /** One sentence: what was decided and why. */
  detail: string;
  plan: PlannedAction[];
  /** Applied to the incident in the decision's transaction (always carries `lastDecision`). */
  incidentChange: Partial<Incident>;
}

export interface DecideResult extends Decided {
  /** `cooldown`: when the next attempt becomes possible; re-decide then if the alert still fires. */
  recheckAt?: string;
  /** The plan's CodeRun waits for platform capacity; its spawn handler re-checks and retries. */
  capacityDeferred?: boolean;
  /** `remediator-failed`: the decision to commit on the incident the failed run serves. */
  attached?: Decided & { incidentId: string };
}

/** Phase of an attempt or evaluation that is decided but whose CodeRun does not exist yet. */
export const PLANNED_PHASE = 'Planned';
export const NEEDS_HUMAN_LABEL = 'needs-human';
const LOUD = new Set(['critical', 'high']);
const MINUTE = 60_000;

export const isFinished = (a: RemediationAttempt): boolean =>
  a.finishedAt !== null || isFinishedCodeRunPhase(a.phase);

/** The served incident of a Healer run's alert: `inc-<fingerprint prefix>` from its label. */
export function servedIncidentId(draft: AlertDraft): string | null {
  const fp = draft.context.servesFingerprint;
  return typeof fp === 'string' && fp.length >= 16 ? `inc-${fp.slice(0, 16)}` : null;
}

const remediates = (p: Policy) => p.mode === 'issue-and-fix' || p.mode === 'evaluate-then-fix';
/** Issues go to `issues.repository`, else the session's repository (only Plays have one). */
const canOpenIssue = (i: Incident, p: Policy) => p.issueRepository !== null || i.playId !== null;
/** ` healer-a7-…-1` or '' while the CodeRun is not created yet. */
const runRef = (a: RemediationAttempt) => (a.coderun ? ` ${a.coderun}` : '');
/** `is Running`, or `is planned (its CodeRun is not created yet)`. */
const runPhase = (a: RemediationAttempt) =>
  a.phase === PLANNED_PHASE
    ? 'is planned (its CodeRun is not created yet)'
    : `is ${a.phase || 'starting'}`;
const named = (i: Incident) => `${i.alert} ${i.title}`;
const planned = (attempt: number, now: Date): RemediationAttempt => ({
  attempt,
  coderun: '',
  namespace: '',
  phase: PLANNED_PHASE,
  createdAt: now.toISOString(),
  finishedAt: null,
  pullRequestUrl: null,
});

/** Anything done for the incident so far (an issue, a run, a notification, an escalation). */
const acted = (i: Incident) =>
  i.githubIssue !== null ||
  (i.attempts?.length ?? 0) > 0 ||
  (i.evaluation ?? null) !== null ||
  (i.escalatedAt ?? null) !== null ||
  (i.notified?.length ?? 0) > 0 ||
  i.remediationSpawned;

/** The state an incident has between decisions (a reopen sets `open` whatever it was). */
function steadyState(i: Incident): IncidentState {
  if (i.escalatedAt) return 'escalated';
  const last = i.attempts?.at(-1) ?? i.evaluation ?? undefined;
  return last && !isFinished(last) ? 'remediating' : 'open';
}

function result(
  reason: DecisionReason,
  detail: string,
  plan: PlannedAction[] = [],
  change: Partial<Incident> = {},
): DecideResult {
  return { reason, detail, plan, incidentChange: { ...change, lastDecision: reason } };
}

function capacity(n: number, p: Policy): { deferred: boolean; note: string } {
  return n >= p.maxConcurrent
    ? {
        deferred: true,
        note: `; the CodeRun waits: ${n} of ${p.maxConcurrent} Healer CodeRuns already run platform-wide, it is created when one finishes`,
      }
    : { deferred: false, note: '' };
}

/** needs-human on the issue, a comment saying what was tried, a notification: once. */
function escalation(i: Incident, p: Policy, now: Date, notified: string[]) {
  const issue = i.githubIssue !== null || canOpenIssue(i, p);
  const plan: PlannedAction[] = [
    ...(issue
      ? [
          { kind: 'label-issue', label: NEEDS_HUMAN_LABEL } as const,
          { kind: 'comment-issue', comment: 'escalation' } as const,
        ]
      : []),
    { kind: 'notify', event: 'escalated' },
  ];
  const change: Partial<Incident> = {
    state: 'escalated',
    escalatedAt: now.toISOString(),
    notified: [...new Set([...notified, 'escalated'])],
  };
  return { plan, change };
}

/** A new incident (or a new episode of one nothing was done for), per mode. */
function decideNew(x: DecideInput): DecideResult {
  const { incident: i, policy: p, now } = x;
  if (x.outcome === 'created' && x.recentIssueForFamily)
    return result(
      'repeat',
      `an issue for ${i.alert} in ${i.subject} was opened within the last ${p.issueWindowMinutes} min before the store was fresh: counted, no second issue`,
    );
  if (p.mode === 'observe')
    return result(
      'new',
      `observe mode: ${named(i)} recorded only (no issue, no CodeRun, no notification)`,
    );
  // A reopened incident starts a new round of notifications (one per state change).
  const notified = x.outcome === 'reopened' ? [] : (i.notified ?? []);
  const issue = canOpenIssue(i, p);
  const notify = LOUD.has(i.severity) && !notified.includes('open');
  const openIssue: PlannedAction[] = issue ? [{ kind: 'open-issue' }] : [];
  const opened: PlannedAction[] = notify ? [{ kind: 'notify', event: 'opened' }] : [];
  const notifiedNow = notify ? [...notified, 'open'] : notified;

  if (!remediates(p) || !issue) {
    const why = !issue
      ? 'no repository for its issue (a platform incident and issues.repository is unset)'
      : 'issue-only mode';
    if (i.severity === 'critical') {
      const e = escalation(i, p, now, notified);
      return result(
        'new',
        `${named(i)} is critical and nothing can be automated (${why}): ${issue ? 'issue opened and ' : ''}escalated to a person`,
        [...openIssue, ...e.plan],
        e.change,
      );
    }
    const what = issue ? 'issue opened, no remediation' : 'recorded without an issue';
    return result(
      'new',
      `${named(i)}: ${what} (${why})${notify ? ', notified' : ''}`,
      [...openIssue, ...opened],
      { notified: notifiedNow },
    );
  }

  const cap = capacity(x.runningRemediations, p);
  if (p.mode === 'evaluate-then-fix') {
    const r = result(
      'new',
      `${named(i)}: evaluation CodeRun started for root-cause analysis and the issue; remediation attempt 1 follows it${notify ? ', notified' : ''}${cap.note}`,
      [{ kind: 'spawn-evaluation' }, ...opened],
      { state: 'remediating', evaluation: planned(0, now), notified: notifiedNow },
    );
    return cap.deferred ? { ...r, capacityDeferred: true } : r;
  }
  const attempt = (i.attempts?.length ?? 0) + 1;
  const r = result(
    'new',
    `${named(i)}: issue opened, remediation attempt ${attempt} of ${p.maxAttempts}${notify ? ', notified' : ''}${cap.note}`,
    [...openIssue, { kind: 'spawn-remediation', attempt }, ...opened],
    {
      state: 'remediating',
      remediationSpawned: true,
      attempts: [...(i.attempts ?? []), planned(attempt, now)],
      notified: notifiedNow,
    },
  );
  return cap.deferred ? { ...r, capacityDeferred: true } : r;
}

/**
 * `evaluate-then-fix`, once the evaluation run ended (or its issue appeared): the remediation
 * CodeRun (attempt 1), after the issue — which the open-issue handler adopts by its marker when
 * the evaluation wrote it, or writes itself when the run ended without one. Null when nothing is
 * left to do (already remediating, escalated, or another mode).
 */
export function decideAfterEvaluation(
  incident: Incident,
  now: Date,
  policy: Policy,
  runningRemediations: number,
): DecideResult | null {
  const i = incident;
  const ev = i.evaluation ?? null;
  if (
    policy.mode !== 'evaluate-then-fix' ||
    ev === null ||
    (i.attempts?.length ?? 0) > 0 ||
    i.escalatedAt ||
    i.state === 'resolved'
  )
    return null;
  const cap = capacity(runningRemediations, policy);
  const ended = isFinished(ev)
    ? `ended (${ev.phase || 'phase unknown'})`
    : `is ${ev.phase || 'not started'}`;
  const issue = i.githubIssue
    ? `its issue #${i.githubIssue.number} exists`
    : 'no issue recorded yet: Healer adopts the one carrying the fingerprint marker or writes it itself';
  const r = result(
    'new',
    `evaluation run${runRef(ev)} ${ended}; ${issue}; remediation attempt 1 of ${policy.maxAttempts}${cap.note}`,
    [
      ...(i.githubIssue ? [] : [{ kind: 'open-issue' } as const]),
      { kind: 'spawn-remediation', attempt: 1 },
    ],
    { state: 'remediating', remediationSpawned: true, attempts: [planned(1, now)] },
  );
  return cap.deferred ? { ...r, capacityDeferred: true } : r;
}

/** An alert raised by one of Healer's own runs: never remediated, attached to the incident it serves. */
function remediatorFailed(x: DecideInput): DecideResult {
  const { draft: d, policy: p, now } = x;
  const servedId = servedIncidentId(d);
  const served = x.served ?? null;
  const own = `${d.alert} from Healer's own run ${d.subject}: never remediated`;
  if (!served)
    return result(
      'remediator-failed',
      `${own}; the incident it serves (${servedId ?? 'no fingerprint label'}) is unknown`,
    );
  const why = `${d.alert} ${d.title}`;
  const attempts = served.attempts ?? [];
  const mentions = (a: RemediationAttempt) =>
    a.coderun !== '' &&
    [d.subject, String(d.context.pod ?? ''), String(d.context.coderun ?? '')].some((s) =>
      s.startsWith(a.coderun),
    );
  const target =
    attempts.find(mentions) ??
    [...attempts].reverse().find((a) => !isFinished(a)) ??
    attempts.at(-1);
  const change: Partial<Incident> = { lastDecision: 'remediator-failed' };
  let runText: string;
  if (target) {
    runText = `remediation attempt ${target.attempt}${runRef(target)}`;
    if (!target.failure)
      change.attempts = attempts.map((a) => (a === target ? { ...a, failure: why } : a));
  } else if (served.evaluation) {
    runText = `evaluation run${runRef(served.evaluation)}`;
    if (!served.evaluation.failure) change.evaluation = { ...served.evaluation, failure: why };
  } else runText = 'a run it has no record of';
  const failed = (change.attempts ?? attempts).filter((a) => a.failure).length;
  let attached: DecideResult['attached'];
  if (target && failed >= p.maxRunFailures && !served.escalatedAt && served.state !== 'resolved') {
    const e = escalation(served, p, now, served.notified ?? []);
    attached = {
      incidentId: served.id,
      reason: 'remediator-failed',
      detail: `${runText} failed itself (${why}); ${failed} remediation runs failed: escalated to a person, no further CodeRun`,
      plan: e.plan,
      incidentChange: { ...change, ...e.change },
    };
  } else {
    attached = {
      incidentId: served.id,
      reason: 'remediator-failed',
      detail: `${runText} failed itself (${why})${target ? `; ${failed} of ${p.maxRunFailures} run failures before escalation` : ''}`,
      plan: [],
      incidentChange: change,
    };
  }
  return { ...result('remediator-failed', `${own}; attached to ${served.id}`), attached };
}

/** A repeat or a reopen of an incident something was already done for. */
function decideRecurrence(x: DecideInput): DecideResult {
  const { incident: i, policy: p, now } = x;
  // recordAlert reopens as `open`; keep what the incident really is.
  const keep: Partial<Incident> = x.outcome === 'reopened' ? { state: steadyState(i) } : {};
  const again = x.outcome === 'reopened' ? 'reopened' : `occurrence ${i.occurrences}`;
  if (i.escalatedAt)
    return result(
      'repeat',
      `${again} of ${named(i)}: escalated to a person at ${i.escalatedAt}, counted only`,
      [],
      keep,
    );
  const attempts = i.attempts ?? [];
  const last = attempts.at(-1);
  const ev = i.evaluation ?? null;
  if (!last) {
    if (ev && !isFinished(ev))
      return result(
        'remediation-active',
        `${again}: evaluation run${runRef(ev)} ${runPhase(ev)}`,
        [],
        keep,
      );
    if (ev) {
      const after = decideAfterEvaluation(i, now, p, x.runningRemediations);
      if (after) return after;
    }
    return result(
      'repeat',
      `${again} of ${named(i)}: counted (${p.mode} mode, no remediation run)`,
      [],
      keep,
    );
  }
  if (!isFinished(last))
    return result(
      'remediation-active',
      `${again}: remediation attempt ${last.attempt}${runRef(last)} ${runPhase(last)}; a new attempt only after it finished`,
      [],
      keep,
    );
  if (!remediates(p))
    return result(
      'repeat',
      `${again} of ${named(i)}: counted (${p.mode} mode, no further remediation)`,
      [],
      keep,
    );
  const history = attempts.map((a) => `${a.attempt} ${a.phase || 'unknown'}`).join(', ');
  if (attempts.length >= p.maxAttempts) {
    const e = escalation(i, p, now, i.notified ?? []);
    return result(
      'attempts-exhausted',
      `${named(i)} recurred after ${attempts.length} of ${p.maxAttempts} remediation attempts (${history}): escalated to a person, no further CodeRun`,
      e.plan,
      e.change,
    );
  }
  const since = Date.parse(last.finishedAt ?? last.createdAt);
  const until = since + p.cooldownMinutes * MINUTE;
  if (now.getTime() < until) {
    const at = new Date(until).toISOString();
    return {
      ...result(
        'cooldown',
        `${again}: attempt ${last.attempt} ended${last.phase ? ` ${last.phase}` : ''} at ${new Date(since).toISOString()}; attempt ${last.attempt + 1} not before ${at} (cooldown ${p.cooldownMinutes} min)`,
        [],
        keep,
      ),
      recheckAt: at,
    };
  }
  const next = last.attempt + 1;
  const cap = capacity(x.runningRemediations, p);
  const r = result(
    'recurred-after-fix',
    `${named(i)} recurred after remediation attempt ${last.attempt}${runRef(last)} ended ${last.phase || 'finished'}: attempt ${next} of ${p.maxAttempts}${cap.note}`,
    [
      { kind: 'comment-issue', comment: 'attempt' },
      { kind: 'spawn-remediation', attempt: next },
    ],
    { state: 'remediating', remediationSpawned: true, attempts: [...attempts, planned(next, now)] },
  );
  return cap.deferred ? { ...r, capacityDeferred: true } : r;
}

/** Why the alert is excluded from any action, or null. */
function exclusion(d: AlertDraft, p: Policy): string | null {
  if (p.disabledAlerts.includes(d.alert)) return `${d.alert} is disabled in alerts.disabled`;
  const ex = d.context.excluded;
  return typeof ex === 'string' && ex !== '' ? ex : null;
}

/** A run decided but never created (e.g. its spawn was skipped because the incident resolved). */
const unstarted = (a: RemediationAttempt | null | undefined) =>
  !!a && a.phase === PLANNED_PHASE && a.coderun === '';

/**
 * The decision for one recorded alert. On a reopen, runs that were planned but never created are
 * forgotten first (re-planning them is safe: CodeRun names are deterministic).
 */
export function decide(x: DecideInput): DecideResult {
  return withSeverityLabel(x.incident, quietWhenAcknowledged(x.incident, decideUnacknowledged(x)));
}

/** Decisions that leave the incident's issue alone (recorded only, or about another incident). */
const HANDS_OFF: ReadonlySet<DecisionReason> = new Set([
  'silenced',
  'excluded',
  'remediator-failed',
  'inhibited-by',
]);

/**
 * The issue's `severity:*` label follows the incident: when the incident became more severe than
 * its issue says (a crash loop opens as high and turns critical), the plan swaps the label. An
 * issue still to be opened is labelled with the severity current when it is written.
 */
function withSeverityLabel(i: Incident, r: DecideResult): DecideResult {
  const labelled = i.labelledSeverity ?? null;
  if (
    i.githubIssue === null ||
    labelled === i.severity ||
    HANDS_OFF.has(r.reason) ||
    r.plan.some((a) => a.kind === 'open-issue')
  )
    return r;
  return {
    ...r,
    plan: [...r.plan, { kind: 'relabel-severity', severity: i.severity }],
    detail: `${r.detail}; issue #${i.githubIssue.number} relabelled severity:${i.severity}${labelled ? ` (was ${labelled})` : ''}`,
  };
}

/** Planned steps a person who acknowledged the incident is not bothered with. */
const BOTHERS = (a: DecideResult['plan'][number]): boolean =>
  a.kind === 'notify' ||
  (a.kind === 'label-issue' && a.label === NEEDS_HUMAN_LABEL) ||
  (a.kind === 'comment-issue' && a.comment === 'escalation');

/**
 * An acknowledged incident (a person is on it) gets no notification and no escalation until it
 * changes (state, severity or a reopen): those steps are dropped from the plan and the reason says so.
 */
function quietWhenAcknowledged(before: Incident, r: DecideResult): DecideResult {
  const ack = acknowledgement(before);
  if (!ack || !r.plan.some(BOTHERS)) return r;
  const change: Partial<Incident> = { ...r.incidentChange };
  delete change.notified; // nothing was announced
  if (change.state === 'escalated') {
    delete change.state;
    delete change.escalatedAt;
  }
  return {
    ...r,
    plan: r.plan.filter((a) => !BOTHERS(a)),
    detail: `${r.detail}; acknowledged by ${ack.by} at ${ack.at}: no notification or escalation`,
    incidentChange: change,
  };
}

function decideUnacknowledged(x: DecideInput): DecideResult {
  const before = x.incident;
  const stale =
    x.outcome === 'reopened' &&
    ((before.attempts ?? []).some((a) => unstarted(a)) || unstarted(before.evaluation));
  if (!stale) return route(x);
  const cleaned: Partial<Incident> = {
    attempts: (before.attempts ?? []).filter((a) => !unstarted(a)),
    evaluation: unstarted(before.evaluation) ? null : (before.evaluation ?? null),
  };
  const r = route({ ...x, incident: { ...before, ...cleaned } });
  return { ...r, incidentChange: { ...cleaned, ...r.incidentChange } };
}

function route(x: DecideInput): DecideResult {
  const { incident: i, draft: d, now } = x;
  const excluded = exclusion(d, x.policy);
  if (excluded)
    return result('excluded', `${d.alert} ${d.title}: excluded (${excluded}), recorded only`);
  // An explicit silence wins over everything that would act, even attaching a run's failure.
  const silence = matchSilence(x.silences, d, now);
  if (silence) {
    // Only an incident nothing was done for shows as silenced; one in progress keeps its state.
    const quiet = !acted(i) && (i.state === 'open' || i.state === 'silenced');
    return result(
      'silenced',
      `${named(i)}: silenced by ${silence.id} (${describeMatchers(silence.matchers)}) until ${silence.endsAt}, set by ${silence.createdBy}: ${silence.comment}`,
      [],
      quiet ? { state: 'silenced' } : x.outcome === 'reopened' ? { state: steadyState(i) } : {},
    );
  }
  if (d.context.remediation === true) return remediatorFailed(x);
  if (x.inhibition) return inhibited(x, x.inhibition);
  const fresh =
    x.outcome === 'created' ||
    i.state === 'silenced' ||
    (i.inhibitedBy != null && !acted(i)) ||
    (x.outcome === 'reopened' &&
      (i.attempts?.length ?? 0) === 0 &&
      !i.evaluation &&
      !i.escalatedAt);
  const r = fresh ? decideNew(x) : decideRecurrence(x);
  if (!i.inhibitedBy) return r;
  // its source resolved (or was ruled out) and this one still fires: it is decided on its own now
  return {
    ...r,
    detail: `${r.detail}; no longer inhibited (${i.inhibitedBy.alert} incident ${i.inhibitedBy.incidentId} is not open)`,
    incidentChange: { ...r.incidentChange, inhibitedBy: null },
  };
}

/** A symptom of an open incident on the same agent run: recorded as its child, not acted on. */
function inhibited(x: DecideInput, by: { source: Incident; rule: string }): DecideResult {
  const { incident: i, now } = x;
  const s = by.source;
  const kept =
    i.inhibitedBy?.incidentId === s.id && i.inhibitedBy.rule === by.rule ? i.inhibitedBy : null;
  return result(
    'inhibited-by',
    `${named(i)}: inhibited by ${s.alert} incident ${s.id} (${s.title}) on the same agent run (rule ${by.rule}); recorded as its child, not acted on`,
    [],
    {
      inhibitedBy: kept ?? {
        incidentId: s.id,
        alert: s.alert,
        rule: by.rule,
        at: now.toISOString(),
      },
      ...(x.outcome === 'reopened' ? { state: steadyState(i) } : {}),
    },
  );
}

/**
 * The resolve path (reconciliation or the condition cleared): comment the reason and close the
 * issue, and tell whoever was told about it.
 */
export function decideResolution(incident: Incident, now: Date, policy: Policy): DecideResult {
  const i = incident;
  const why = i.resolution ?? 'condition cleared';
  const notified = i.notified ?? [];
  const told = notified.includes('open') || notified.includes('escalated');
  const notify = told && !notified.includes('resolved');
  const quiet =
    !acted(i) &&
    ['silenced', 'excluded', 'remediator-failed', 'inhibited-by'].includes(i.lastDecision ?? '');
  // When unsure whether an issue was opened, plan the close anyway: its handler skips a missing issue.
  const issue =
    i.githubIssue !== null || (policy.mode !== 'observe' && canOpenIssue(i, policy) && !quiet);
  const plan: PlannedAction[] = [
    ...(issue
      ? [
          { kind: 'comment-issue', comment: 'resolution' } as const,
          { kind: 'close-issue' } as const,
        ]
      : []),
    ...(notify ? [{ kind: 'notify', event: 'resolved' } as const] : []),
    // what the remediation runs tried and how it ended, for the next remediation's prompt
    ...((i.attempts ?? []).some((a) => a.coderun !== '') ? [{ kind: 'remember' } as const] : []),
  ];
  const done = [
    issue ? `issue ${i.githubIssue ? `#${i.githubIssue.number} ` : ''}closed` : 'no issue to close',
    ...(notify ? ['notified'] : []),
  ].join(', ');
  return result('resolved', `${named(i)} resolved (${why}): ${done}`, plan, {
    state: 'resolved',
    resolvedAt: i.resolvedAt ?? now.toISOString(),
    resolution: why,
    ...(notify ? { notified: [...notified, 'resolved'] } : {}),
  });
}
