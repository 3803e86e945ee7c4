import type { Incident } from '../../domain/incident.js';
import type { IncidentStore } from '../../domain/stores.js';
import type { GitHubClient } from '../../sources/github/index.js';
import type { TemplateEngine } from '../../templates/index.js';
import { ActionError, type ActionContext, type ViewSettings } from '../handler.js';
import { parseIssueUrl, parseRepo, type RepoRef } from './find.js';

/** What the GitHub issue handler needs besides the action. */
export interface GitHubIssueDeps {
  client: GitHubClient;
  templates: TemplateEngine;
  /** heal-config `issues.repository` (`owner/repo`), or null to use the session's repository. */
  repository: string | null;
  view: ViewSettings;
  /** Where a cause group's children are read for its issue (absent: listed by id only). */
  incidents?: Pick<IncidentStore, 'getIncident'> | null;
}

export type IssueRef = RepoRef & { number: number; url: string };

/**
 * Where the incident's issue lives (remediation.md §2.1): `issues.repository`, else the session's
 * repository. A platform incident (no play) needs `issues.repository`.
 */
export function issueRepository(
  ctx: Pick<ActionContext, 'incident' | 'session'>,
  configured: string | null,
): RepoRef {
  const fromConfig = parseRepo(configured);
  if (fromConfig) return fromConfig;
  const fromSession = parseRepo(ctx.session?.repository);
  if (fromSession) return fromSession;
  const i = ctx.incident;
  const why =
    i.playId === null
      ? `${i.alert} incident ${i.id} is a platform incident (no play)`
      : `no session with a repository is known for play ${i.playId}`;
  throw new ActionError(
    `cannot choose a repository for the issue: ${why} and heal-config.json sets no issues.repository`,
    false,
  );
}

/** The issue recorded on the incident, with its repository (from its URL, else the configured one). */
export function recordedIssue(incident: Incident, fallback: RepoRef | null): IssueRef | null {
  const gi = incident.githubIssue;
  if (!gi) return null;
  const fromUrl = parseIssueUrl(gi.url);
  if (fromUrl && fromUrl.number === gi.number) return { ...fromUrl, url: gi.url };
  return fallback ? { ...fallback, number: gi.number, url: gi.url } : null;
}

/** Repository of the issue as `owner/repo`. */
export const fullName = (r: RepoRef): string => `${r.owner}/${r.repo}`;
