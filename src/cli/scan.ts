import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { Command } from 'commander';
import {
  Classifier,
  DEFAULT_CATALOGUE_PATH,
  loadCatalogue,
  shippedLearnedStage,
  StreamWindow,
  WINDOW_LINES,
} from '../detectors/patterns/index.js';
import type { Finding } from '../detectors/patterns/index.js';

export interface ScanOptions {
  files: string[];
  json: boolean;
  all: boolean;
  /** Exit 1 when anything was found (for scripts and CI). */
  fail?: boolean;
  /** Say why each line was flagged, or was a near miss (a pattern matched and was vetoed). */
  explain?: boolean;
  /** Another catalogue file instead of the shipped one. */
  catalogue?: string;
  /** The learned stage on (true) or off (false); absent: the shipped model's default. */
  learned?: boolean;
  stdin: NodeJS.ReadableStream;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
}

/** Files are read in blocks of this many bytes; each block is classified as it arrives. */
const READ_BLOCK = 1 << 20;

const NEWLINE = 10;

class ReadError extends Error {}

/** A file as `healer scan` reads it: raw bytes, in blocks of `READ_BLOCK`. */
export const openLog = (file: string): NodeJS.ReadableStream =>
  createReadStream(file, { highWaterMark: READ_BLOCK });

/**
 * Splits a stream (bytes, or strings) into blocks of whole lines, as UTF-8 bytes without the last
 * line break; numbering is left to the caller. Nothing is decoded here (the classifier decodes
 * only its candidate lines) and no block is re-assembled: the whole lines of each read are passed
 * on as a view of it, and only the line cut across two reads is joined from the previous read's
 * tail and the next read's head (and passed on as a block of its own). A last line break does
 * not start another line; an empty input has no lines.
 */
export async function* lineBlocks(input: AsyncIterable<unknown>): AsyncGenerator<Uint8Array> {
  let tail: Buffer[] = [];
  for await (const part of input) {
    const bytes = typeof part === 'string' ? Buffer.from(part, 'utf8') : (part as Buffer);
    const first = bytes.indexOf(NEWLINE);
    if (first === -1) {
      if (bytes.length > 0) tail.push(bytes);
      continue;
    }
    const last = bytes.lastIndexOf(NEWLINE);
    if (tail.length === 0) {
      yield bytes.subarray(0, last);
    } else {
      tail.push(bytes.subarray(0, first));
      yield Buffer.concat(tail);
      tail = [];
      if (last > first) yield bytes.subarray(first + 1, last);
    }
    if (last + 1 < bytes.length) tail.push(bytes.subarray(last + 1));
  }
  if (tail.length > 0) yield Buffer.concat(tail);
}

const writeLine = (out: NodeJS.WritableStream, text: string): Promise<void> =>
  new Promise((resolve) => {
    if (out.write(`${text}\n`)) resolve();
    else out.once('drain', resolve);
  });

function describe(f: Finding, name: string | null): string {
  const where = name === null ? `${f.line}` : `${name}:${f.line}`;
  return `${where}: ${f.severity} ${f.alert} ${f.patternId}: ${f.text}`;
}

/** Classifies one input, writing as it goes; returns the number of findings. */
async function scanOne(
  classifier: Classifier,
  input: NodeJS.ReadableStream,
  name: string | null,
  opts: ScanOptions,
): Promise<number> {
  let lineNo = 1;
  let count = 0;
  const stream = new StreamWindow(); // one input is one stream
  for await (const block of lineBlocks(input)) {
    const { findings, lines } = classifier.scanChunk(block, lineNo, stream);
    count += findings.length;
    if (opts.all) {
      const byLine = new Map(findings.map((f) => [f.line, f]));
      for (let i = 0; i < lines; i++) {
        const f = byLine.get(lineNo + i);
        const row = {
          ...(name !== null && opts.files.length > 1 ? { file: name } : {}),
          line: lineNo + i,
          alert: f?.alert ?? null,
          severity: f?.severity ?? null,
          pattern: f?.patternId ?? null,
        };
        await writeLine(opts.stdout, JSON.stringify(row));
      }
    } else {
      for (const f of findings) {
        const text = opts.json
          ? JSON.stringify({
              ...(name !== null ? { file: name } : {}),
              line: f.line,
              alert: f.alert,
              severity: f.severity,
              pattern: f.patternId,
              priority: f.priority,
              issueType: f.issueType,
              family: f.family,
              ...(f.learned ? { learned: f.learned } : {}),
              text: f.text,
            })
          : describe(f, name);
        await writeLine(opts.stdout, text);
      }
    }
    lineNo += lines;
  }
  return count;
}

/**
 * `--explain`: every line that was flagged or nearly flagged, with the steps that decided —
 * the pattern that matched, the filter, `unless` or envelope level that vetoed it, the structural
 * rule (`structure:…`) that vetoed, re-categorised or assigned it. The same decisions as the
 * scan itself (same window of preceding lines, same last finding), one line at a time.
 */
