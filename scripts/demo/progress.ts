// The demo's progress lines about what Healer does: it reads Healer's own API every second and
// prints each new incident (with its page on the dashboard), its GitHub issue (as a link on the
// simulated GitHub), each remediation CodeRun and each state change.

/** The fields of `GET /api/v1/incidents` the demo prints. */
export interface ApiIncident {
  id: string;
  alert: string;
  severity: string;
  title: string;
  state: string;
  play_id: string | null;
  github_issue: { number: number; url: string } | null;
  attempts?: { coderun: string; namespace: string }[];
}

interface Seen {
  state: string;
  issue: number | null;
  coderuns: Set<string>;
}

/** `https://github.com/o/r/issues/7` → the same issue on the simulated GitHub's REST API. */
export function simIssueUrl(githubApi: string, issue: { number: number; url: string }): string {
  const m = /github\.com\/([^/]+)\/([^/]+)\/issues\/\d+/.exec(issue.url);
  return m ? `${githubApi}/repos/${m[1]}/${m[2]}/issues/${issue.number}` : issue.url;
}

export class IncidentProgress {
  readonly #seen = new Map<string, Seen>();
  #failures = 0;

  constructor(
    private readonly healerUrl: string,
    private readonly githubApi: string,
    private readonly say: (line: string) => void,
  ) {}

  /** One read of the API; prints what changed since the last one. */
  async poll(): Promise<void> {
    let incidents: ApiIncident[];
    try {
      const res = await fetch(`${this.healerUrl}/api/v1/incidents?limit=5000`, {
        signal: AbortSignal.timeout(5000),
      });
      if (res.status !== 200) throw new Error(`HTTP ${res.status}`);
      incidents = ((await res.json()) as { incidents: ApiIncident[] }).incidents;
      this.#failures = 0;
    } catch (err) {
      if (++this.#failures === 3)
        this.say(`healer API unreachable: ${err instanceof Error ? err.message : String(err)}`);
      return;
    }
    for (const i of [...incidents].reverse()) this.#report(i);
  }

  #report(i: ApiIncident): void {
    let seen = this.#seen.get(i.id);
    if (!seen) {
      seen = { state: i.state, issue: null, coderuns: new Set() };
      this.#seen.set(i.id, seen);
      this.say(
        `incident ${i.alert} ${i.severity}: ${i.title} [${i.state}]${i.play_id ? ` play ${i.play_id}` : ''} ${this.healerUrl}/incidents/${i.id}`,
      );
    } else if (seen.state !== i.state) {
      seen.state = i.state;
      this.say(`  ${i.id} ${i.alert} is now ${i.state}`);
    }
    if (i.github_issue && seen.issue !== i.github_issue.number) {
      seen.issue = i.github_issue.number;
      this.say(
        `  ${i.id} ${i.alert}: GitHub issue #${i.github_issue.number} ${simIssueUrl(this.githubApi, i.github_issue)}`,
      );
    }
    for (const a of i.attempts ?? []) {
      // an attempt is recorded before its CodeRun is named (created)
      if (!a.coderun || seen.coderuns.has(a.coderun)) continue;
      seen.coderuns.add(a.coderun);
      this.say(`  ${i.id} ${i.alert}: remediation CodeRun ${a.namespace}/${a.coderun}`);
    }
  }
}
