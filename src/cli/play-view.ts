// One look at a Play for `healer watch`/`loop`/`full`: its Workflow (phase, steps), each agent's
// CodeRun and pod (phases, restarts), the pull request (state, checks) and the incidents — from
// the running Healer when it answers, else computed here with Healer's own rules over the same
// objects. `diffViews` turns two looks into the events a watcher prints.
import type { KubeConfig } from '@kubernetes/client-node';
import { evaluateAll } from '../detectors/registry.js';
import type { Correlation, RuleView, Signal } from '../domain/signal.js';
import type { HealConfig } from '../domain/heal-config.js';
import type { CodeRun, KubeEvent, Pod, Workflow } from '../domain/kube.js';
import { parsePullRequestUrl } from '../sources/github/index.js';
import type { HealerOctokitInstance } from '../sources/github/index.js';
import { kubeGetJson } from '../sources/kube/kube-http.js';
import { CliError } from './io.js';
import { EXIT, apiError } from './output.js';

export const PLAY_LABEL = 'workflows.argoproj.io/workflow';
export const TERMINAL = ['Succeeded', 'Failed', 'Error'];

export interface AgentRow {
  key: string;
  agent: string;
  coderun: string | null;
  coderunPhase: string | null;
  pod: string | null;
  podPhase: string | null;
  reason: string | null;
  restarts: number;
}

export interface IncidentRow {
  key: string;
  alert: string;
  severity: string;
  agent: string | null;
  subject: string;
  description: string;
  pod: string | null;
  source: 'healer' | 'local';
}

export interface PlayView {
  playId: string;
  namespace: string;
  phase: string;
  message: string | null;
  steps: Array<{ name: string; phase: string }>;
  agents: AgentRow[];
  pr: {
    number: number;
    url: string;
    state: string;
    checks: { passed: number; failed: number; pending: number };
  } | null;
  incidents: IncidentRow[];
}

const ns = (s: string) => encodeURIComponent(s);

/** The Play's Workflow by id, or the newest Play Workflow of a task. Not found → exit 1. */
export async function findWorkflow(
  kc: KubeConfig,
  namespace: string,
  by: { playId?: string; taskId?: string },
): Promise<Workflow> {
  const base = `/apis/argoproj.io/v1alpha1/namespaces/${ns(namespace)}/workflows`;
  try {
    if (by.playId) return await kubeGetJson<Workflow>(kc, `${base}/${ns(by.playId)}`, 10_000);
    const list = await kubeGetJson<{ items: Workflow[] }>(
      kc,
      `${base}?labelSelector=${ns(`task-id=${by.taskId ?? ''}`)}`,
      10_000,
    );
    const newest = list.items.sort((a, b) =>
      String(b.metadata.creationTimestamp ?? '').localeCompare(
        String(a.metadata.creationTimestamp ?? ''),
      ),
    )[0];
    if (!newest)
      throw new CliError(
        `no Play Workflow for task ${by.taskId ?? ''} in ${namespace}`,
        EXIT.found,
      );
    return newest;
  } catch (err) {
    if (err instanceof CliError) throw err;
    if ((err as { status?: number }).status === 404)
      throw new CliError(`no Play ${by.playId ?? ''} in ${namespace}`, EXIT.found);
    throw apiError(`cannot read the Play from the cluster`, err);
  }
}

export interface PlayObjects {
  workflow: Workflow;
  coderuns: CodeRun[];
  pods: Pod[];
  events: KubeEvent[];
}

