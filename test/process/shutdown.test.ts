// Connections that never finish: a client that sends half a body (or half its headers) is cut by
// the request/headers timeouts, and SIGTERM drains a real `healer serve` in bounded time even
// while such clients hold their sockets open.
import t from 'tap';
import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import { request } from 'undici';
import { startHealerProcess } from '../helpers/process.js';
import { tmpDir } from '../helpers/healer.js';

const BODY = JSON.stringify({ play_id: 'play-half-open', repository: '5dlabs/cto' });

/** A client that sends the headers and half of the body it announced, then goes silent. */
function halfBody(url: string): Promise<Socket> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const s = connect(Number(port), hostname, () => {
      s.write(
        `POST /api/v1/session/start HTTP/1.1\r\nHost: ${hostname}\r\n` +
          `Content-Type: application/json\r\nContent-Length: ${BODY.length}\r\n\r\n` +
          BODY.slice(0, BODY.length >> 1),
        () => resolve(s),
      );
    });
    s.on('error', reject);
  });
}

/** A client that sends part of its request line and headers, then goes silent. */
function halfHeaders(url: string): Promise<Socket> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const s = connect(Number(port), hostname, () => {
      s.write(`GET /health HTTP/1.1\r\nHost: ${hostname}\r\nX-Slow: `, () => resolve(s));
    });
    s.on('error', reject);
  });
}

/** Resolves with the ms until the server closes the socket (and what it sent, if anything). */
function closed(s: Socket): Promise<{ ms: number; data: string }> {
  const started = performance.now();
  let data = '';
  s.on('data', (d: Buffer) => (data += d.toString()));
  s.on('error', () => undefined);
  return new Promise((resolve) =>
    s.once('close', () => resolve({ ms: performance.now() - started, data })),
  );
}

void t.test(
  'a client that sends half a body or half its headers is cut by the timeouts',
  async (t) => {
    const dir = tmpDir();
    const proc = await startHealerProcess({
      HEALER_STORE: `sqlite:${join(dir, 'healer.db')}`,
      HEALER_REQUEST_TIMEOUT_SECONDS: '2',
      HEALER_HEADERS_TIMEOUT_SECONDS: '1',
    });
    t.teardown(() => proc.child.kill('SIGKILL'));
    const body = closed(await halfBody(proc.url));
    const headers = closed(await halfHeaders(proc.url));
    const [b, h] = await Promise.all([body, headers]);
    t.ok(b.ms < 2000 + 2500, `half a body: socket closed after ${Math.round(b.ms)} ms (limit 2 s)`);
    t.ok(b.ms >= 1500, 'not before the request timeout');
    t.match(b.data, /^$|^HTTP\/1\.1 408/, 'answered 408 or closed');
    t.ok(h.ms < 1000 + 2500, `half the headers: closed after ${Math.round(h.ms)} ms (limit 1 s)`);
    // the server is still fine
    const res = await request(`${proc.url}/health`);
    t.equal(res.statusCode, 200);
    await res.body.dump();
    proc.child.kill('SIGTERM');
    t.equal(await proc.exited, 0);
  },
);

void t.test('SIGTERM with half-open clients: exits 0 within the drain bound', async (t) => {
  const dir = tmpDir();
  const DRAIN_S = 2;
  const proc = await startHealerProcess({
    HEALER_STORE: `sqlite:${join(dir, 'healer.db')}`,
    HEALER_SHUTDOWN_DRAIN_SECONDS: String(DRAIN_S),
  });
  t.teardown(() => proc.child.kill('SIGKILL'));
  // 200 clients stuck half-way through a body, 20 through their headers, 20 idle keep-alive ones
  const held: Socket[] = [];
  for (let i = 0; i < 200; i++) held.push(await halfBody(proc.url));
  for (let i = 0; i < 20; i++) held.push(await halfHeaders(proc.url));
  for (let i = 0; i < 20; i++) {
    const res = await request(`${proc.url}/health`);
    await res.body.dump();
  }
  const closes = held.map(closed);
  const started = performance.now();
  proc.child.kill('SIGTERM');
  const code = await proc.exited;
  const ms = performance.now() - started;
  t.equal(code, 0, 'exit code 0');
  // the documented bound: the drain period plus the rest of the shutdown (stop background work,
  // close the store), which takes well under 3 s on an idle Healer
  t.ok(ms < (DRAIN_S + 3) * 1000, `exited after ${Math.round(ms)} ms (bound ${DRAIN_S + 3} s)`);
  await Promise.all(closes);
  t.ok(
    proc.logs.some((l) => /connections still open after the drain period; closing them/.test(l)),
    'says it cut the connections that did not finish',
  );
  t.ok(proc.logs.some((l) => l.includes('stopped cleanly')));
  t.notOk(
    proc.logs.some((l) => /database is not open/.test(l)),
    'nothing wrote to the store after it closed',
  );
});
