// `healer run`: submit a Play — an Argo Workflow that references the Play WorkflowTemplate, with
// the parameters of `cto-config.json` (`defaults.play`, the stage agents' Apps, CLIs and models)
// and the flags — through the Kubernetes API, and tell a running Healer about it.
import { CustomObjectsApi, type KubeConfig } from '@kubernetes/client-node';
import type { Command } from 'commander';
import { fetch } from 'undici';
import { stringify } from 'yaml';
import { parseRepo } from '../actions/github-issue/index.js';
import { readCtoConfig, stageAgents, type CtoConfig } from './cto-config.js';
import { CliError, type Io } from './io.js';
import {
  EXIT,
  EXIT_CODES_HELP,
  FORMAT_FLAG,
  Printer,
  apiError,
  globalsOf,
  k8sName,
  requireKube,
  resolveFormat,
} from './output.js';

export const WORKFLOWS = {
  group: 'argoproj.io',
  version: 'v1alpha1',
  plural: 'workflows',
} as const;

export interface RunOptions {
  taskId: string;
  config?: string;
  repository?: string;
  service?: string;
  docsRepository?: string;
  docsProjectDirectory?: string;
  template: string;
  dryRun?: boolean;
  format?: string;
  env?: Record<string, string | undefined>;
}

/** A label value the API server accepts: `5dlabs/cto` → `5dlabs-cto`. */
export const labelValue = (v: string): string =>
  v
    .replace(/[^A-Za-z0-9_.-]/g, '-')
    .slice(0, 63)
    .replace(/^[-_.]+|[-_.]+$/g, '');

export interface PlaySpec {
  taskId: string;
  repository: string;
  service: string;
  docsRepository: string;
  docsProjectDirectory: string;
  template: string;
  namespace: string;
  config: CtoConfig;
}

/** The flags over `defaults.play`, checked. */
export function playSpec(opts: RunOptions, namespace: string): PlaySpec {
  if (!/^[A-Za-z0-9._-]{1,63}$/.test(opts.taskId))
    throw new CliError(`--task-id "${opts.taskId}" is not a task id`, EXIT.usage);
  const config = readCtoConfig(opts.config);
  const play = config.defaults.play;
  const repository = opts.repository ?? play.repository;
  if (!repository || !parseRepo(repository))
    throw new CliError(
      `--repository "${repository ?? ''}" is not owner/repo (nor is defaults.play.repository)`,
      EXIT.usage,
    );
  return {
    taskId: opts.taskId,
    repository,
    service: opts.service ?? play.service ?? repository.split('/')[1],
    docsRepository: opts.docsRepository ?? play.docsRepository ?? repository,
    docsProjectDirectory: opts.docsProjectDirectory ?? play.docsProjectDirectory ?? 'docs',
    template: k8sName(opts.template, '--template'),
    namespace: k8sName(namespace, '--namespace'),
    config,
  };
}

/** The Workflow the platform's MCP server submits for a Play. */
export function playWorkflow(p: PlaySpec): Record<string, unknown> {
  const parameters = [
    { name: 'task-id', value: p.taskId },
    { name: 'repository', value: p.repository },
    { name: 'service', value: p.service },
    { name: 'docs-repository', value: p.docsRepository },
    { name: 'docs-project-directory', value: p.docsProjectDirectory },
  ];
  for (const s of stageAgents(p.config)) {
    parameters.push({ name: `${s.stage}-agent`, value: s.githubApp });
    if (s.cli) parameters.push({ name: `${s.stage}-cli`, value: s.cli });
    if (s.model) parameters.push({ name: `${s.stage}-model`, value: s.model });
  }
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Workflow',
    metadata: {
      generateName: `play-task-${labelValue(p.taskId).toLowerCase()}-`,
      namespace: p.namespace,
      labels: {
        'workflow-type': 'play-orchestration',
        'task-id': labelValue(p.taskId),
        repository: labelValue(p.repository),
        service: labelValue(p.service),
      },
    },
    spec: { workflowTemplateRef: { name: p.template }, arguments: { parameters } },
  };
}

/** The session start the MCP server sends Healer for this Play (agents and their tools). */
export function sessionStart(p: PlaySpec, playId: string): Record<string, unknown> {
  const agents: Record<string, unknown> = {};
  for (const s of stageAgents(p.config)) {
    const a = p.config.agents[s.agent];
    agents[s.agent] = {
      githubApp: s.githubApp,
      cli: s.cli,
      model: s.model,
      tools: { remote: a?.tools?.remote ?? [], localServers: a?.tools?.localServers ?? {} },
    };
  }
  return {
    play_id: playId,
    repository: p.repository,
    service: p.service,
    namespace: p.namespace,
    cto_config: { agents },
    tasks: [{ id: p.taskId, title: `Task ${p.taskId}` }],
  };
}

