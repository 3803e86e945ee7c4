// @ts-check
// `npm start`'s build step: compiles only when a source is newer than the last build, so a second
// start is ready at once (the compile itself is incremental too: dist/.tsbuildinfo).
// `--check` only reports: exit 0 up to date, 1 stale (with the first newer file).
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync, utimesSync } from 'node:fs';
import { join, relative } from 'node:path';

const args = process.argv.slice(2);
const rootIdx = args.indexOf('--root');
const root = rootIdx >= 0 ? (args[rootIdx + 1] ?? '.') : process.cwd();
const STAMP = join(root, 'dist', '.tsbuildinfo');
/** What the build reads besides src/: its configs and the dependency set. */
const INPUTS = ['tsconfig.json', 'tsconfig.build.json', 'package.json', 'package-lock.json'];

/**
 * The newest input (file, or folder: a deleted file changes its folder) newer than `since`, or null.
 * @param {string} path
 * @param {number} since
 * @returns {string | null}
 */
function newer(path, since) {
  let s;
  try {
    s = statSync(path);
  } catch {
    return null;
  }
  if (s.mtimeMs > since) return path;
  if (!s.isDirectory()) return null;
  for (const e of readdirSync(path)) {
    const hit = newer(join(path, e), since);
    if (hit) return hit;
  }
  return null;
}

/** @returns {string | null} why a build is needed, or null */
function staleReason() {
  let built;
  try {
    built = statSync(STAMP).mtimeMs;
  } catch {
    return 'no previous build';
  }
  for (const input of ['src', ...INPUTS]) {
    const hit = newer(join(root, input), built);
    if (hit) return `${relative(root, hit)} changed`;
  }
  return null;
}

const reason = staleReason();
if (args.includes('--check')) {
  console.log(reason ? `stale: ${reason}` : 'up to date');
  process.exit(reason ? 1 : 0);
}
if (!reason) process.exit(0);
console.error(`building (${reason})…`);
// The service, then the dashboard's browser script (its own tsconfig: DOM types) into dist/public.
let tsc = spawnSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: root, stdio: 'inherit' });
if (tsc.status === 0)
  tsc = spawnSync('npx', ['tsc', '-p', 'src/routes/dashboard/client'], { cwd: root, stdio: 'inherit' });
// tsc leaves the stamp alone when no output changed (say, only package.json was touched): mark the
// build as current so the next start does not compile again.
if (tsc.status === 0) {
  const now = new Date();
  utimesSync(STAMP, now, now);
}
process.exit(tsc.status ?? 1);
