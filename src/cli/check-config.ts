import type { Command } from 'commander';
import { ConfigError, describeStore, loadConfig } from '../config/index.js';
import { CliError, println, type Io } from './io.js';

/** `healer check-config`: the start-up validation, without starting anything. */
export function checkConfig(
  opts: { config?: string; env?: Record<string, string | undefined> },
  io: Io,
): number {
  try {
    const c = loadConfig({
      ...(opts.config ? { configPath: opts.config } : {}),
      ...(opts.env ? { env: opts.env } : {}),
    });
    println(io.out, 'configuration OK');
    println(io.out, `  heal-config: ${c.healConfigPath ?? '(defaults; no file)'}`);
    println(io.out, `  store: ${describeStore(c.store)}`);
    println(
      io.out,
      `  namespaces: ${c.clusterWide ? '* (cluster-wide)' : c.namespaces.join(', ')}`,
    );
    println(io.out, `  remediation mode: ${c.heal.remediation.mode}`);
    println(
      io.out,
      `  github: ${c.github.enabled ? `on (${c.github.auth})` : 'off (no credentials)'}`,
    );
    return 0;
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    const only = err.problems.length === 1 ? err.problems[0] : undefined;
    if (only) {
      println(io.err, `configuration has 1 problem: ${only.source}: ${only.message}`);
      return 1;
    }
    println(
      io.err,
      `configuration has ${err.problems.length} problem${err.problems.length === 1 ? '' : 's'}:`,
    );
    for (const p of err.problems) println(io.err, `  ${p.source}: ${p.message}`);
    return 1;
  }
}

export function registerCheckConfig(
  program: Command,
  io: Io,
  run: (p: Promise<number>) => void,
): void {
  program
    .command('check-config')
    .description('validate the environment and heal-config.json; print every problem')
    .option(
      '--config <file>',
      'heal-config.json to check (default: HEALER_CONFIG or ./heal-config.json)',
    )
    .action((opts: { config?: string }) => {
      run(Promise.resolve().then(() => checkConfig(opts, io)));
    });
}

export { CliError };
