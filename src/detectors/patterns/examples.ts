import { RE2JS } from 're2js';
import { ChecklistScanner } from './checklist.js';
import { Classifier } from './classifier.js';
import type { Catalogue } from './schema.js';
import type { CatalogueProblem } from './validate.js';

const re2Matches = (source: string, line: string): boolean =>
  RE2JS.compile(source, RE2JS.CASE_INSENSITIVE).matcher(line).find();

/**
 * Checks the catalogue against its own examples: each example is classified as its entry (the
 * pattern matches in JavaScript and in RE2, no filter suppresses it, no earlier entry takes it);
 * no counterexample is classified as its entry; filters suppress their examples only.
 */
export function exampleProblems(catalogue: Catalogue): CatalogueProblem[] {
  const problems: CatalogueProblem[] = [];
  const classifier = new Classifier(catalogue);
  const scanner = new ChecklistScanner(catalogue);

  for (const [i, e] of catalogue.entries.entries()) {
    for (const [j, line] of e.examples.entries()) {
      const path = `entries.${i}.examples.${j}`;
      const got = classifier.classifyLine(line);
      if (got?.patternId !== e.id) {
        const why = got
          ? `classified as ${got.patternId}`
          : 'not classified (no match, or a filter suppressed it)';
        problems.push({ id: e.id, path, message: `example ${JSON.stringify(line)} is ${why}` });
      }
      if (!re2Matches(e.pattern, line)) {
        problems.push({
          id: e.id,
          path,
          message: `example ${JSON.stringify(line)} does not match in RE2/LogQL`,
        });
      }
    }
    for (const [j, line] of e.counterexamples.entries()) {
      if (classifier.classifyLine(line)?.patternId === e.id) {
        problems.push({
          id: e.id,
          path: `entries.${i}.counterexamples.${j}`,
          message: `counterexample ${JSON.stringify(line)} is classified as this entry`,
        });
      }
    }
  }

  for (const [i, f] of catalogue.filters.entries()) {
    const re = new RegExp(f.pattern, 'i');
    for (const [j, line] of f.examples.entries()) {
      if (!re.test(line) || !re2Matches(f.pattern, line)) {
        problems.push({
          id: f.id,
          path: `filters.${i}.examples.${j}`,
          message: `filter does not match its example ${JSON.stringify(line)}`,
        });
      }
    }
    for (const [j, line] of f.counterexamples.entries()) {
      if (re.test(line)) {
        problems.push({
          id: f.id,
          path: `filters.${i}.counterexamples.${j}`,
          message: `filter matches its counterexample ${JSON.stringify(line)}`,
        });
      }
    }
  }

  for (const [i, k] of catalogue.checklist.entries()) {
    const hit = (line: string) => scanner.scanLine(line).some((m) => m.patternId === k.id);
    for (const [j, line] of k.examples.entries()) {
      if (!hit(line) || !re2Matches(k.pattern, line)) {
        problems.push({
          id: k.id,
          path: `checklist.${i}.examples.${j}`,
          message: `checklist signal does not match its example ${JSON.stringify(line)}`,
        });
      }
    }
    for (const [j, line] of k.counterexamples.entries()) {
      if (hit(line)) {
        problems.push({
          id: k.id,
          path: `checklist.${i}.counterexamples.${j}`,
          message: `checklist signal matches its counterexample ${JSON.stringify(line)}`,
        });
      }
    }
  }
  return problems;
}