export async function readPlay(
  kc: KubeConfig,
  namespace: string,
  playId: string,
): Promise<PlayObjects> {
  const sel = `labelSelector=${ns(`${PLAY_LABEL}=${playId}`)}`;
  try {
    const [workflow, coderuns, pods, events] = await Promise.all([
      kubeGetJson<Workflow>(
        kc,
        `/apis/argoproj.io/v1alpha1/namespaces/${ns(namespace)}/workflows/${ns(playId)}`,
        10_000,
      ),
      kubeGetJson<{ items: CodeRun[] }>(
        kc,
        `/apis/agents.platform/v1/namespaces/${ns(namespace)}/coderuns?${sel}`,
        10_000,
      )
        .then((l) => l.items)
        .catch((err: unknown) => {
          if ((err as { status?: number }).status === 404) return [] as CodeRun[]; // CRD absent
          throw err;
        }),
      kubeGetJson<{ items: Pod[] }>(
        kc,
        `/api/v1/namespaces/${ns(namespace)}/pods?${sel}`,
        10_000,
      ).then((l) => l.items),
      kubeGetJson<{ items: KubeEvent[] }>(
        kc,
        `/api/v1/namespaces/${ns(namespace)}/events`,
        10_000,
      ).then((l) => l.items),
    ]);
    const names = new Set([
      playId,
      ...coderuns.map((c) => c.metadata.name),
      ...pods.map((p) => p.metadata?.name),
    ]);
    return {
      workflow,
      coderuns,
      pods,
      events: events.filter((e) => names.has(e.involvedObject.name)),
    };
  } catch (err) {
    if ((err as { status?: number }).status === 404)
      throw new CliError(`Play ${playId} is gone`, EXIT.found);
    throw apiError('cannot read the Play from the cluster', err);
  }
}

const restartsOf = (p: Pod | undefined) =>
  (p?.status?.containerStatuses ?? []).reduce((n, c) => n + (c.restartCount ?? 0), 0);

function reasonOf(p: Pod | undefined): string | null {
  for (const c of p?.status?.containerStatuses ?? []) {
    const r = c.state?.waiting?.reason ?? c.state?.terminated?.reason;
    if (r && r !== 'Completed') return r;
  }
  return p?.status?.reason ?? null;
}

const agentOf = (o: { metadata?: { labels?: Record<string, string> } }) =>
  o.metadata?.labels?.['agents.platform/agent'] ?? null;

/** The agent rows: one per CodeRun with its pod, plus pods no CodeRun names. */
export function agentRows(o: PlayObjects): AgentRow[] {
  const rows: AgentRow[] = [];
  const used = new Set<string>();
  for (const cr of o.coderuns) {
    const pod = o.pods.find(
      (p) =>
        p.metadata?.name === cr.status?.podName ||
        (p.metadata?.labels?.['agents.platform/agent'] === agentOf(cr) &&
          p.metadata?.labels?.['task-id'] === cr.metadata.labels?.['task-id']),
    );
    if (pod?.metadata?.name) used.add(pod.metadata.name);
    rows.push({
      key: cr.metadata.name ?? '',
      agent: agentOf(cr) ?? cr.spec.githubApp ?? '?',
      coderun: cr.metadata.name ?? null,
      coderunPhase: cr.status?.phase ?? null,
      pod: pod?.metadata?.name ?? null,
      podPhase: pod?.status?.phase ?? null,
      reason: reasonOf(pod),
      restarts: restartsOf(pod),
    });
  }
  for (const pod of o.pods) {
    const name = pod.metadata?.name ?? '';
    if (used.has(name)) continue;
    rows.push({
      key: name,
      agent: agentOf(pod) ?? '?',
      coderun: null,
      coderunPhase: null,
      pod: name,
      podPhase: pod.status?.phase ?? null,
      reason: reasonOf(pod),
      restarts: restartsOf(pod),
    });
  }
  return rows;
}

