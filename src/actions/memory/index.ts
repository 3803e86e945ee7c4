// The agents' memory (OpenMemory), as the original Healer used it: before a remediation run, what
// earlier remediations and agents remembered about this alert and agent goes into the prompt (fenced
// as untrusted data by the templates); once an incident resolves, what its runs tried and how it
// ended is stored for the next one. OpenMemory being down never stops a remediation.
import { evidenceSignature } from '../../incidents/history.js';
import type { Incident } from '../../domain/incident.js';
import { redact } from '../../domain/redact.js';
import { ALERT_TEMPLATES } from '../../templates/alerts.js';
import type { MemoryView } from '../../templates/index.js';
import type { OpenMemoryClient } from '../../sources/memory/openmemory.js';
import { OpenMemoryError, type MemoryItem } from '../../sources/memory/openmemory.js';
import { errorText, type ActionHandler, type ActionOutcome } from '../handler.js';
import { ActionError } from '../handler.js';

/** How many memories a prompt gets, and the least relevance (OpenMemory's score, 0–1) worth showing. */
export const RECALL = { shown: 3, asked: 8, minScore: 0.2, maxChars: 1_200 };

/** The memory owner: OpenMemory's `user_id` is the agent, as the agents' own tools write it. */
const ownerOf = (i: Pick<Incident, 'agent'>): string => i.agent?.toLowerCase() ?? 'healer';

const alertName = (i: Pick<Incident, 'alert'>): string => ALERT_TEMPLATES[i.alert]?.name ?? i.alert;

/** The question asked of the memory before a remediation: the alert, its name and the title. */
export const recallQuery = (i: Pick<Incident, 'alert' | 'title'>): string =>
  `${i.alert} ${alertName(i)}: ${i.title}`;

const clip = (text: string, max: number): string =>
  text.length <= max ? text : `${text.slice(0, max - 1)}… [${text.length - max + 1} more chars]`;

export interface RemediationMemory {
  /** The most relevant memories for a remediation of this incident (empty when none are). */
  recall(incident: Incident): Promise<MemoryView[]>;
  /** Stores what the incident's runs tried and how it ended; returns the memory id. */
  remember(incident: Incident): Promise<{ id: string; existed: boolean }>;
}

/** One sentence per remediation run: attempt, CodeRun, phase, pull request. */
function attemptsText(i: Incident): string {
  const runs = i.attempts.filter((a) => a.coderun !== '');
  if (runs.length === 0) return 'No remediation run was started.';
  return runs
    .map(
      (a) =>
        `Attempt ${a.attempt} (CodeRun ${a.coderun}) ended ${a.phase || 'unknown'}${
          a.pullRequestUrl ? ` with pull request ${a.pullRequestUrl}` : ' without a pull request'
        }.`,
    )
    .join(' ');
}

/** What is stored when an incident resolves (redacted: it leaves Healer). */
export function memoryOf(i: Incident): {
  content: string;
  tags: string[];
  metadata: Record<string, unknown>;
  userId: string;
} {
  const worked = i.attempts.find((a) => a.phase === 'Succeeded' && a.coderun !== '');
  const where = [
    i.agent ? `agent ${i.agent}` : null,
    i.playId ? `play ${i.playId}` : null,
    i.taskId ? `task ${i.taskId}` : null,
  ].filter(Boolean);
  const content = redact(
    [
      `Healer incident ${i.alert} (${alertName(i)}) resolved${where.length ? ` for ${where.join(', ')}` : ''}: ${i.title}.`,
      attemptsText(i),
      worked
        ? `What worked: attempt ${worked.attempt}${worked.pullRequestUrl ? ` (${worked.pullRequestUrl})` : ''}.`
        : 'No remediation run succeeded; the condition cleared otherwise.',
      `Resolution: ${i.resolution ?? 'condition cleared'}.`,
      `Evidence signature: ${evidenceSignature(i)}.`,
    ].join(' '),
  );
  return {
    content,
    tags: ['healer', 'remediation', i.alert.toLowerCase(), worked ? 'fixed' : 'resolved'],
    metadata: {
      source: 'healer',
      incident_id: i.id,
      fingerprint: i.fingerprint,
      alert: i.alert,
      agent: i.agent,
      play_id: i.playId,
      task_id: i.taskId,
      attempts: i.attempts.filter((a) => a.coderun !== '').length,
      resolved_at: i.resolvedAt,
      pull_request: worked?.pullRequestUrl ?? null,
      signature: evidenceSignature(i),
    },
    userId: ownerOf(i),
  };
}

const sameResolution = (m: MemoryItem, i: Incident): boolean =>
  m.metadata.incident_id === i.id && m.metadata.resolved_at === i.resolvedAt;

export class OpenMemoryRemediationMemory implements RemediationMemory {
  readonly #client: OpenMemoryClient;

  constructor(client: OpenMemoryClient) {
    this.#client = client;
  }

  async recall(incident: Incident): Promise<MemoryView[]> {
    const matches = await this.#client.query(recallQuery(incident), {
      k: RECALL.asked,
      userId: ownerOf(incident),
      minScore: RECALL.minScore,
    });
    return matches
      .filter((m) => m.score >= RECALL.minScore && m.content.trim() !== '')
      .sort((a, b) => b.score - a.score)
      .slice(0, RECALL.shown)
      .map((m) => ({
        id: m.id,
        score: Math.round(m.score * 100) / 100,
        content: clip(m.content.trim(), RECALL.maxChars),
      }));
  }

  async remember(incident: Incident): Promise<{ id: string; existed: boolean }> {
    const memory = memoryOf(incident);
    // a retried action (the first answer lost) must not store the same resolution twice
    const recent = await this.#client.all({ limit: 100, userId: memory.userId });
    const earlier = recent.find((m) => sameResolution(m, incident));
    if (earlier) return { id: earlier.id, existed: true };
    const added = await this.#client.add(memory.content, {
      tags: memory.tags,
      metadata: memory.metadata,
      userId: memory.userId,
    });
    return { id: added.id, existed: false };
  }
}

/** An OpenMemory failure as an outbox error: unreachable, 429 and 5xx are retried. */
function memoryActionError(err: unknown): ActionError {
  const status = err instanceof OpenMemoryError ? err.status : null;
  const retry = status === null || status === 429 || status >= 500;
  return new ActionError(`storing the incident in OpenMemory: ${errorText(err)}`, retry, {
    cause: err,
  });
}

/** The `remember` action: stores a resolved incident's runs and outcome. */
export function createMemoryHandler(memory: RemediationMemory): ActionHandler {
  return {
    kinds: ['remember'],
    destination: 'openmemory',
    run: async (ctx): Promise<ActionOutcome> => {
      if (ctx.incident.state !== 'resolved')
        return { result: { skipped: 'the incident is no longer resolved' } };
      try {
        const { id, existed } = await memory.remember(ctx.incident);
        return { result: { memory: id, existed } };
      } catch (err) {
        throw memoryActionError(err);
      }
    },
  };
}
