/** Agent names known to a Play: the session's `cto_config.agents` plus the built-in roster. */
import type { Session } from './session.js';
import { BUILTIN_ROSTER, normaliseAgent } from './stages.js';

const longestFirst = (names: Iterable<string>): readonly string[] =>
  [...new Set(names)].filter(Boolean).sort((a, b) => b.length - a.length || a.localeCompare(b));

const BUILTIN = longestFirst(BUILTIN_ROSTER);
const cache = new WeakMap<object, readonly string[]>();

/** The roster of a session (built-in only without one), longest name first; cached per session object. */
export function rosterOf(session: Session | null | undefined): readonly string[] {
  const agents = session?.cto_config?.agents;
  if (!agents || typeof agents !== 'object' || Object.keys(agents).length === 0) return BUILTIN;
  const hit = cache.get(agents);
  if (hit) return hit;
  const roster = longestFirst([...Object.keys(agents).map(normaliseAgent), ...BUILTIN]);
  cache.set(agents, roster);
  return roster;
}

/**
 * The roster name that appears first in `name` as whole `-`-separated parts, or null. At one
 * position the earlier roster entry wins (rosterOf lists the longest first: `spark-x` before `spark`).
 */
export function agentInName(name: string, roster: readonly string[]): string | null {
  const parts = (typeof name === 'string' ? name : '').toLowerCase().split('-');
  for (let i = 0; i < parts.length; i++) {
    for (const agent of roster) {
      if (agent.indexOf('-') < 0) {
        if (parts[i] === agent) return agent;
      } else if (agent.split('-').every((p, j) => parts[i + j] === p)) return agent;
    }
  }
  return null;
}
