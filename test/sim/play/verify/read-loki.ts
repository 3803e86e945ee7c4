// Reads every container's log lines back from Loki's query_range (plain fetch, as Healer's
// poller does) and compares them, with their nanosecond timestamps, with the expected lines.
import type { ExpectedWorld } from './expected.js';

const q = (v: string) => JSON.stringify(v);

export async function verifyLoki(lokiUrl: string, w: ExpectedWorld): Promise<string[]> {
  const out: string[] = [];
  for (const pod of w.pods) {
    for (const [container, c] of pod.containers) {
      if (c.all.length === 0) continue;
      const params = new URLSearchParams({
        query: `{namespace=${q(w.namespace)}, pod=${q(pod.name)}, container=${q(container)}}`,
        start: `${BigInt(w.start - 60_000) * 1_000_000n}`,
        end: `${BigInt(w.end + 60_000) * 1_000_000n}`,
        limit: '5000',
        direction: 'forward',
      });
      const res = await fetch(`${lokiUrl}/loki/api/v1/query_range?${params.toString()}`, {
        signal: AbortSignal.timeout(10_000),
      });
      const what = `loki ${pod.name}/${container}`;
      if (!res.ok) {
        out.push(`${what}: ${res.status} ${await res.text()}`);
        continue;
      }
      const body = (await res.json()) as {
        data: { result: { stream: Record<string, string>; values: [string, string][] }[] };
      };
      const got = body.data.result
        .flatMap((s) => s.values)
        .sort((a, b) => (BigInt(a[0]) < BigInt(b[0]) ? -1 : BigInt(a[0]) > BigInt(b[0]) ? 1 : 0))
        .map(([ns, text]) => `${new Date(Number(BigInt(ns) / 1_000_000n)).toISOString()} ${text}`);
      const want = [...c.all]
        .sort((a, b) => a.time - b.time)
        .map((l) => `${new Date(l.time).toISOString()} ${l.text}`);
      if (JSON.stringify(got) !== JSON.stringify(want))
        out.push(
          `${what}: got ${got.length} lines ${JSON.stringify(got.slice(0, 2))}…, expected ${want.length} ${JSON.stringify(want.slice(0, 2))}…`,
        );
    }
  }
  return out;
}
