// `healer alert-watch`: the detection and action pipeline without the HTTP API (a sidecar, a
// laptop). Reports incidents as they appear and change; `--dry-run` runs in observe mode and
// prints the issue and the remediation CodeRun each new incident would get instead of creating them.
import type { Incident } from '../domain/incident.js';
import type { Command } from 'commander';
import { codeRunFor } from '../actions/coderun/create.js';
import { incidentView } from '../actions/handler.js';
import { renderIssue } from '../templates/index.js';
import { cliConfig, cliTemplates } from './test-alert.js';
import type { Io } from './io.js';
import { IncidentFeed, startPipeline } from './in-process.js';
import {
  EXIT,
  EXIT_CODES_HELP,
  FORMAT_FLAG,
  Printer,
  durationFlag,
  globalsOf,
  k8sName,
  resolveFormat,
  sleep,
} from './output.js';

interface AlertWatchOptions {
  promptsDir?: string;
  dryRun?: boolean;
  duration?: string;
  format?: string;
}

/** What Healer would do for a new incident (--dry-run): the issue it opens, the run it creates. */
function preview(
  printer: Printer,
  incident: Incident,
  templates: ReturnType<typeof cliTemplates>,
  config: ReturnType<typeof cliConfig>,
  settings: { dashboardUrl: string | null; maxAttempts: number },
): void {
  const repository = config.heal.issues.repository ?? null;
  const issue = renderIssue(templates, incidentView(incident, settings, { repository }));
  printer.emit(
    {
      event: 'would-open-issue',
      incident_id: incident.id,
      repository,
      title: issue.title,
      labels: issue.labels,
    },
    `  would open issue in ${repository ?? '(the session repository)'}: ${issue.title} [${issue.labels.join(', ')}]`,
  );
  const run = codeRunFor(
    incident,
    null,
    { templates, coderun: config.heal.coderun, repository, view: settings },
    'remediation',
    1,
  );
  printer.emit(
    {
      event: 'would-create-coderun',
      incident_id: incident.id,
      namespace: run.metadata.namespace,
      name: run.metadata.name,
      labels: run.metadata.labels,
    },
    `  would create CodeRun ${String(run.metadata.namespace)}/${String(run.metadata.name)}`,
  );
}

export async function alertWatch(
  opts: AlertWatchOptions,
  c: Command,
  io: Io,
  env: Record<string, string | undefined>,
  signal?: AbortSignal,
): Promise<number> {
  const g = globalsOf(c);
  const printer = new Printer(io, resolveFormat(opts.format, io.out), g);
  const runFor = opts.duration ? durationFlag(opts.duration, '--duration') : Infinity;
  const namespace = g.namespace ? k8sName(g.namespace, '--namespace') : undefined;
  const config = cliConfig({
    env: {
      ...env,
      ...(namespace ? { HEALER_NAMESPACES: namespace } : {}),
      ...(opts.promptsDir ? { HEALER_PROMPTS_DIR: opts.promptsDir } : {}),
    },
  });
  const templates = cliTemplates(config, process.cwd(), opts.promptsDir);
  const healer = await startPipeline({
    config,
    verbose: g.verbose ?? false,
    ...(opts.dryRun ? { mode: 'observe' as const } : {}),
  });
  const ac = new AbortController();
  const stop = () => ac.abort();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  signal?.addEventListener('abort', stop, { once: true });
  const feed = new IncidentFeed(healer);
  const seen = new Set<string>();
  const settings = {
    dashboardUrl: config.heal.issues.dashboardUrl,
    maxAttempts: config.heal.remediation.maxIterations,
  };
  printer.say(
    `watching ${config.env.HEALER_NAMESPACES.join(', ')}${opts.dryRun ? ' (dry run: nothing is created)' : ''}; Ctrl-C stops`,
  );
  const until = Date.now() + runFor;
  try {
    while (!ac.signal.aborted && Date.now() < until) {
      for (const row of await feed.changes()) {
        printer.emit(
          { event: 'incident', ...row },
          `${row.alert} [${row.severity}] ${row.play_id ?? 'platform'} ${row.agent ?? '-'} ${row.state}: ${row.title}${row.issue ? ` (issue #${row.issue.number})` : ''}`,
        );
        if (!opts.dryRun || seen.has(row.incident_id)) continue;
        seen.add(row.incident_id);
        const incident = await healer.store.getIncident(row.incident_id);
        if (!incident) continue;
        preview(printer, incident, templates, config, settings);
      }
      await sleep(1000, ac.signal);
    }
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
    await healer.stop();
  }
  return EXIT.ok;
}

export function registerAlertWatch(
  program: Command,
  io: Io,
  run: (p: Promise<number>) => void,
  env: Record<string, string | undefined> = process.env,
): void {
  program
    .command('alert-watch')
    .description(
      'run the detection and action pipeline without the HTTP API; report incidents as they come',
    )
    .option('--prompts-dir <dir>', 'issue and prompt templates (default HEALER_PROMPTS_DIR)')
    .option(
      '--dry-run',
      'create nothing: print the issue and CodeRun each new incident would get',
      false,
    )
    .option('--duration <duration>', 'stop after this long (default: until Ctrl-C / SIGTERM)')
    .option(...FORMAT_FLAG)
    .addHelpText(
      'after',
      `\nThe namespace comes from the global --namespace (else HEALER_NAMESPACES). The store is HEALER_STORE.\nExample:\n  healer alert-watch --namespace cto --prompts-dir prompts --dry-run${EXIT_CODES_HELP}`,
    )
    .action((opts: AlertWatchOptions, c: Command) => run(alertWatch(opts, c, io, env)));
}
