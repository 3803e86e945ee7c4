// `healer reset`: clean up after test Plays of one repository — its Play Workflows and their
// CodeRuns and pods (by label) in the cluster; its open pull requests (closed) and `task-*`
// branches (deleted) on GitHub. Without --force it lists exactly that and changes nothing.
import { CoreV1Api, CustomObjectsApi, type KubeConfig } from '@kubernetes/client-node';
import type { Command } from 'commander';
import { githubClientFromEnv, type HealerOctokitInstance } from '../sources/github/index.js';
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
import { PLAY_LABEL } from './play-view.js';
import { WORKFLOWS, labelValue } from './run.js';

const CODERUNS = { group: 'agents.platform', version: 'v1', plural: 'coderuns' } as const;
const GH_NAME = /^[A-Za-z0-9_.-]{1,100}$/;

export interface ResetItem {
  kind: 'workflow' | 'coderun' | 'pod' | 'pull-request' | 'branch';
  name: string;
  /** namespace or owner/repo */
  where: string;
}

/** A branch a Play made: `task-4`, `feature/task-4-x7k2`, `play-task-4-rex`. */
export const isTaskBranch = (b: string): boolean => /(^|\/)(play-)?task-[A-Za-z0-9]/.test(b);

interface WorkflowLike {
  metadata?: { name?: string };
  spec?: { arguments?: { parameters?: Array<{ name: string; value?: string }> } };
}

async function kubePlan(
  kc: KubeConfig,
  namespace: string,
  repository: string,
): Promise<ResetItem[]> {
  const custom = kc.makeApiClient(CustomObjectsApi);
  const core = kc.makeApiClient(CoreV1Api);
  const items: ResetItem[] = [];
  const list = (await custom.listNamespacedCustomObject({
    ...WORKFLOWS,
    namespace,
    labelSelector: `repository=${labelValue(repository)}`,
  })) as { items: WorkflowLike[] };
  // the label is lossy (`a/b-c` and `a-b/c` share it): the Workflow's own parameter decides
  const workflows = list.items.filter((w) => {
    const p = w.spec?.arguments?.parameters?.find((x) => x.name === 'repository');
    return p === undefined || p.value?.toLowerCase() === repository.toLowerCase();
  });
  for (const w of workflows) {
    const name = w.metadata?.name ?? '';
    items.push({ kind: 'workflow', name, where: namespace });
    const sel = `${PLAY_LABEL}=${name}`;
    const runs = (await custom
      .listNamespacedCustomObject({ ...CODERUNS, namespace, labelSelector: sel })
      .catch((err: unknown) => {
        if ((err as { code?: number }).code === 404) return { items: [] };
        throw err;
      })) as { items: WorkflowLike[] };
    for (const r of runs.items)
      items.push({ kind: 'coderun', name: r.metadata?.name ?? '', where: namespace });
    const pods = await core.listNamespacedPod({ namespace, labelSelector: sel });
    for (const p of pods.items)
      items.push({ kind: 'pod', name: p.metadata?.name ?? '', where: namespace });
  }
  return items;
}

async function githubPlan(
  gh: HealerOctokitInstance,
  owner: string,
  repo: string,
): Promise<ResetItem[]> {
  const where = `${owner}/${repo}`;
  const pulls = await gh.paginate(gh.rest.pulls.list, {
    owner,
    repo,
    state: 'open',
    per_page: 100,
  });
  const branches = await gh.paginate(gh.rest.repos.listBranches, { owner, repo, per_page: 100 });
  return [
    ...pulls.map((p): ResetItem => ({ kind: 'pull-request', name: String(p.number), where })),
    ...branches
      .filter((b) => isTaskBranch(b.name))
      .map((b): ResetItem => ({ kind: 'branch', name: b.name, where })),
  ];
}

async function remove(
  item: ResetItem,
  kc: KubeConfig | null,
  gh: HealerOctokitInstance | null,
  owner: string,
  repo: string,
): Promise<void> {
  switch (item.kind) {
    case 'workflow':
    case 'coderun':
      await kc!.makeApiClient(CustomObjectsApi).deleteNamespacedCustomObject({
        ...(item.kind === 'workflow' ? WORKFLOWS : CODERUNS),
        namespace: item.where,
        name: item.name,
      });
      return;
    case 'pod':
      await kc!
        .makeApiClient(CoreV1Api)
        .deleteNamespacedPod({ namespace: item.where, name: item.name });
      return;
    case 'pull-request':
      await gh!.rest.pulls.update({ owner, repo, pull_number: Number(item.name), state: 'closed' });
      return;
    case 'branch':
      await gh!.rest.git.deleteRef({ owner, repo, ref: `heads/${item.name}` });
      return;
  }
}

export interface ResetOptions {
  repo: string;
  org: string;
  skipK8s?: boolean;
  skipGithub?: boolean;
  force?: boolean;
  format?: string;
}

