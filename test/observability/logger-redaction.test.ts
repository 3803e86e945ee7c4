// Healer's own logs are an exit too (issue 13): whatever a log call is given — a message, a
// merged object, an error, a request — is written redacted.
import { Writable } from 'node:stream';
import t from 'tap';
import { createLogger } from '../../src/observability/logger.js';
import { Rng, tokenFakes, opaque } from '../redaction/fakes.js';

function sink() {
  const chunks: string[] = [];
  const stream = new Writable({
    write(c: Buffer, _e, done) {
      chunks.push(c.toString('utf8'));
      done();
    },
  });
  return { stream, text: () => chunks.join('') };
}

void t.test('messages, objects, errors and request URLs are redacted in Healer’s logs', (t) => {
  const r = new Rng(77);
  const [ant, , , , , , , , , gh] = tokenFakes(r);
  const pw = opaque(r);
  const s = sink();
  const log = createLogger('debug', { destination: s.stream });
  log.info(`cloning with ${gh.value}`);
  log.warn(
    { headers: { authorization: `Bearer ${ant.value}` }, DB_PASSWORD: pw },
    'upstream refused',
  );
  log.error({ err: new Error(`request failed: postgres://app:${pw}@db:5432/x`) }, 'store');
  log.error(new Error(`token ${gh.value} rejected`));
  log.info(`callback /cb?access_token=${pw}`);
  log.info({ req: { method: 'GET', url: `/api?token=${pw}` } }, 'request');
  const out = s.text();
  const lines = out.trim().split('\n');
  t.equal(lines.length, 6, 'six log lines');
  for (const l of lines) t.doesNotThrow(() => JSON.parse(l), 'each line is still JSON');
  for (const secret of [gh.value, ant.value, pw])
    t.notOk(out.includes(secret), `no ${secret.slice(0, 6)}… in the logs`);
  t.match(out, /\[REDACTED:/);
  t.end();
});
