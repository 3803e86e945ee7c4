import type { Session, SessionAgent, SessionStart } from '../domain/session.js';
import { emptyChecklist } from '../domain/preflight.js';
import { normaliseAgent } from '../domain/stages.js';

/** Builds the fresh session record for a validated start request. */
export function createSession(
  start: SessionStart,
  now: Date,
  agentStages: Record<string, string>,
): Session {
  const at = now.toISOString();
  const agents: SessionAgent[] = Object.entries(start.cto_config.agents).map(([name, cfg]) => ({
    name,
    stage: agentStages[normaliseAgent(name)] ?? 'other',
    github_app: cfg.githubApp,
    pod: null,
    coderun: null,
    phase: 'Waiting',
    started_at: null,
    preflight: { state: 'pending', items: emptyChecklist() },
  }));
  return {
    ...start,
    status: 'active',
    started_at: at,
    last_updated: at,
    ended_at: null,
    end_reason: null,
    agents,
    issues: [],
    pr: null,
  };
}

