// Runs the tap suite, echoes its output unchanged, and ends with the plain line
// `N passed, N failed[, N skipped]` that CI reads. Exit code is tap's.
// Counting is over leaf test points (assertions and subtests without children).
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

const args = ['tap', '--reporter=tap', ...process.argv.slice(2)];
const child = spawn('npx', args, { stdio: ['ignore', 'pipe', 'inherit'] });
let passed = 0;
let failed = 0;
let skipped = 0;
let prevIndent = -1;
let pending = null; // last test point, counted once we know it had no children

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
    if (/^\s*1\.\.\d+/.test(line)) prevIndent = line.length - line.trimStart().length;
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
});

child.on('close', (code) => {
  flush();
  const tail = skipped ? `, ${skipped} skipped` : '';
  process.stdout.write(`${passed} passed, ${failed} failed${tail}\n`);
  process.exit(code ?? 1);
});
