import { ALERT_IDS, type AlertId } from '../domain/alert.js';
import { COMMENT_KINDS } from './alerts.js';
import type { TemplateEngine } from './engine.js';
import {
  renderAcceptance,
  renderComment,
  renderEvaluationPrompt,
  renderIssue,
  renderPrompt,
} from './render.js';
import { sampleView } from './sample.js';
import type { IncidentView } from './view.js';
import { fingerprintMarker } from './view-model.js';

export interface TemplateCheckFailure {
  /** null for problems not tied to one alert (an unreadable directory, a bad expected file). */
  alert: AlertId | null;
  template: string;
  error: string;
}

type Check = [template: string, run: (view: IncidentView) => string | null];

/** Renders each template an alert needs and says what is wrong with the result (`null` = fine). */
function checks(engine: TemplateEngine): Check[] {
  const marker = (v: IncidentView): string => fingerprintMarker(v.fingerprint);
  return [
    [
      'issue',
      (v) =>
        renderIssue(engine, v).body.includes(marker(v))
          ? null
          : 'issue body lacks the fingerprint marker',
    ],
    ['alerts', (v) => promptProblem(renderPrompt(engine, v), v)],
    [
      'acceptance',
      (v) => (renderAcceptance(engine, v).trim() === '' ? 'acceptance criteria are empty' : null),
    ],
    [
      'evaluation',
      (v) =>
        renderEvaluationPrompt(engine, v).includes(marker(v))
          ? null
          : 'evaluation prompt lacks the fingerprint marker',
    ],
    ...COMMENT_KINDS.map((k): Check => [
      `comments/${k}`,
      (v) => (renderComment(engine, k, v).trim() === '' ? 'comment is empty' : null),
    ]),
  ];
}

/** The evidence must sit in a code fence, announced as untrusted data just before it. */
function evidenceProblem(text: string, v: IncidentView): string | null {
  const first = v.evidence[0];
  if (first === undefined) return null;
  const at = text.indexOf(`\n${first}\n`);
  if (at < 0) return 'the evidence is missing';
  const before = text.slice(Math.max(0, at - 1500), at);
  if (!/\n`{3,}[^\n`]*$/.test(before)) return 'the evidence is not in a fenced code block';
  if (!/untrusted/i.test(before)) return 'the evidence is not marked as untrusted data';
  return null;
}

function promptProblem(text: string, v: IncidentView): string | null {
  if (v.issueNumber != null && !text.includes(`Fixes #${v.issueNumber}`)) {
    return `prompt does not ask for "Fixes #${v.issueNumber}"`;
  }
  return evidenceProblem(text, v);
}

/**
 * The start-up check: renders every template of every alert with a full and a sparse sample view
 * and returns every failure (empty = all good), so the service can refuse to start with the list.
 */
export function checkTemplates(engine: TemplateEngine): TemplateCheckFailure[] {
  const failures: TemplateCheckFailure[] = engine.loadErrors.map((error) => ({
    alert: null,
    template: 'load',
    error,
  }));
  for (const alert of ALERT_IDS) {
    for (const view of [sampleView(alert), sampleView(alert, { sparse: true })]) {
      for (const [template, run] of checks(engine)) {
        try {
          const problem = run(view);
          if (problem) failures.push({ alert, template, error: problem });
        } catch (err) {
          failures.push({ alert, template, error: (err as Error).message });
        }
      }
    }
  }
  return dedupe(failures);
}

const dedupe = (fs: TemplateCheckFailure[]): TemplateCheckFailure[] => {
  const seen = new Set<string>();
  return fs.filter((f) => {
    const key = `${f.alert}|${f.template}|${f.error}`;
    return seen.has(key) ? false : (seen.add(key), true);
  });
};

/** One line per failure, for the log and the CLI. */
export const formatTemplateFailures = (fs: TemplateCheckFailure[]): string =>
  fs.map((f) => `${f.alert ?? '-'} ${f.template}: ${f.error.replace(/\n/g, '\n    ')}`).join('\n');
