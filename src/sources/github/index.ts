// GitHub source: the client, finding a Play's pull request, and polling it (detection.md §1).
export {
  createGitHubClient,
  githubAuthFromEnv,
  githubClientFromEnv,
  HealerOctokit,
} from './client.js';
export type {
  CoreRateLimit,
  GitHubAuth,
  GitHubClient,
  GitHubClientOptions,
  GitHubEnv,
  GitHubLogger,
  HealerOctokitInstance,
} from './client.js';
export { ConditionalReader } from './conditional.js';
export { fetchPrSnapshot } from './fetch-snapshot.js';
export { branchNamesTask, findPlayPr, parsePullRequestUrl, refFromCodeRuns } from './find-pr.js';
export type { FindPrInput, PrRef } from './find-pr.js';
export { registerGitHubMetrics } from './metrics.js';
export type { GitHubMetrics } from './metrics.js';
export { PrPoller } from './poller.js';
export type {
  ActiveSessionsWithPrRefs,
  PollReport,
  PollTarget,
  PrPollerOptions,
} from './poller.js';
export { prSummary, snapshotDigest } from './snapshot.js';
