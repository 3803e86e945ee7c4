// What the player needs from the world beyond the servers' public APIs: pin the world's clock
// while a step runs, write container log lines (a kubelet does that, no API does), and rotate a
// container's log on restart. In-process it calls the simulators; across processes it speaks
// to the small control server `npm run sim` runs next to them.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { KubeSim } from '../kube/index.js';
import type { WorldClock } from './clock.js';

export interface LogLine {
  time: Date;
  text: string;
}

export interface WorldControl {
  pinClock(at: Date | null): Promise<void>;
  appendPodLog(namespace: string, pod: string, container: string, lines: LogLine[]): Promise<void>;
  restartContainer(namespace: string, pod: string, container: string): Promise<void>;
}

export function inProcessControl(kube: KubeSim, clock: WorldClock): WorldControl {
  return {
    pinClock: (at) => Promise.resolve(clock.pin(at)),
    appendPodLog(namespace, pod, container, lines) {
      for (const l of lines) kube.appendLog(namespace, pod, container, l.text, l.time);
      return Promise.resolve();
    },
    restartContainer: (namespace, pod, container) =>
      Promise.resolve(kube.restartContainer(namespace, pod, container)),
  };
}

/** The control server of another process (`npm run sim`). */
export function httpControl(url: string): WorldControl {
  const post = async (path: string, body: unknown): Promise<void> => {
    const res = await fetch(new URL(path, url), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(5000),
    });
    if (!res.ok) throw new Error(`world control ${path}: ${res.status} ${await res.text()}`);
  };
  return {
    pinClock: (at) => post('/clock', { at: at?.toISOString() ?? null }),
    appendPodLog: (namespace, pod, container, lines) =>
      post('/logs', {
        namespace,
        pod,
        container,
        lines: lines.map((l) => ({ time: l.time.toISOString(), text: l.text })),
      }),
    restartContainer: (namespace, pod, container) =>
      post('/restart', { namespace, pod, container }),
  };
}

/** Whether a control server answers at `url` (a short probe). */
export async function probeControl(url: string): Promise<boolean> {
  try {
    const res = await fetch(new URL('/', url), { signal: AbortSignal.timeout(1000) });
    await res.arrayBuffer();
    return res.ok;
  } catch {
    return false;
  }
}

export interface ControlServer {
  url: string;
  close(): Promise<void>;
}

const str = (v: unknown, what: string): string => {
  if (typeof v !== 'string' || v === '') throw new Error(`${what} must be a non-empty string`);
  return v;
};

/** Serves `control` over HTTP: GET / (world info), POST /clock, /logs, /restart. */
export async function startControlServer(
  control: WorldControl,
  info: Record<string, unknown>,
  opts: { port?: number; host?: string } = {},
): Promise<ControlServer> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const reply = (status: number, body?: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(body === undefined ? '' : JSON.stringify(body));
      };
      const run = async (): Promise<void> => {
        const path = new URL(req.url ?? '/', 'http://control').pathname;
        if (req.method === 'GET' && path === '/') return reply(200, info);
        if (req.method !== 'POST') return reply(405, { message: 'method not allowed' });
        const b = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Record<
          string,
          unknown
        >;
        if (path === '/clock') {
          const at = b.at === null || b.at === undefined ? null : new Date(str(b.at, 'at'));
          if (at && Number.isNaN(at.getTime())) throw new Error('at must be an RFC 3339 time');
          await control.pinClock(at);
        } else if (path === '/logs') {
          const lines = Array.isArray(b.lines) ? (b.lines as Record<string, unknown>[]) : [];
          await control.appendPodLog(
            str(b.namespace, 'namespace'),
            str(b.pod, 'pod'),
            str(b.container, 'container'),
            lines.map((l) => ({
              time: new Date(str(l.time, 'lines[].time')),
              text: String(l.text),
            })),
          );
        } else if (path === '/restart') {
          await control.restartContainer(
            str(b.namespace, 'namespace'),
            str(b.pod, 'pod'),
            str(b.container, 'container'),
          );
        } else return reply(404, { message: `no route ${path}` });
        reply(204);
      };
      run().catch((e: unknown) => reply(400, { message: (e as Error).message }));
    });
  });
  const host = opts.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://${host}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
