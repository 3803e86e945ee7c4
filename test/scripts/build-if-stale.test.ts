// `npm start` compiles only when a source changed: scripts/build-if-stale.mjs decides from the
// build stamp (dist/.tsbuildinfo) and the inputs' times. Checked on a throwaway tree.
import t from 'tap';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from '../helpers/process.js';

const SCRIPT = join(ROOT, 'scripts', 'build-if-stale.mjs');

function check(root: string): { code: number | null; out: string } {
  const r = spawnSync(process.execPath, [SCRIPT, '--check', '--root', root], { encoding: 'utf8' });
  return { code: r.status, out: r.stdout.trim() };
}

const at = (path: string, seconds: number) => utimesSync(path, seconds, seconds);

void t.test('stale without a build, up to date after, stale again when a source changes', (t) => {
  const root = mkdtempSync(join(tmpdir(), 'healer-build-'));
  t.teardown(() => rmSync(root, { recursive: true, force: true }));
  mkdirSync(join(root, 'src', 'routes'), { recursive: true });
  for (const f of ['src/main.ts', 'src/routes/a.ts', 'tsconfig.json', 'package.json']) {
    writeFileSync(join(root, f), '');
    at(join(root, f), 1_000);
  }
  at(join(root, 'src', 'routes'), 1_000);
  at(join(root, 'src'), 1_000);
  t.same(check(root), { code: 1, out: 'stale: no previous build' });

  mkdirSync(join(root, 'dist'));
  writeFileSync(join(root, 'dist', '.tsbuildinfo'), '{}');
  at(join(root, 'dist', '.tsbuildinfo'), 2_000);
  t.same(check(root), { code: 0, out: 'up to date' });

  at(join(root, 'src', 'routes', 'a.ts'), 3_000);
  t.same(check(root), { code: 1, out: 'stale: src/routes/a.ts changed' });
  at(join(root, 'src', 'routes', 'a.ts'), 1_000);

  rmSync(join(root, 'src', 'main.ts'));
  at(join(root, 'src'), 3_000); // what removing a file does to its folder
  t.same(check(root), { code: 1, out: 'stale: src changed' }, 'a deleted source counts');
  at(join(root, 'src'), 1_000);

  at(join(root, 'package.json'), 3_000);
  t.same(check(root), { code: 1, out: 'stale: package.json changed' }, 'dependencies count');
  t.end();
});
