import { readFile } from 'node:fs/promises';

/**
 * The dashboard's browser script. Its source is `client/dashboard.ts` (type-checked with the DOM
 * library by `client/tsconfig.json`, linted like the rest). `npm run build` compiles it to
 * `dist/public/dashboard.js`, which a built Healer serves; run from the sources (tsx: tests,
 * `npm run healer`), it is compiled here with TypeScript, a development dependency.
 */
export function loadDashboardScript(): Promise<string> {
  // once per process: every app built in it serves the same script
  loaded ??= readScript();
  loaded.catch(() => (loaded = undefined));
  return loaded;
}

let loaded: Promise<string> | undefined;

async function readScript(): Promise<string> {
  // dist/routes/dashboard/assets.js → dist/public/dashboard.js
  const built = new URL('../../public/dashboard.js', import.meta.url);
  if (import.meta.url.endsWith('.js')) {
    try {
      return await readFile(built, 'utf8');
    } catch (err) {
      throw new Error(
        `the dashboard script ${built.pathname} is missing: run npm run build (${(err as Error).message})`,
      );
    }
  }
  const source = await readFile(new URL('./client/dashboard.ts', import.meta.url), 'utf8');
  const ts = (await import('typescript')).default;
  return ts.transpileModule(source, {
    compilerOptions: {
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.ES2022,
      removeComments: false,
    },
    fileName: 'dashboard.ts',
  }).outputText;
}
