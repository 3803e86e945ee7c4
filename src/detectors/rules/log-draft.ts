import type { AlertDraft } from '../../domain/alert.js';
import { redactLines } from '../../domain/redact.js';
import type { AgentConfig, Session } from '../../domain/session.js';
import type { LogAlertId, LogSignal } from '../../domain/signal.js';
import { normaliseAgent } from '../../domain/stages.js';
import type { Rule } from '../rule.js';

/*
 * What every log rule shares: the draft of one classified line (detection.md §4). The line itself
 * is untrusted text: it reaches the draft only as evidence (redacted, clipped); the title and the
 * description are built from the finding's structured fields.
 */

/** Longest line kept as evidence (agent CLIs print megabyte JSON lines); cut after redaction. */
const MAX_EVIDENCE_CHARS = 8000;
const clip = (s: string, n: number) => (s.length <= n ? s : `${s.slice(0, n - 1)}…`);

/** The session's configuration of an agent (`5DLabs-Rex`, `rex` and its GitHub app all match). */
export function agentConfigOf(
  session: Session | null | undefined,
  agent: string | null,
): AgentConfig | undefined {
  if (!session || !agent) return undefined;
  const want = normaliseAgent(agent);
  const agents = session.cto_config?.agents ?? {};
  for (const [name, cfg] of Object.entries(agents)) {
    if (normaliseAgent(name) === want || (cfg.githubApp && normaliseAgent(cfg.githubApp) === want))
      return cfg;
  }
  return undefined;
}

/** What a rule adds to the shared draft: words after the title, sentences, context fields. */
export interface LogDraftExtra {
  titleSuffix?: string;
  sentences?: string[];
  context?: AlertDraft['context'];
}

/** The alert draft of one classified line. */
export function logDraft(s: LogSignal, name: string, extra: LogDraftExtra = {}): AlertDraft {
  const { finding: f, line, correlation: c } = s;
  const who = c.agent || `${line.pod}/${line.container}`;
  const title = `${name}: ${who}${extra.titleSuffix ?? ''}${f.preflight ? ' (pre-flight)' : ''}`;
  const sentences = [
    `${f.preflight ? 'Pre-flight failure: ' : ''}${c.agent ? `agent ${c.agent} ` : ''}(pod ${line.pod}, container ${line.container}) logged a ${f.family} problem at ${line.at}, matched by pattern ${f.patternId} (${f.severity}). The line is quoted under Evidence.`,
    ...(extra.sentences ?? []),
  ];
  return {
    alert: f.alert,
    severity: f.severity,
    issueType: f.issueType,
    title,
    description: sentences.join(' '),
    namespace: line.namespace,
    // as every rule's draft (draft-base.ts): an empty name is no name
    playId: c.playId || null,
    taskId: c.taskId || null,
    agent: c.agent || null,
    subject: f.family,
    // redacted whole (a secret may span lines), then cut: never cut a secret in two first
    evidence: redactLines(s.evidence).map((l) => clip(l, MAX_EVIDENCE_CHARS)),
    context: {
      patternId: f.patternId,
      family: f.family,
      priority: f.priority,
      preflight: f.preflight,
      pod: line.pod,
      container: line.container,
      lineTime: line.at,
      containerStartedAt: s.containerStartedAt,
      ...extra.context,
      ...(c.remediation
        ? { remediation: true, servesFingerprint: c.servesFingerprint ?? null }
        : {}),
    },
    detectedAt: line.at,
  };
}

/**
 * A log rule: the draft of a line the classifier assigned to `id`, nothing for other lines or
 * excluded objects. `extra` adds what the alert knows beyond the finding (A10: the missing tools).
 */
export function logRule(
  id: LogAlertId,
  name: string,
  extra?: (s: LogSignal, session: Session | null) => LogDraftExtra,
): Rule {
  return {
    id,
    name,
    kinds: ['log'],
    timeBased: false,
    evaluate(signal, view) {
      if (signal.kind !== 'log' || signal.finding?.alert !== id) return [];
      if (!signal.correlation || signal.correlation.excluded !== null) return [];
      return [logDraft(signal, name, extra?.(signal, view.session))];
    },
  };
}
