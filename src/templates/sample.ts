import { createHash } from 'node:crypto';
import type { AlertId } from '../domain/alert.js';
import { ALERT_TEMPLATES } from './alerts.js';
import type { IncidentView } from './view.js';
import { T0, T1, T2, type Sample } from './samples/common.js';
import { GITHUB_SAMPLES } from './samples/github.js';
import { LOGS_SAMPLES } from './samples/logs.js';
import { PODS_SAMPLES } from './samples/pods.js';
import { PLATFORM_SAMPLES } from './samples/platform.js';

const SAMPLES: Record<AlertId, Sample> = {
  ...GITHUB_SAMPLES,
  ...PODS_SAMPLES,
  ...LOGS_SAMPLES,
  ...PLATFORM_SAMPLES,
};

/** Fingerprint of a sample: stable, 64 hex. */
const fingerprint = (alert: AlertId): string =>
  createHash('sha256').update(`sample|${alert}`).digest('hex');

/**
 * A realistic incident for `alert` (start-up check, snapshot tests, `healer test-alert`).
 * `sparse` gives a platform incident with nothing optional known: no play, no issue, no evidence.
 */
export function sampleView(alert: AlertId, opts: { sparse?: boolean } = {}): IncidentView {
  const s = SAMPLES[alert];
  const fp = fingerprint(alert);
  if (opts.sparse) {
    return {
      alert,
      severity: s.severity,
      title: `${ALERT_TEMPLATES[alert].name}: ${s.subject}`,
      description: s.description,
      namespace: 'cto',
      playId: null,
      taskId: null,
      agent: null,
      subject: s.subject,
      evidence: [],
      detectedAt: T1,
      fingerprint: fp,
    };
  }
  return {
    namespace: 'cto',
    playId: 'play-task-4',
    taskId: '4',
    agent: 'rex',
    repository: '5dlabs/cto',
    issueNumber: 1234,
    issueUrl: 'https://github.com/5dlabs/cto/issues/1234',
    attempt: 1,
    maxAttempts: 3,
    dashboardUrl: `http://healer.cto.svc.cluster.local:8083/incidents/${fp.slice(0, 16)}`,
    links: [
      {
        label: 'Loki logs',
        url: `http://grafana.cto.svc/explore?query=%7Bnamespace%3D%22cto%22%7D`,
      },
    ],
    detectedAt: T1,
    firstSeen: T0,
    lastSeen: T2,
    occurrences: 3,
    fingerprint: fp,
    ...s,
    alert,
  };
}
