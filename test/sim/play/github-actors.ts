// Who acts on GitHub: one real Octokit per login (`login:<name>` tokens, as the simulator
// maps them), plus the simulator's test-only endpoints for what the REST API cannot do
// (push a commit, set mergeability, back-date a comment).
import { Octokit } from '@octokit/rest';

const quiet = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};

/** A plain Octokit as one login (the throttling and retry plugins only slow a loopback down). */
export function octokitAs(url: string, token: string | null): Octokit {
  return new Octokit({
    baseUrl: url,
    ...(token === null ? {} : { auth: token }),
    userAgent: 'healer-play-simulator/1.0',
    log: quiet,
  });
}

export class GitHubActors {
  readonly #clients = new Map<string, Octokit>();

  constructor(readonly url: string) {}

  as(login: string): Octokit {
    let c = this.#clients.get(login);
    if (!c) {
      c = octokitAs(this.url, `login:${login}`);
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
