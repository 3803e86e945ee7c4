// `healer test-alert`: render an alert's issue and remediation prompt from a sample incident and
// print them; without `--dry-run` create the issue and the CodeRun through the real handlers.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import {
  ActionError,
  incidentView,
  type ActionContext,
  type ActionHandler,
} from '../actions/handler.js';
import { createCodeRunHandler } from '../actions/coderun/create.js';
import { createGitHubIssueHandler } from '../actions/github-issue/index.js';
import { ConfigError, loadConfig, type Config } from '../config/index.js';
import { ALERT_IDS, type AlertId } from '../domain/alert.js';
import type { PlannedAction } from '../domain/action.js';
import { incidentId, type Incident } from '../domain/incident.js';
import { fingerprint, workflowFamily } from '../incidents/fingerprint.js';
import { withIncidentDefaults } from '../incidents/lifecycle.js';
import { githubClientFromEnv } from '../sources/github/index.js';
import { loadKubeAccess } from '../sources/kube/kubeconfig.js';
import {
  ALERT_TEMPLATES,
  DEFAULT_PROMPTS_DIR,
  createTemplateEngine,
  renderAcceptance,
  renderIssue,
  renderPrompt,
  sampleView,
  type TemplateEngine,
} from '../templates/index.js';
import { CliError, println, type Io } from './io.js';

/** What the command reads besides its flags (tests pass their own). */
export interface CliEnv {
  env?: Record<string, string | undefined>;
  cwd?: string;
}

/** `a7`, `A7`, `runtime` → the alert id; anything else is a one-line error listing the ids. */
export function parseAlertId(input: string): AlertId {
  const id = ALERT_IDS.find((a) => a.toLowerCase() === input.trim().toLowerCase());
  if (!id)
    throw new CliError(
      `unknown alert "${input}": one of ${ALERT_IDS.map((a) => a.toLowerCase()).join(', ')}`,
    );
  return id;
}

export function cliConfig(opts: { config?: string } & CliEnv): Config {
  try {
    return loadConfig({
      ...(opts.config ? { configPath: opts.config } : {}),
      ...(opts.env ? { env: opts.env } : {}),
      ...(opts.cwd ? { cwd: opts.cwd } : {}),
    });
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    const [first] = err.problems;
    const more = err.problems.length > 1 ? ` (and ${err.problems.length - 1} more)` : '';
    throw new CliError(
      `invalid configuration: ${first?.source}: ${first?.message}${more}; run healer check-config`,
    );
  }
}

/** The configured prompts directory, or the shipped templates when it does not exist here. */
export function cliTemplates(
  config: Config,
  cwd = process.cwd(),
  promptsDir?: string,
): TemplateEngine {
  if (promptsDir !== undefined) {
    const given = resolve(cwd, promptsDir);
    if (!existsSync(given)) throw new CliError(`--prompts-dir ${promptsDir}: no such directory`, 2);
    try {
      return createTemplateEngine(given);
    } catch (err) {
      throw new CliError(`--prompts-dir ${promptsDir}: ${(err as Error).message}`, 2);
    }
  }
  const dir = resolve(cwd, config.env.HEALER_PROMPTS_DIR);
  return createTemplateEngine(existsSync(dir) ? dir : DEFAULT_PROMPTS_DIR);
}

/** A realistic incident of `alert` (the templates' sample), about `pod` and task when given. */
export function sampleIncident(
  alert: AlertId,
  over: { pod?: string; taskId?: string; playId?: string | null; agent?: string } = {},
): Incident {
  const v = sampleView(alert);
  const pod = over.pod ?? null;
  const base = {
    alert,
    namespace: v.namespace,
    playId: over.playId === undefined ? v.playId : over.playId,
    taskId: over.taskId ?? v.taskId,
    agent: over.agent ?? v.agent,
    subject: pod ? workflowFamily(pod) : v.subject,
  };
  const custom =
    pod !== null ||
    over.taskId !== undefined ||
    over.playId !== undefined ||
    over.agent !== undefined;
  const fp = custom ? fingerprint(base) : v.fingerprint;
  return withIncidentDefaults({
    ...base,
    id: incidentId(fp),
    fingerprint: fp,
    severity: v.severity,
    issueType: v.issueType ?? 'other',
    title: pod ? `${ALERT_TEMPLATES[alert].name}: ${pod}` : v.title,
    description: v.description,
    state: 'open',
    firstSeen: v.firstSeen ?? v.detectedAt,
    lastSeen: v.lastSeen ?? v.detectedAt,
    occurrences: v.occurrences ?? 1,
    evidence: v.evidence,
    context: { ...(v.context ?? {}), ...(pod ? { pod } : {}) },
    resolvedAt: null,
    resolution: null,
    githubIssue: null,
    remediationSpawned: false,
    reopened: 0,
  });
}

