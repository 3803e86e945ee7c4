// Outcome history (issue #17 point 3): what each remediation attempt led to, keyed by alert, agent
// and a signature of the evidence, and what the decision and the remediation prompt learn from it.
// Pure: the decision maker reads and writes the store around these functions.
import type { DecisionReason, RemediationAttempt } from '../domain/action.js';
import type { Incident } from '../domain/incident.js';
import {
  FAILURE_OUTCOMES,
  SUCCESS_OUTCOMES,
  type OutcomeKind,
  type RemediationOutcome,
} from '../domain/outcome.js';
import { redact } from '../domain/redact.js';

const DAY = 86_400_000;
const MAX_SIGNATURE = 160;

/** A line that says what went wrong (the first of these in the evidence is the signature's source). */
const ERRORISH =
  /\b(error|errors|fatal|fail|failed|failure|exception|panic|denied|refused|unauthori[sz]ed|forbidden|timed out|timeout|cannot|can't|unable|invalid|not found|crashloopbackoff|oomkilled|backoff|errimagepull|imagepullbackoff|rejected|expired|unreachable|notready)\b/i;

/* eslint-disable no-control-regex */
const ANSI = /\u001b\[[0-9;]*[A-Za-z]/g;
/* eslint-enable no-control-regex */

/** Replacements in order: the most specific shapes first, plain numbers last. */
const NORMALISE: [RegExp, string][] = [
  [/\bhttps?:\/\/([^/\s"'<>]+)[^\s"'<>]*/gi, '<url $1>'],
  [/\b\d{4}-\d{2}-\d{2}[t ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(z|[+-]\d{2}:?\d{2})?/gi, '<time>'],
  [/\b\d{1,2}:\d{2}:\d{2}(\.\d+)?\b/g, '<time>'],
  [/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi, '<id>'],
  [/\b\d{1,3}(\.\d{1,3}){3}(:\d+)?\b/g, '<ip>'],
  [/(^|[\s"'(=:,])(~?\/[\w.@+-]+)+\/?/g, '$1<path>'],
  [/\b0x[0-9a-f]+\b/gi, '<hex>'],
  [/\b(?=[0-9a-f]*\d)(?=[0-9a-f]*[a-f])[0-9a-f]{7,}\b/gi, '<hex>'],
  // random suffixes of generated names (pods, jobs): `-x2k4p`
  [/-(?=[a-z0-9]*\d)[a-z0-9]{5}\b/gi, '-<id>'],
  [/\d+(\.\d+)?/g, '<n>'],
];

/** One line without what differs between occurrences of the same failure: ids, times, paths, hex, numbers. */
export function normaliseLine(line: string): string {
  let s = redact(line.replace(ANSI, '')).toLowerCase();
  for (const [re, to] of NORMALISE) s = s.replace(re, to);
  s = s.replace(/\s+/g, ' ').trim();
  return s.length > MAX_SIGNATURE ? s.slice(0, MAX_SIGNATURE) : s;
}

/**
 * The evidence signature of an incident: its first error-like evidence line (else its first
 * evidence line, else its title), normalised and redacted. Two occurrences of the same failure
 * on different pods, at different times, give the same signature.
 */
export function evidenceSignature(i: Pick<Incident, 'evidence' | 'title'>): string {
  const lines = i.evidence.map((l) => l.trim()).filter((l) => l !== '');
  const line = lines.find((l) => ERRORISH.test(l)) ?? lines[0] ?? i.title;
  return normaliseLine(line) || normaliseLine(i.title);
}

/** The class of an incident: the history `decide()` consults is this one's. */
export interface OutcomeClass {
  alert: Incident['alert'];
  agent: string | null;
  signature: string;
}

export const classOf = (i: Incident): OutcomeClass => ({
  alert: i.alert,
  agent: i.agent,
  signature: evidenceSignature(i),
});

/** What history says about one class, within the window, leaving out the incident deciding. */
export interface ClassHistory {
  class: OutcomeClass;
  windowDays: number;
  failures: RemediationOutcome[];
  successes: RemediationOutcome[];
}

/** The class's outcomes within `windowDays` of `now`, other incidents only, split by result. */
export function summariseClass(
  cls: OutcomeClass,
  outcomes: readonly RemediationOutcome[],
  incidentId: string,
  now: Date,
  windowDays: number,
): ClassHistory {
  const since = new Date(now.getTime() - windowDays * DAY).toISOString();
  const mine = outcomes.filter(
    (o) =>
      o.incidentId !== incidentId &&
      o.at >= since &&
      o.alert === cls.alert &&
      o.agent === cls.agent &&
      o.signature === cls.signature,
  );
  return {
    class: cls,
    windowDays,
    failures: mine.filter((o) => FAILURE_OUTCOMES.has(o.outcome)),
    successes: mine.filter((o) => SUCCESS_OUTCOMES.has(o.outcome)),
  };
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/**
 * Why history says no to another remediation run, or null: at least `minFailures` failures of
 * the class and no success within the window. The sentence carries the figures.
 */
export function historySaysNo(
  h: ClassHistory | null | undefined,
  minFailures: number,
): string | null {
  if (!h || h.successes.length > 0 || h.failures.length < minFailures) return null;
  const byKind = new Map<OutcomeKind, number>();
  for (const f of h.failures) byKind.set(f.outcome, (byKind.get(f.outcome) ?? 0) + 1);
  const kinds = [...byKind].map(([k, n]) => `${k} ${n}`).join(', ');
  const incidents = new Set(h.failures.map((f) => f.incidentId)).size;
  const last = h.failures
    .map((f) => f.at)
    .sort()
    .at(-1);
  const who = `${h.class.alert}${h.class.agent ? ` on ${h.class.agent}` : ''}`;
  return `remediation of this class (${who}, signature "${h.class.signature}") failed ${plural(h.failures.length, 'time')} in ${plural(incidents, 'other incident')} within the last ${h.windowDays} days (${kinds}; last at ${last}) and never succeeded (threshold ${minFailures})`;
}

const created = (a: RemediationAttempt) => a.coderun !== '';
const finished = (a: RemediationAttempt) => a.finishedAt !== null;

function summaryOf(a: RemediationAttempt, how: string): string {
  const pr = a.pullRequestUrl ? `, pull request ${a.pullRequestUrl}` : ', no pull request';
  return redact(
    `attempt ${a.attempt} (${a.coderun}) ${a.phase ? `ended ${a.phase}` : 'ran'}${pr}${a.failure ? `; the run failed itself: ${a.failure}` : ''}; ${how}`,
  );
}

function record(
  i: Incident,
  a: RemediationAttempt,
  outcome: OutcomeKind,
  how: string,
  now: Date,
): RemediationOutcome {
  return {
    id: `${i.id}#${a.attempt}`,
    incidentId: i.id,
    attempt: a.attempt,
    alert: i.alert,
    agent: i.agent,
    signature: evidenceSignature(i),
    outcome,
    coderun: a.coderun,
    issue: i.githubIssue,
    pullRequestUrl: a.pullRequestUrl,
    summary: summaryOf(a, how),
    startedAt: a.createdAt,
    at: now.toISOString(),
  };
}

const RECURRENCE: ReadonlySet<DecisionReason> = new Set([
  'recurred-after-fix',
  'cooldown',
  'attempts-exhausted',
]);

/**
 * The outcomes a committed decision settles, from the incident before and after it:
 * - `resolved`: the latest created attempt cleared the condition;
 * - a recurrence after a finished attempt (`cooldown`, `recurred-after-fix`): still firing;
 *   `attempts-exhausted`: escalated;
 * - `remediator-failed` on the incident the run serves: the run failed (escalated when that
 *   escalated the incident).
 * Other decisions settle nothing.
 */
export function outcomesOf(
  before: Incident,
  after: Incident,
  reason: DecisionReason,
  now: Date,
): RemediationOutcome[] {
  const attempts = (before.attempts ?? []).filter(created);
  const last = attempts.at(-1);
  if (reason === 'resolved') {
    if (!last) return [];
    const why = after.resolution ?? 'condition cleared';
    return [record(after, last, 'cleared', `the condition cleared (${why})`, now)];
  }
  if (RECURRENCE.has(reason) && last && finished(last)) {
    if (reason === 'attempts-exhausted')
      return [
        record(
          after,
          last,
          'escalated',
          'the alert kept firing and attempts ran out: escalated to a person',
          now,
        ),
      ];
    return [record(after, last, 'still-firing', 'the alert kept firing after the run', now)];
  }
  if (reason === 'remediator-failed') {
    const escalatedNow = !before.escalatedAt && !!after.escalatedAt;
    return (after.attempts ?? [])
      .filter(
        (a) =>
          created(a) &&
          a.failure &&
          !before.attempts?.find((b) => b.attempt === a.attempt)?.failure,
      )
      .map((a) =>
        escalatedNow
          ? record(
              after,
              a,
              'escalated',
              'the run failed itself and run failures ran out: escalated to a person',
              now,
            )
          : record(after, a, 'run-failed', 'the run failed itself', now),
      );
  }
  return [];
}

/** A `pr-opened` outcome for the latest attempt that has a pull request and nothing settled yet. */
export function pullRequestOutcome(
  i: Incident,
  settled: ReadonlySet<string>,
  now: Date,
): RemediationOutcome | null {
  const a = (i.attempts ?? []).filter(created).at(-1);
  if (!a?.pullRequestUrl || i.state === 'resolved' || settled.has(`${i.id}#${a.attempt}`))
    return null;
  return record(
    i,
    a,
    'pr-opened',
    'it opened a pull request; whether the condition clears is not known yet',
    now,
  );
}

/** A remediation's pull request as GitHub shows it (only what an outcome quotes). */
export interface PullRequestState {
  url: string;
  number: number;
  title: string;
  /** RFC 3339 when it was merged; null while it is not. */
  mergedAt: string | null;
  /** Closed without being merged. */
  closedUnmerged: boolean;
  changedFiles: number | null;
  additions: number | null;
  deletions: number | null;
}

const MERGED_MARK = 'pull request was merged';

/** Outcomes whose pull request is worth reading: it may still be merged, or be merged already. */
export const awaitsMerge = (o: RemediationOutcome): boolean =>
  o.pullRequestUrl !== null &&
  (o.outcome === 'cleared' || (o.outcome === 'pr-opened' && !o.summary.includes(MERGED_MARK)));

function mergedText(pr: PullRequestState): string {
  const files =
    pr.changedFiles === null
      ? ''
      : ` (${plural(pr.changedFiles, 'file')} changed${pr.additions !== null && pr.deletions !== null ? `, +${pr.additions} −${pr.deletions}` : ''})`;
  return `its ${MERGED_MARK} at ${pr.mergedAt}: #${pr.number} "${pr.title}"${files}`;
}

/**
 * What a merged pull request makes of an attempt's outcome: `cleared` becomes `pr-merged` (the
 * fix was merged and the condition cleared: the history's strongest success); `pr-opened` keeps
 * its kind — whether the condition clears is still unknown — and says the merge, so the
 * resolution that follows is upgraded on the next read. Null when nothing changes.
 */
export function mergedOutcome(
  o: RemediationOutcome,
  pr: PullRequestState,
  now: Date,
): RemediationOutcome | null {
  if (!pr.mergedAt || o.pullRequestUrl !== pr.url || !awaitsMerge(o)) return null;
  const summary = redact(`${o.summary}; ${mergedText(pr)}`);
  if (o.outcome === 'cleared')
    return { ...o, outcome: 'pr-merged', summary, at: now.toISOString() };
  return { ...o, summary };
}

/** What earlier remediations of a similar failure did, for a remediation prompt. */
export interface PastOutcomes {
  /** The most recent successful fix of the same signature (same alert first), or null. */
  success: RemediationOutcome | null;
  /** The class's failed attempts, newest first. */
  failures: RemediationOutcome[];
}

/** Picks the success and failures a remediation prompt quotes (at most `max` failures). */
export function pastOutcomesFor(
  i: Incident,
  sameSignature: readonly RemediationOutcome[],
  max = 5,
): PastOutcomes {
  const sig = evidenceSignature(i);
  const others = sameSignature.filter((o) => o.incidentId !== i.id && o.signature === sig);
  const successes = others
    .filter((o) => SUCCESS_OUTCOMES.has(o.outcome))
    .sort(
      (a, b) =>
        (a.alert === i.alert ? 0 : 1) - (b.alert === i.alert ? 0 : 1) || b.at.localeCompare(a.at),
    );
  const failures = others
    .filter((o) => FAILURE_OUTCOMES.has(o.outcome) && o.alert === i.alert && o.agent === i.agent)
    .sort((a, b) => b.at.localeCompare(a.at))
    .slice(0, max);
  return { success: successes[0] ?? null, failures };
}

/** The past outcomes as one text for the prompt (redacted; the template fences it as untrusted). */
export function pastOutcomesText(p: PastOutcomes): string {
  const parts: string[] = [];
  if (p.success) {
    const s = p.success;
    parts.push(
      [
        `Most recent successful fix of this failure (${s.alert}${s.agent ? ` on ${s.agent}` : ''}, ${s.at}):`,
        `  issue: ${s.issue ? `#${s.issue.number} ${s.issue.url}` : 'none recorded'}`,
        `  pull request: ${s.pullRequestUrl ?? 'none recorded'}`,
        `  what happened: ${s.summary}`,
      ].join('\n'),
    );
  }
  if (p.failures.length) {
    parts.push(
      [
        `Earlier attempts at this failure that did not fix it (${p.failures.length}):`,
        ...p.failures.map(
          (f) =>
            `  - ${f.at} ${f.outcome}${f.issue ? ` (issue #${f.issue.number})` : ''}: ${f.summary}`,
        ),
      ].join('\n'),
    );
  }
  return redact(parts.join('\n\n'));
}
