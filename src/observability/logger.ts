import pino, { type Logger, type LoggerOptions } from 'pino';
import { redact, redactDeep } from '../domain/redact.js';

/**
 * Healer's own logs are an exit like any other (issue 13): every string a log call is given is
 * redacted — the message and its format arguments, every value of the merged object
 * (`formatters.log`), errors (message and stack, through the `err` serializer) and requests (`req`
 * URL). Child-logger bindings are Healer's own identifiers (request id, play id) and are not.
 */
const redacting: Pick<LoggerOptions, 'hooks' | 'formatters' | 'serializers'> = {
  hooks: {
    logMethod(args, method) {
      const safe: unknown[] = args.map((a: unknown) => (typeof a === 'string' ? redact(a) : a));
      // `log.error(err)` takes its message from the error: give pino the redacted one
      if (safe[0] instanceof Error && typeof safe[1] !== 'string')
        safe.splice(1, 0, redact(safe[0].message));
      return method.apply(this, safe as Parameters<typeof method>);
    },
  },
  formatters: {
    log: (obj) => redactDeep(obj),
  },
  serializers: {
    err: (e: unknown) =>
      e instanceof Error ? redactDeep({ ...pino.stdSerializers.err(e) }) : redactDeep(e),
    error: (e: unknown) =>
      e instanceof Error ? redactDeep({ ...pino.stdSerializers.err(e) }) : redactDeep(e),
    req: (r: unknown) => {
      if (r === null || typeof r !== 'object') return redactDeep(r);
      const q = r as { method?: unknown; url?: unknown; hostname?: unknown; id?: unknown };
      return redactDeep({
        method: q.method,
        url: typeof q.url === 'string' ? redact(q.url) : q.url,
        hostname: q.hostname,
        id: q.id,
      });
    },
  },
};

/** JSON logs (pino); human-readable when stdout is a terminal. Everything written is redacted. */
export function createLogger(
  level: string,
  opts: { pretty?: boolean; stderr?: boolean; destination?: NodeJS.WritableStream } = {},
): Logger {
  const base = {
    level,
    base: { service: 'healer' },
    timestamp: pino.stdTimeFunctions.isoTime,
    ...redacting,
  };
  if (opts.destination) return pino(base, opts.destination);
  const pretty = opts.pretty ?? Boolean(process.stdout.isTTY);
  // CLI commands print their results on stdout: their logs go to stderr
  if (opts.stderr) return pino(base, pino.destination(2));
  return pino({
    ...base,
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