/** Runs one action through a handler as the dispatcher would, and applies its incident update. */
export async function runAction(
  handler: ActionHandler,
  action: PlannedAction,
  incident: Incident,
): Promise<{ result: Record<string, unknown>; incident: Incident }> {
  const now = new Date();
  const ctx: ActionContext = {
    action: {
      id: `cli-${action.kind}-${now.getTime()}`,
      incidentId: incident.id,
      decisionId: 'cli',
      seq: 0,
      action,
      destination: handler.destination,
      state: 'pending',
      attempts: 0,
      nextAttemptAt: now.toISOString(),
      lastError: null,
      result: null,
      createdAt: now.toISOString(),
      updatedAt: now.toISOString(),
    },
    incident,
    session: null,
    now,
    signal: AbortSignal.timeout(60_000),
  };
  try {
    const out = await handler.run(ctx);
    return { result: out.result, incident: out.incident ? out.incident(incident) : incident };
  } catch (err) {
    if (err instanceof ActionError) throw new CliError(err.message);
    throw err;
  }
}

const silent = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};

export interface TestAlertOptions extends CliEnv {
  alert: string;
  podName?: string;
  taskId?: string;
  agent?: string;
  promptsDir?: string;
  repository?: string;
  config?: string;
  dryRun: boolean;
  json: boolean;
}

/** Both destinations' clients, checked first: nothing is created unless everything can be. */
function destinations(opts: TestAlertOptions, config: ReturnType<typeof cliConfig>) {
  if (opts.dryRun) return null;
  const gh = githubClientFromEnv(config.env, { logger: silent });
  if (!gh.client)
    throw new CliError(`cannot create the issue: ${gh.reason}; --dry-run only prints`);
  const kube = loadKubeAccess(config.env);
  if (!kube.kc)
    throw new CliError(`cannot create the CodeRun: ${kube.reason}; --dry-run only prints`);
  return { github: gh.client, kc: kube.kc };
}

function checkOptions(opts: TestAlertOptions): void {
  if (opts.taskId !== undefined && !/^[A-Za-z0-9._-]{1,63}$/.test(opts.taskId))
    throw new CliError(`--task-id "${opts.taskId}" is not a task id`, 2);
  if (opts.agent !== undefined && !/^[a-z][a-z0-9-]{0,31}$/.test(opts.agent))
    throw new CliError(`--agent "${opts.agent}" is not an agent name (e.g. rex)`, 2);
}

interface Rendered {
  repository: string | null;
  issue: ReturnType<typeof renderIssue>;
  prompt: string;
  acceptance: string;
}

function printText(io: Io, r: Rendered, created: Record<string, unknown> | null): void {
  println(io.out, `=== Issue (${r.repository ?? 'no repository'}): ${r.issue.title}`);
  println(io.out, `labels: ${r.issue.labels.join(', ')}`);
  println(io.out);
  println(io.out, r.issue.body.trimEnd());
  println(io.out);
  println(io.out, `=== Remediation prompt (CodeRun spec.promptModification)`);
  println(io.out);
  println(io.out, r.prompt.trimEnd());
  println(io.out);
  println(io.out, `=== Acceptance criteria`);
  println(io.out);
  println(io.out, r.acceptance.trimEnd());
  println(io.out);
  if (!created) {
    println(io.out, 'dry run: nothing was created');
    return;
  }
  const i = created.issue as { number: number; url: string; adopted: boolean };
  const c = created.coderun as { coderun: string; namespace: string; adopted: boolean };
  println(io.out, `${i.adopted ? 'adopted existing' : 'created'} issue #${i.number} ${i.url}`);
  println(
    io.out,
    `${c.adopted ? 'adopted existing' : 'created'} CodeRun ${c.namespace}/${c.coderun}`,
  );
}

