import pino, { type Logger } from 'pino';

/** JSON logs (pino); human-readable when stdout is a terminal. */
export function createLogger(
  level: string,
  opts: { pretty?: boolean; stderr?: boolean } = {},
): Logger {
  const pretty = opts.pretty ?? Boolean(process.stdout.isTTY);
  // CLI commands print their results on stdout: their logs go to stderr
  if (opts.stderr)
    return pino(
      { level, base: { service: 'healer' }, timestamp: pino.stdTimeFunctions.isoTime },
      pino.destination(2),
    );
  return pino({
    level,
    base: { service: 'healer' },
    timestamp: pino.stdTimeFunctions.isoTime,
    ...(pretty
      ? {
          transport: {
            target: 'pino-pretty',
            options: { colorize: true, translateTime: 'SYS:HH:MM:ss.l' },
          },
        }
      : {}),
  });
}
