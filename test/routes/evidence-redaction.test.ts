// Evidence that quotes a private key over several lines, or starts inside one (no BEGIN line),
// leaves through the API, the session object and the dashboard redacted as one text (issue 13:
// they used to redact evidence one line at a time, and the key's body lines went out).
import t from 'tap';
import { testHealer } from '../helpers/healer.js';
import type { AlertDraft } from '../../src/domain/alert.js';
import { Rng, pem } from '../redaction/fakes.js';

const PLAY = 'play-task-9';

void t.test(
  'a key over several evidence lines reaches no API, session or dashboard view',
  async (t) => {
    const h = await testHealer();
    t.teardown(() => h.healer.stop());
    const start = await h.app.inject({
      method: 'POST',
      url: '/api/v1/session/start',
      headers: { 'content-type': 'application/json' },
      payload: { play_id: PLAY, repository: '5dlabs/cto', tasks: [{ id: '9', title: 'Nine' }] },
    });
    t.equal(start.statusCode, 200);
    const r = new Rng(913);
    const whole = pem(r, 'RSA PRIVATE KEY', 10);
    const inside = pem(r, 'PRIVATE KEY', 10);
    const secrets = [...whole.body, ...inside.body.slice(2)];
    const evidence = [
      'ERROR loading signing key from env, dumping it:',
      ...whole.text.split('\n'),
      '--- context (play-task-9-rex-abc/codex at 2026-11-21T10:00:00.000Z) ---',
      ...inside.text.split('\n').slice(3), // starts inside the key: no BEGIN line
    ];
    const draft: AlertDraft = {
      alert: 'runtime',
      severity: 'critical',
      issueType: 'agent_failure',
      title: 'Runtime Error: rex',
      description: 'agent rex logged a crash problem.',
      namespace: 'cto',
      playId: PLAY,
      taskId: '9',
      agent: 'rex',
      subject: 'crash',
      evidence,
      context: { pod: 'play-task-9-rex-abc' },
      detectedAt: '2026-11-21T10:00:00.000Z',
    };
    const { incident } = await h.store.recordAlert(
      draft,
      'b'.repeat(64),
      new Date('2026-11-21T10:00:00Z'),
    );
    const views: Record<string, string> = {};
    for (const url of [
      '/api/v1/incidents',
      `/api/v1/incidents/${incident.id}`,
      `/api/v1/session/${PLAY}`,
      '/api/v1/sessions',
      '/api/v1/dashboard/state',
      '/',
    ]) {
      const res = await h.app.inject({ method: 'GET', url });
      t.equal(res.statusCode, 200, url);
      views[url] = res.body;
    }
    for (const [url, body] of Object.entries(views)) {
      const leaked = secrets.filter(
        (s) => body.includes(s.slice(0, 24)) || body.includes(s.slice(-24)),
      );
      t.same(leaked.length, 0, `${url}: no line of either key`);
    }
    t.match(views[`/api/v1/incidents/${incident.id}`], /\[REDACTED:private-key\]/);
  },
);
