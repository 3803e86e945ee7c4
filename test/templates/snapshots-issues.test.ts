import t from 'tap';
import { ALERT_IDS } from '../../src/domain/alert.js';
import { createTemplateEngine, renderIssue, sampleView } from '../../src/templates/index.js';
import { snapshotFileFor } from './snapshot-file.js';

t.snapshotFile = snapshotFileFor(import.meta.url);

const engine = createTemplateEngine();

for (const alert of ALERT_IDS) {
  void t.test(`issue for ${alert}`, (t) => {
    const issue = renderIssue(engine, { ...sampleView(alert), issueNumber: null, issueUrl: null });
    t.matchSnapshot(issue.title, 'title');
    const severity = `severity:${sampleView(alert).severity}`;
    // a platform incident (no Play) is labelled by its check, not as a Play's remediation
    t.same(
      issue.labels,
      alert === 'platform'
        ? ['heal', 'platform', `platform:${String(sampleView(alert).context?.check)}`, severity]
        : ['heal', 'remediation', alert.toLowerCase(), severity],
    );
    t.matchSnapshot(issue.body, 'body');
    t.end();
  });
}

void t.test('issue for a platform incident with nothing optional known', (t) => {
  t.matchSnapshot(renderIssue(engine, sampleView('A9', { sparse: true })).body, 'A9 sparse');
  t.end();
});
