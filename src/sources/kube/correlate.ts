/**
 * Which session a pod, CodeRun, Workflow or event belongs to (detection.md §2). Pure: the caller
 * passes the sessions (ideally as an index built once) and an owner lookup over its caches.
 */
import type { Correlation } from '../../domain/signal.js';
import type { Session } from '../../domain/session.js';
import { agentOf, rosterOf, taskOf } from './agent-of.js';
import {
  buildCorrelationIndex,
  isCorrelationIndex,
  type CorrelationIndex,
} from './correlation-index.js';
import { exclusionOf, FINGERPRINT_LABEL, isRemediation, type Exclusions } from './exclusion.js';
import { labelsOf, nameOf, namespaceOf, ownersOf, type KubeLike } from './object-meta.js';
import { matchesRepoAndService } from './repository-match.js';

export interface CorrelateOptions {
  exclusions: Exclusions;
  /** An owner from the caller's caches (`Job`, `CodeRun`, `Workflow`…), or undefined. */
  lookupOwner?: (kind: string, namespace: string, name: string) => KubeLike | undefined;
}

const MAX_OWNER_DEPTH = 4;
type Match = { session: Session; rule: 1 | 2 | 3 | 4 | 5 };

/** Rules 1–3 on one object. */
function directMatch(o: unknown, kind: string, idx: CorrelationIndex): Match | null {
  const labels = labelsOf(o);
  const byLabel = idx.byPlay.get(labels['healer.platform/play-id'] ?? '');
  if (byLabel) return { session: byLabel, rule: 1 };
  const name = nameOf(o);
  const wf = idx.byPlay.get(labels['workflows.argoproj.io/workflow'] ?? '');
  if (wf) return { session: wf, rule: 2 };
  const isWorkflow = kind === 'workflow' || (o as { kind?: unknown } | null)?.kind === 'Workflow';
  const self = isWorkflow ? idx.byPlay.get(name) : undefined;
  if (self) return { session: self, rule: 2 };
  // Rule 3: the longest play id that is a `<play_id>-` prefix of the name.
  for (let i = name.lastIndexOf('-'); i > 0; i = name.lastIndexOf('-', i - 1)) {
    const s = idx.byPlay.get(name.slice(0, i));
    if (s) return { session: s, rule: 3 };
  }
  return null;
}

/** Rule 4: a task id of the session, with matching repository/service labels when present. */
function taskMatch(o: unknown, idx: CorrelationIndex): Match | null {
  const task = taskOf(o);
  const candidates = task ? (idx.byTask.get(task) ?? []) : [];
  const s = candidates.find((c) => matchesRepoAndService(o, c));
  return s ? { session: s, rule: 4 } : null;
}

interface Owner {
  /** `kind` of the owner reference (`Job`, `CodeRun`, `Workflow`): cached list items may lack one. */
  kind: string;
  object: unknown;
}

/** The owner chain (nearest first), from the caller's caches; cycles and depth are bounded. */
function ownerChain(o: unknown, opts: CorrelateOptions): Owner[] {
  const chain: Owner[] = [];
  const lookup = opts.lookupOwner;
  if (!lookup) return chain;
  const seen = new Set<string>();
  let current: unknown = o;
  while (chain.length < MAX_OWNER_DEPTH) {
    const ns = namespaceOf(current) || namespaceOf(o);
    let next: Owner | null = null;
    for (const ref of ownersOf(current)) {
      const key = `${ref.kind}/${ref.name}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const found = lookup(ref.kind, ns, ref.name);
      if (found != null) {
        next = { kind: ref.kind, object: found };
        break;
      }
    }
    if (!next) break;
    chain.push(next);
    current = next.object;
  }
  return chain;
}

/** Correlates one object. First match wins (rules 1–5); no match → platform object. */
export function correlate(
  object: unknown,
  /** `pod`, `coderun`, `workflow`, `event` (`ObjectKind` of domain/kube). */
  kind: string,
  sessions: readonly Session[] | CorrelationIndex,
  opts: CorrelateOptions,
): Correlation {
  const idx = isCorrelationIndex(sessions) ? sessions : buildCorrelationIndex(sessions);
  const chain = ownerChain(object, opts);
  const owners = chain.map((x) => x.object);
  const remediation = isRemediation(object) || owners.some(isRemediation);
  const excluded = exclusionOf(object, opts.exclusions, remediation);
  const serves = [object, ...owners].map((x) => labelsOf(x)[FINGERPRINT_LABEL]).find(Boolean);
  const base = { remediation, servesFingerprint: remediation ? (serves ?? null) : null };
  if (excluded !== null) {
    return { playId: null, rule: null, agent: null, taskId: null, ...base, excluded };
  }
  let match = directMatch(object, kind, idx) ?? taskMatch(object, idx);
  if (!match) {
    const owned = chain
      .map((x) => directMatch(x.object, x.kind.toLowerCase(), idx))
      .find((m) => m !== null);
    if (owned) match = { session: owned.session, rule: 5 };
  }
  const roster = rosterOf(match?.session);
  const agent = [object, ...owners].map((x) => agentOf(x, roster)).find(Boolean) ?? null;
  const taskId = [object, ...owners].map(taskOf).find(Boolean) ?? null;
  return {
    playId: match?.session.play_id ?? null,
    rule: match?.rule ?? null,
    agent,
    taskId,
    ...base,
    excluded: null,
  };
}
