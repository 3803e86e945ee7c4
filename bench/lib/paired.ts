// Throughput against a reference in the same run, drift-proof: the measured route and its bare
// reference run in alternating slices (bare, Healer, bare, Healer, …), so a shared machine's speed,
// which drifts over tens of seconds, falls on both sides alike. Req/s are requests over the
// slices' summed duration.
import autocannon from 'autocannon';

export interface Tally {
  requests: number;
  seconds: number;
  ok: number;
  non2xx: number;
  /** Each slice's p99 latency (ms). */
  p99: number[];
}

export interface PairedOptions {
  /** Seconds per side, over all slices. */
  seconds: number;
  connections: number;
  slices: number;
}

const run = (opts: autocannon.Options) =>
  new Promise<autocannon.Result>((resolve, reject) => {
    autocannon(opts, (err: Error | null, res) => (err ? reject(err) : resolve(res)));
  });

/** Runs `reference` and `measured` in alternating slices; their tallies in that order. */
export async function paired(
  reference: autocannon.Options,
  measured: autocannon.Options,
  o: PairedOptions,
): Promise<[Tally, Tally]> {
  const out: [Tally, Tally] = [0, 1].map(() => ({
    requests: 0,
    seconds: 0,
    ok: 0,
    non2xx: 0,
    p99: [] as number[],
  })) as [Tally, Tally];
  const slices = Math.max(1, o.slices);
  for (let i = 0; i < slices; i++)
    for (const [k, opts] of [reference, measured].entries()) {
      const r = await run({ connections: o.connections, ...opts, duration: o.seconds / slices });
      const t = out[k];
      t.requests += r.requests.total;
      t.seconds += r.duration;
      t.ok += r['2xx'];
      t.non2xx += r.non2xx;
      t.p99.push(r.latency.p99);
    }
  return out;
}

export const rps = (t: Tally): number => t.requests / t.seconds;

/** The median of the slices' p99 latencies (ms). */
export const p99 = (t: Tally): number => [...t.p99].sort((a, b) => a - b)[t.p99.length >> 1];

/** The start body both API benchmarks post: rex with two tools, one task. */
export const startBody = (id: string): string =>
  JSON.stringify({
    play_id: id,
    repository: '5dlabs/cto',
    namespace: 'cto',
    cto_config: {
      agents: {
        rex: {
          githubApp: '5DLabs-Rex',
          cli: 'claude',
          model: 'm',
          tools: { remote: ['a', 'b'], localServers: {} },
        },
      },
    },
    tasks: [{ id: '1', title: 'Task 1', dependencies: [] }],
  });

/**
 * The session API against the bare routes, sliced: `GET /api/v1/session/play-500` against
 * `GET /bare/play-1`, and a durable `POST /api/v1/session/start` of a new play each request
 * against `POST /bare`. Healer must hold `play-500`.
 */
export async function sessionRoutes(
  bareUrl: string,
  url: string,
  o: PairedOptions,
): Promise<{ bareGet: Tally; get: Tally; barePost: Tally; post: Tally }> {
  let n = 0;
  const json = { 'content-type': 'application/json' };
  const [bareGet, get] = await paired(
    { url: `${bareUrl}/bare/play-1` },
    { url: `${url}/api/v1/session/play-500` },
    o,
  );
  const [barePost, post] = await paired(
    { url: `${bareUrl}/bare`, method: 'POST', headers: json, body: startBody('x') },
    {
      url: `${url}/api/v1/session/start`,
      method: 'POST',
      headers: json,
      requests: [
        { method: 'POST', setupRequest: (req) => ({ ...req, body: startBody(`bench-${n++}`) }) },
      ],
    },
    o,
  );
  return { bareGet, get, barePost, post };
}
