// The README's command table lists every command the CLI registers (and memory's subcommands).
import { readFileSync } from 'node:fs';
import t from 'tap';
import { cli } from './helpers.js';

void t.test('every command is in the README command table', async (t) => {
  const help = await cli(['--help'], {});
  t.equal(help.code, 0);
  const section = help.out.slice(help.out.indexOf('Commands:'));
  const names = [...section.matchAll(/^ {2}([a-z][a-z-]+)/gm)]
    .map((m) => m[1])
    .filter((n) => n !== 'help');
  t.ok(names.length >= 18, `commands found: ${names.join(', ')}`);
  const table = readFileSync(new URL('../../README.md', import.meta.url), 'utf8')
    .split('\n')
    .filter((l) => l.startsWith('| `'));
  for (const name of names)
    t.ok(
      table.some((l) => l.includes(`healer ${name}`)),
      `README lists healer ${name}`,
    );
  const memory = table.find((l) => l.includes('healer memory')) ?? '';
  for (const sub of ['list', 'query', 'stats', 'get']) t.match(memory, sub);
});
