// A simulated OpenMemory backend (CaviraOSS OpenMemory's REST API) on loopback: the endpoints
// Healer uses, with the real request and response shapes —
//   POST /memory/add     {content, tags?, metadata?, user_id?} → {id, primary_sector, sectors}
//   POST /memory/query   {query, k?, filters?: {sector?, min_score?, user_id?}} → {query, matches: […]}
//   GET  /memory/all     ?l=&u=&sector=&user_id= → {items: […]} (newest first)
//   GET  /memory/{id}    → the memory, or 404 {err: 'nf'}
//   GET  /health         → {ok: true}
// Errors as the real server answers them: 400 {err: 'content'} without content, 401 without the
// bearer key when one is set. Scores are word overlap (deterministic), not embeddings.
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SimMemory {
  id: string;
  content: string;
  tags: string[];
  metadata: Record<string, unknown>;
  user_id: string | null;
  created_at: number;
  updated_at: number;
  last_seen_at: number;
  salience: number;
  decay_lambda: number;
  primary_sector: string;
  sectors: string[];
  version: number;
}

export interface OpenMemorySim {
  url: string;
  memories: SimMemory[];
  /** Requests seen, `METHOD path` (tests assert what Healer asked). */
  requests: string[];
  close(): Promise<void>;
}

const SECTORS: Array<[string, RegExp]> = [
  ['procedural', /\b(fix|fixed|steps?|how to|resolved by|worked|run|retry)\b/i],
  ['episodic', /\b(yesterday|today|when|during|incident|happened)\b/i],
  ['emotional', /\b(frustrat|happy|angry|love|hate)\w*/i],
  ['reflective', /\b(i notice|lesson|learned|pattern)\b/i],
];

const words = (s: string) => new Set(s.toLowerCase().match(/[a-z0-9]+/g) ?? []);

function sectorsOf(content: string, metadata: Record<string, unknown>): string[] {
  if (typeof metadata.sector === 'string') return [metadata.sector];
  const hit = SECTORS.filter(([, re]) => re.test(content)).map(([s]) => s);
  return hit.length > 0 ? hit : ['semantic'];
}

const send = (res: ServerResponse, status: number, body: unknown) => {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
};

async function readJson(req: IncomingMessage): Promise<Record<string, unknown> | null> {
  let text = '';
  for await (const chunk of req) text += String(chunk);
  try {
    const v = JSON.parse(text || '{}') as unknown;
    return typeof v === 'object' && v !== null && !Array.isArray(v)
      ? (v as Record<string, unknown>)
      : null;
  } catch {
    return null;
  }
}

const itemJson = (m: SimMemory) => ({
  id: m.id,
  content: m.content,
  tags: m.tags,
  metadata: m.metadata,
  created_at: m.created_at,
  updated_at: m.updated_at,
  last_seen_at: m.last_seen_at,
  salience: m.salience,
  decay_lambda: m.decay_lambda,
  primary_sector: m.primary_sector,
  version: m.version,
});

export async function startOpenMemorySim(
  opts: { apiKey?: string; host?: string; port?: number } = {},
): Promise<OpenMemorySim> {
  const memories: SimMemory[] = [];
  const requests: string[] = [];
  let clock = Date.now();
  const server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://sim');
      requests.push(`${req.method ?? ''} ${url.pathname}`);
      if (url.pathname === '/health') return send(res, 200, { ok: true });
      if (opts.apiKey && req.headers.authorization !== `Bearer ${opts.apiKey}`)
        return send(res, 401, { error: 'authentication required' });
      if (req.method === 'POST' && url.pathname === '/memory/add') {
        const b = await readJson(req);
        if (!b || typeof b.content !== 'string' || !b.content)
          return send(res, 400, { err: 'content' });
        const metadata = (typeof b.metadata === 'object' && b.metadata) || {};
        const sectors = sectorsOf(b.content, metadata as Record<string, unknown>);
        const now = (clock = Math.max(clock + 1, Date.now()));
        const m: SimMemory = {
          id: randomUUID(),
          content: b.content,
          tags: Array.isArray(b.tags) ? b.tags.map(String) : [],
          metadata: metadata as Record<string, unknown>,
          user_id: typeof b.user_id === 'string' ? b.user_id : null,
          created_at: now,
          updated_at: now,
          last_seen_at: now,
          salience: 0.5,
          decay_lambda: 0.005,
          primary_sector: sectors[0],
          sectors,
          version: 1,
        };
        memories.push(m);
        return send(res, 200, { id: m.id, primary_sector: m.primary_sector, sectors: m.sectors });
      }
      if (req.method === 'POST' && url.pathname === '/memory/query') {
        const b = await readJson(req);
        const query = typeof b?.query === 'string' ? b.query : '';
        const k = typeof b?.k === 'number' && b.k > 0 ? b.k : 8;
        const f = (b?.filters ?? {}) as { sector?: string; min_score?: number; user_id?: string };
        const q = words(query);
        const matches = memories
          .filter(
            (m) =>
              (!f.user_id || m.user_id === f.user_id) &&
              (!f.sector || m.sectors.includes(f.sector)),
          )
          .map((m) => {
            const w = words(m.content);
            const common = [...q].filter((x) => w.has(x)).length;
            return { m, score: q.size === 0 ? 0 : common / q.size };
          })
          .filter((x) => x.score > 0 && x.score >= (f.min_score ?? 0))
          .sort((a, b) => b.score - a.score || b.m.created_at - a.m.created_at)
          .slice(0, k);
        for (const x of matches) x.m.last_seen_at = Date.now();
        return send(res, 200, {
          query,
          matches: matches.map(({ m, score }) => ({
            id: m.id,
            content: m.content,
            score,
            sectors: m.sectors,
            primary_sector: m.primary_sector,
            path: [m.id],
            salience: m.salience,
            last_seen_at: m.last_seen_at,
          })),
        });
      }
      if (req.method === 'GET' && url.pathname === '/memory/all') {
        const l = Number(url.searchParams.get('l') ?? 100);
        const u = Number(url.searchParams.get('u') ?? 0);
        const sector = url.searchParams.get('sector');
        const user = url.searchParams.get('user_id');
        const items = memories
          .filter((m) => (!sector || m.primary_sector === sector) && (!user || m.user_id === user))
          .sort((a, b) => b.created_at - a.created_at)
          .slice(u, u + l)
          .map(itemJson);
        return send(res, 200, { items });
      }
      const one = /^\/memory\/([^/]+)$/.exec(url.pathname);
      if (req.method === 'GET' && one) {
        const m = memories.find((x) => x.id === decodeURIComponent(one[1]));
        if (!m) return send(res, 404, { err: 'nf' });
        return send(res, 200, { ...itemJson(m), sectors: m.sectors });
      }
      send(res, 404, { error: 'not found' });
    })().catch((err: unknown) => send(res, 500, { err: String(err) }));
  });
  await new Promise<void>((resolve) =>
    server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', resolve),
  );
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${opts.host ?? '127.0.0.1'}:${port}`,
    memories,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
