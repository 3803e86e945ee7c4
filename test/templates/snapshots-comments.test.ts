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
