import t from 'tap';
import { ALERT_IDS } from '../../src/domain/alert.js';
import {
  createTemplateEngine,
  renderAcceptance,
  renderPrompt,
  sampleView,
} from '../../src/templates/index.js';
import { snapshotFileFor } from './snapshot-file.js';

t.snapshotFile = snapshotFileFor(import.meta.url);

const engine = createTemplateEngine();

for (const alert of ALERT_IDS) {
  void t.test(`remediation prompt and acceptance criteria for ${alert}`, (t) => {
    const view = sampleView(alert);
    t.matchSnapshot(renderPrompt(engine, view), 'prompt');
    t.matchSnapshot(renderAcceptance(engine, view), 'acceptance criteria');
    t.end();
  });
}

void t.test('a follow-up attempt says which attempt it is', (t) => {
  t.matchSnapshot(renderPrompt(engine, { ...sampleView('A5'), attempt: 2 }), 'A5 attempt 2');
  t.end();
});