async function explainOne(
  classifier: Classifier,
  input: NodeJS.ReadableStream,
  name: string | null,
  opts: ScanOptions,
): Promise<number> {
  let lineNo = 0;
  let count = 0;
  const before: string[] = [];
  let last: { lineNo: number; text: string } | null = null;
  for await (const block of lineBlocks(input)) {
    for (const raw of Buffer.from(block).toString('utf8').split('\n')) {
      lineNo++;
      const text = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
      const lastFinding = last ? { back: lineNo - last.lineNo, text: last.text } : null;
      const { finding, steps } = classifier.explainLine(text, before, lastFinding);
      before.push(text);
      if (before.length > WINDOW_LINES) before.shift();
      if (finding) {
        count++;
        last = { lineNo, text };
      }
      if (steps.length === 0) continue;
      const where = name === null ? `${lineNo}` : `${name}:${lineNo}`;
      if (opts.json) {
        await writeLine(
          opts.stdout,
          JSON.stringify({
            ...(name !== null ? { file: name } : {}),
            line: lineNo,
            flagged: finding !== null,
            alert: finding?.alert ?? null,
            severity: finding?.severity ?? null,
            pattern: finding?.patternId ?? null,
            ...(finding?.learned ? { learned: finding.learned } : {}),
            steps,
            text,
          }),
        );
        continue;
      }
      const head = finding
        ? `${where}: flagged ${finding.alert} (${finding.severity}) by ${finding.patternId}${finding.rule && finding.rule !== finding.patternId ? ` via ${finding.rule}` : ''}: ${text}`
        : `${where}: not flagged: ${text}`;
      await writeLine(opts.stdout, head);
      for (const s of steps) await writeLine(opts.stdout, `    ${s.by}: ${s.detail}`);
    }
  }
  return count;
}

/** Why a file cannot be scanned, or null. */
async function unreadable(file: string): Promise<string | null> {
  try {
    const s = await stat(file);
    return s.isDirectory() ? 'is a directory' : null;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return code === 'ENOENT' ? 'no such file' : (err as Error).message;
  }
}

/**
 * `healer scan [FILE…]`: runs the log classifier over files (or stdin) and prints the findings:
 * text by default, `--json` one object per finding, `--all` one object per input line.
 * Resolves with the exit code: 0 clean (or findings without `--fail`), 1 findings with `--fail`,
 * 2 when an input or the catalogue cannot be read.
 */
export async function runScan(opts: ScanOptions): Promise<number> {
  const fail = (message: string): number => {
    opts.stderr.write(`healer scan: ${message}\n`);
    return 2;
  };
  for (const file of opts.files) {
    const why = await unreadable(file);
    if (why) return fail(`cannot read ${file}: ${why}`);
  }
  let classifier: Classifier;
  try {
    classifier = new Classifier(loadCatalogue(opts.catalogue ?? DEFAULT_CATALOGUE_PATH), {
      learned: shippedLearnedStage(opts.learned),
    });
  } catch (err) {
    return fail((err as Error).message);
  }
  let total = 0;
  const one = opts.explain ? explainOne : scanOne;
  try {
    if (opts.files.length === 0) total = await one(classifier, opts.stdin, null, opts);
    for (const file of opts.files) {
      const input = openLog(file);
      input.on('error', () => undefined); // surfaced by the iterator below
      try {
        total += await one(classifier, input, file, opts);
      } catch (err) {
        throw new ReadError(`cannot read ${file}: ${(err as Error).message}`);
      }
    }
  } catch (err) {
    if (err instanceof ReadError) return fail(err.message);
    throw err;
  }
  if (!opts.json && (!opts.all || opts.explain))
    opts.stderr.write(`${total} finding${total === 1 ? '' : 's'}\n`);
  return opts.fail && total > 0 ? 1 : 0;
}

interface Io {
  out: NodeJS.WritableStream;
  err: NodeJS.WritableStream;
}

/**
 * Registers `healer scan` on the program. With `run`, the exit code is handed to it (the way the
 * main CLI collects its commands' results); without, it becomes `process.exitCode`.
 */
export function registerScan(
  program: Command,
  io: Io = { out: process.stdout, err: process.stderr },
  run?: (p: Promise<number>) => void,
): void {
  program
    .command('scan')
    .description('classify log lines with the pattern catalogue (files, or stdin when none)')
    .argument('[files...]', 'log files to scan')
    .option('--json', 'print one JSON object per finding')
    .option('--all', 'print one JSON object for every input line: {line, alert, severity, pattern}')
    .option('--fail', 'exit 1 when anything was found')
    .option(
      '--explain',
      'say why each flagged line was flagged and why each near miss was not (pattern, filter, structural rule)',
    )
    .option('--learned', 'run the learned stage (the default when the shipped model says so)')
    .option('--no-learned', 'do not run the learned stage: the catalogue and structure only')
    .option(
      '--catalogue <file>',
      'use this catalogue instead of the shipped patterns/catalogue.yaml',
    )
    .addHelpText(
      'after',
      '\nExit status: 0 clean (or findings without --fail), 1 findings with --fail, 2 error.',
    )
    .action(
      async (
        files: string[],
        flags: {
          json?: boolean;
          all?: boolean;
          fail?: boolean;
          explain?: boolean;
          catalogue?: string;
          learned?: boolean;
        },
      ) => {
        const p = runScan({
          files,
          json: flags.json ?? false,
          all: flags.all ?? false,
          fail: flags.fail ?? false,
          explain: flags.explain ?? false,
          ...(flags.catalogue ? { catalogue: flags.catalogue } : {}),
          ...(flags.learned !== undefined ? { learned: flags.learned } : {}),
          stdin: process.stdin,
          stdout: io.out,
          stderr: io.err,
        });
        if (run) run(p);
        else process.exitCode = await p;
      },
    );
}
