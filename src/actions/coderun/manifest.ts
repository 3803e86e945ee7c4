/**
 * The CodeRuns Healer creates (remediation.md §2.2), built by a pure function from the `coderun`
 * section of heal-config and the incident. Valid against the CRD (`taskId` integer, `service`,
 * `repositoryUrl`, `docsRepositoryUrl`, `workingDirectory`, `model`, `githubApp`), named
 * deterministically so a repeated create answers 409 instead of starting a second agent.
 * The prompt and acceptance criteria arrive rendered (templates/render.ts).
 */
import { stringify } from 'yaml';
import type { HealConfig } from '../../domain/heal-config.js';
import type { Incident } from '../../domain/incident.js';
import type { CodeRun } from '../../domain/kube.js';
import { codeRunLabels, type RunKind } from './labels.js';
import { taskIdFor } from './task-id.js';

export type CodeRunSettings = HealConfig['coderun'];

export interface CodeRunInput {
  incident: Pick<
    Incident,
    'fingerprint' | 'alert' | 'playId' | 'taskId' | 'context' | 'namespace' | 'agent'
  >;
  /** 1-based attempt of a remediation run (evaluation runs: the attempt they precede, 1). */
  attempt: number;
  /** `remediation.maxIterations`, for `HEAL_MAX_ATTEMPTS`. */
  maxAttempts: number;
  coderun: CodeRunSettings;
  /** Rendered remediation or evaluation prompt → `spec.promptModification`. */
  prompt: string;
  /** Rendered acceptance criteria → `spec.acceptanceCriteria`. */
  acceptance: string;
  issue: { number: number; url: string } | null;
  /** The Play's session, when the incident belongs to one. */
  session: { repository: string; service: string | null } | null;
  kind: RunKind;
}

const MAX_NAME = 63;

/** A DNS-1123 label part: lower-case alphanumerics and single `-`, trimmed. */
const dnsPart = (s: string): string =>
  s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');

const fp8 = (fingerprint: string): string => dnsPart(fingerprint).replace(/-/g, '').slice(0, 8);

/** `<prefix>-<alert>-<suffix>`, the alert part cut so the whole stays within 63 characters. */
function boundedName(prefix: string, alert: string, suffix: string): string {
  const room = MAX_NAME - prefix.length - suffix.length - 2;
  const part = dnsPart(alert).slice(0, Math.max(room, 1)).replace(/-+$/, '') || 'alert';
  return `${prefix}-${part}-${suffix}`;
}

/** `healer-<alert>-<fingerprint 8 hex>-<attempt>`, e.g. `healer-a7-1f3a9c2e-2`. */
export function remediationName(alert: string, fingerprint: string, attempt: number): string {
  if (!Number.isInteger(attempt) || attempt < 1)
    throw new RangeError(`attempt must be a positive integer, got ${attempt}`);
  return boundedName('healer', alert, `${fp8(fingerprint)}-${attempt}`);
}

/** `healer-eval-<alert>-<fingerprint 8 hex>`: one evaluation run per incident. */
export function evaluationName(alert: string, fingerprint: string): string {
  return boundedName('healer-eval', alert, fp8(fingerprint));
}

export const codeRunName = (input: Pick<CodeRunInput, 'incident' | 'attempt' | 'kind'>): string =>
  input.kind === 'evaluation'
    ? evaluationName(input.incident.alert, input.incident.fingerprint)
    : remediationName(input.incident.alert, input.incident.fingerprint, input.attempt);

/** heal-config `memory` → the flat keys the CodeRun controller reads from `cliConfig.settings`. */
function memoryKeys(m: Partial<CodeRunSettings['memory']>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (m.enabled !== undefined) out.memoryEnabled = m.enabled;
  if (m.agentName !== undefined) out.memoryAgentName = m.agentName;
  if (m.sessionPrefix !== undefined) out.memorySessionPrefix = m.sessionPrefix;
  if (m.retrieveOnStart !== undefined) out.memoryRetrieveOnStart = m.retrieveOnStart;
  if (m.persistOnComplete !== undefined) out.memoryPersistOnComplete = m.persistOnComplete;
  return out;
}

