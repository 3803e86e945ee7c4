/** Agent and task of an object (detection.md §2). */
import { agentInName } from '../../domain/roster.js';
import { normaliseAgent } from '../../domain/stages.js';
import { labelsOf, nameOf, specString } from './object-meta.js';

export { agentInName, rosterOf } from '../../domain/roster.js';

const AGENT_LABELS = ['agents.platform/agent', 'healer/agent', 'agent'] as const;

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
