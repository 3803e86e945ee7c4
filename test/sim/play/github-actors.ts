// Who acts on GitHub: one real Octokit per login (`login:<name>` tokens, as the simulator
// maps them), plus the simulator's test-only endpoints for what the REST API cannot do
// (push a commit, set mergeability, back-date a comment).
import { simOctokit } from '../github/octokit.js';
import type { SimOctokitInstance } from '../github/octokit.js';

export class GitHubActors {
  readonly #clients = new Map<string, SimOctokitInstance>();

  constructor(readonly url: string) {}

  as(login: string): SimOctokitInstance {
    let c = this.#clients.get(login);
    if (!c) {
      c = simOctokit(this.url, { token: `login:${login}`, retries: 2, retryAfterBaseValue: 50 });
      this.#clients.set(login, c);
    }
    return c;
  }

  /** A call to a `/_sim/…` endpoint; answers its JSON. */
  async sim(
    method: string,
    path: string,
    body: unknown,
    login?: string,
  ): Promise<Record<string, unknown>> {
    const res = await fetch(`${this.url}${path}`, {
      method,
      headers: {
        'content-type': 'application/json',
        'user-agent': 'healer-play-simulator/1.0',
        ...(login ? { authorization: `token login:${login}` } : {}),
      },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(10_000),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`github ${method} ${path}: ${res.status} ${text}`);
    return (text ? JSON.parse(text) : {}) as Record<string, unknown>;
  }
}
