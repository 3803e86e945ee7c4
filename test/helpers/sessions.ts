// The smallest start body of a Play: rex alone, no tools, one task. Tests and benchmarks that start
// many sessions use it, so they all start the same thing.
import type { SessionStart } from '../../src/domain/session.js';

/** Play `play-<n>` with task `<n>`, rex its only agent, in `cto`. */
export function rexSession(n: number): SessionStart {
  return {
    play_id: `play-${n}`,
    repository: '5dlabs/cto',
    service: null,
    namespace: 'cto',
    cto_config: {
      agents: {
        rex: {
          githubApp: '5DLabs-Rex',
          cli: 'claude',
          model: null,
          tools: { remote: [], localServers: {} },
        },
      },
    },
    tasks: [{ id: String(n), title: `task ${n}`, agent_hint: null, dependencies: [], priority: 0 }],
  };
}