/**
 * `cliConfig.settings`: the configured settings with the memory settings as the controller reads
 * them, flat (`memoryEnabled`, `memoryAgentName`, `memorySessionPrefix`, `memoryRetrieveOnStart`,
 * `memoryPersistOnComplete`). Flat keys the operator set win; a nested `memory` object in the
 * configured settings is read as such and not passed on (the controller would ignore it).
 */
function cliSettings(c: CodeRunSettings): Record<string, unknown> {
  const { memory: nested, ...rest } = c.cliConfig.settings;
  const fromNested =
    nested && typeof nested === 'object'
      ? memoryKeys(nested)
      : {};
  return { ...rest, ...memoryKeys(c.memory), ...fromNested, ...pickMemoryKeys(rest) };
}

const pickMemoryKeys = (s: Record<string, unknown>): Record<string, unknown> =>
  Object.fromEntries(Object.entries(s).filter(([k]) => /^memory[A-Z]/.test(k)));

/** The container environment (a string map, as the CRD's `env` is). */
function runEnv(input: CodeRunInput): Record<string, string> {
  const { incident: i } = input;
  return {
    ALERT_TYPE: i.alert,
    TASK_ID: i.taskId ?? '',
    PLAY_ID: i.playId ?? '',
    HEAL_ISSUE_NUMBER: input.issue ? String(input.issue.number) : '',
    HEAL_ISSUE_URL: input.issue?.url ?? '',
    REMEDIATION_MODE: 'true',
    HEAL_ATTEMPT: String(input.attempt),
    HEAL_MAX_ATTEMPTS: String(input.maxAttempts),
    HEAL_RUN_KIND: input.kind,
    HEAL_FINGERPRINT: i.fingerprint,
    HEAL_NAMESPACE: i.namespace,
    HEAL_AGENT: i.agent ?? '',
    HEAL_TARGET_REPOSITORY: input.session?.repository ?? '',
    HEAL_TARGET_SERVICE: input.session?.service ?? '',
  };
}

/**
 * The remediation (or evaluation) CodeRun for an incident. Same input → the same object, key
 * for key (so `JSON.stringify`/{@link toYaml} are byte-identical). Evaluation runs use
 * `coderun.evaluationModel` when set (model 1 of evaluate-then-fix).
 */
export function buildRemediationCodeRun(input: CodeRunInput): CodeRun {
  const { incident: i, coderun: c } = input;
  const evaluation = input.kind === 'evaluation';
  const model = evaluation ? (c.evaluationModel ?? c.model) : c.model;
  const cliModel = evaluation ? (c.evaluationModel ?? c.cliConfig.model) : c.cliConfig.model;
  return {
    apiVersion: 'agents.platform/v1',
    kind: 'CodeRun',
    metadata: {
      name: codeRunName(input),
      namespace: c.namespace,
      labels: codeRunLabels({
        incident: i,
        kind: input.kind,
        issueNumber: input.issue?.number ?? null,
      }),
    },
    spec: {
      taskId: taskIdFor(i.taskId, i.fingerprint),
      service: c.service,
      runType: c.runType,
      githubApp: c.githubApp,
      model,
      repositoryUrl: c.repositoryUrl,
      docsRepositoryUrl: c.docsRepositoryUrl,
      docsProjectDirectory: c.docsProjectDirectory,
      docsBranch: c.docsBranch,
      workingDirectory: c.workingDirectory,
      enableDocker: c.enableDocker,
      remoteTools: c.remoteTools.join(','),
      localTools: c.localTools.join(','),
      cliConfig: { cliType: c.cliConfig.cliType, model: cliModel, settings: cliSettings(c) },
      promptModification: input.prompt,
      acceptanceCriteria: input.acceptance,
      env: runEnv(input),
    },
  };
}

/** The manifest as YAML (`--dry-run`): block scalars for the prompt, no line folding. */
export function toYaml(manifest: CodeRun): string {
  return stringify(manifest, { lineWidth: 0, sortMapEntries: false });
}

