// scripts/run-tap.mjs: its closing `N passed, N failed` line agrees with tap's own
// `# { total, pass }` (a subtest without assertions counts, as tap counts it), and progress goes
// to stderr after each file.
import t from 'tap';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { ROOT } from '../helpers/process.js';

void t.test('closing line agrees with tap total; progress per file on stderr', (t) => {
  const r = spawnSync(
    join(ROOT, 'node_modules', '.bin', 'node'),
    [
      join(ROOT, 'scripts', 'run-tap.mjs'),
      '--disable-coverage',
      '--jobs=1',
      'test/fixtures/tap/counted.ts',
    ],
    // A clean environment: tap inside tap (TAP_* set) reports as a child, without its summary.
    { cwd: ROOT, encoding: 'utf8', env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME } },
  );
  t.equal(r.status, 0, r.stderr);
  const lines = r.stdout.trim().split('\n');
  const summary = /# \{ total: (\d+), pass: (\d+), skip: (\d+) \}/.exec(r.stdout + r.stderr);
  t.ok(summary, "tap's own summary is there");
  // 4 assertions and 2 subtests that assert nothing pass; 1 skipped: 7 in all.
  t.same(summary?.slice(1), ['7', '6', '1'], "tap's count");
  t.equal(lines.at(-1), '6 passed, 0 failed, 1 skipped', 'the closing line agrees');
  t.match(r.stderr, /^# progress: 1\/1 files, 6 passed, 0 failed, \d+s$/m);
  t.end();
});
