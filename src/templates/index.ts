export { ALERT_TEMPLATES, COMMENT_KINDS, alertTemplateNames, type CommentKind } from './alerts.js';
export { checkTemplates, formatTemplateFailures, type TemplateCheckFailure } from './check.js';
export { DEFAULT_PROMPTS_DIR, createTemplateEngine, type TemplateEngine } from './engine.js';
export {
  loadExpected,
  matchExpected,
  parseExpected,
  type ExpectedBehaviour,
  type ExpectedMatch,
} from './expected.js';
export {
  MAX_BODY_CHARS,
  renderAcceptance,
  renderComment,
  renderEvaluationPrompt,
  renderIssue,
  renderPrompt,
  type RenderedIssue,
} from './render.js';
export { sampleView } from './sample.js';
export type {
  AttemptView,
  ChildView,
  IncidentView,
  KubeEventView,
  LinkView,
  MemoryView,
  ViewModel,
} from './view.js';
export { buildViewModel, fingerprintMarker, issueTitle } from './view-model.js';
