import { z } from 'zod';
import { DEFAULT_AGENT_STAGES, DEFAULT_STAGE_ORDER } from './stages.js';

/** `heal-config.json`: shape and defaults of the original system (remediation.md §2.2, detection.md §3). */
const memorySchema = z
  .object({
    enabled: z.boolean().default(true),
    agentName: z.string().min(1).default('healer-remediation'),
    sessionPrefix: z.string().min(1).default('heal-remediation'),
    retrieveOnStart: z.boolean().default(true),
    persistOnComplete: z.boolean().default(true),
  })
  .prefault({});

const coderunSchema = z
  .object({
    namespace: z.string().min(1).default('cto'),
    githubApp: z.string().min(1).default('5DLabs-Rex'),
    model: z.string().min(1).default('claude-opus-4-5-20251101'),
    repositoryUrl: z.url().default('https://github.com/5dlabs/cto'),
    docsRepositoryUrl: z.url().default('https://github.com/5dlabs/cto'),
    docsProjectDirectory: z.string().default('docs'),
    docsBranch: z.string().min(1).default('main'),
    workingDirectory: z.string().min(1).default('.'),
    service: z.string().min(1).default('heal'),
    runType: z.string().min(1).default('implementation'),
    enableDocker: z.boolean().default(true),
    remoteTools: z
      .array(z.string().min(1))
      .default([
        'mcp_tools_github_*',
        'mcp_tools_kubernetes_*',
        'mcp_tools_argocd_*',
        'mcp_tools_cto_*',
        'mcp_tools_context7_*',
        'mcp_tools_firecrawl_*',
        'mcp_tools_grafana_*',
        'mcp_tools_openmemory_*',
      ]),
    localTools: z.array(z.string().min(1)).default([]),
    cliConfig: z
      .object({
        cliType: z.string().min(1).default('factory'),
        model: z.string().min(1).default('claude-opus-4-5-20251101'),
        settings: z.record(z.string(), z.unknown()).default({ template: 'heal/factory' }),
      })
      .prefault({}),
    /** Model of the evaluation run in `evaluate-then-fix` mode. */
    evaluationModel: z.string().min(1).optional(),
    memory: memorySchema,
  })
  .prefault({});

const minutes = z.number().positive();

const alertsSchema = z
  .object({
    staleProgressMinutes: minutes.default(15),
    approvalLoopThreshold: z.number().int().min(1).default(2),
    stuckCodeRunMinutes: minutes.default(10),
    stepTimeoutMinutes: z
      .record(z.string(), minutes)
      .default({ implementation: 45, quality: 15, testing: 30, security: 15, integration: 20 }),
    defaultStepTimeoutMinutes: minutes.default(60),
    startupGraceSeconds: z.number().nonnegative().default(30),
    terminatedTooLongSeconds: z.number().nonnegative().default(60),
    restartThreshold: z.number().int().min(1).default(3),
    /** Work containers finished (exit 0) but a regular sidecar keeps the pod Running this long: A7. */
    sidecarStallSeconds: z.number().nonnegative().default(600),
    /** A sidecar running but never ready this long: A7. */
    sidecarReadyGraceSeconds: z.number().nonnegative().default(120),
    /** An OOM kill followed by this long of stable running is a low resource warning, not a failure. */
    oomStableSeconds: z.number().nonnegative().default(600),
    /** Liveness-probe kills (kubelet `Killing` events) that make a pod failure. */
    livenessKillThreshold: z.number().int().min(1).default(2),
    preflightWindowSeconds: z.number().positive().default(60),
    /** An incident resolves once its condition stayed clear this long (a crash loop looks healthy between crashes). */
    resolveAfterSeconds: z.number().nonnegative().default(300),
    /** Alerts switched off entirely, e.g. `["A1"]`. */
    disabled: z.array(z.string()).default([]),
  })
  .prefault({});

/** Resource pressure before failure (issue #18): the metrics sampler's thresholds. */
const resourcesSchema = z
  .object({
    /** A container above this share of its memory limit (0–1) for `memorySustainSeconds`. */
    memoryLimitRatio: z.number().gt(0).max(1).default(0.9),
    memorySustainSeconds: z.number().positive().default(120),
    /** A memory trend that reaches the limit within this many minutes. */
    trendHorizonMinutes: minutes.default(10),
  })
  .strict()
  .prefault({});

export const PLATFORM_CHECK_NAMES = ['argocd', 'certificates', 'image-pull', 'volumes'] as const;

