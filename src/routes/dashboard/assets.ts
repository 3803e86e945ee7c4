import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';

/**
 * The dashboard's browser script. Its source is `client/dashboard.ts` (type-checked with the DOM
 * library by `client/tsconfig.json`, linted like the rest). `npm run build` compiles it to
 * `dist/public/dashboard.js`, which a built Healer serves; run from the sources (tsx: tests,
 * `npm run healer`), it is compiled with TypeScript, a development dependency — on the first
 * request for it, so starting Healer never waits for the compiler.
 */

// dist/routes/dashboard/assets.js → dist/public/dashboard.js
const BUILT = new URL('../../public/dashboard.js', import.meta.url);
const SOURCE = new URL('./client/dashboard.ts', import.meta.url);
const fromDist = import.meta.url.endsWith('.js');

/** The file the script comes from: the built one, or the source when run from the sources. */
async function origin(): Promise<string> {
  const file = fromDist ? BUILT : SOURCE;
  try {
    return await readFile(file, 'utf8');
  } catch (err) {
    throw new Error(
      `the dashboard script ${file.pathname} is missing${fromDist ? ': run npm run build' : ''} (${(err as Error).message})`,
    );
  }
}

/** A short hash of the script's origin, for the `?v=` of its URL (cheap: no compiling). */
export async function dashboardScriptVersion(): Promise<string> {
  return createHash('sha256')
    .update(await origin())
    .digest('hex')
    .slice(0, 12);
}

let loaded: Promise<string> | undefined;

/** The script as served (once per process: every app built in it serves the same). */
export function loadDashboardScript(): Promise<string> {
  loaded ??= readScript();
  loaded.catch(() => (loaded = undefined));
  return loaded;
}

async function readScript(): Promise<string> {
  const text = await origin();
  if (fromDist) return text;
  const ts = (await import('typescript')).default;
  return ts.transpileModule(text, {
    compilerOptions: {
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.ES2022,
      removeComments: false,
    },
    fileName: 'dashboard.ts',
  }).outputText;
}
