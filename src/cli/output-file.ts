// `--output-file F` for the commands that print plain text (sessions, status, scan, …): every
// line they print is also appended to F as `{"text": line}`. The operator commands write their
// own records there (see Printer), so they are left alone here.
import { appendFileSync } from 'node:fs';
import { Writable } from 'node:stream';
import type { Command } from 'commander';
import type { Io } from './io.js';

const STRUCTURED = new Set([
  'run',
  'watch',
  'loop',
  'logs',
  'fetch-logs',
  'reset',
  'scan-logs',
  'list',
  'query',
  'stats',
  'get',
  'full',
  'alert-watch',
]);

export function installOutputFileCopy(program: Command, io: Io): void {
  program.hook('preAction', (root, action) => {
    const file = root.opts<{ outputFile?: string }>().outputFile;
    if (!file || STRUCTURED.has(action.name())) return;
    const out = io.out;
    let partial = '';
    io.out = new Writable({
      write(chunk: Buffer | string, _enc, done) {
        const text = partial + String(chunk);
        const lines = text.split('\n');
        partial = lines.pop() ?? '';
        for (const line of lines) appendFileSync(file, `${JSON.stringify({ text: line })}\n`);
        out.write(chunk, () => done());
      },
    });
  });
}
