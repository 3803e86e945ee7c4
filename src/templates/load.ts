import { HealerError } from '../domain/errors.js';
import { normaliseAgent } from '../domain/stages.js';
import { checkTemplates, formatTemplateFailures } from './check.js';
import { createTemplateEngine, type TemplateEngine } from './engine.js';
import { loadExpected } from './expected.js';

/** The template engine of a prompts folder, checked at start: every alert's templates must render. */
export function loadCheckedTemplates(dir: string): TemplateEngine {
  const templates = createTemplateEngine(dir);
  const failures = [
    ...templates.loadErrors.map((e) => ({ alert: null, template: 'load', error: e })),
    ...checkTemplates(templates),
  ];
  if (failures.length) {
    throw new HealerError(
      'TEMPLATES_INVALID',
      500,
      `prompt templates in ${dir} do not render:\n${formatTemplateFailures(failures)}`,
    );
  }
  return templates;
}

/** An agent's success markers and failure indicators (`<dir>/<agent>.md`); problems are warned. */
export function expectedLookup(
  dir: string,
  warn: (problem: string) => void,
): (agent: string) => { success: RegExp[]; failure: RegExp[] } | undefined {
  const expected = loadExpected(dir);
  for (const e of expected.errors) warn(e);
  return (agent) => {
    const x = expected.expected.get(normaliseAgent(agent));
    return x && { success: x.successMarkers, failure: x.failureIndicators };
  };
}
