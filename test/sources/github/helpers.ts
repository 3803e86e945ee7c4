// Helpers of the GitHub source tests: a simulator per test, Healer's client pointed at it, and
// the agents' own Octokit clients to act on the simulated repository.
import { Registry } from 'prom-client';
import type { Test } from 'tap';
import { createGitHubClient } from '../../../src/sources/github/client.js';
import type { GitHubClientOptions, GitHubLogger } from '../../../src/sources/github/client.js';
import { registerGitHubMetrics } from '../../../src/sources/github/metrics.js';
import { startGitHubSim } from '../../sim/github/index.js';
import type { GitHubSimOptions } from '../../sim/github/index.js';
import { simOctokit } from '../../sim/github/octokit.js';

export const OWNER = '5dlabs';
export const REPO = 'cto-parallel-test';
export const R = { owner: OWNER, repo: REPO };
export const HEALER_TOKEN = 'healer-token';

export async function newSim(t: Test, opts: GitHubSimOptions = {}) {
  const sim = await startGitHubSim(opts);
  t.teardown(() => sim.close());
  return sim;
}

/** A logger that keeps what it was told (level + message), for "says so once" checks. */
export function memoryLogger(): GitHubLogger & { lines: { level: string; msg: string }[] } {
  const lines: { level: string; msg: string }[] = [];
  const at =
    (level: string) =>
    (a: unknown, b?: unknown): void => {
      lines.push({ level, msg: typeof a === 'string' ? a : typeof b === 'string' ? b : '' });
    };
  return {
    lines,
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
  };
}

/** Healer's client for the simulator: real plugins, no write pacing, short retry backoff. */
export function healerClient(
  url: string,
  over: Partial<GitHubClientOptions> = {},
): ReturnType<typeof createGitHubClient> & {
  registry: Registry;
  metrics: ReturnType<typeof registerGitHubMetrics>;
} {
  const registry = new Registry();
  const metrics = registerGitHubMetrics(registry);
  const client = createGitHubClient({
    baseUrl: url,
    auth: { kind: 'token', token: HEALER_TOKEN },
    pacing: false,
    retryBaseMs: 10,
    timeoutMs: 5_000,
    metrics,
    logger: memoryLogger(),
    ...over,
  });
  return { ...client, registry, metrics };
}

export const agentOctokit = (url: string, agent: string) =>
  simOctokit(url, { token: `login:5dlabs-${agent}[bot]` });

/** Reads one sample of a metric family from a registry. */
export async function metricValue(
  registry: Registry,
  name: string,
  labels: Record<string, string> = {},
): Promise<number | undefined> {
  const metric = registry.getSingleMetric(name);
  if (!metric) return undefined;
  const data = await metric.get();
  const sample = data.values.find((v) =>
    Object.entries(labels).every(([k, val]) => String(v.labels[k]) === val),
  );
  return sample?.value;
}

/** Calls one of the simulator's test-only `/_sim/...` endpoints as `login`. */
export async function simCall(
  url: string,
  method: 'POST' | 'PATCH',
  path: string,
  body: unknown,
  login = '5dlabs-rex[bot]',
): Promise<unknown> {
  const res = await fetch(`${url}${path}`, {
    method,
    headers: { 'content-type': 'application/json', authorization: `token login:${login}` },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
  return res.status === 204 ? undefined : res.json();
}

const pr = (n: number) => `/_sim/repos/${OWNER}/${REPO}/pulls/${n}`;
export const sim = {
  mergeable: (
    url: string,
    n: number,
    body: { mergeable?: boolean | null; mergeable_state?: string },
  ) => simCall(url, 'PATCH', pr(n), body),
  push: (url: string, n: number, message: string, o: { author?: string; date?: string } = {}) =>
    simCall(url, 'POST', `${pr(n)}/commits`, { message, ...o }),
  comment: (url: string, n: number, login: string, body: string, createdAt?: string) =>
    simCall(url, 'POST', `/_sim/repos/${OWNER}/${REPO}/issues/${n}/comments`, {
      body,
      login,
      ...(createdAt ? { created_at: createdAt } : {}),
    }),
  review: (url: string, n: number, login: string, event: string, body = '', submittedAt?: string) =>
    simCall(url, 'POST', `${pr(n)}/reviews`, {
      event,
      body,
      login,
      ...(submittedAt ? { submitted_at: submittedAt } : {}),
    }),
};
