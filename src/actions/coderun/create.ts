// `spawn-remediation` / `spawn-evaluation`: create the CodeRun of an attempt, or adopt the one that
// already exists (deterministic name → 409; fingerprint label → an earlier run of the attempt).
import {
  ApiException,
  CustomObjectsApi,
  Observable,
  type KubeConfig,
  type ObservableMiddleware,
} from '@kubernetes/client-node';
import type { HealConfig } from '../../config/index.js';
import type { RemediationAttempt } from '../../domain/action.js';
import type { Incident } from '../../domain/incident.js';
import type { CodeRun } from '../../domain/kube.js';
import type { Session } from '../../domain/session.js';
import {
  renderAcceptance,
  renderEvaluationPrompt,
  renderPrompt,
  type TemplateEngine,
} from '../../templates/index.js';
import {
  ActionError,
  errorText,
  incidentView,
  type ActionContext,
  type ActionHandler,
  type ActionOutcome,
  type ViewSettings,
} from '../handler.js';
import {
  FINGERPRINT_LABEL,
  TYPE_LABEL,
  healerRunsSelector,
  incidentRunsSelector,
  type RunKind,
} from './labels.js';
import { buildRemediationCodeRun, type CodeRunInput } from './manifest.js';
import { isFinishedCodeRunPhase } from '../../domain/coderun-phase.js';
import type { MemoryView } from '../../templates/index.js';
import { runStarted } from '../../incidents/lifecycle.js';
import type { RemediationMemory } from '../memory/index.js';
import type { OutcomeStore } from '../../domain/stores.js';
import { evidenceSignature, pastOutcomesFor, pastOutcomesText } from '../../incidents/history.js';

export const CODERUN = { group: 'agents.platform', version: 'v1', plural: 'coderuns' } as const;

export type CodeRunKind = RunKind;
export type BuildCodeRun = (input: CodeRunInput) => CodeRun;

export interface CodeRunDeps {
  kc: KubeConfig;
  templates: TemplateEngine;
  coderun: HealConfig['coderun'];
  /** heal-config `issues.repository` (shown in the prompt as where the issue lives). */
  repository: string | null;
  view: ViewSettings;
  /** The manifest builder; default the pure one of `./manifest.ts`. */
  build?: BuildCodeRun;
  /** Healer runs allowed at once platform-wide (`remediation.maxConcurrent`); unset = no cap. */
  maxConcurrent?: number;
  /** The agents' memory: a remediation prompt gets what earlier ones remembered (unset: none). */
  memory?: Pick<RemediationMemory, 'recall'>;
  /** Healer's outcome history: a remediation prompt quotes the last fix of the same failure. */
  history?: Pick<OutcomeStore, 'listOutcomes'>;
}

/** The attempt number an action works on: its own for a remediation, the next one for an evaluation. */
export function attemptOf(ctx: Pick<ActionContext, 'action' | 'incident'>): number {
  const a = ctx.action.action;
  if (a.kind === 'spawn-remediation') return a.attempt;
  return (ctx.incident.attempts.at(-1)?.attempt ?? 0) + 1;
}

/** Renders the prompt and criteria and builds the manifest (pure: the CLI's `--dry-run` uses it). */
export function codeRunFor(
  incident: Incident,
  session: Session | null,
  deps: Omit<CodeRunDeps, 'kc'>,
  kind: CodeRunKind,
  attempt: number,
  memories: MemoryView[] = [],
  pastOutcomes?: { count: number; text: string },
): CodeRun {
  const repository = deps.repository ?? session?.repository ?? null;
  const view = incidentView(incident, deps.view, {
    repository,
    attempt,
    memories,
    ...(pastOutcomes ? { pastOutcomes } : {}),
  });
  const prompt =
    kind === 'evaluation'
      ? renderEvaluationPrompt(deps.templates, view)
      : renderPrompt(deps.templates, view);
  return (deps.build ?? buildRemediationCodeRun)({
    incident,
    attempt,
    maxAttempts: deps.view.maxAttempts,
    coderun: deps.coderun,
    prompt,
    acceptance: renderAcceptance(deps.templates, view),
    issue: incident.githubIssue,
    session: session ? { repository: session.repository, service: session.service } : null,
    kind,
  });
}

/** Passes the action's deadline to the client's HTTP request. */
const withSignal = (signal: AbortSignal) => ({
  middleware: [
    {
      pre: (c) => {
        c.setSignal(signal);
        return new Observable(Promise.resolve(c));
      },
      post: (r) => new Observable(Promise.resolve(r)),
    } satisfies ObservableMiddleware,
  ],
  middlewareMergeStrategy: 'append' as const,
});

/** The Status message of an API error body (a JSON string in client-node 2.x). */
function statusMessage(body: unknown): string {
  let b = body;
  if (typeof b === 'string') {
    try {
      b = JSON.parse(b);
    } catch {
      return errorText(b);
    }
  }
  const m = (b as { message?: unknown } | null)?.message;
  return typeof m === 'string' ? m : errorText(JSON.stringify(b ?? ''));
}

