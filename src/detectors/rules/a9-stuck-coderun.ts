/**
 * A9 Stuck CodeRun (detection.md §3): `Pending`/empty/unknown phase longer than the threshold since
 * creation or the last phase change, or `Running` while its pod is gone or terminated for longer
 * than the threshold. Remediation CodeRuns are included (the decision layer attaches them).
 */
import { isFinishedCodeRunPhase } from '../../domain/coderun-phase.js';
import type { AlertDraft } from '../../domain/alert.js';
import type { CodeRun, Pod } from '../../domain/kube.js';
import { iso, latest } from '../../domain/kube-time.js';
import { containerStatuses } from '../../domain/pod-containers.js';
import type { Rule } from '../rule.js';
import type { RuleView } from '../../domain/signal.js';
import {
  draftBase,
  isIgnored,
  nameOf,
  namespaceOf,
  phaseOf,
  remediationContext,
  orEmpty,
} from './draft-base.js';
import { eventLines, podLines } from './evidence.js';
import { normaliseAgent } from '../../domain/stages.js';
import { describeThreshold, thresholdContext, thresholdIn } from '../thresholds/adaptive.js';

interface Stuck {
  since: number;
  podState: 'none' | 'gone' | 'terminated';
  why: string;
}

/** When a finished pod finished: its containers' `finishedAt`, else its conditions' times. */
function finishedAt(pod: Pod): number | null {
  return (
    latest(...containerStatuses(pod).map((s) => s.state?.terminated?.finishedAt)) ??
    latest(
      ...(Array.isArray(pod.status?.conditions) ? pod.status.conditions : []).map(
        (c) => c?.lastTransitionTime,
      ),
    )
  );
}

function stuckOf(cr: CodeRun, view: RuleView): Stuck | null {
  const phase = phaseOf(cr);
  const changed = latest(cr.metadata?.creationTimestamp, cr.status?.lastTransitionTime);
  if (isFinishedCodeRunPhase(phase) || changed === null) return null;
  if (phase !== 'Running')
    return { since: changed, podState: 'none', why: `phase ${phase || 'not set'}` };
  const pods = (view.podsOfCodeRun(cr) ?? []).filter((p) => p != null);
  if (pods.length === 0) {
    const since = latest(changed, cr.status?.startedAt) ?? changed;
    return { since, podState: 'gone', why: 'Running but no pod exists' };
  }
  if (!pods.every((p) => p.status?.phase === 'Succeeded' || p.status?.phase === 'Failed'))
    return null;
  const since = latest(...pods.map(finishedAt), changed) ?? changed;
  const phases = pods.map((p) => `${nameOf(p)} ${p.status?.phase}`).join(', ');
  return { since, podState: 'terminated', why: `Running but its pod terminated (${phases})` };
}

export const a9StuckCodeRun: Rule = {
  id: 'A9',
  name: 'Stuck CodeRun',
  kinds: ['coderun'],
  timeBased: true,
  // a CodeRun delivered Running (or without a phase) whose Succeeded is the next event in the
  // stream must not count as stuck; nor one whose pod the pod watch has not delivered yet
  tickOnly: true,
  evaluate(signal, view): AlertDraft[] {
    if (signal.kind !== 'coderun' || isIgnored(signal.correlation)) return [];
    const cr = orEmpty(signal.coderun);
    const s = nameOf(cr) ? stuckOf(cr, view) : null;
    const c = signal.correlation;
    const configured = view.config.alerts.stuckCodeRunMinutes;
    const agent = c.agent ? normaliseAgent(c.agent) : null;
    const own = agent && view.session?.agents?.find((a) => normaliseAgent(a?.name ?? '') === agent);
    const stage = (own && own.stage) || (agent && view.config.stages.agents[agent]) || 'other';
    const t = thresholdIn(view, 'stuck-coderun', agent, stage, configured * 60);
    const threshold = Math.round(t.seconds / 6) / 10;
    const minutes = s ? Math.floor((view.now.getTime() - s.since) / 60_000) : 0;
    if (!s || view.now.getTime() - s.since <= t.seconds * 1000) return [];
    const name = nameOf(cr);
    const ns = namespaceOf(cr);
    const phase = phaseOf(cr);
    const pods = s.podState === 'terminated' ? view.podsOfCodeRun(cr).flatMap(podLines) : [];
    return [
      {
        ...draftBase(c, ns, name, view.now),
        alert: 'A9',
        severity: 'medium',
        issueType: 'stuck',
        title: `Stuck CodeRun: ${name} in ${phase || 'no phase'}`,
        description: `CodeRun ${name} is stuck: ${s.why} for ${minutes} minutes (threshold ${threshold}).`,
        evidence: [
          `coderun/${name} status.phase=${phase || '(none)'} created=${iso(cr.metadata?.creationTimestamp) ?? '?'}${cr.status?.lastTransitionTime ? ` lastTransition=${iso(cr.status.lastTransitionTime)}` : ''}${cr.status?.message ? ` message=${cr.status.message}` : ''}`,
          ...(s.podState === 'gone' ? [`no pod found for coderun/${name}`] : pods),
          ...eventLines(view, 'CodeRun', ns, name),
          `threshold ${describeThreshold(t)}`,
        ],
        context: {
          coderun: name,
          phase: phase || null,
          phaseSince: iso(s.since),
          minutesInPhase: minutes,
          thresholdMinutes: threshold,
          ...thresholdContext(t),
          podState: s.podState,
          ...remediationContext(c),
        },
      },
    ];
  },
};
