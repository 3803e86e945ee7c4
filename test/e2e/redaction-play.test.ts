// Issue 13, end to end: secrets printed by agent pods travel through Loki into incidents, and are
// read back from every exit — GitHub issue titles, bodies and comments, the remediation CodeRuns'
// prompts, Discord notifications, the API, the dashboard and Healer's own logs. 0 may leak.
import t from 'tap';
import { playWorld } from '../helpers/play-world.js';
import { buildLeakCorpus, type LeakCase } from '../redaction/corpus.js';
import { familiesOf, familyCases } from '../redaction/families.js';

const SEED = 2027;
/** Every substring of a secret this long must be gone (a partial leak is a leak). */
const WINDOW = 12;
/** Lines that the catalogue classifies as runtime problems of two families (two incidents a Play). */
const TRIGGERS = [
  'Error: unauthorized: authentication required while calling upstream',
  'fatal error: unexpected state after config reload',
];
/** Matching lines an incident keeps as evidence (log stage). */
const PER_INCIDENT = 10;

const leaked = (out: string, secret: string): boolean => {
  if (secret.length <= WINDOW) return out.includes(secret);
  for (let i = 0; i + WINDOW <= secret.length; i++)
    if (out.includes(secret.slice(i, i + WINDOW))) return true;
  return false;
};

/**
 * The corpus of this test: every single-line case of the issue-13 families and a sample of the
 * base corpus (each printed as one log line; secrets over several lines are covered where the
 * evidence lines are joined: test/routes/evidence-redaction.test.ts and test/templates).
 */
function corpus(): LeakCase[] {
  const families = familyCases(SEED);
  const base = buildLeakCorpus(SEED).filter((_, i) => i % 10 === 0);
  return [...families, ...base].filter((c) => !c.text.includes('\n'));
}

void t.test(
  'secrets printed in pod logs reach no exit: issues, comments, prompts, notifications, API, dashboard, logs',
  async (t) => {
    const cases = corpus();
    const perPlay = PER_INCIDENT * TRIGGERS.length;
    const plays = Math.ceil(cases.length / perPlay);
    const w = await playWorld(t);
    let incidents = 0;
    for (let p = 0; p < plays; p++) {
      const pod = await w.startPlay(p + 1);
      const mine = cases.slice(p * perPlay, (p + 1) * perPlay);
      const lines = mine.map((c, i) => {
        const n = p * perPlay + i;
        const trigger = TRIGGERS[Math.floor(i / PER_INCIDENT)];
        return `${trigger} [case-${n}] ${c.text}`;
      });
      w.logLines(pod, lines);
      incidents += Math.ceil(mine.length / PER_INCIDENT);
    }
    await w.settle(incidents);

    const exits = await w.exits();
    // every case reached Healer's exits (its marker is there), so its secrets were really tested
    const markers = cases.map((_, n) => `[case-${n}]`);
    for (const exit of ['API', 'issue titles and bodies', 'CodeRun prompts']) {
      const missing = markers.filter((m) => !exits[exit].includes(m));
      t.same(missing, [], `every case reached ${exit}`);
    }

    const byExit: Record<string, number> = {};
    const byFamily: Record<string, number> = {};
    let total = 0;
    cases.forEach((c, n) => {
      for (const [exit, text] of Object.entries(exits)) {
        const bad = c.secrets.filter((s) => leaked(text, s));
        if (bad.length === 0) continue;
        byExit[exit] = (byExit[exit] ?? 0) + 1;
        const fam = familiesOf([c])[0];
        byFamily[fam] = (byFamily[fam] ?? 0) + 1;
        total++;
        t.fail(`case-${n} ${c.name} leaked to ${exit}`, { text: c.text, secret: bad[0] });
      }
    });
    t.comment(
      `end to end: ${cases.length} cases (${familiesOf(cases).join(', ')}) through ${plays} Plays, ${incidents} incidents; leaks (case × exit): ${total}` +
        (total
          ? ` — by exit ${JSON.stringify(byExit)}, by family ${JSON.stringify(byFamily)}`
          : ''),
    );
    t.equal(total, 0, '0 leaks');
  },
);
