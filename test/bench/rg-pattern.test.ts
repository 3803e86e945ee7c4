import t from 'tap';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { asciiMode } from '../../bench/lib/rg-pattern.js';
import { loadCatalogue, STRUCTURE_FILTER } from '../../src/detectors/patterns/index.js';

// The classifier benchmark hands the catalogue to ripgrep in `(?-u)` mode; a pattern rg cannot
// parse stops the benchmark (round 11's build-verdict pattern did, through an escaped `\[` read
// as the start of a class).

void t.test('non-ASCII classes and runs get Unicode mode back; escapes and ASCII stay', (t) => {
  t.equal(asciiMode('\\s[✗✘]\\s+failed'), '\\s(?u:[✗✘])\\s+failed');
  t.equal(asciiMode('^\\s*× .{1,160}\\bdid not'), '^\\s*(?u:×) .{1,160}\\bdid not');
  t.equal(asciiMode('(?:\\bError|错误) \\d+'), '(?:\\bError|(?u:错误)) \\d+');
  const make = '\\bmake(?:\\[\\d+\\])?: \\*\\*\\* .*(?:\\bError|错误) \\d+|exit code:? [1-9]\\d*';
  t.equal(
    asciiMode(make),
    '\\bmake(?:\\[\\d+\\])?: \\*\\*\\* .*(?:\\bError|(?u:错误)) \\d+|exit code:? [1-9]\\d*',
    'an escaped bracket does not open a class',
  );
  t.equal(asciiMode('[\\]✗]x'), '(?u:[\\]✗])x', 'an escaped ] inside a class');
  t.equal(asciiMode('plain \\b(?:a|b)[0-9]+'), 'plain \\b(?:a|b)[0-9]+');
  t.end();
});

const rg = spawnSync('rg', ['--version']);
void t.test(
  'ripgrep parses every catalogue pattern in (?-u) mode',
  { skip: rg.error || rg.status !== 0 ? 'ripgrep (rg) is not installed' : false },
  (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'healer-rg-'));
    t.teardown(() => rmSync(dir, { recursive: true, force: true }));
    const sources = [...loadCatalogue().entries.map((e) => e.pattern), STRUCTURE_FILTER];
    const file = join(dir, 'patterns.txt');
    writeFileSync(file, sources.map((p) => `(?-u)${asciiMode(p)}`).join('\n') + '\n');
    writeFileSync(join(dir, 'empty.log'), '');
    const r = spawnSync('rg', ['-i', '-c', '-f', file, join(dir, 'empty.log')], {
      encoding: 'utf8',
    });
    // 1: no match (the file is empty); 2: an error, such as a pattern rg cannot parse
    t.equal(r.status, 1, r.stderr.slice(-400));
    t.end();
  },
);
