import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { exampleProblems } from './examples.js';
import { catalogueSchema } from './schema.js';
import type { Catalogue } from './schema.js';
import { structuralProblems } from './validate.js';
import type { CatalogueProblem } from './validate.js';

/** The catalogue shipped with Healer (`patterns/catalogue.yaml`, beside `src/` and `dist/`). */
export const DEFAULT_CATALOGUE_PATH = fileURLToPath(
  new URL('../../../patterns/catalogue.yaml', import.meta.url),
);

/** The catalogue is unusable; `problems` lists every reason, each with the entry id. */
export class CatalogueError extends Error {
  readonly problems: CatalogueProblem[];
  constructor(source: string, problems: CatalogueProblem[]) {
    const list = problems
      .map((p) => `  ${p.id ?? '(file)'} at ${p.path || '(root)'}: ${p.message}`)
      .join('\n');
    super(
      `${source}: the pattern catalogue has ${problems.length} problem${problems.length === 1 ? '' : 's'}:\n${list}`,
    );
    this.name = 'CatalogueError';
    this.problems = problems;
  }
}

/** Guesses which entry a zod issue is about, from the array index in its path. */
function ownerId(raw: unknown, path: readonly PropertyKey[]): string | null {
  const [section, index] = path;
  if (
    typeof section !== 'string' ||
    typeof index !== 'number' ||
    typeof raw !== 'object' ||
    raw === null
  )
    return null;
  const list = (raw as Record<string, unknown>)[section];
  const item = Array.isArray(list) ? (list[index] as unknown) : undefined;
  const id =
    typeof item === 'object' && item !== null ? (item as Record<string, unknown>).id : undefined;
  return typeof id === 'string' ? id : null;
}

/**
 * Parses and validates catalogue YAML text. Throws a CatalogueError listing every problem:
 * schema, duplicate ids, unknown filters, patterns invalid in JavaScript or RE2, and (unless
 * `checkExamples` is false) examples and counterexamples that do not behave.
 */
export function parseCatalogue(
  text: string,
  source = 'catalogue',
  opts: { checkExamples?: boolean } = {},
): Catalogue {
  let raw: unknown;
  try {
    raw = parse(text);
  } catch (err) {
    throw new CatalogueError(source, [
      { id: null, path: '', message: `not valid YAML: ${(err as Error).message}` },
    ]);
  }
  const parsed = catalogueSchema.safeParse(raw);
  if (!parsed.success) {
    throw new CatalogueError(
      source,
      parsed.error.issues.map((i) => ({
        id: ownerId(raw, i.path),
        path: i.path.map(String).join('.'),
        message: i.message,
      })),
    );
  }
  const catalogue = parsed.data;
  const problems = structuralProblems(catalogue);
  if (problems.length) throw new CatalogueError(source, problems);
  if (opts.checkExamples !== false) {
    const bad = exampleProblems(catalogue);
    if (bad.length) throw new CatalogueError(source, bad);
  }
  return catalogue;
}

/** Reads and validates the catalogue file (the shipped one by default, or an override). */
export function loadCatalogue(
  path: string = DEFAULT_CATALOGUE_PATH,
  opts: { checkExamples?: boolean } = {},
): Catalogue {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new CatalogueError(path, [
      { id: null, path: '', message: `cannot read the file: ${(err as Error).message}` },
    ]);
  }
  return parseCatalogue(text, path, opts);
}
