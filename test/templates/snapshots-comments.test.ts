import t from 'tap';
import {
  COMMENT_KINDS,
  createTemplateEngine,
  renderComment,
  sampleView,
} from '../../src/templates/index.js';
import type { IncidentView } from '../../src/templates/index.js';
import { snapshotFileFor } from './snapshot-file.js';

t.snapshotFile = snapshotFileFor(import.meta.url);

const engine = createTemplateEngine();

const later: IncidentView = {
  ...sampleView('A7'),
  attempt: 3,
  occurrences: 9,
  lastSeen: '2025-11-21T07:02:40Z',
  remediation: { coderun: 'healer-a7-e3db1982-3', phase: 'Running', prUrl: null },
  history: [
    {
      attempt: 1,
      coderun: 'healer-a7-e3db1982-1',
      outcome: 'succeeded, alert recurred',
      prUrl: 'https://github.com/5dlabs/cto/pull/1301',
      startedAt: '2025-11-21T05:48:00Z',
      finishedAt: '2025-11-21T06:12:30Z',
    },
    {
      attempt: 2,
      coderun: 'healer-a7-e3db1982-2',
      outcome: 'failed',
      prUrl: null,
      startedAt: '2025-11-21T06:25:00Z',
      finishedAt: '2025-11-21T06:41:05Z',
    },
  ],
  escalationReason: 'Three remediation attempts did not resolve the incident.',
  resolutionReason: 'Pod `play-task-4-rex-abc12` is gone and its successor reached `Succeeded`.',
  // the children that joined a cause group (only the `children` comment shows them)
  children: [
    {
      id: 'inc-5b7c9d87793443de',
      alert: 'A7',
      agent: 'rex',
      playId: 'play-task-5',
      title: 'Pod Failure: play-task-5-rex-p5p6p',
      url: 'https://healer.example.com/incidents/inc-5b7c9d87793443de',
    },
    {
      id: 'inc-11e088ad634857c2',
      alert: 'platform',
      agent: null,
      playId: null,
      title: 'Image ghcr.io/5dlabs/rex:9.9.9 fails to pull in 2 namespaces',
      url: null,
    },
  ],
};

for (const kind of COMMENT_KINDS) {
  void t.test(`${kind} comment`, (t) => {
    t.matchSnapshot(renderComment(engine, kind, later), `${kind} after two attempts`);
    t.matchSnapshot(
      renderComment(engine, kind, sampleView('A2', { sparse: true })),
      `${kind} with nothing known`,
    );
    t.end();
  });
}
