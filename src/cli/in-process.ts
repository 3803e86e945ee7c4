// Healer's detection and action pipeline in the CLI's own process, for `healer alert-watch` and
// `healer full --self-healing`: built with the pipeline's public construction (createHealer,
// start/stop), with no HTTP server listening. Incidents are reported as they appear and change.
import type { Config } from '../config/index.js';
import { createLogger } from '../observability/logger.js';
import type { Incident } from '../domain/incident.js';
import { openStore } from '../store/open.js';
import { createHealer } from '../pipeline.js';
import { CliError } from './io.js';
import { EXIT } from './output.js';

export type InProcessHealer = Awaited<ReturnType<typeof createHealer>>;

export interface PipelineOptions {
  config: Config;
  verbose: boolean;
  /** `remediation.mode` to run with (alert-watch --dry-run: observe). */
  mode?: Config['heal']['remediation']['mode'];
  maxIterations?: number;
  /** Keep incidents only in memory (full --self-healing without HEALER_STORE). */
  memoryStore?: boolean;
}

/** Builds and starts the pipeline; the caller stops it. */
export async function startPipeline(o: PipelineOptions): Promise<InProcessHealer> {
  const remediation = {
    ...o.config.heal.remediation,
    ...(o.mode ? { mode: o.mode } : {}),
    ...(o.maxIterations ? { maxIterations: o.maxIterations } : {}),
  };
  const config: Config = { ...o.config, heal: { ...o.config.heal, remediation } };
  const logger = createLogger(o.verbose ? 'info' : 'warn', { stderr: true, pretty: false });
  let store;
  try {
    store = await openStore(o.memoryStore ? { kind: 'memory' } : config.store);
  } catch (err) {
    throw new CliError(`cannot open the store: ${(err as Error).message}`, EXIT.failed);
  }
  const healer = await createHealer({ config, logger, store });
  if (!healer.hub) {
    await healer.stop();
    throw new CliError(
      'cannot reach the cluster: no kubeconfig and no in-cluster credentials',
      EXIT.unreachable,
    );
  }
  await healer.start();
  return healer;
}

/** What a person wants to know of an incident, and its change key. */
export function incidentRow(i: Incident) {
  return {
    incident_id: i.id,
    alert: i.alert,
    severity: i.severity,
    play_id: i.playId,
    agent: i.agent,
    state: i.state,
    title: i.title,
    issue: i.githubIssue ? { number: i.githubIssue.number, url: i.githubIssue.url } : null,
    attempts: i.attempts?.length ?? 0,
    coderuns: (i.attempts ?? []).map((a) => `${a.namespace}/${a.coderun} ${a.phase}`),
    decision: i.lastDecision ?? null,
  };
}

/** Reports incidents that are new or changed since the last call. */
export class IncidentFeed {
  readonly #seen = new Map<string, string>();
  constructor(
    private readonly healer: InProcessHealer,
    private readonly playId?: string,
  ) {}

  async changes(): Promise<Array<ReturnType<typeof incidentRow>>> {
    const list = await this.healer.store.listIncidents({
      limit: 500,
      ...(this.playId ? { playId: this.playId } : {}),
    });
    const out: Array<ReturnType<typeof incidentRow>> = [];
    for (const i of list) {
      const row = incidentRow(i);
      const key = JSON.stringify(row);
      if (this.#seen.get(i.id) === key) continue;
      this.#seen.set(i.id, key);
      out.push(row);
    }
    return out;
  }
}
