import { createHash } from 'node:crypto';
import type { AlertDraft } from '../domain/alert.js';
import { normaliseAgent } from '../domain/stages.js';

export { workflowFamily } from '../domain/workflow-family.js';

/** The fields of a draft that decide its incident. */
export type FingerprintInputs = Pick<
  AlertDraft,
  'alert' | 'namespace' | 'playId' | 'taskId' | 'agent' | 'subject'
>;

/** The exact text that is hashed: `alert|namespace|play_id or "platform"|task_id|agent|subject`. */
export function fingerprintKey(d: FingerprintInputs): string {
  return [
    d.alert,
    d.namespace,
    d.playId ?? 'platform',
    d.taskId ?? '',
    d.agent ? normaliseAgent(d.agent) : '',
    d.subject,
  ].join('|');
}

/**
 * Incident fingerprint of an alert draft (remediation.md §1): sha256 hex (64 chars) of
 * {@link fingerprintKey}. Deterministic; the agent is normalised (`5DLabs-Rex` = `rex`).
 */
export function fingerprint(d: FingerprintInputs): string {
  return createHash('sha256').update(fingerprintKey(d), 'utf8').digest('hex');
}
