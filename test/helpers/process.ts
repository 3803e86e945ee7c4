import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const NODE = `${ROOT}node_modules/.bin/node`;
/** One process (no tsx wrapper), so a signal reaches the server itself. */
const NODE_ARGS = ['--import', import.meta.resolve('tsx')];

export interface Running {
  child: ChildProcess;
  url: string;
  logs: string[];
  exited: Promise<number | null>;
}

/** Runs `healer <args>` from source (tsx) with the given environment; resolves once it listens. */
export function startHealerProcess(
  env: Record<string, string>,
  args: string[] = ['serve'],
  opts: { timeoutMs?: number } = {},
): Promise<Running> {
  const timeoutMs = opts.timeoutMs ?? 60_000;
  const child = spawn(NODE, [...NODE_ARGS, 'src/main.ts', ...args], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: env.HOME ?? '/nonexistent',
      HEALER_PORT: '0',
      HEALER_HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: string[] = [];
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      // never leave a process behind that the caller cannot stop
      child.kill('SIGKILL');
      reject(new Error(`healer did not listen within ${timeoutMs / 1000} s:\n${logs.join('\n')}`));
    }, timeoutMs);
    const onLine = (line: string) => {
      logs.push(line);
      const m = /"msg":"Healer listening"/.test(line) ? /"port":(\d+)/.exec(line) : null;
      if (m) {
        clearTimeout(timer);
        resolve({ child, url: `http://127.0.0.1:${m[1]}`, logs, exited });
      }
    };
    createInterface({ input: child.stdout }).on('line', onLine);
    createInterface({ input: child.stderr }).on('line', onLine);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`healer exited with ${code} before listening:\n${logs.join('\n')}`));
    });
  });
}

/** Runs `healer <args>` to completion; returns exit code and output. */
export function runHealer(
  args: string[],
  env: Record<string, string> = {},
  cwd = ROOT,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(NODE, [...NODE_ARGS, `${ROOT}src/main.ts`, ...args], {
      cwd,
      env: { PATH: process.env.PATH ?? '', HOME: '/nonexistent', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}
