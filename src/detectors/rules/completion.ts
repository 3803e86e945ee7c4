/**
 * Completion check (detection.md §3): an agent pod ended `Succeeded`; its logs must show one of the
 * agent's success markers and no failure indicator (`prompts/expected/<agent>.md`).
 */
import type { AlertDraft } from '../../domain/alert.js';
import { workflowFamily } from '../../domain/workflow-family.js';
import type { Rule } from '../rule.js';
import {
  draftBase,
  isIgnored,
  nameOf,
  namespaceOf,
  remediationContext,
  orEmpty,
} from './draft-base.js';

const MAX_LINES = 10;

const safeTest = (r: unknown, text: string): boolean =>
  r instanceof RegExp && ((r.lastIndex = 0), r.test(text));

/** What a pattern matched in the text (`CONFLICT`, `2 failed`), trimmed for a title. */
const matched = (r: RegExp, text: string): string =>
  ((r.lastIndex = 0), r.exec(text)?.[0] ?? r.source).trim().slice(0, 60);

export const completionCheck: Rule = {
  id: 'completion',
  name: 'Success check',
  kinds: ['completed-logs'],
  timeBased: false,
  evaluate(signal, view): AlertDraft[] {
    if (signal.kind !== 'completed-logs' || isIgnored(signal.correlation)) return [];
    const c = signal.correlation;
    const pod = orEmpty(signal.pod);
    if (pod.status?.phase !== 'Succeeded' || !c.agent || !nameOf(pod)) return [];
    const expected = view.expectedFor(c.agent);
    if (!expected) return [];
    const logs = typeof signal.logs === 'string' ? signal.logs : '';
    const success = (expected.success ?? []).filter((r) => safeTest(r, logs));
    const failure = (expected.failure ?? []).filter((r) => safeTest(r, logs));
    if (success.length > 0 && failure.length === 0) return [];
    const name = nameOf(pod);
    const lines = logs.split(/\r?\n/);
    const hits = lines.filter((l) => failure.some((r) => safeTest(r, l))).slice(0, MAX_LINES);
    const tail = lines.filter((l) => l.trim() !== '').slice(-MAX_LINES);
    const found = failure.map((r) => r.source);
    const shown = [...new Set(failure.map((r) => matched(r, logs)))].slice(0, 3);
    const what =
      shown.length > 0
        ? `logs show ${shown.map((m) => `"${m}"`).join(', ')}`
        : 'succeeded without success markers';
    return [
      {
        ...draftBase(c, namespaceOf(pod), workflowFamily(name), view.now),
        alert: 'completion',
        severity: 'medium',
        issueType: found.length > 0 ? 'agent_failure' : 'other',
        title: `Unverified Completion: ${name} ${what}`,
        description: `The ${c.agent} pod ${name} finished with phase Succeeded, but its logs show ${success.length === 0 ? `none of ${c.agent}'s success markers` : `${success.length} success marker(s)`}${shown.length > 0 ? ` and failure indicator(s) ${shown.map((m) => `"${m}"`).join(', ')}` : ''}.`,
        evidence: hits.length > 0 ? hits : tail,
        context: {
          pod: name,
          container: typeof signal.container === 'string' ? signal.container : null,
          phase: 'Succeeded',
          successMarkersFound: success.length,
          successMarkers: success.map((r) => r.source).join(', ') || null,
          failureIndicators: found.join(', ') || null,
          failureMatches: shown.join(', ') || null,
          logLines: lines.length,
          ...remediationContext(c),
        },
      },
    ];
  },
};
