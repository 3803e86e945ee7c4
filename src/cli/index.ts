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
// --- operator commands (issue 16) ---
import { registerRun } from './run.js';
import { registerWatch } from './watch.js';
import { registerLogCommands } from './logs.js';
import { registerReset } from './reset.js';
import { registerScanLogs } from './scan-logs.js';
import { registerMemory } from './memory.js';
import { registerFull } from './full.js';
import { registerAlertWatch } from './alert-watch.js';
import { installOutputFileCopy } from './output-file.js';
// --- amtool-like commands against a running Healer (issue 15) ---
import { registerAlertCommands } from './alerts.js';
import { registerInsights } from './insights.js';

/** Runs the `healer` command line; resolves with the exit code. */
export async function main(
  argv: string[],
  given: Io = processIo,
  env: Record<string, string | undefined> = process.env,
): Promise<number> {
  const io: Io = { out: given.out, err: given.err };
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
  registerReconcile(program, io, run, env);
  registerTestAlert(program, io, run);
  registerSpawnRemediation(program, io, run);
  // --- operator commands (issue 16): global flags, then one registration per file ---
  program
    .option('-n, --namespace <ns>', 'Kubernetes namespace of the Play commands (default cto)')
    .option('-v, --verbose', 'details and progress on stderr', false)
    .option(
      '--output-file <file>',
      'also write what the command prints to this file, as JSON lines',
    );
  installOutputFileCopy(program, io);
  registerRun(program, io, run, env);
  registerWatch(program, io, run, env);
  registerLogCommands(program, io, run, env);
  registerReset(program, io, run, env);
  registerScanLogs(program, io, run, env);
  registerMemory(program, io, run, env);
  registerFull(program, io, run, env);
  registerAlertWatch(program, io, run, env);
  // --- amtool-like commands (issue 15): incidents, incident, silence, ack, completion ---
  registerAlertCommands(program, io, run, env);
  // --- outcome history (issue 17): insights show|failures|export ---
  registerInsights(program, io, run, env);

  // `serve` is the default command, so commander would read `healer nonsense` as serve's excess
  // argument ("too many arguments for 'serve'"): name an unknown command as such instead.
  const first = argv[0];
  const names = program.commands.flatMap((c) => [c.name(), ...c.aliases()]);
  if (first !== undefined && !first.startsWith('-') && !names.includes(first) && first !== 'help') {
    const near = names.find((n) => editDistance(n, first) <= 2);
    println(
      io.err,
      `healer: unknown command '${first}'${near ? ` (did you mean '${near}'?)` : ''}; commands: ${names.join(', ')}; see healer --help`,
    );
    return 1;
  }

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

/** Levenshtein distance, for "did you mean" on a mistyped command. */
function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++)
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[b.length];
}
