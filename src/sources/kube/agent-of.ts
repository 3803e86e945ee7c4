/** Agent and task of an object (detection.md §2). */
import type { Session } from '../../domain/session.js';
import { BUILTIN_ROSTER, normaliseAgent } from '../../domain/stages.js';
import { labelsOf, nameOf, specString } from './object-meta.js';

const AGENT_LABELS = ['agents.platform/agent', 'healer/agent', 'agent'] as const;

/** The session's `cto_config.agents` plus the built-in list, normalised. */
export function rosterOf(session: Session | null | undefined): string[] {
  const own = Object.keys(session?.cto_config?.agents ?? {}).map(normaliseAgent);
  return [...new Set([...own, ...BUILTIN_ROSTER])].filter(Boolean);
}

/** The roster name that appears first in `name` as whole `-`-separated parts, or null. */
export function agentInName(name: string, roster: readonly string[]): string | null {
  const parts = name.toLowerCase().split('-');
  const longestFirst = [...roster].sort((a, b) => b.length - a.length);
  for (let i = 0; i < parts.length; i++) {
    for (const agent of longestFirst) {
      const a = agent.split('-');
      if (a.every((p, j) => parts[i + j] === p)) return agent;
    }
  }
  return null;
}

/**
 * Label `agents.platform/agent`, then `healer/agent`, then `agent`, then the CodeRun's
 * `spec.githubApp`, then the first roster name in the object's name; normalised
 * (`5DLabs-Rex` → `rex`).
 */
export function agentOf(object: unknown, roster: readonly string[]): string | null {
  const labels = labelsOf(object);
  for (const key of AGENT_LABELS) {
    const v = normaliseAgent(labels[key] ?? '');
    if (v) return v;
  }
  const app = normaliseAgent(specString(object, 'githubApp'));
  if (app) return app;
  return agentInName(nameOf(object), roster);
}

/** Label `task-id`, then the CodeRun's `spec.taskId`. */
export function taskOf(object: unknown): string | null {
  const label = (labelsOf(object)['task-id'] ?? '').trim();
  if (label) return label;
  return specString(object, 'taskId') || null;
}