export async function testAlert(opts: TestAlertOptions, io: Io): Promise<number> {
  const alert = parseAlertId(opts.alert);
  const config = cliConfig(opts);
  const templates = cliTemplates(config, opts.cwd, opts.promptsDir);
  checkOptions(opts);
  const repository =
    opts.repository ?? config.heal.issues.repository ?? sampleView(alert).repository ?? null;
  const settings = {
    dashboardUrl: config.heal.issues.dashboardUrl,
    maxAttempts: config.heal.remediation.maxIterations,
  };
  let incident = sampleIncident(alert, {
    ...(opts.podName ? { pod: opts.podName } : {}),
    ...(opts.taskId ? { taskId: opts.taskId } : {}),
    ...(opts.agent ? { agent: opts.agent } : {}),
  });
  const clients = destinations(opts, config);

  const issue = renderIssue(templates, incidentView(incident, settings, { repository }));
  const sample = sampleView(alert);
  const previewIssue = { number: sample.issueNumber ?? 1, url: sample.issueUrl ?? '' };
  const promptView = incidentView({ ...incident, githubIssue: previewIssue }, settings, {
    repository,
  });
  const rendered: Rendered = {
    repository,
    issue,
    prompt: renderPrompt(templates, promptView),
    acceptance: renderAcceptance(templates, promptView),
  };

  const created: Record<string, unknown> = {};
  if (clients) {
    const { github, kc } = clients;
    const issues = createGitHubIssueHandler({
      client: github,
      templates,
      repository,
      view: settings,
    });
    const opened = await runAction(issues, { kind: 'open-issue' }, incident);
    incident = opened.incident;
    created.issue = opened.result;
    const runs = createCodeRunHandler({
      kc,
      templates,
      coderun: config.heal.coderun,
      repository,
      view: settings,
    });
    created.coderun = (
      await runAction(runs, { kind: 'spawn-remediation', attempt: 1 }, incident)
    ).result;
  }

  if (opts.json) {
    const { prompt, acceptance } = rendered;
    const out = { alert, fingerprint: incident.fingerprint, dryRun: opts.dryRun };
    println(
      io.out,
      JSON.stringify(
        {
          ...out,
          issue: { repository, ...issue },
          prompt,
          acceptance,
          ...(opts.dryRun ? {} : { created }),
        },
        null,
        2,
      ),
    );
    return 0;
  }
  printText(io, rendered, opts.dryRun ? null : created);
  return 0;
}

export function registerTestAlert(
  program: Command,
  io: Io,
  run: (p: Promise<number>) => void,
  deps: CliEnv = {},
): void {
  program
    .command('test-alert')
    .description(
      "render an alert's issue and remediation prompt from a sample; without --dry-run create them",
    )
    .requiredOption('--alert <id>', 'alert id, e.g. a7')
    .option('--pod-name <pod>', 'the pod the sample incident is about')
    .option('--task-id <id>', 'the task the sample incident is about')
    .option('--agent <name>', 'the agent the sample incident is about, e.g. rex')
    .option('--prompts-dir <dir>', 'issue and prompt templates (default: HEALER_PROMPTS_DIR)')
    .option(
      '--repository <owner/repo>',
      'where the issue goes (default: issues.repository, else the sample repository)',
    )
    .option('--config <file>', 'heal-config.json (default: HEALER_CONFIG or ./heal-config.json)')
    .option('--dry-run', 'print only; create nothing', false)
    .option('--json', 'print JSON', false)
    .addHelpText(
      'after',
      `
Example:
  healer test-alert --alert a7 --pod-name test-pod --task-id 4 --agent rex --dry-run
Exit codes: 0 ok, 1 failed, 2 usage error or an API unreachable.`,
    )
    .action((opts: Omit<TestAlertOptions, keyof CliEnv>) =>
      run(testAlert({ ...opts, ...deps }, io)),
    );
}
