/** Agent names known to a Play: the session's `cto_config.agents` plus the built-in roster. */
import type { Session } from './session.js';
import { BUILTIN_ROSTER, normaliseAgent } from './stages.js';

export function rosterOf(session: Session | null | undefined): string[] {
  const own = Object.keys(session?.cto_config?.agents ?? {}).map(normaliseAgent);
  return [...new Set([...own, ...BUILTIN_ROSTER])].filter(Boolean);
}

/** The roster name that appears first in `name` as whole `-`-separated parts, or null. */
export function agentInName(name: string, roster: readonly string[]): string | null {
  const parts = (typeof name === 'string' ? name : '').toLowerCase().split('-');
  const longestFirst = [...roster].sort((a, b) => b.length - a.length);
  for (let i = 0; i < parts.length; i++) {
    for (const agent of longestFirst) {
      const a = agent.split('-');
      if (a.every((p, j) => parts[i + j] === p)) return agent;
    }
  }
  return null;
}
