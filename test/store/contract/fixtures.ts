import type { AlertDraft } from '../../../src/domain/alert.js';
import type { ActionRecord, Decision } from '../../../src/domain/action.js';
import type { Incident } from '../../../src/domain/incident.js';
import type { SessionStart } from '../../../src/domain/session.js';
import { DEFAULT_AGENT_STAGES } from '../../../src/domain/stages.js';
import type { Store } from '../../../src/domain/stores.js';
import { createSession } from '../../../src/sessions/model.js';

/**
 * Returns a fresh, empty store with every aggregate (the composite `Store` of one backend).
 * A new backend plugs into every contract suite by passing its factory to `storeContracts`.
 */
export type StoreFactory = () => Promise<Store> | Store;

const start = (play_id: string, extra: Partial<SessionStart> = {}): SessionStart => ({
  play_id,
  repository: '5dlabs/cto',
  service: null,
  namespace: 'cto',
  cto_config: { agents: {} },
  tasks: [{ id: '1', title: 'one', agent_hint: null, dependencies: [], priority: 0 }],
  ...extra,
});

export const at = (minute: number) => new Date(Date.UTC(2026, 10, 21, 10, minute));
export const session = (id: string, minute = 0, extra: Partial<SessionStart> = {}) =>
  createSession(start(id, extra), at(minute), DEFAULT_AGENT_STAGES);

/** The A7 draft of play-o. */
export const podFailure = (playId = 'play-o'): AlertDraft => ({
  alert: 'A7',
  severity: 'high',
  issueType: 'agent_failure',
  title: 'Pod Failure: x',
  description: 'd',
  namespace: 'cto',
  playId,
  taskId: '1',
  agent: 'rex',
  subject: playId,
  evidence: [],
  context: {},
  detectedAt: at(1).toISOString(),
});

/** A session, an incident in it, and a decision with two outbox actions (due at minutes 1 and 5). */
export async function seedDecision(
  store: Store,
): Promise<{ incident: Incident; decision: Decision; actions: ActionRecord[]; updated?: Incident }> {
  await store.startSession(session('play-o', 0));
  const { incident } = await store.recordAlert(podFailure(), 'c'.repeat(64), at(1));
  const decision: Decision = {
    id: 'dec-1',
    incidentId: incident.id,
    playId: 'play-o',
    alert: 'A7',
    reason: 'new',
    detail: 'first sighting',
    plan: [{ kind: 'open-issue' }, { kind: 'spawn-remediation', attempt: 1 }],
    at: at(1).toISOString(),
  };
  const action = (id: string, seq: number, due: number): ActionRecord => ({
    id,
    incidentId: incident.id,
    decisionId: 'dec-1',
    seq,
    action: decision.plan[seq],
    destination: seq === 0 ? 'github' : 'kubernetes',
    state: 'pending',
    attempts: 0,
    nextAttemptAt: at(due).toISOString(),
    lastError: null,
    result: null,
    createdAt: at(1).toISOString(),
    updatedAt: at(1).toISOString(),
  });
  const actions = [action('act-1', 0, 1), action('act-2', 1, 5)];
  const updated = await store.commitDecision({
    decision,
    actions,
    incident: (i) => ({ ...i, lastDecision: 'new' }),
  });
  return { incident, decision, actions, updated };
}
