import type { Session } from './session.js';

/**
 * The sessions being watched now, as every stage reads them (the cache itself is
 * `sessions/active.ts`): looked up by Play, listed, or by namespace.
 */
export interface ActiveSessionsView {
  get(playId: string): Session | undefined;
  has(playId: string): boolean;
  list(): Session[];
  playIds(): string[];
  /** The namespaces the active sessions name. */
  namespaces(): string[];
}
