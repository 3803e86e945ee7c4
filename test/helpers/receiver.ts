import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A local webhook receiver (Discord or generic): records every JSON body; scripted answers. */
export async function startReceiver(
  answer: (n: number, req: IncomingMessage) => { status: number; body?: unknown } = () => ({
    status: 204,
  }),
) {
  const calls: { path: string; body: unknown }[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let raw = '';
    req.on('data', (c: Buffer) => (raw += c.toString()));
    req.on('end', () => {
      let body: unknown = raw;
      try {
        body = JSON.parse(raw);
      } catch {
        // keep the raw text
      }
      calls.push({ path: req.url ?? '/', body });
      const a = answer(calls.length, req);
      res.writeHead(a.status, a.body ? { 'content-type': 'application/json' } : {});
      res.end(a.body ? JSON.stringify(a.body) : undefined);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/webhook`,
    calls,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
