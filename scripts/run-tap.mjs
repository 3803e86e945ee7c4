// Runs the tap suite, echoes its output unchanged, and ends with the plain line
// `N passed, N failed[, N skipped]` that CI reads. Exit code is tap's.
// Counting is over leaf test points (assertions and subtests without children), the way tap's own
// `# { total: N }` counts: a subtest that asserted nothing (`1..0`) is a leaf too.
// After each test file a progress line goes to stderr (files done of all, counts so far, time).
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

const args = ['tap', '--reporter=tap', ...process.argv.slice(2)];
const child = spawn('npx', args, { stdio: ['ignore', 'pipe', 'inherit'] });
let passed = 0;
let failed = 0;
let skipped = 0;
let prevIndent = -1;
let pending = null; // last test point, counted once we know it had no children
let files = 0; // the top-level plan: how many test files
let filesDone = 0;
const started = Date.now();

function flush() {
  if (!pending) return;
  if (pending.skip) skipped++;
  else if (pending.ok) passed++;
  else failed++;
  pending = null;
}

const rl = createInterface({ input: child.stdout });
rl.on('line', (line) => {
  process.stdout.write(line + '\n');
  const m = /^(\s*)(not ok|ok)\b(.*)$/.exec(line);
  if (!m) {
    // Only plan lines (`1..N`) mark the end of a block of child points; YAML diagnostics don't.
    // An empty block (`1..0`: a subtest without points) leaves its summary point a leaf.
    const plan = /^(\s*)1\.\.(\d+)/.exec(line);
    if (plan && plan[2] !== '0') prevIndent = plan[1].length;
    if (plan && plan[1].length === 0) files = Number(plan[2]);
    return;
  }
  const indent = m[1].length;
  // A point whose preceding lines were more indented is a subtest summary: its children counted.
  const isParent = prevIndent > indent;
  flush();
  if (!isParent) {
    const rest = m[3];
    pending = { ok: m[2] === 'ok', skip: /#\s*(SKIP|TODO)/i.test(rest) };
  }
  prevIndent = indent;
  if (indent === 0) {
    filesDone++;
    const secs = Math.round((Date.now() - started) / 1000);
    process.stderr.write(
      `# progress: ${filesDone}/${files || '?'} files, ${passed} passed, ${failed} failed, ${secs}s\n`,
    );
  }
});

child.on('close', (code) => {
  flush();
  const tail = skipped ? `, ${skipped} skipped` : '';
  process.stdout.write(`${passed} passed, ${failed} failed${tail}\n`);
  process.exit(code ?? 1);
});