const silent = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};

export async function reset(
  opts: ResetOptions,
  namespace: string,
  env: Record<string, string | undefined>,
  printer: Printer,
): Promise<number> {
  if (!GH_NAME.test(opts.repo) || !GH_NAME.test(opts.org))
    throw new CliError(
      `--org/--repo "${opts.org}/${opts.repo}" is not a GitHub repository`,
      EXIT.usage,
    );
  const repository = `${opts.org}/${opts.repo}`;
  const kc = opts.skipK8s ? null : requireKube(env);
  let gh: HealerOctokitInstance | null = null;
  if (!opts.skipGithub) {
    const made = githubClientFromEnv(
      { ...env, GITHUB_API_URL: env.GITHUB_API_URL ?? 'https://api.github.com' },
      { logger: silent },
    );
    if (!made.client)
      throw new CliError(`cannot reach GitHub: ${made.reason}; or --skip-github`, EXIT.unreachable);
    gh = made.client.octokit;
  }
  const plan: ResetItem[] = [];
  try {
    if (kc) plan.push(...(await kubePlan(kc, namespace, repository)));
  } catch (err) {
    throw apiError(`cannot list ${repository}'s Plays in ${namespace}`, err);
  }
  try {
    if (gh) plan.push(...(await githubPlan(gh, opts.org, opts.repo)));
  } catch (err) {
    throw apiError(`cannot list ${repository} on GitHub`, err);
  }
  const verb = (k: ResetItem['kind']) => (k === 'pull-request' ? 'close' : 'delete');
  if (!opts.force) {
    for (const i of plan)
      printer.emit(
        { action: `would-${verb(i.kind)}`, ...i },
        `would ${verb(i.kind)} ${i.kind} ${i.where}/${i.name}`,
      );
    printer.say(
      plan.length === 0
        ? `nothing to reset for ${repository}`
        : `${plan.length} item(s); nothing changed — run again with --force`,
    );
    return EXIT.ok;
  }
  let failed = 0;
  // pods and CodeRuns before their Workflow, pull requests before their branches
  for (const i of plan.sort((a, b) => ORDER.indexOf(a.kind) - ORDER.indexOf(b.kind))) {
    try {
      await remove(i, kc, gh, opts.org, opts.repo);
      printer.emit(
        { action: i.kind === 'pull-request' ? 'closed' : 'deleted', ...i },
        `${i.kind === 'pull-request' ? 'closed' : 'deleted'} ${i.kind} ${i.where}/${i.name}`,
      );
    } catch (err) {
      const code =
        (err as { code?: number; status?: number }).code ?? (err as { status?: number }).status;
      if (code === 404) {
        printer.emit(
          { action: 'already-gone', ...i },
          `already gone: ${i.kind} ${i.where}/${i.name}`,
        );
        continue;
      }
      failed++;
      printer.emit(
        { action: 'failed', ...i, error: (err as Error).message },
        `FAILED to ${verb(i.kind)} ${i.kind} ${i.where}/${i.name}: ${(err as Error).message}`,
      );
    }
  }
  return failed > 0 ? EXIT.failed : EXIT.ok;
}

const ORDER: ResetItem['kind'][] = ['pod', 'coderun', 'workflow', 'pull-request', 'branch'];

export function registerReset(
  program: Command,
  io: Io,
  run: (p: Promise<number>) => void,
  env: Record<string, string | undefined> = process.env,
): void {
  program
    .command('reset')
    .description(
      "remove a test repository's Plays (Workflows, CodeRuns, pods), close its PRs, delete its task-* branches",
    )
    .requiredOption('--repo <name>', 'the test repository, e.g. cto-parallel-test')
    .requiredOption('--org <owner>', 'its owner, e.g. 5dlabs')
    .option('--skip-k8s', 'leave the cluster alone', false)
    .option('--skip-github', 'leave GitHub alone', false)
    .option('--force', 'do it (without: list what would be done and change nothing)', false)
    .option(...FORMAT_FLAG)
    .addHelpText(
      'after',
      `\nOnly the repository named here is touched: Workflows labelled repository=<org>-<repo> whose
repository parameter is <org>/<repo>, the CodeRuns and pods labelled with those Workflows, the
repository's open pull requests and its branches named task-* (also feature/task-*).
Example:
  healer reset --repo cto-parallel-test --org 5dlabs            # what would go
  healer reset --repo cto-parallel-test --org 5dlabs --force    # do it${EXIT_CODES_HELP}`,
    )
    .action((opts: ResetOptions, c: Command) => {
      const g = globalsOf(c);
      run(
        reset(
          opts,
          k8sName(g.namespace ?? 'cto', '--namespace'),
          env,
          new Printer(io, resolveFormat(opts.format, io.out), g),
        ),
      );
    });
}
