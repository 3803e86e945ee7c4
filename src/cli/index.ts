import { Command, CommanderError } from 'commander';
import { VERSION } from '../version.js';
import { CliError, println, processIo, type Io } from './io.js';
import { registerServe } from './serve.js';
import { registerCheckConfig } from './check-config.js';
import { registerSessionCommands } from './sessions.js';
import { registerScan } from './scan.js';
import { registerReconcile } from './reconcile.js';
import { registerTestAlert } from './test-alert.js';
import { registerSpawnRemediation } from './spawn-remediation.js';

/** Runs the `healer` command line; resolves with the exit code. */
export async function main(argv: string[], io: Io = processIo): Promise<number> {
  let pending: Promise<number> | undefined;
  const run = (p: Promise<number>) => {
    pending = p;
  };
  const program = new Command('healer')
    .description('Healer: the self-healing watchdog of the CTO platform')
    .version(VERSION)
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.out.write(s),
      writeErr: (s) => io.err.write(s),
    });

  registerServe(program, run);
  registerCheckConfig(program, io, run);
  registerSessionCommands(program, io, run);
  registerScan(program, io, run);
  registerReconcile(program, io, run);
  registerTestAlert(program, io, run);
  registerSpawnRemediation(program, io, run);

  try {
    await program.parseAsync(argv, { from: 'user' });
    return pending ? await pending : 0;
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode;
    if (err instanceof CliError) {
      println(io.err, `healer: ${err.message}`);
      return err.exitCode;
    }
    throw err;
  }
}
