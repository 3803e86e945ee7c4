import { redact } from '../domain/redact.js';
import { ALERT_TEMPLATES, type CommentKind } from './alerts.js';
import type { TemplateEngine } from './engine.js';
import { tidyMarkdown } from './markdown.js';
import type { IncidentView } from './view.js';
import { buildViewModel } from './view-model.js';

/** GitHub rejects issue bodies and comments over 65 536 characters. */
export const MAX_BODY_CHARS = 65_000;

export interface RenderedIssue {
  title: string;
  body: string;
  labels: string[];
}

const model = (engine: TemplateEngine, view: IncidentView) =>
  buildViewModel(view, view.agent ? engine.expected.get(view.agent) : undefined);

/** Redacts the result once more (templates are operator data too) and tidies blank lines. */
const finish = (text: string): string => tidyMarkdown(redact(text));

/** Keeps the fingerprint marker when a body must be cut to GitHub's limit. */
function capBody(body: string, marker: string): string {
  if (body.length <= MAX_BODY_CHARS) return body;
  const note = `\n\n_(truncated by Healer: the body exceeded ${MAX_BODY_CHARS} characters)_\n${marker}\n`;
  return body.slice(0, MAX_BODY_CHARS - note.length) + note;
}

/** The GitHub issue: `[HEAL-A7] …` title, `prompts/issue.hbs` body with the marker, labels. */
export function renderIssue(engine: TemplateEngine, view: IncidentView): RenderedIssue {
  const m = model(engine, view);
  const body = capBody(finish(engine.render('issue', m)), m.marker);
  return { title: m.issueTitle, body, labels: m.labels };
}

/** The remediation prompt (`prompts/alerts/<alert>.hbs`): the CodeRun's `promptModification`. */
export function renderPrompt(engine: TemplateEngine, view: IncidentView): string {
  return finish(engine.render(`alerts/${ALERT_TEMPLATES[view.alert].slug}`, model(engine, view)));
}

/** The acceptance criteria (`prompts/acceptance/<alert>.hbs`): the CodeRun's `acceptanceCriteria`. */
export function renderAcceptance(engine: TemplateEngine, view: IncidentView): string {
  return finish(
    engine.render(`acceptance/${ALERT_TEMPLATES[view.alert].slug}`, model(engine, view)),
  );
}

/** The `evaluate-then-fix` prompt (`prompts/evaluation.hbs`): root-cause analysis and an issue. */
export function renderEvaluationPrompt(engine: TemplateEngine, view: IncidentView): string {
  return finish(engine.render('evaluation', model(engine, view)));
}

/** An issue comment (`prompts/comments/<kind>.hbs`): new attempt, escalation or resolution. */
export function renderComment(
  engine: TemplateEngine,
  kind: CommentKind,
  view: IncidentView,
): string {
  const m = model(engine, view);
  return capBody(finish(engine.render(`comments/${kind}`, m)), '');
}
