import { T0, POD, PR, type Sample } from './common.js';

/** Samples of the GitHub-driven alerts. */
export const GITHUB_SAMPLES: Record<'A1' | 'A3' | 'A4' | 'A5', Sample> = {
  A1: {
    severity: 'medium',
    issueType: 'other',
    agent: 'cleo',
    subject: '412',
    pr: PR,
    pod: 'play-task-4-cleo-q8d3f',
    title: 'Comment Order Mismatch: cleo running on PR #412 without a rex comment',
    description:
      'Cleo (quality) is running on play-task-4, but PR #412 has no comment from the implementation stage (rex).',
    context: { running_stage: 'quality', expected_stage: 'implementation', expected_agents: 'rex' },
    evidence: [
      'PR #412 comments (oldest first):',
      '  2025-11-21T05:20:11Z 5DLabs-Morgan[bot]: Task 4 intake complete',
      '  (no comment from 5DLabs-Rex[bot])',
      `pod play-task-4-cleo-q8d3f Running since ${T0}`,
    ],
  },
  A3: {
    severity: 'medium',
    issueType: 'stuck',
    subject: 'play-task-4',
    pod: POD,
    pr: PR,
    title: 'Stale Progress: rex has not pushed for 27m',
    description:
      'Rex has been running on play-task-4, but the newest commit on the PR branch is 27 minutes old (threshold 15 minutes).',
    context: {
      last_commit_at: '2025-11-21T05:15:02Z',
      last_commit_sha: '9fceb02d0ae598e95dc970b74767f19372d61af8',
      threshold_minutes: 15,
      minutes_since_commit: 27,
    },
    evidence: [
      'branch feature/task-4 head 9fceb02d0ae598e95dc970b74767f19372d61af8 at 2025-11-21T05:15:02Z',
      'rex: Running tests (attempt 6 of 10)…',
      'rex: test result: FAILED. 41 passed; 2 failed',
    ],
  },
  A4: {
    severity: 'medium',
    issueType: 'other',
    agent: 'tess',
    subject: '412',
    pr: PR,
    pod: 'play-task-4-tess-m2k9z',
    title: 'Repeated Approval Loop: tess approved PR #412 3 times in a row',
    description:
      '5DLabs-Tess posted 3 approvals in a row on PR #412 with no other comment or commit in between (threshold 2).',
    context: { author: '5DLabs-Tess[bot]', approvals_in_a_row: 3, threshold: 2 },
    evidence: [
      '2025-11-21T05:30:02Z 5DLabs-Tess[bot]: ✅ All checks pass, approved',
      '2025-11-21T05:35:40Z 5DLabs-Tess[bot]: LGTM — approved',
      '2025-11-21T05:41:12Z 5DLabs-Tess[bot]: Looks good, approved',
    ],
  },
  A5: {
    severity: 'high',
    issueType: 'ci_failure',
    agent: 'tess',
    subject: '412',
    pr: PR,
    failedChecks: ['ci / test (ubuntu-latest)', 'lint'],
    title: 'Post-Tess CI Failure: PR #412 after approval',
    description:
      'After Tess approved PR #412 at 05:30:02Z, check "ci / test (ubuntu-latest)" failed and the PR is no longer mergeable (dirty).',
    context: {
      approved_at: '2025-11-21T05:30:02Z',
      mergeable: false,
      mergeable_state: 'dirty',
      head_sha: '3f786850e387550fdab836ed7e6dc881de23001b',
    },
    evidence: [
      'check "ci / test (ubuntu-latest)" conclusion=failure completed_at=2025-11-21T05:38:44Z',
      'check "lint" conclusion=failure completed_at=2025-11-21T05:36:10Z',
      'mergeable=false mergeable_state=dirty',
      'CONFLICT (content): Merge conflict in src/handlers/tasks.rs',
    ],
  },
};
