import { incidentId, type Incident } from '../../src/domain/incident.js';
import { withIncidentDefaults } from '../../src/incidents/lifecycle.js';
import { sampleView } from '../../src/templates/index.js';

/** A realistic open A7 incident of play-task-4 (from the templates' sample), for action tests. */
export function sampleA7Incident(over: Partial<Incident> = {}): Incident {
  const v = sampleView('A7');
  return withIncidentDefaults({
    id: incidentId(v.fingerprint),
    fingerprint: v.fingerprint,
    alert: 'A7',
    severity: v.severity,
    issueType: v.issueType ?? 'agent_failure',
    title: v.title,
    description: v.description,
    namespace: 'cto',
    playId: 'play-task-4',
    taskId: '4',
    agent: 'rex',
    subject: v.subject,
    state: 'open',
    firstSeen: '2025-01-15T12:00:00Z',
    lastSeen: '2025-01-15T12:20:00Z',
    occurrences: 3,
    evidence: v.evidence,
    context: v.context ?? {},
    resolvedAt: null,
    resolution: null,
    githubIssue: null,
    remediationSpawned: false,
    reopened: 0,
    ...over,
  });
}
