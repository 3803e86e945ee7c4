// Reads a scenario file: YAML → zod schema → cross-reference checks. Every problem is reported
// with the file, the path inside it and its line, all at once.
import { readFile } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import { LineCounter, isNode, parseDocument } from 'yaml';
import type { Document } from 'yaml';
import type { z } from 'zod';
import { checkScenario } from './check.js';
import type { Problem } from './check.js';
import { scenarioSchema } from './schema.js';
import type { Scenario } from './schema.js';

export interface ScenarioProblem extends Problem {
  line?: number;
}

export class ScenarioError extends Error {
  constructor(
    readonly file: string,
    readonly problems: ScenarioProblem[],
  ) {
    const lines = problems.map(
      (p) =>
        `  - ${p.path.length ? p.path.join('.') : '(top level)'}${p.line ? ` (line ${p.line})` : ''}: ${p.message}`,
    );
    super(
      `${file}: invalid scenario (${problems.length} problem${problems.length === 1 ? '' : 's'})\n${lines.join('\n')}`,
    );
    this.name = 'ScenarioError';
  }
}

type Issue = z.core.$ZodIssue;

/** Zod issues as problems; of a union, the branch that got furthest (not a bare type mismatch). */
function flatten(issues: readonly Issue[], prefix: PropertyKey[] = []): Problem[] {
  const out: Problem[] = [];
  for (const issue of issues) {
    const path = [...prefix, ...issue.path];
    if (issue.code === 'invalid_union' && issue.errors.length > 0) {
      const branches = issue.errors.filter(
        (b) => !(b.length === 1 && b[0].code === 'invalid_type' && b[0].path.length === 0),
      );
      const best = branches[0] ?? issue.errors[0];
      out.push(...flatten(best, path));
      continue;
    }
    out.push({
      path: path.map((k) => (typeof k === 'symbol' ? String(k) : k)),
      message: issue.message,
    });
  }
  return out;
}

function lineOf(
  doc: Document,
  counter: LineCounter,
  path: (string | number)[],
): number | undefined {
  for (let n = path.length; n >= 0; n--) {
    const node = doc.getIn(path.slice(0, n), true);
    if (isNode(node) && node.range) return counter.linePos(node.range[0]).line;
  }
  return undefined;
}

/** Parses and validates scenario text; `source` names it in errors. */
export function parseScenario(text: string, source = '<scenario>'): Scenario {
  const counter = new LineCounter();
  const doc = parseDocument(text, { lineCounter: counter, prettyErrors: false });
  if (doc.errors.length > 0) {
    throw new ScenarioError(
      source,
      doc.errors.map((e) => ({
        path: [],
        message: `YAML: ${e.message.split('\n')[0]}`,
        ...(e.linePos ? { line: e.linePos[0].line } : {}),
      })),
    );
  }
  const parsed = scenarioSchema.safeParse(doc.toJS());
  if (!parsed.success) {
    const problems = flatten(parsed.error.issues).map((p) => ({
      ...p,
      line: lineOf(doc, counter, p.path),
    }));
    throw new ScenarioError(source, problems);
  }
  const scenario: Scenario = { ...parsed.data, steps: parsed.data.steps };
  const problems = checkScenario(scenario);
  const stem = basename(source, extname(source));
  if (source !== '<scenario>' && stem !== scenario.name)
    problems.push({ path: ['name'], message: `must equal the file name "${stem}"` });
  if (problems.length > 0)
    throw new ScenarioError(
      source,
      problems.map((p) => ({ ...p, line: lineOf(doc, counter, p.path) })),
    );
  return scenario;
}

/** Reads one scenario file. */
export async function loadScenario(path: string): Promise<Scenario> {
  const text = await readFile(path, 'utf8');
  return { ...parseScenario(text, path), file: path };
}