/** Healer's Kubernetes rules over the Play's objects, as the service would run them. */
export function localIncidents(
  o: PlayObjects,
  config: Pick<HealConfig, 'alerts' | 'stages' | 'exclusions'>,
  now: Date,
): IncidentRow[] {
  const correlation = (obj: { metadata?: { labels?: Record<string, string> } }): Correlation => ({
    playId: o.workflow.metadata.name ?? null,
    rule: 1,
    agent: agentOf(obj),
    taskId: obj.metadata?.labels?.['task-id'] ?? null,
    remediation: obj.metadata?.labels?.['healer.platform/remediation'] === 'true',
    servesFingerprint: obj.metadata?.labels?.['healer.platform/fingerprint'] ?? null,
    excluded: null,
  });
  const view: RuleView = {
    now,
    session: null,
    config,
    podsOfCodeRun: (cr) =>
      o.pods.filter(
        (p) =>
          p.metadata?.name === cr.status?.podName ||
          p.metadata?.ownerReferences?.some((r) => r.name === cr.status?.jobName),
      ),
    eventsFor: (_kind, namespace, name) =>
      o.events.filter(
        (e) => e.involvedObject.name === name && e.involvedObject.namespace === namespace,
      ),
    expectedFor: () => undefined,
  };
  const signals: Signal[] = [
    { kind: 'workflow', workflow: o.workflow, correlation: correlation(o.workflow), cause: 'tick' },
    ...o.coderuns.map((coderun): Signal => ({
      kind: 'coderun',
      coderun,
      correlation: correlation(coderun),
      cause: 'tick',
    })),
    ...o.pods.map((pod): Signal => ({
      kind: 'pod',
      pod,
      correlation: correlation(pod),
      cause: 'tick',
    })),
  ];
  const out = new Map<string, IncidentRow>();
  for (const signal of signals) {
    for (const d of evaluateAll(signal, view)) {
      const key = `${d.alert}:${d.subject}`;
      if (out.has(key)) continue;
      out.set(key, {
        key,
        alert: d.alert,
        severity: d.severity,
        agent: d.agent,
        subject: d.subject,
        description: d.description,
        pod:
          typeof d.context.pod === 'string'
            ? d.context.pod
            : signal.kind === 'pod'
              ? (signal.pod.metadata?.name ?? null)
              : null,
        source: 'local',
      });
    }
  }
  return [...out.values()];
}

interface SessionIssue {
  alert: string;
  severity: string;
  agent: string | null;
  description: string;
  incident_id: string;
  state: string;
}

/** The Play's incidents as the running Healer knows them, or null when it does not answer. */
export async function healerIncidents(url: string, playId: string): Promise<IncidentRow[] | null> {
  try {
    const res = await fetch(
      new URL(`api/v1/session/${encodeURIComponent(playId)}`, url.endsWith('/') ? url : `${url}/`),
      {
        signal: AbortSignal.timeout(5_000),
        headers: { accept: 'application/json' },
      },
    );
    if (res.status !== 200) return null;
    const body = (await res.json()) as { session?: { issues?: SessionIssue[] } };
    return (body.session?.issues ?? []).map((i) => ({
      key: i.incident_id,
      alert: i.alert,
      severity: i.severity,
      agent: i.agent,
      subject: i.incident_id,
      description: i.description,
      pod: null,
      source: 'healer' as const,
    }));
  } catch {
    return null;
  }
}

/** The Play's pull request (from its CodeRuns' `pullRequestUrl`) with its check counts. */
export async function prOf(
  gh: HealerOctokitInstance,
  coderuns: CodeRun[],
): Promise<PlayView['pr']> {
  const url = coderuns.map((c) => c.status?.pullRequestUrl).find((u): u is string => !!u);
  const ref = url ? parsePullRequestUrl(url) : null;
  if (!ref) return null;
  try {
    const { data: pr } = await gh.rest.pulls.get({
      owner: ref.owner,
      repo: ref.repo,
      pull_number: ref.number,
    });
    const { data: runs } = await gh.rest.checks.listForRef({
      owner: ref.owner,
      repo: ref.repo,
      ref: pr.head.sha,
    });
    const checks = { passed: 0, failed: 0, pending: 0 };
    for (const r of runs.check_runs) {
      if (r.status !== 'completed') checks.pending++;
      else if (['success', 'neutral', 'skipped'].includes(r.conclusion ?? '')) checks.passed++;
      else checks.failed++;
    }
    return { number: pr.number, url: pr.html_url, state: pr.merged ? 'merged' : pr.state, checks };
  } catch {
    return null;
  }
}

export function buildView(
  o: PlayObjects,
  namespace: string,
  incidents: IncidentRow[],
  pr: PlayView['pr'],
): PlayView {
  const nodes = Object.values(o.workflow.status?.nodes ?? {}).filter((n) => n.type === 'Pod');
  return {
    playId: o.workflow.metadata.name ?? '',
    namespace,
    phase: o.workflow.status?.phase ?? 'Pending',
    message: o.workflow.status?.message ?? null,
    steps: nodes.map((n) => ({ name: n.displayName ?? n.name ?? '?', phase: n.phase ?? '?' })),
    agents: agentRows(o),
    pr,
    incidents,
  };
}

