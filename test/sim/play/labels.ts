// The labels and names the platform puts on a Play's objects.
import type { PlayContext } from './context.js';

/** Platform labels plus a scenario's own (a null value removes one). */
export const withLabels = (base: Record<string, string>, extra?: Record<string, string | null>) => {
  const out: Record<string, string> = { ...base };
  for (const [k, v] of Object.entries(extra ?? {})) {
    if (v === null) delete out[k];
    else out[k] = v;
  }
  return out;
};

/** A label value the API server accepts: `5dlabs/cto` → `5dlabs-cto`. */
export const labelValue = (v: string) =>
  v
    .replace(/[^A-Za-z0-9_.-]/g, '-')
    .slice(0, 63)
    .replace(/[-_.]+$/, '');

/** The session's service, else the repository's name. */
export function serviceOf(ctx: PlayContext): string {
  return ctx.session.service ?? ctx.session.repository.split('/')[1];
}

/** The labels the platform puts on an agent's CodeRun and pod. */
export function platformLabels(ctx: PlayContext, agent: string, task: string) {
  const cfg = ctx.session.cto_config.agents[agent];
  return {
    'workflows.argoproj.io/workflow': ctx.session.play_id,
    'agents.platform/agent': agent,
    'agents.platform/service': labelValue(serviceOf(ctx)),
    'task-id': labelValue(task),
    'github-app': labelValue(cfg.githubApp ?? agent),
  };
}
