import t from 'tap';
import { ALERT_IDS } from '../../src/domain/alert.js';
import {
  createTemplateEngine,
  renderEvaluationPrompt,
  sampleView,
} from '../../src/templates/index.js';
import { snapshotFileFor } from './snapshot-file.js';

t.snapshotFile = snapshotFileFor(import.meta.url);

const engine = createTemplateEngine();

for (const alert of ALERT_IDS) {
  void t.test(`evaluation prompt for ${alert}`, (t) => {
    const view = { ...sampleView(alert), issueNumber: null, issueUrl: null };
    const prompt = renderEvaluationPrompt(engine, view);
    t.match(prompt, `<!-- healer:fingerprint=${view.fingerprint} -->`, 'asks for the marker');
    t.match(prompt, `[HEAL-${alert.toUpperCase()}]`, 'gives the issue title');
    t.matchSnapshot(prompt, 'evaluation prompt');
    t.end();
  });
}
