import {
  expectedToolsFor,
  missingExpectedTools,
  parseToolInventory,
} from '../../detectors/patterns/index.js';
import type { Finding, LogAlert, PreflightFinding } from '../../detectors/patterns/index.js';
import type { Correlation } from '../../domain/signal.js';
import type { AlertDraft } from '../../domain/alert.js';
import { redactLines } from '../../domain/redact.js';
import type { AgentConfig, Session } from '../../domain/session.js';
import { normaliseAgent } from '../../domain/stages.js';
import type { LogEntry } from './types.js';

const NAMES: Record<LogAlert, string> = {
  A10: 'Tool Inventory Mismatch',
  A11: 'CTO Config Missing or Invalid',
  A12: 'MCP Init Failure',
  runtime: 'Runtime Error',
  lifecycle: 'Lifecycle Issue',
};

/** Longest line kept as evidence (agent CLIs print megabyte JSON lines); cut after redaction. */
const MAX_EVIDENCE_CHARS = 8000;
/** A tool name as the inventory parser reads it off a line: shown outside the evidence only if plain. */
const PLAIN_NAME = /^[A-Za-z0-9_.:/-]{1,64}$/;
const clip = (s: string, n: number) => (s.length <= n ? s : `${s.slice(0, n - 1)}…`);

/** The session's configuration of an agent (`5DLabs-Rex`, `rex` and its GitHub app all match). */
export function agentConfigOf(
  session: Session | undefined,
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

/**
 * A10 against the session (detection.md §4): `expected` are the tools the session expects for the
 * agent that the line shows missing; `listed` the tools the line itself lists as missing.
 */
export function missingToolsOf(
  line: string,
  config: AgentConfig | undefined,
): { expected: string[]; listed: string[] } {
  const inventory = parseToolInventory(line);
  if (!inventory) return { expected: [], listed: [] };
  const expectedTools = config ? expectedToolsFor(config) : [];
  return {
    expected: expectedTools.length ? missingExpectedTools(inventory, expectedTools) : [],
    listed: inventory.missing ?? [],
  };
}

export interface DraftInput {
  finding: PreflightFinding<Finding>;
  entry: LogEntry;
  correlation: Correlation;
  session: Session | undefined;
  startedAt: number | null;
  /** Evidence lines (matching lines and context), raw. */
  evidence: string[];
}

/** The alert draft of one classified line. */
export function logDraft(d: DraftInput): AlertDraft {
  const { finding: f, entry, correlation: c } = d;
  const who = c.agent ?? `${entry.pod}/${entry.container}`;
  const config = agentConfigOf(d.session, c.agent);
  const tools = f.alert === 'A10' ? missingToolsOf(entry.line, config) : null;
  // names from the line itself reach the title: only plain identifiers, at most ten
  const listed = (tools?.listed ?? []).filter((n) => PLAIN_NAME.test(n)).slice(0, 10);
  const missing = tools ? (tools.expected.length ? tools.expected : listed) : [];
  const name = NAMES[f.alert];
  const title =
    `${name}: ${who}` +
    (missing.length ? ` missing ${missing.join(', ')}` : '') +
    (f.preflight ? ' (pre-flight)' : '');
  const at = entry.time.toISOString();
  // Built from the rule and structured fields only: the line itself is untrusted text and is shown
  // only inside the evidence fence (issue 13: a log line must not steer the remediation agent).
  const sentences = [
    `${f.preflight ? 'Pre-flight failure: ' : ''}${c.agent ? `agent ${c.agent} ` : ''}(pod ${entry.pod}, container ${entry.container}) logged a ${f.family} problem at ${at}, matched by pattern ${f.patternId} (${f.severity}). The line is quoted under Evidence.`,
  ];
  if (tools?.expected.length) {
    const them = tools.expected.length === 1 ? 'it' : 'them';
    sentences.push(
      `The session expects ${tools.expected.join(', ')} for ${c.agent ?? 'this agent'}, and the line shows ${them} missing.`,
    );
  } else if (listed.length) {
    sentences.push(
      `The line shows ${listed.join(', ')} missing${config ? `; none of them is among the tools the session expects for ${c.agent ?? 'this agent'}` : ''}.`,
    );
  }
  return {
    alert: f.alert,
    severity: f.severity,
    issueType: f.issueType,
    title,
    description: sentences.join(' '),
    namespace: entry.namespace,
    playId: c.playId,
    taskId: c.taskId,
    agent: c.agent,
    subject: f.family,
    // redacted whole (a secret may span lines), then cut: never cut a secret in two first
    evidence: redactLines(d.evidence).map((l) => clip(l, MAX_EVIDENCE_CHARS)),
    context: {
      patternId: f.patternId,
      family: f.family,
      priority: f.priority,
      preflight: f.preflight,
      pod: entry.pod,
      container: entry.container,
      lineTime: at,
      containerStartedAt: d.startedAt === null ? null : new Date(d.startedAt).toISOString(),
      ...(f.alert === 'A10'
        ? {
            missingTools: missing.length ? missing.join(', ') : null,
            missingExpected: tools?.expected.length ? tools.expected.join(', ') : null,
          }
        : {}),
      ...(c.remediation
        ? { remediation: true, servesFingerprint: c.servesFingerprint ?? null }
        : {}),
    },
    detectedAt: at,
  };
}
