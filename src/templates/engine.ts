import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import Handlebars from 'handlebars';
import { HealerError } from '../domain/errors.js';
import { type ExpectedBehaviour, loadExpected } from './expected.js';
import { HELPERS } from './helpers.js';

/** `prompts/` of this repository (same relative place from `src/templates` and `dist/templates`). */
export const DEFAULT_PROMPTS_DIR = fileURLToPath(new URL('../../prompts/', import.meta.url));

const COMPILE_OPTIONS = { strict: true, noEscape: true } as const;

export interface TemplateEngine {
  readonly dir: string;
  /** Every template, by path under `dir` without `.hbs` (`alerts/a7-pod-failure`, `issue`, …). */
  readonly names: readonly string[];
  /** `prompts/expected/<agent>.md`, parsed. */
  readonly expected: ReadonlyMap<string, ExpectedBehaviour>;
  /** Problems found while loading (unreadable files, bad expected patterns). */
  readonly loadErrors: readonly string[];
  has(name: string): boolean;
  /** Renders template `name`; every field the template reads must exist on `model`. */
  render(name: string, model: object): string;
}

/** Reading a field the view model does not have is an error, also in helper arguments and `#if`. */
function strictView<T extends object>(value: T, path: string): T {
  return new Proxy(value, {
    get(target, key, receiver) {
      if (
        typeof key === 'symbol' ||
        key === 'toJSON' ||
        key === 'then' ||
        key in Object.prototype
      ) {
        return Reflect.get(target, key, receiver) as unknown;
      }
      if (!(key in target)) throw new Error(`template reads missing field "${path}.${key}"`);
      const v = Reflect.get(target, key, receiver) as unknown;
      return v !== null && typeof v === 'object' ? strictView(v, `${path}.${key}`) : v;
    },
  });
}

/** Prefixes an error from inside a partial with the partial's file, innermost first. */
function inPartial(name: string, err: unknown): Error {
  const e = err instanceof Error ? err : new Error(String(err));
  const message = e.message.replace(' in [object Object]', '');
  if (message.startsWith('in ')) return e;
  return Object.assign(new Error(`in ${name}.hbs: ${message}`, { cause: e }), { stack: e.stack });
}

function listTemplates(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.hbs'))
    .map((f) => relative(dir, join(dir, f)).split(sep).join('/').slice(0, -'.hbs'.length))
    .sort();
}

/**
 * Loads and compiles every `*.hbs` under `promptsDir` once (strict, no HTML escaping), registers
 * each as a partial under its path (`guidance/a7-pod-failure`) and those in `partials/` also under
 * their file name (`_preamble`), and the helpers. A syntax error is reported when that template
 * is rendered, so the start-up check lists it with the alerts it breaks.
 */
export function createTemplateEngine(
  promptsDir: string | URL = DEFAULT_PROMPTS_DIR,
): TemplateEngine {
  const dir = promptsDir instanceof URL ? fileURLToPath(promptsDir) : promptsDir;
  const hb = Handlebars.create();
  for (const [name, fn] of Object.entries(HELPERS)) hb.registerHelper(name, fn);
  const loadErrors: string[] = [];
  const templates = new Map<string, Handlebars.TemplateDelegate<object>>();
  const syntaxErrors = new Map<string, Error>();

  const register = (name: string, fn: Handlebars.TemplateDelegate<object>): void => {
    const named: Handlebars.TemplateDelegate<object> = (context, options) => {
      try {
        return fn(context, options);
      } catch (err) {
        throw inPartial(name, err);
      }
    };
    hb.registerPartial(name, named);
    if (name.startsWith('partials/')) hb.registerPartial(name.slice('partials/'.length), named);
  };

  let names: string[] = [];
  try {
    names = listTemplates(dir);
  } catch (err) {
    loadErrors.push(`${dir}: ${(err as Error).message}`);
  }
  for (const name of names) {
    const source = readFileSync(join(dir, `${name}.hbs`), 'utf8');
    try {
      hb.parse(source);
    } catch (err) {
      const syntax = new Error(`syntax error in ${name}.hbs: ${(err as Error).message}`);
      syntaxErrors.set(name, syntax);
      register(name, () => {
        throw syntax;
      });
      continue;
    }
    const fn = hb.compile<object>(source, COMPILE_OPTIONS);
    templates.set(name, fn);
    register(name, fn);
  }
  const { expected, errors } = loadExpected(join(dir, 'expected'));
  loadErrors.push(...errors);

  return {
    dir,
    names,
    expected,
    loadErrors,
    has: (name) => templates.has(name) || syntaxErrors.has(name),
    render(name, model) {
      const fn = templates.get(name);
      const fail = (message: string, cause?: unknown): HealerError =>
        new HealerError('TEMPLATE_ERROR', 500, `template ${name}: ${message}`, {
          cause,
          details: { template: name },
        });
      if (!fn) {
        const syntax = syntaxErrors.get(name);
        throw fail(syntax ? syntax.message : `not found in ${dir}`, syntax);
      }
      try {
        return fn(strictView(model, 'view'));
      } catch (err) {
        throw fail((err as Error).message, err);
      }
    },
  };
}
