// `healer spawn-remediation`: build the remediation CodeRun of a sample incident of an alert for a
// task (and pod, and issue); `--dry-run` prints its YAML, otherwise it is created (or adopted).
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import type { Incident } from '../domain/incident.js';
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
  alert?: string;
  taskId?: string;
  targetPod?: string;
  issueNumber?: string;
  issueFile?: string;
  fromScan?: string;
  maxCoderuns?: string;
  /** Where `--from-scan -` reads (tests pass their own). */
  stdin?: NodeJS.ReadableStream;
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

interface IssueFile {
  number: number;
  url?: string;
  html_url?: string;
  title?: string;
  body?: string;
}

/** `--issue-file F`: a GitHub issue as JSON (`gh issue view N --json number,url,title,body`). */
function readIssueFile(file: string): IssueFile {
  let v: unknown;
  try {
    v = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new CliError(`--issue-file ${file}: ${(err as Error).message}`, 2);
  }
  const i = v as Partial<IssueFile> | null;
  if (!i || typeof i.number !== 'number' || !Number.isSafeInteger(i.number) || i.number < 1)
    throw new CliError(`--issue-file ${file}: needs a positive "number"`, 2);
  return i as IssueFile;
}

/** One flagged group of `healer scan-logs --json`. */
interface ScanRow {
  namespace: string;
  pod: string;
  alert: string;
  category: string;
  severity: string;
  count: number;
  sample: string;
  flagged: boolean;
}

async function readScan(file: string, stdin: NodeJS.ReadableStream): Promise<ScanRow[]> {
  let text = '';
  try {
    if (file === '-') for await (const chunk of stdin) text += String(chunk);
    else text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new CliError(`--from-scan ${file}: ${(err as Error).message}`, 2);
  }
  const rows: ScanRow[] = [];
  for (const [n, line] of text.split('\n').entries()) {
    if (!line.trim()) continue;
    let r: Partial<ScanRow>;
    try {
      r = JSON.parse(line) as Partial<ScanRow>;
    } catch {
      throw new CliError(`--from-scan ${file}: line ${n + 1} is not JSON`, 2);
    }
    if (typeof r.pod === 'string' && typeof r.alert === 'string' && r.flagged === true)
      rows.push(r as ScanRow);
  }
  return rows;
}

const taskOfPod = (pod: string): string =>
  /(?:^|-)task-([A-Za-z0-9]+)/.exec(pod)?.[1] ?? 'platform';

/** The incidents of the flagged groups of a `healer scan-logs --json` file (at most --max-coderuns). */
async function incidentsFromScan(opts: SpawnRemediationOptions, io: Io): Promise<Incident[]> {
  const max = positiveInt(opts.maxCoderuns, '--max-coderuns') ?? 3;
  const rows = await readScan(opts.fromScan!, opts.stdin ?? process.stdin);
  const incidents = rows.slice(0, max).map((r): Incident => {
    const alert = parseAlertId(r.alert);
    const base = sampleIncident(alert, { pod: r.pod, taskId: taskOfPod(r.pod), playId: null });
    return {
      ...base,
      namespace: r.namespace,
      title: `${r.alert} ${r.category}: ${r.pod}`,
      description: `${r.count} ${r.severity} log line(s) of category ${r.category} in ${r.namespace}/${r.pod} (healer scan-logs)`,
      evidence: [r.sample],
    };
  });
  if (rows.length > max)
    println(io.err, `${rows.length - max} more flagged group(s) left out (--max-coderuns ${max})`);
  return incidents;
}

/** The one incident described by --alert, --task-id, --target-pod and an issue file. */
function incidentFromOptions(opts: SpawnRemediationOptions, issue: IssueFile | null): Incident {
  if (!opts.alert || !opts.taskId)
    throw new CliError('give --alert and --task-id (or --from-scan FILE)', 2);
  const alert = parseAlertId(opts.alert);
  if (!/^[A-Za-z0-9._-]{1,63}$/.test(opts.taskId))
    throw new CliError(`--task-id "${opts.taskId}" is not a task id`);
  const incident = sampleIncident(alert, {
    taskId: opts.taskId,
    playId: opts.playId ?? null,
    ...(opts.targetPod ? { pod: opts.targetPod } : {}),
  });
  if (!issue?.body && !issue?.title) return incident;
  return {
    ...incident,
    evidence: [issue.title ?? '', ...(issue.body ?? '').split('\n')].filter(Boolean).slice(0, 60),
  };
}