/** Platform health around the Plays (issue #18): the platform watcher's thresholds. */
const platformSchema = z
  .object({
    /** An Argo CD Application OutOfSync or Degraded at least this long. */
    appUnhealthyMinutes: minutes.default(10),
    /** A cert-manager Certificate not Ready at least this long. */
    certNotReadyMinutes: minutes.default(10),
    /** A Certificate expiring within this many days. */
    certExpiryDays: z.number().positive().default(14),
    /** The same image failing to pull in at least this many namespaces. */
    imagePullNamespaces: z.number().int().min(2).default(2),
    /** A PVC used above this share of its capacity (0–1). */
    volumeUsedRatio: z.number().gt(0).max(1).default(0.8),
    /** Checks switched off, e.g. `["volumes"]`. */
    disabled: z.array(z.enum(PLATFORM_CHECK_NAMES)).default([]),
  })
  .strict()
  .prefault({});

/** A threshold pinned for one agent: wins over the learned and the configured value. */
const pinnedSchema = z
  .object({
    stepTimeoutMinutes: minutes.optional(),
    stuckCodeRunMinutes: minutes.optional(),
    staleProgressMinutes: minutes.optional(),
  })
  .strict();

/**
 * Learned thresholds (issue #18): A8, A9 and A3 per agent and stage from the durations of its
 * successful runs — p95 × factor, at least the floor, at most the configured value — once
 * `minSamples` runs exist; the configured value otherwise.
 */
const thresholdsSchema = z
  .object({
    learn: z.boolean().default(true),
    minSamples: z.number().int().min(1).default(5),
    factor: z.number().min(1).default(1.5),
    floorMinutes: minutes.default(5),
    /** Per agent (`rex`, `cleo`, …): a static value that wins. */
    pinned: z.record(z.string().min(1), pinnedSchema).default({}),
  })
  .strict()
  .prefault({});

const remediationSchema = z
  .object({
    mode: z
      .enum(['issue-and-fix', 'evaluate-then-fix', 'issue-only', 'observe'])
      .default('issue-and-fix'),
    maxIterations: z.number().int().min(1).max(20).default(3),
    cooldownMinutes: z.number().nonnegative().default(10),
    maxConcurrent: z.number().int().min(1).default(5),
    /** Failures of a remediation class (alert, agent, evidence signature) with no success within
     *  `historyWindowDays` after which Healer asks a person instead of trying again. */
    historyFailures: z.number().int().min(1).default(3),
    historyWindowDays: z.number().positive().max(365).default(30),
  })
  .prefault({});

const dedupSchema = z
  .object({
    issueWindowMinutes: z.number().nonnegative().default(30),
  })
  .prefault({});

export const DEFAULT_EXCLUDED_PREFIXES = [
  'healer',
  'cto-tools',
  'cto-controller',
  'vault-mcp-server',
  'openmemory',
  'event-cleaner',
  'workspace-pvc-cleaner',
  'tweakcn',
  'atlas-guardian',
  'atlas-batch-integration',
];

const exclusionsSchema = z
  .object({
    prefixes: z.array(z.string().min(1)).default(DEFAULT_EXCLUDED_PREFIXES),
    label: z.string().min(1).default('healer.platform/exclude'),
  })
  .prefault({});

const stagesSchema = z
  .object({
    order: z
      .array(z.string().min(1))
      .min(1)
      .default([...DEFAULT_STAGE_ORDER]),
    agents: z.record(z.string(), z.string().min(1)).default(DEFAULT_AGENT_STAGES),
  })
  .prefault({});

const issuesSchema = z
  .object({
    /** `owner/repo` for every issue; required for platform incidents. Unset → the session's repository. */
    repository: z
      .string()
      .regex(/^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/, 'must be owner/repo')
      .nullable()
      .default(null),
    dashboardUrl: z.url().nullable().default(null),
  })
  .prefault({});

const patternsSchema = z
  .object({
    /** Path of a catalogue file replacing the shipped one. */
    file: z.string().min(1).nullable().default(null),
    /**
     * The learned stage of the log classifier (issue #12 item 5): true on, false off, null the
     * shipped model's default (docs/detection.md).
     */
    learned: z.boolean().nullable().default(null),
  })
  .prefault({});

export const healConfigSchema = z
  .object({
    coderun: coderunSchema,
    alerts: alertsSchema,
    resources: resourcesSchema,
    platform: platformSchema,
    thresholds: thresholdsSchema,
    remediation: remediationSchema,
    dedup: dedupSchema,
    exclusions: exclusionsSchema,
    stages: stagesSchema,
    issues: issuesSchema,
    patterns: patternsSchema,
  })
  .strict();

export type HealConfig = z.infer<typeof healConfigSchema>;