/** Network errors, 5xx, 429 and 409 are worth retrying; other API answers are permanent. */
export function kubeActionError(what: string, err: unknown): ActionError {
  if (err instanceof ActionError) return err;
  if (!(err instanceof ApiException)) {
    return new ActionError(`${what}: ${errorText(err)}`, true, { cause: err });
  }
  const code = (err as ApiException<unknown>).code;
  const message = `${what}: the API server answered ${code}: ${statusMessage((err as ApiException<unknown>).body)}`;
  if (code >= 500 || code === 429 || code === 409 || code === 408) {
    const after = Number((err as ApiException<unknown>).headers?.['retry-after']);
    return new ActionError(message, true, {
      cause: err,
      ...(Number.isFinite(after) && after > 0 ? { retryAfterMs: after * 1000 } : {}),
    });
  }
  const hint =
    code === 403
      ? ' (Healer needs create/get/list on coderuns.agents.platform)'
      : code === 404
        ? ' (is the CodeRun CRD installed and the namespace there?)'
        : '';
  return new ActionError(message + hint, false, { cause: err });
}

const scalar = (v: unknown): string | undefined =>
  typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? String(v) : undefined;

/** A variable of `spec.env`, a map or a list of `{name, value}`. */
const envOf = (cr: CodeRun, name: string): string | undefined => {
  const env = cr.spec?.env;
  if (Array.isArray(env)) {
    const e = (env as { name?: unknown; value?: unknown }[]).find((x) => x.name === name);
    return scalar(e?.value);
  }
  if (env && typeof env === 'object') return scalar((env as Record<string, unknown>)[name]);
  return undefined;
};

/** An existing run is the same attempt: same name, or same kind and `HEAL_ATTEMPT`. */
export function sameRun(existing: CodeRun, wanted: CodeRun): boolean {
  if (existing.metadata?.name === wanted.metadata?.name) return true;
  const attempt = envOf(wanted, 'HEAL_ATTEMPT');
  return (
    attempt !== undefined &&
    envOf(existing, 'HEAL_ATTEMPT') === attempt &&
    existing.metadata?.labels?.[TYPE_LABEL] === wanted.metadata?.labels?.[TYPE_LABEL] &&
    existing.metadata?.labels?.['alert-type'] === wanted.metadata?.labels?.['alert-type']
  );
}

type Via = 'created' | 'conflict' | 'label';

/** How long a spawn waits before checking the platform-wide cap again. */
export const CAPACITY_RETRY_MS = 60_000;

/**
 * Refuses (retryably) to start another run while `maxConcurrent` Healer runs are still going
 * platform-wide; the outbox then retries until one finishes (remediation.md §1 policy).
 */
async function checkCapacity(
  api: CustomObjectsApi,
  namespace: string,
  maxConcurrent: number,
  signal: AbortSignal,
): Promise<void> {
  // every run Healer creates lives in `coderun.namespace`, so the count is namespaced
  const list = (await api
    .listNamespacedCustomObject(
      { ...CODERUN, namespace, labelSelector: healerRunsSelector() },
      withSignal(signal),
    )
    .catch((err: unknown) => {
      throw kubeActionError('counting running Healer CodeRuns', err);
    })) as { items?: CodeRun[] };
  const running = (list.items ?? []).filter(
    (cr) => !isFinishedCodeRunPhase(cr.status?.phase),
  ).length;
  if (running >= maxConcurrent) {
    throw new ActionError(
      `${running} Healer CodeRuns are running (remediation.maxConcurrent ${maxConcurrent}); waiting for one to finish`,
      true,
      { retryAfterMs: CAPACITY_RETRY_MS },
    );
  }
}

async function createOrAdopt(
  api: CustomObjectsApi,
  manifest: CodeRun,
  selector: string,
  signal: AbortSignal,
  maxConcurrent: number | undefined,
): Promise<{ cr: CodeRun; via: Via }> {
  const namespace = manifest.metadata.namespace ?? 'cto';
  const name = manifest.metadata.name ?? '';
  const opts = withSignal(signal);
  const fp = manifest.metadata.labels?.[FINGERPRINT_LABEL];
  if (fp) {
    const list = (await api
      .listNamespacedCustomObject({ ...CODERUN, namespace, labelSelector: selector }, opts)
      .catch((err: unknown) => {
        throw kubeActionError(`listing CodeRuns of fingerprint ${fp}`, err);
      })) as { items?: CodeRun[] };
    const hit = (list.items ?? []).find((cr) => sameRun(cr, manifest));
    if (hit) return { cr: hit, via: 'label' };
  }
  if (maxConcurrent !== undefined) await checkCapacity(api, namespace, maxConcurrent, signal);
  try {
    const cr = (await api.createNamespacedCustomObject(
      { ...CODERUN, namespace, body: manifest },
      opts,
    )) as CodeRun;
    return { cr, via: 'created' };
  } catch (err) {
    if (!(err instanceof ApiException) || (err as ApiException<unknown>).code !== 409)
      throw kubeActionError(`creating CodeRun ${namespace}/${name}`, err);
  }
  // 409 AlreadyExists: the deterministic name says it is this attempt's run.
  try {
    const cr = (await api.getNamespacedCustomObject(
      { ...CODERUN, namespace, name },
      opts,
    )) as CodeRun;
    return { cr, via: 'conflict' };
  } catch (err) {
    throw kubeActionError(`reading the existing CodeRun ${namespace}/${name}`, err);
  }
}