export async function spawnRemediation(opts: SpawnRemediationOptions, io: Io): Promise<number> {
  const issueFromFile = opts.issueFile ? readIssueFile(opts.issueFile) : null;
  const issueNumber = positiveInt(opts.issueNumber, '--issue-number') ?? issueFromFile?.number;
  const attempt = positiveInt(opts.attempt, '--attempt') ?? 1;
  const config = cliConfig(opts);
  const templates = cliTemplates(config, opts.cwd);
  const repository = opts.repository ?? config.heal.issues.repository ?? '5dlabs/cto';
  if (!parseRepo(repository)) throw new CliError(`--repository "${repository}" is not owner/repo`);

  const incidents =
    opts.fromScan !== undefined
      ? await incidentsFromScan(opts, io)
      : [incidentFromOptions(opts, issueFromFile)];
  if (incidents.length === 0) {
    println(io.err, 'no flagged groups in the scan: nothing to spawn');
    return 0;
  }
  const withIssue = (incident: Incident): Incident =>
    issueNumber === undefined
      ? incident
      : {
          ...incident,
          githubIssue: {
            number: issueNumber,
            url:
              issueFromFile?.html_url ??
              issueFromFile?.url ??
              issueUrl(config.env.GITHUB_API_URL, repository, issueNumber),
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
    for (const incident of incidents) {
      const manifest = codeRunFor(withIssue(incident), null, deps, 'remediation', attempt);
      io.out.write(
        opts.json
          ? `${JSON.stringify(manifest, null, incidents.length > 1 ? 0 : 2)}\n`
          : `${incidents.length > 1 ? '---\n' : ''}${toYaml(manifest)}`,
      );
    }
    return 0;
  }
  const kube = loadKubeAccess(config.env);
  if (!kube.kc)
    throw new CliError(`cannot create the CodeRun: ${kube.reason}; --dry-run only prints`, 2);
  const handler = createCodeRunHandler({ ...deps, kc: kube.kc });
  for (const incident of incidents) {
    const { result } = await runAction(
      handler,
      { kind: 'spawn-remediation', attempt },
      withIssue(incident),
    );
    if (opts.json) println(io.out, JSON.stringify(result, null, incidents.length > 1 ? 0 : 2));
    else
      println(
        io.out,
        `${result.adopted ? 'adopted existing' : 'created'} CodeRun ${String(result.namespace)}/${String(result.coderun)} (attempt ${attempt})`,
      );
  }
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
    .option('--alert <id>', 'alert id, e.g. a7 (required without --from-scan)')
    .option('--task-id <id>', 'the task the run is about (required without --from-scan)')
    .option('--target-pod <pod>', 'the failing pod')
    .option('--issue-number <n>', 'the GitHub issue the fix refers to')
    .option(
      '--issue-file <file>',
      'the GitHub issue as JSON (gh issue view N --json number,url,title,body); its text goes into the prompt, fenced',
    )
    .option(
      '--from-scan <file>',
      'one run per flagged group of healer scan-logs --json (- = stdin)',
    )
    .option('--max-coderuns <n>', 'at most this many runs from --from-scan', '3')
    .option('--play-id <id>', 'the play the task belongs to')
    .option('--attempt <n>', 'remediation attempt', '1')
    .option('--repository <owner/repo>', 'repository of the issue (default: issues.repository)')
    .option('--config <file>', 'heal-config.json (default: HEALER_CONFIG or ./heal-config.json)')
    .option('--dry-run', 'print the CodeRun YAML; create nothing', false)
    .option('--json', 'print JSON', false)
    .addHelpText(
      'after',
      `
Examples:
  healer spawn-remediation --alert a7 --task-id 123 --issue-number 456 --target-pod failed-pod --dry-run
  healer scan-logs --json | healer spawn-remediation --from-scan - --max-coderuns 3 --dry-run
Exit codes: 0 ok, 1 failed, 2 usage error or the cluster unreachable.`,
    )
    .action((opts: Omit<SpawnRemediationOptions, keyof CliEnv>) =>
      run(spawnRemediation({ ...opts, ...deps }, io)),
    );
}
