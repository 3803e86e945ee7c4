// Reads a played scenario back through the real clients (@kubernetes/client-node, fetch to
// Loki, Octokit) and lists every difference from what its steps describe. Empty = faithful.
import type { PlayResult } from '../result.js';
import type { Scenario } from '../schema.js';
import { expectedWorld } from './expected.js';
import { verifyGitHub } from './read-github.js';
import { verifyKube } from './read-kube.js';
import { verifyLoki } from './read-loki.js';

export { expectedWorld } from './expected.js';
export type { ExpectedWorld } from './expected.js';

export interface VerifyTarget {
  kubeconfigPath: string;
  urls: { loki: string; github: string };
}

export async function verifyPlayed(
  world: VerifyTarget,
  scenario: Scenario,
  result: PlayResult,
): Promise<{ kube: string[]; loki: string[]; github: string[] }> {
  const w = expectedWorld(scenario, result);
  const [kube, loki, github] = await Promise.all([
    verifyKube(world.kubeconfigPath, w),
    verifyLoki(world.urls.loki, w),
    verifyGitHub(world.urls.github, scenario.session.repository, w),
  ]);
  return { kube, loki, github };
}
