import { POD, event, type Sample } from './common.js';

/** Samples of the pod and CodeRun alerts. */
export const PODS_SAMPLES: Record<'A2' | 'A7' | 'A8' | 'A9' | 'completion', Sample> = {
  A2: {
    severity: 'critical',
    issueType: 'agent_failure',
    subject: 'play-task-4',
    pod: POD,
    container: 'agent',
    phase: 'Running',
    detectionMethod: 'exit_code',
    title: `Silent Failure: ${POD}`,
    description: `Container "agent" of ${POD} exited with code 1 while the pod stays Running (sidecar "docker-daemon" keeps it alive).`,
    context: { exit_code: 1, sidecar: 'docker-daemon', restart_count: 0 },
    evidence: [
      'containerStatuses:',
      '  agent: terminated exitCode=1 reason=Error finishedAt=2025-11-21T05:41:50Z',
      '  docker-daemon: running ready=true',
      'last agent output:',
      "error: failed to push some refs to 'https://github.com/5dlabs/cto-parallel-test.git'",
      'hint: Updates were rejected because the remote contains work that you do not have locally.',
      'Error: process exited with code 1',
    ],
    events: [event('Killing', 'Stopping container agent', `pod/${POD}`, 'Normal')],
  },
  A7: {
    severity: 'critical',
    issueType: 'agent_failure',
    subject: 'play-task-4',
    pod: POD,
    container: 'agent',
    phase: 'Running',
    title: `Pod Failure: ${POD}`,
    description: `Container "agent" of ${POD} is in CrashLoopBackOff after 5 restarts.`,
    context: {
      reason: 'CrashLoopBackOff',
      restart_count: 5,
      last_exit_code: 137,
      last_reason: 'OOMKilled',
    },
    evidence: [
      'agent: waiting reason=CrashLoopBackOff restartCount=5',
      'agent: lastState terminated exitCode=137 reason=OOMKilled',
      'resources.limits.memory=2Gi',
    ],
    events: [
      event(
        'BackOff',
        'Back-off restarting failed container agent in pod play-task-4-rex-abc12',
        `pod/${POD}`,
        'Warning',
        12,
      ),
      event(
        'OOMKilling',
        'Memory cgroup out of memory: Killed process 4242 (node)',
        'node/worker-3',
      ),
    ],
  },
  A8: {
    severity: 'medium',
    issueType: 'stuck',
    subject: 'play-task-4',
    pod: POD,
    phase: 'Running',
    title: 'Step Timeout: rex running 52m',
    description:
      'Rex (implementation) has been running for 52 minutes on play-task-4; the implementation stage timeout is 45 minutes.',
    context: {
      stage: 'implementation',
      elapsed_minutes: 52,
      timeout_minutes: 45,
      started_at: '2025-11-21T04:50:13Z',
    },
    evidence: [
      'agent container startedAt=2025-11-21T04:50:13Z',
      'rex: cargo build --release (attempt 3)',
      'rex: waiting for lock on package cache',
    ],
  },
  A9: {
    severity: 'medium',
    issueType: 'stuck',
    agent: 'cleo',
    subject: 'play-task-4-cleo-t7x2k',
    coderun: 'play-task-4-cleo-t7x2k',
    phase: 'Pending',
    title: 'Stuck CodeRun: play-task-4-cleo-t7x2k in Pending',
    description:
      'CodeRun play-task-4-cleo-t7x2k has been Pending for 14 minutes (threshold 10) and no pod was created.',
    context: {
      phase_since: '2025-11-21T05:28:01Z',
      minutes_in_phase: 14,
      threshold_minutes: 10,
      pod_exists: false,
    },
    evidence: [
      'coderun/play-task-4-cleo-t7x2k status.phase=Pending created=2025-11-21T05:28:01Z',
      'no pod with label coderun=play-task-4-cleo-t7x2k',
    ],
    events: [
      event(
        'FailedCreate',
        'Error creating: pods "play-task-4-cleo-t7x2k-" is forbidden: exceeded quota: agents, requested: cpu=2, used: cpu=16, limited: cpu=16',
        'job/play-task-4-cleo-t7x2k',
      ),
    ],
  },
  completion: {
    severity: 'medium',
    issueType: 'other',
    subject: 'play-task-4',
    pod: POD,
    phase: 'Succeeded',
    title: `Unverified Completion: ${POD} succeeded without success markers`,
    description:
      "The rex pod finished with phase Succeeded, but its logs show none of rex's success markers and one failure indicator.",
    context: { success_markers_found: 0, failure_indicators_found: 'fatal:' },
    evidence: [
      'rex: Implementation plan ready',
      "fatal: could not read Username for 'https://github.com': terminal prompts disabled",
      'rex: exiting',
    ],
  },
};
