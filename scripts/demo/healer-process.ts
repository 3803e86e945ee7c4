// The Healer the demo runs: the built service (`node dist/main.js serve`, what `npm start` runs),
// in its own process group so a Ctrl-C on the terminal reaches only the demo, which then stops
// Healer once with SIGTERM (a second signal would make Healer exit at once).
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

export interface HealerProcess {
  pid: number;
  url: string;
  /** Resolves with the exit code (null: killed by a signal) when the process ends. */
  exited: Promise<number | null>;
  /** The last lines Healer logged (for a failure report). */
  tail(): string[];
  /** SIGTERM, then SIGKILL to its process group after `graceMs`; resolves once it is gone. */
  stop(graceMs?: number): Promise<void>;
}

export interface HealerProcessOptions {
  root: string;
  /** Working directory (the demo's temporary folder). */
  cwd: string;
  port: number;
  env: Record<string, string>;
  /** Healer's JSON log goes to this file. */
  logFile: string;
  /** Called with the message of each error Healer logs (level ≥ 50). */
  onError?: (msg: string) => void;
  /** How long to wait for `/ready`. */
  readyTimeoutMs?: number;
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  try {
    process.kill(-child.pid!, signal);
  } catch {
    // already gone
  }
}

/** Starts Healer and resolves once `/ready` answers 200 (watches synced). */
export async function startHealerProcess(o: HealerProcessOptions): Promise<HealerProcess> {
  const child = spawn(process.execPath, [join(o.root, 'dist', 'main.js'), 'serve'], {
    cwd: o.cwd,
    env: {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: process.env.HOME ?? o.cwd,
      HEALER_HOST: '127.0.0.1',
      HEALER_PORT: String(o.port),
      ...o.env,
    },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const log = createWriteStream(o.logFile);
  const last: string[] = [];
  const onLine = (line: string) => {
    log.write(`${line}\n`);
    last.push(line);
    if (last.length > 40) last.shift();
    try {
      const entry = JSON.parse(line) as { level?: number; msg?: string };
      if ((entry.level ?? 0) >= 50 && o.onError) o.onError(entry.msg ?? line);
    } catch {
      // not a JSON log line (a Node warning): kept in the log file only
    }
  };
  createInterface({ input: child.stdout }).on('line', onLine);
  createInterface({ input: child.stderr }).on('line', onLine);
  const exited = (async () => {
    const [code] = (await once(child, 'exit')) as [number | null];
    log.end();
    return code;
  })();
  let gone = false;
  void exited.then(() => (gone = true));

  const url = `http://127.0.0.1:${o.port}`;
  const deadline = Date.now() + (o.readyTimeoutMs ?? 60_000);
  for (;;) {
    if (gone) {
      throw new Error(
        `Healer exited with ${String(await exited)} before it was ready:\n${last.join('\n')}`,
      );
    }
    try {
      const res = await fetch(`${url}/ready`, { signal: AbortSignal.timeout(2000) });
      await res.arrayBuffer();
      if (res.status === 200) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      killGroup(child, 'SIGKILL');
      await exited;
      throw new Error(
        `Healer was not ready within ${o.readyTimeoutMs ?? 60_000} ms:\n${last.join('\n')}`,
      );
    }
    await sleep(200);
  }

  return {
    pid: child.pid!,
    url,
    exited,
    tail: () => [...last],
    async stop(graceMs = 20_000) {
      if (gone) return;
      killGroup(child, 'SIGTERM');
      const timer = setTimeout(() => killGroup(child, 'SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
}