/** Creates the Workflow; resolves with its name (the Play id). */
export async function submitPlay(kc: KubeConfig, p: PlaySpec): Promise<string> {
  const api = kc.makeApiClient(CustomObjectsApi);
  try {
    const created = (await api.createNamespacedCustomObject({
      ...WORKFLOWS,
      namespace: p.namespace,
      body: playWorkflow(p),
    })) as { metadata?: { name?: string } };
    const name = created.metadata?.name;
    if (!name) throw new CliError('the API server created the Workflow without a name');
    return name;
  } catch (err) {
    if (err instanceof CliError) throw err;
    throw apiError(`cannot create the Play Workflow in ${p.namespace}`, err);
  }
}

/** POST /api/v1/session/start to a running Healer; a failure is reported, never fatal. */
export async function tellHealer(
  url: string,
  body: Record<string, unknown>,
  token?: string,
): Promise<string> {
  try {
    const res = await fetch(new URL('api/v1/session/start', url.endsWith('/') ? url : `${url}/`), {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(10_000),
    });
    const answer = (await res.json().catch(() => ({}))) as { message?: string };
    return `${res.status} ${answer.message ?? ''}`.trim();
  } catch (err) {
    return `unreachable (${(err as Error).message})`;
  }
}

export async function runPlay(
  opts: RunOptions,
  globals: { namespace?: string },
  io: Io,
  printer: Printer,
): Promise<{ playId: string; spec: PlaySpec } | null> {
  const env = opts.env ?? process.env;
  const spec = playSpec(opts, globals.namespace ?? 'cto');
  if (opts.dryRun) {
    const manifest = playWorkflow(spec);
    if (printer.format === 'json') printer.emit({ event: 'manifest', manifest });
    else io.out.write(stringify(manifest));
    return null;
  }
  const kc = requireKube(env);
  const playId = await submitPlay(kc, spec);
  printer.emit(
    {
      event: 'submitted',
      play_id: playId,
      namespace: spec.namespace,
      task_id: spec.taskId,
      repository: spec.repository,
    },
    `submitted Play ${playId} (task ${spec.taskId}, ${spec.repository}) in ${spec.namespace}`,
  );
  const healer = env.HEALER_URL;
  if (healer) {
    const answer = await tellHealer(healer, sessionStart(spec, playId), env.HEALER_API_TOKEN);
    printer.emit({ event: 'healer', url: healer, answer }, `told Healer at ${healer}: ${answer}`);
  }
  return { playId, spec };
}

export const RUN_FLAGS = (cmd: Command): Command =>
  cmd
    .requiredOption('--task-id <id>', 'the task to play')
    .option('--config <file>', "the platform's cto-config.json (defaults.play, agents)")
    .option('--repository <owner/repo>', 'repository (default: defaults.play.repository)')
    .option('--service <name>', 'service (default: defaults.play.service)')
    .option(
      '--docs-repository <owner/repo>',
      'docs repository (default: defaults.play.docsRepository)',
    )
    .option(
      '--docs-project-directory <dir>',
      'docs directory (default: defaults.play.docsProjectDirectory)',
    )
    .option('--template <name>', 'the WorkflowTemplate', 'play-workflow-template');

export function registerRun(
  program: Command,
  io: Io,
  run: (p: Promise<number>) => void,
  env: Record<string, string | undefined> = process.env,
): void {
  const cmd = program
    .command('run')
    .description(
      'submit a Play (an Argo Workflow from the Play WorkflowTemplate) and print its id',
    );
  RUN_FLAGS(cmd)
    .option('--dry-run', 'print the Workflow manifest; submit nothing', false)
    .option(...FORMAT_FLAG)
    .addHelpText(
      'after',
      `
Example:
  healer run --task-id 4 --config cto-config.json --repository 5dlabs/cto-parallel-test
With HEALER_URL set, the running Healer is told about the Play (POST /api/v1/session/start).${EXIT_CODES_HELP}`,
    )
    .action((opts: RunOptions, c: Command) =>
      run(
        (async () => {
          const globals = globalsOf(c);
          const printer = new Printer(io, resolveFormat(opts.format, io.out), globals);
          await runPlay({ ...opts, env }, globals, io, printer);
          return EXIT.ok;
        })(),
      ),
    );
}
