// `healer spawn-remediation`: build the remediation CodeRun of a sample incident of an alert for a
// task (and pod, and issue); `--dry-run` prints its YAML, otherwise it is created (or adopted).
import type { Command } from 'commander';
import { codeRunFor, createCodeRunHandler } from '../actions/coderun/create.js';
import { toYaml } from '../actions/coderun/manifest.js';
import { parseRepo } from '../actions/github-issue/index.js';
import { loadKubeAccess } from '../sources/kube/kubeconfig.js';
import { CliError, println, type Io } from './io.js';
import {
  cliConfig,
  cliTemplates,
  parseAlertId,
  runAction,
  sampleIncident,
  type CliEnv,
} from './test-alert.js';

export interface SpawnRemediationOptions extends CliEnv {
  alert: string;
  taskId: string;
  targetPod?: string;
  issueNumber?: string;
  playId?: string;
  attempt?: string;
  repository?: string;
  config?: string;
  dryRun: boolean;
  json: boolean;
}

/** The issue's web address from the API base: api.github.com → github.com, GHE `/api/v3` stripped. */
export function issueUrl(apiUrl: string, repository: string, n: number): string {
  const api = new URL(apiUrl);
  const web =
    api.hostname === 'api.github.com'
      ? 'https://github.com'
      : `${api.origin}${api.pathname.replace(/\/api\/v3\/?$/, '').replace(/\/+$/, '')}`;
  return `${web}/${repository}/issues/${n}`;
}

const positiveInt = (v: string | undefined, flag: string): number | undefined => {
  if (v === undefined) return undefined;
  if (!/^\d+$/.test(v) || Number(v) < 1)
    throw new CliError(`${flag} must be a positive integer, got "${v}"`);
  return Number(v);
};

export async function spawnRemediation(opts: SpawnRemediationOptions, io: Io): Promise<number> {
  const alert = parseAlertId(opts.alert);
  if (!/^[A-Za-z0-9._-]{1,63}$/.test(opts.taskId))
    throw new CliError(`--task-id "${opts.taskId}" is not a task id`);
  const issueNumber = positiveInt(opts.issueNumber, '--issue-number');
  const attempt = positiveInt(opts.attempt, '--attempt') ?? 1;
  const config = cliConfig(opts);
  const templates = cliTemplates(config, opts.cwd);
  const repository = opts.repository ?? config.heal.issues.repository ?? '5dlabs/cto';
  if (!parseRepo(repository)) throw new CliError(`--repository "${repository}" is not owner/repo`);
  let incident = sampleIncident(alert, {
    taskId: opts.taskId,
    playId: opts.playId ?? null,
    ...(opts.targetPod ? { pod: opts.targetPod } : {}),
  });
  if (issueNumber !== undefined)
    incident = {
      ...incident,
      githubIssue: {
        number: issueNumber,
        url: issueUrl(config.env.GITHUB_API_URL, repository, issueNumber),
      },
    };
  const deps = {
    templates,
    coderun: config.heal.coderun,
    repository,
    view: {
      dashboardUrl: config.heal.issues.dashboardUrl,
      maxAttempts: config.heal.remediation.maxIterations,
    },
  };

  if (opts.dryRun) {
    const manifest = codeRunFor(incident, null, deps, 'remediation', attempt);
    io.out.write(opts.json ? `${JSON.stringify(manifest, null, 2)}\n` : toYaml(manifest));
    return 0;
  }
  const kube = loadKubeAccess(config.env);
  if (!kube.kc)
    throw new CliError(`cannot create the CodeRun: ${kube.reason}; --dry-run only prints`);
  const handler = createCodeRunHandler({ ...deps, kc: kube.kc });
  const { result } = await runAction(handler, { kind: 'spawn-remediation', attempt }, incident);
  if (opts.json) println(io.out, JSON.stringify(result, null, 2));
  else
    println(
      io.out,
      `${result.adopted ? 'adopted existing' : 'created'} CodeRun ${String(result.namespace)}/${String(result.coderun)} (attempt ${attempt})`,
    );
  return 0;
}

export function registerSpawnRemediation(
  program: Command,
  io: Io,
  run: (p: Promise<number>) => void,
  deps: CliEnv = {},
): void {
  program
    .command('spawn-remediation')
    .description(
      'build a remediation CodeRun for an alert and task and create it; --dry-run prints its YAML',
    )
    .requiredOption('--alert <id>', 'alert id, e.g. a7')
    .requiredOption('--task-id <id>', 'the task the run is about')
    .option('--target-pod <pod>', 'the failing pod')
    .option('--issue-number <n>', 'the GitHub issue the fix refers to')
    .option('--play-id <id>', 'the play the task belongs to')
    .option('--attempt <n>', 'remediation attempt', '1')
    .option('--repository <owner/repo>', 'repository of the issue (default: issues.repository)')
    .option('--config <file>', 'heal-config.json (default: HEALER_CONFIG or ./heal-config.json)')
    .option('--dry-run', 'print the CodeRun YAML; create nothing', false)
    .option('--json', 'print JSON', false)
    .action((opts: Omit<SpawnRemediationOptions, keyof CliEnv>) =>
      run(spawnRemediation({ ...opts, ...deps }, io)),
    );
}
