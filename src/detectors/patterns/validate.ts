import { RE2JS } from 're2js';
import type { Catalogue } from './schema.js';

/** One thing wrong with the catalogue, tied to the entry (or filter, or checklist signal) it is in. */
export interface CatalogueProblem {
  /** The id of the entry, filter or checklist signal; null for file-level problems. */
  id: string | null;
  /** Where in the file, e.g. `entries.3.unless.0`. */
  path: string;
  message: string;
}

/** Why a pattern cannot be used, or null: it must compile in JavaScript and in RE2 (LogQL). */
export function patternProblem(source: string): string | null {
  let js: RegExp;
  try {
    js = new RegExp(source, 'i');
  } catch (err) {
    return `not a valid JavaScript regular expression: ${(err as Error).message}`;
  }
  try {
    RE2JS.compile(source, RE2JS.CASE_INSENSITIVE);
  } catch (err) {
    return `not valid RE2/LogQL syntax (no look-around, back-references or named groups): ${(err as Error).message}`;
  }
  if (matchesNothing(js)) return 'can match an empty string, so it would flag every line';
  return null;
}

const PROBES = ['', 'a', ' ', 'a b', 'a\nb'];

/** True when the pattern can produce a zero-length match (`\b`, `x*`, `^`), checked on probes. */
function matchesNothing(re: RegExp): boolean {
  const g = new RegExp(re.source, 'gim');
  return PROBES.some((probe) => [...probe.matchAll(g)].some((m) => m[0] === ''));
}

/** Every pattern of the catalogue with its owner and path, for checks that walk them all. */
export function* allPatterns(
  c: Catalogue,
): Generator<{ id: string; path: string; source: string }> {
  for (const [i, f] of c.filters.entries())
    yield { id: f.id, path: `filters.${i}.pattern`, source: f.pattern };
  for (const [i, e] of c.entries.entries()) {
    yield { id: e.id, path: `entries.${i}.pattern`, source: e.pattern };
    for (const [j, u] of e.unless.entries())
      yield { id: e.id, path: `entries.${i}.unless.${j}`, source: u };
  }
  for (const [i, k] of c.checklist.entries()) {
    yield { id: k.id, path: `checklist.${i}.pattern`, source: k.pattern };
    for (const [j, u] of k.unless.entries())
      yield { id: k.id, path: `checklist.${i}.unless.${j}`, source: u };
  }
}

/** The checks zod cannot make: unique ids, known filter names, patterns valid in both engines. */
export function structuralProblems(c: Catalogue): CatalogueProblem[] {
  const problems: CatalogueProblem[] = [];
  const seen = new Map<string, string>();
  const owners = [
    ...c.filters.map((f, i) => ({ id: f.id, path: `filters.${i}.id` })),
    ...c.entries.map((e, i) => ({ id: e.id, path: `entries.${i}.id` })),
    ...c.checklist.map((k, i) => ({ id: k.id, path: `checklist.${i}.id` })),
  ];
  for (const o of owners) {
    const first = seen.get(o.id);
    if (first)
      problems.push({ id: o.id, path: o.path, message: `duplicate id (first used at ${first})` });
    else seen.set(o.id, o.path);
  }
  const filterIds = new Set(c.filters.map((f) => f.id));
  for (const [i, e] of c.entries.entries()) {
    for (const [j, name] of (e.filters ?? []).entries()) {
      if (!filterIds.has(name)) {
        problems.push({
          id: e.id,
          path: `entries.${i}.filters.${j}`,
          message: `unknown filter "${name}"`,
        });
      }
    }
  }
  for (const p of allPatterns(c)) {
    const message = patternProblem(p.source);
    if (message) problems.push({ id: p.id, path: p.path, message });
  }
  return problems;
}
