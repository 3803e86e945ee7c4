// What the operator commands (run, watch, logs, reset, memory, …) share: the output format (text on
// a terminal, JSON lines otherwise), the JSON-lines copy of `--output-file`, the exit codes, the
// progress line on stderr, and cluster access that fails with exit 2.
import { appendFileSync } from 'node:fs';
import type { Command } from 'commander';
import type { KubeConfig } from '@kubernetes/client-node';
import { loadKubeAccess } from '../sources/kube/kubeconfig.js';
import { CliError, println, type Io } from './io.js';

/** Exit codes of every command: 0 ok, 1 found/failed, 2 usage or unreachable. */
export const EXIT = { ok: 0, found: 1, failed: 1, usage: 2, unreachable: 2 } as const;

export const EXIT_CODES_HELP = `
Exit codes: 0 ok, 1 found or failed, 2 usage error or an API unreachable.`;

export type Format = 'text' | 'json';

/** Options every command reads from the program (`healer --namespace cto -v --output-file F …`). */
export interface GlobalOptions {
  namespace?: string;
  verbose?: boolean;
  outputFile?: string;
}

export const globalsOf = (cmd: Command): GlobalOptions => cmd.optsWithGlobals<GlobalOptions>();

/** `--format` given, else text when stdout is a terminal and JSON lines when it is not. */
export function resolveFormat(flag: string | undefined, out: NodeJS.WritableStream): Format {
  if (flag === undefined) return (out as { isTTY?: boolean }).isTTY ? 'text' : 'json';
  if (flag !== 'text' && flag !== 'json')
    throw new CliError(`--format must be text or json, got "${flag}"`, EXIT.usage);
  return flag;
}

export const FORMAT_FLAG = [
  '--format <f>',
  'text or json (default: text on a terminal, JSON lines otherwise)',
] as const;

/**
 * Writes a command's records: `text(record)` lines in text format, one JSON object per record
 * otherwise; every record also goes to `--output-file` as a JSON line.
 */
export class Printer {
  readonly format: Format;
  readonly #io: Io;
  readonly #file: string | undefined;
  readonly #verbose: boolean;

  constructor(io: Io, format: Format, globals: GlobalOptions = {}) {
    this.#io = io;
    this.format = format;
    this.#file = globals.outputFile;
    this.#verbose = globals.verbose ?? false;
  }

  /** One record; `text` is what a person reads (omit to print nothing in text format). */
  emit(record: Record<string, unknown>, text?: string): void {
    if (this.format === 'json') println(this.#io.out, JSON.stringify(record));
    else if (text !== undefined) println(this.#io.out, text);
    if (this.#file) appendFileSync(this.#file, `${JSON.stringify(record)}\n`);
  }

  /** Text only for people (headers, blank lines); nothing in JSON format or the file. */
  say(text: string): void {
    if (this.format === 'text') println(this.#io.out, text);
  }

  /** A detail line on stderr with `-v`. */
  debug(text: string): void {
    if (this.#verbose) println(this.#io.err, text);
  }

  /** A progress line on stderr that waiting commands rewrite in place on a terminal. */
  progress(text: string): void {
    const err = this.#io.err as NodeJS.WritableStream & { isTTY?: boolean };
    if (err.isTTY) err.write(`\r\x1b[2K${text}`);
    else if (this.#verbose) println(err, text);
  }

  endProgress(): void {
    const err = this.#io.err as NodeJS.WritableStream & { isTTY?: boolean };
    if (err.isTTY) err.write('\r\x1b[2K');
  }
}

/** Cluster credentials the way kubectl finds them, or exit 2 with the reason. */
export function requireKube(env: Record<string, string | undefined>): KubeConfig {
  const access = loadKubeAccess(env);
  if (!access.kc)
    throw new CliError(`cannot reach the cluster: ${access.reason}`, EXIT.unreachable);
  return access.kc;
}

/** A failed API call as a one-line CliError: unreachable (exit 2) or answered with an error (1). */
export function apiError(what: string, err: unknown): CliError {
  const e = err as { code?: number; statusCode?: number; status?: number; body?: unknown };
  const status = e.code ?? e.statusCode ?? e.status;
  if (typeof status === 'number' && status >= 100) {
    let message = '';
    try {
      const body = typeof e.body === 'string' ? (JSON.parse(e.body) as unknown) : e.body;
      message = String((body as { message?: string } | undefined)?.message ?? '');
    } catch {
      message = typeof e.body === 'string' ? e.body.slice(0, 200) : '';
    }
    return new CliError(`${what}: ${status} ${message}`.trim(), EXIT.failed);
  }
  const cause = (err as { cause?: { code?: string; message?: string } }).cause;
  const why = cause?.code ?? cause?.message ?? (err instanceof Error ? err.message : String(err));
  return new CliError(`${what}: unreachable (${why})`, EXIT.unreachable);
}

/** A positive integer flag, or a usage error. */
export function intFlag(value: string | undefined, flag: string, min = 1): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value) || Number(value) < min)
    throw new CliError(`${flag} must be an integer ≥ ${min}, got "${value}"`, EXIT.usage);
  return Number(value);
}

/** `30s`, `10m`, `1h`, `2d` → milliseconds, or a usage error. */
export function durationFlag(value: string, flag: string): number {
  const m = /^(\d+)(s|m|h|d)$/.exec(value.trim());
  if (!m)
    throw new CliError(`${flag} must look like 30s, 10m, 1h or 2d, got "${value}"`, EXIT.usage);
  const unit = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 }[m[2] as 's' | 'm' | 'h' | 'd'];
  return Number(m[1]) * unit;
}

const NAME = /^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/;

/** A Kubernetes object name or namespace, or a usage error. */
export function k8sName(value: string, flag: string): string {
  if (!NAME.test(value))
    throw new CliError(`${flag} "${value}" is not a Kubernetes name`, EXIT.usage);
  return value;
}

/** Waits `ms`, or less when the signal aborts. */
export const sleep = (ms: number, signal?: AbortSignal): Promise<void> =>
  new Promise((resolve) => {
    const t = setTimeout(resolve, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(t);
        resolve();
      },
      { once: true },
    );
  });
