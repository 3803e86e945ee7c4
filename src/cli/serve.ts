import type { Command } from 'commander';
import { ConfigError, loadConfig } from '../config/index.js';
import { createLogger } from '../observability/logger.js';
import { openStore } from '../store/open.js';
import { createHealer } from '../pipeline.js';
import { loadKubeAccess } from '../sources/kube/kubeconfig.js';
import { planLeadership } from '../leader/plan.js';
import { probeLease } from '../leader/probe.js';
import { CliError } from './io.js';
import { reportSecretRules } from './secret-rules.js';

/** `healer serve`: the service. Resolves when the process should exit, with its code. */
export async function serve(opts: { config?: string }): Promise<number> {
  let config;
  try {
    config = loadConfig(opts.config ? { configPath: opts.config } : {});
  } catch (err) {
    if (err instanceof ConfigError) throw new CliError(err.message, 1);
    throw err;
  }
  const logger = createLogger(config.env.LOG_LEVEL);
  // Who runs the background work, decided before anything opens: a combination that could let
  // two replicas act at once is refused with one line.
  const kube = loadKubeAccess(config.env);
  const plan = planLeadership(config, kube);
  if (plan.mode === 'refuse') throw new CliError(`cannot start: ${plan.reason}`, 1);
  if (plan.mode === 'lease') {
    const unreachable = await probeLease(plan.kc, plan.lease);
    if (unreachable) throw new CliError(`cannot start: ${unreachable}`, 1);
  }
  let store;
  try {
    store = await openStore(config.store);
  } catch (err) {
    logger.error({ err }, err instanceof Error ? err.message : String(err));
    throw new CliError(err instanceof Error ? err.message : String(err), 1);
  }

  reportSecretRules(logger);
  // the background work starts with the app (onReady) and stops with it (onClose)
  const healer = await createHealer({
    config,
    logger,
    store,
    kube,
    leadership: { plan },
    startWithApp: true,
  });
  process.on('uncaughtException', (err) => {
    logger.fatal({ err }, 'uncaught exception; exiting');
    process.exit(1);
  });
  process.on('unhandledRejection', (err) => {
    logger.fatal({ err }, 'unhandled promise rejection; exiting');
    process.exit(1);
  });

  await healer.app.listen({ host: config.env.HEALER_HOST, port: config.env.HEALER_PORT });
  const address = healer.app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.env.HEALER_PORT;
  logger.info(
    {
      url: `http://${config.env.HEALER_HOST}:${port}`,
      port,
      store: config.store.kind,
      identity: plan.identity,
    },
    'Healer listening',
  );

  return untilSignal(healer, config.env.HEALER_SHUTDOWN_DRAIN_SECONDS, logger);
}

/** Resolves with the exit code once SIGTERM or SIGINT stopped Healer (a second signal exits at once). */
function untilSignal(
  healer: { stop(): Promise<void> },
  drainSeconds: number,
  logger: ReturnType<typeof createLogger>,
): Promise<number> {
  return new Promise<number>((resolve) => {
    let stopping = false;
    const stop = (signal: NodeJS.Signals) => {
      if (stopping) {
        logger.warn({ signal }, 'second signal: exiting at once');
        process.exit(1);
      }
      stopping = true;
      logger.info({ signal }, 'shutting down: draining requests');
      // The HTTP drain is bounded by HEALER_SHUTDOWN_DRAIN_SECONDS; the rest has 15 s more.
      const limit = drainSeconds + 15;
      const force = setTimeout(() => {
        logger.error(`shutdown took longer than ${limit} s; exiting`);
        process.exit(1);
      }, limit * 1000);
      force.unref();
      healer.stop().then(
        () => {
          logger.info('stopped cleanly');
          resolve(0);
        },
        (err: unknown) => {
          logger.error({ err }, 'error while stopping');
          resolve(1);
        },
      );
    };
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
  });
}

export function registerServe(program: Command, run: (p: Promise<number>) => void): void {
  program
    .command('serve', { isDefault: true })
    .description('run the Healer service (the default command)')
    .option(
      '--config <file>',
      'heal-config.json to use (default: HEALER_CONFIG or ./heal-config.json)',
    )
    .action((opts: { config?: string }) => run(serve(opts)));
}