const timestamp = (v: unknown, fallback: Date): string =>
  v instanceof Date ? v.toISOString() : typeof v === 'string' && v ? v : fallback.toISOString();

/** The attempt record of a created or adopted run. */
export function attemptRecord(cr: CodeRun, attempt: number, now: Date): RemediationAttempt {
  const s = cr.status ?? {};
  return {
    attempt,
    coderun: cr.metadata.name ?? '',
    namespace: cr.metadata.namespace ?? '',
    phase: s.phase ?? 'Pending',
    createdAt: timestamp(cr.metadata.creationTimestamp, now),
    finishedAt: s.finishedAt ?? null,
    pullRequestUrl: s.pullRequestUrl ?? null,
  };
}

function outcome(kind: CodeRunKind, record: RemediationAttempt, via: Via): ActionOutcome {
  const result = {
    coderun: record.coderun,
    namespace: record.namespace,
    attempt: record.attempt,
    kind,
    adopted: via !== 'created',
    via,
  };
  return { result, incident: (i) => runStarted(i, kind, record) };
}

/** Creates (or adopts) the run of the action and returns what to record. */
export async function spawnCodeRun(ctx: ActionContext, deps: CodeRunDeps): Promise<ActionOutcome> {
  const kind: CodeRunKind =
    ctx.action.action.kind === 'spawn-evaluation' ? 'evaluation' : 'remediation';
  if (ctx.incident.state === 'resolved')
    return { result: { skipped: `the incident was resolved before the ${kind} run started` } };
  const attempt = attemptOf(ctx);
  const recalled = kind === 'remediation' ? await recall(deps, ctx.incident) : null;
  const past = kind === 'remediation' ? await pastOutcomes(deps, ctx.incident) : null;
  let manifest: CodeRun;
  try {
    manifest = codeRunFor(
      ctx.incident,
      ctx.session,
      deps,
      kind,
      attempt,
      recalled?.memories,
      past?.view,
    );
  } catch (err) {
    throw new ActionError(`building the ${kind} CodeRun: ${errorText(err)}`, false, { cause: err });
  }
  const namespace = manifest.metadata.namespace ?? deps.coderun.namespace;
  const api = deps.kc.makeApiClient(CustomObjectsApi);
  const { cr, via } = await createOrAdopt(
    api,
    { ...manifest, metadata: { ...manifest.metadata, namespace } },
    incidentRunsSelector(ctx.incident.fingerprint),
    ctx.signal,
    deps.maxConcurrent,
  );
  const done = outcome(kind, attemptRecord(cr, attempt, ctx.now), via);
  return {
    ...done,
    result: {
      ...done.result,
      ...(recalled ? { memories: recalled.note } : {}),
      ...(past ? { past_outcomes: past.note } : {}),
    },
  };
}

/**
 * Healer's own outcomes of the same failure (evidence signature), for the prompt: the latest fix
 * that worked and the attempts that did not. A failing read never holds the run back.
 */
async function pastOutcomes(
  deps: Pick<CodeRunDeps, 'history'>,
  incident: Incident,
): Promise<{ view: { count: number; text: string }; note: string } | null> {
  if (!deps.history) return null;
  try {
    const rows = await deps.history.listOutcomes({
      signature: evidenceSignature(incident),
      limit: 200,
    });
    const past = pastOutcomesFor(incident, rows);
    const count = past.failures.length + (past.success ? 1 : 0);
    return {
      view: { count, text: pastOutcomesText(past) },
      note: `${past.success ? 'a fix that worked' : 'no fix that worked'}, ${past.failures.length} failed`,
    };
  } catch (err) {
    return { view: { count: 0, text: '' }, note: `unavailable: ${errorText(err)}` };
  }
}

/**
 * What earlier remediations remembered, for the prompt. The memory being down or slow never
 * holds a remediation back: the run starts without, and its result says why.
 */
async function recall(
  deps: Pick<CodeRunDeps, 'memory'>,
  incident: Incident,
): Promise<{ memories: MemoryView[]; note: string } | null> {
  if (!deps.memory) return null;
  try {
    const memories = await deps.memory.recall(incident);
    return { memories, note: `${memories.length} recalled` };
  } catch (err) {
    return { memories: [], note: `unavailable: ${errorText(err)}` };
  }
}

export function createCodeRunHandler(deps: CodeRunDeps): ActionHandler {
  return {
    kinds: ['spawn-remediation', 'spawn-evaluation'],
    destination: 'kubernetes',
    run: (ctx) => spawnCodeRun(ctx, deps),
  };
}
