import t from 'tap';
import pino from 'pino';
import type { AlertDraft } from '../../src/domain/alert.js';
import type { Incident } from '../../src/domain/incident.js';
import { DecisionMaker } from '../../src/actions/decisions.js';
import { DEFAULT_POLICY } from '../../src/incidents/policy.js';
import { fingerprint } from '../../src/incidents/fingerprint.js';
import { openMemoryStore } from '../../src/store/memory/index.js';

const NOW = new Date('2026-12-07T10:00:00Z');
const draft = (o: Partial<AlertDraft>): AlertDraft => ({
  alert: 'A7',
  severity: 'high',
  issueType: 'agent_failure',
  title: 'A7 pod failed',
  description: 'the agent container exited 1',
  namespace: 'cto',
  playId: 'play-1',
  taskId: '1',
  agent: 'rex',
  subject: 'play-1-rex',
  evidence: [],
  context: {},
  detectedAt: NOW.toISOString(),
  ...o,
});

/**
 * The issue dedup of a fresh store reads the open incidents' snapshot once per snapshot (by alert
 * family), not once per decision: the answers are the ones a scan of every open incident gives.
 */
void t.test(
  'a new incident of a family with an issue within the window is counted, others are not',
  async (t) => {
    const store = openMemoryStore();
    const decisions = new DecisionMaker({
      store,
      clock: { now: () => NOW },
      policy: { ...DEFAULT_POLICY },
      dispatcher: { destinationsFor: () => [], kick: () => undefined },
      logger: pino({ level: 'silent' }),
    });
    const record = async (d: AlertDraft) => store.recordAlert(d, fingerprint(d), NOW);
    // an incident of the family that has its issue (another task, so another fingerprint)
    const first = await record(draft({ taskId: '0' }));
    await store.updateIncident(first.incident.id, (i: Incident) => ({
      ...i,
      githubIssue: { number: 7, url: 'https://github.com/5dlabs/cto/issues/7' },
    }));
    // many open incidents of other families, none with an issue
    for (let n = 0; n < 50; n++) await record(draft({ playId: `play-x${n}`, subject: `s-${n}` }));

    const decide = async (d: AlertDraft) => {
      const r = await record(d);
      return decisions.onRecorded({ ...r, draft: d });
    };
    const same = await decide(draft({}));
    t.equal(same?.reason, 'repeat', 'same alert, subject and namespace: no second issue');
    const otherSubject = await decide(draft({ subject: 'play-1-cleo', agent: 'cleo' }));
    t.not(otherSubject?.reason, 'repeat', 'another subject is another family');
    const otherAlert = await decide(draft({ alert: 'A2' }));
    t.not(otherAlert?.reason, 'repeat', 'another alert is another family');
    const otherNs = await decide(draft({ namespace: 'other' }));
    t.not(otherNs?.reason, 'repeat', 'another namespace is another family');
    // the incident with the issue does not count against itself
    const itself = await decisions.onRecorded({
      incident: first.incident,
      outcome: 'created',
      draft: draft({ taskId: '0' }),
    });
    t.not(itself?.reason, 'repeat', 'an incident is not its own family precedent');
  },
);