/** The events between two looks (everything, the first time). */
export function diffViews(prev: PlayView | null, next: PlayView): Array<Record<string, unknown>> {
  const out: Array<Record<string, unknown>> = [];
  const play = next.playId;
  if (!prev || prev.phase !== next.phase || prev.message !== next.message)
    out.push({ event: 'workflow', play_id: play, phase: next.phase, message: next.message });
  for (const s of next.steps) {
    const before = prev?.steps.find((p) => p.name === s.name);
    if (!before || before.phase !== s.phase)
      out.push({ event: 'step', play_id: play, step: s.name, phase: s.phase });
  }
  for (const a of next.agents) {
    const before = prev?.agents.find((p) => p.key === a.key);
    if (!before || JSON.stringify(before) !== JSON.stringify(a))
      out.push({
        event: 'agent',
        play_id: play,
        agent: a.agent,
        coderun: a.coderun,
        coderun_phase: a.coderunPhase,
        pod: a.pod,
        pod_phase: a.podPhase,
        reason: a.reason,
        restarts: a.restarts,
      });
  }
  if (next.pr && JSON.stringify(prev?.pr) !== JSON.stringify(next.pr))
    out.push({ event: 'pr', play_id: play, ...next.pr });
  for (const i of next.incidents) {
    if (!prev?.incidents.some((p) => p.key === i.key))
      out.push({
        event: 'incident',
        play_id: play,
        alert: i.alert,
        severity: i.severity,
        agent: i.agent,
        subject: i.subject,
        pod: i.pod,
        description: i.description,
        source: i.source,
      });
  }
  return out;
}

/** One event as a text line. */
export function eventText(e: Record<string, unknown>): string {
  const s = (k: string): string => {
    const v = e[k];
    return typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean'
      ? String(v)
      : '-';
  };
  switch (e.event) {
    case 'workflow':
      return `workflow ${s('play_id')}: ${s('phase')}${e.message ? ` (${s('message')})` : ''}`;
    case 'step':
      return `step ${s('step')}: ${s('phase')}`;
    case 'agent':
      return `agent ${s('agent')}: coderun ${s('coderun')} ${s('coderun_phase')}, pod ${s('pod')} ${s('pod_phase')}${e.reason ? ` ${s('reason')}` : ''}, restarts ${s('restarts')}`;
    case 'pr': {
      const c = e.checks as { passed: number; failed: number; pending: number };
      return `pr #${s('number')} ${s('state')}: checks ${c.passed} passed, ${c.failed} failed, ${c.pending} pending`;
    }
    case 'incident':
      return `INCIDENT ${s('alert')} [${s('severity')}] ${s('agent')} ${s('description')} (${s('source')})`;
    default:
      return JSON.stringify(e);
  }
}

/** The whole view as lines (the in-place display on a terminal, and `loop`'s report). */
export function viewLines(v: PlayView): string[] {
  const lines = [
    `Play ${v.playId} (${v.namespace}): ${v.phase}${v.message ? ` — ${v.message}` : ''}`,
  ];
  for (const s of v.steps) lines.push(`  step  ${s.name.padEnd(28)} ${s.phase}`);
  for (const a of v.agents)
    lines.push(
      `  agent ${a.agent.padEnd(8)} coderun ${(a.coderunPhase ?? '-').padEnd(10)} pod ${(a.podPhase ?? '-').padEnd(9)} ${(a.reason ?? '').padEnd(18)} restarts ${a.restarts}`,
    );
  if (v.pr)
    lines.push(
      `  pr    #${v.pr.number} ${v.pr.state} checks ${v.pr.checks.passed}✓ ${v.pr.checks.failed}✗ ${v.pr.checks.pending}…`,
    );
  lines.push(`  incidents: ${v.incidents.length}`);
  for (const i of v.incidents)
    lines.push(`    ${i.alert} [${i.severity}] ${i.agent ?? '-'} ${i.description}`);
  return lines;
}
