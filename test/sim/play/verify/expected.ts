// What a played scenario must have left in the world, folded from its steps alone (a second,
// independent reading of the step vocabulary): objects with their final phases and container
// states, events, log lines per container (current and previous instance), and the PR's
// comments, reviews, commits, checks, statuses and mergeability, each with its time.
import { timedLines } from '../loki-steps.js';
import { botLogin, codeRunName, containersOf, isSingleState, podName, taskOf } from '../names.js';
import type { PlayResult } from '../result.js';
import type { Scenario } from '../schema.js';
import { expand as expandText } from '../template.js';
import type { TemplateVars } from '../template.js';

import { applyState } from './expected-types.js';
import type { ExpectedCodeRun, ExpectedPod, ExpectedWorld } from './expected-types.js';

export type {
  ExpectedContainer,
  ExpectedCodeRun,
  ExpectedPod,
  ExpectedWorld,
  Line,
} from './expected-types.js';

const REVIEW_STATE = {
  APPROVE: 'APPROVED',
  REQUEST_CHANGES: 'CHANGES_REQUESTED',
  COMMENT: 'COMMENTED',
};

export function expectedWorld(s: Scenario, r: PlayResult): ExpectedWorld {
  const start = Date.parse(r.start);
  const at = (ms: number) => start + ms;
  const agents = s.session.cto_config.agents;
  const vars: TemplateVars = {
    play_id: s.session.play_id,
    repository: s.session.repository,
    namespace: s.session.namespace,
    ...(r.pr ? { pr: r.pr.number, pr_url: r.pr.htmlUrl, head: r.pr.head } : {}),
  };
  const w: ExpectedWorld = {
    namespace: s.session.namespace,
    start,
    end: Date.parse(r.end),
    workflow: null,
    coderuns: [],
    pods: [],
    events: [],
    pr: null,
    comments: [],
    reviews: [],
    commits: [],
    checks: new Map(),
    statuses: [],
    mergeable: null,
  };
  const crs = new Map<string, ExpectedCodeRun>();
  const pods = new Map<string, ExpectedPod>();
  let commits = 0;
  const login = (who: { agent?: string; author?: string }) =>
    who.agent !== undefined ? botLogin(who.agent, agents[who.agent]) : who.author!;

  for (const step of s.steps) {
    const now = at(step.at);
    const a = step.action;
    switch (a.kind) {
      case 'workflow':
        w.workflow ??= { name: s.session.play_id, createdAt: now, phase: 'Pending' };
        if (a.spec.phase) w.workflow.phase = a.spec.phase;
        break;
      case 'coderun': {
        const ref = a.spec.id ?? a.spec.agent;
        let cr = crs.get(ref);
        if (!cr) {
          const task = taskOf(s.session, a.spec.agent, a.spec.task);
          cr = {
            ref,
            name: a.spec.name ?? codeRunName(s.session.play_id, ref, task, a.spec.agent),
            agent: a.spec.agent,
            task,
            createdAt: now,
            phase: '',
            deleted: false,
          };
          crs.set(ref, cr);
          w.coderuns.push(cr);
        }
        if (a.spec.delete) cr.deleted = true;
        if (a.spec.phase !== undefined && a.spec.phase !== cr.phase) {
          cr.phase = a.spec.phase;
          if (cr.phase === 'Running') cr.startedAt ??= now;
          if (cr.phase === 'Succeeded' || cr.phase === 'Failed') cr.finishedAt = now;
        }
        break;
      }
      case 'pod': {
        const ref = a.spec.id ?? a.spec.agent;
        let pod = pods.get(ref);
        if (!pod) {
          const cr =
            crs.get(ref) ??
            [...crs.values()].filter((c) => c.agent === a.spec.agent && !c.deleted).at(-1);
          const task = a.spec.task ?? cr?.task ?? taskOf(s.session, a.spec.agent);
          const containers = containersOf(a.spec, agents[a.spec.agent]);
          pod = {
            ref,
            name: a.spec.name ?? podName(s.session.play_id, ref, task, a.spec.agent),
            agent: a.spec.agent,
            task,
            createdAt: now,
            phase: 'Pending',
            deleted: false,
            labels: {
              'agents.platform/agent': a.spec.agent,
              'task-id': task,
              'workflows.argoproj.io/workflow': s.session.play_id,
            },
            containers: new Map(
              containers.map((c) => [
                c,
                {
                  kind: 'waiting',
                  reason: 'ContainerCreating',
                  restartCount: 0,
                  current: [],
                  previous: null,
                  all: [],
                  rotatePending: false,
                  started: false,
                },
              ]),
            ),
          };
          for (const [k, v] of Object.entries(a.spec.labels ?? {})) {
            if (v === null) delete pod.labels[k];
            else pod.labels[k] = v;
          }
          pods.set(ref, pod);
          w.pods.push(pod);
        }
        if (a.spec.delete) pod.deleted = true;
        if (a.spec.phase) pod.phase = a.spec.phase;
        const states = a.spec.states;
        if (states)
          for (const [name, c] of pod.containers) {
            const spec = isSingleState(states) ? states : states[name];
            if (spec) applyState(c, spec, now, at);
          }
        break;
      }
      case 'event': {
        const object =
          a.spec.pod !== undefined
            ? pods.get(a.spec.pod)!.name
            : a.spec.coderun !== undefined
              ? crs.get(a.spec.coderun)!.name
              : s.session.play_id;
        w.events.push({ object, reason: a.spec.reason, message: a.spec.message, at: now });
        break;
      }
      case 'logs': {
        const pod = pods.get(a.spec.pod)!;
        const c = pod.containers.get(a.spec.container ?? [...pod.containers.keys()][0])!;
        for (const l of timedLines(a.spec, new Date(now), vars)) {
          const line = { time: l.time.getTime(), text: l.text };
          c.current.push(line);
          c.all.push(line);
        }
        break;
      }
      case 'pr': {
        const task = taskOf(s.session, a.spec.agent);
        if (commits === 0) commits = 1;
        w.pr = {
          number: r.pr?.number ?? 0,
          head: r.pr?.head ?? '',
          base: a.spec.base,
          author: botLogin(a.spec.agent, agents[a.spec.agent]),
          createdAt: now,
          labels: a.spec.labels ?? [
            `task-${task}`,
            ...(s.session.service ? [`service-${s.session.service}`] : []),
          ],
        };
        break;
      }
      case 'comment':
        w.comments.push({ login: login(a.spec), body: expandText(a.spec.body, vars), at: now });
        break;
      case 'review':
        w.reviews.push({
          login: login(a.spec),
          state: REVIEW_STATE[a.spec.event],
          body: expandText(a.spec.body ?? '', vars),
          at: now,
        });
        break;
      case 'commit':
        commits++;
        w.commits.push({
          login: login(a.spec),
          message: expandText(a.spec.message, vars),
          at: now,
        });
        break;
      case 'check': {
        const key = `${a.spec.name}@${commits}`;
        const prev = w.checks.get(key);
        const done = a.spec.conclusion !== undefined;
        w.checks.set(key, {
          name: a.spec.name,
          commit: commits,
          startedAt: prev?.startedAt ?? now,
          status: done ? 'completed' : (a.spec.status ?? prev?.status ?? 'in_progress'),
          conclusion: a.spec.conclusion ?? prev?.conclusion ?? null,
          ...(done
            ? { completedAt: now }
            : prev?.completedAt
              ? { completedAt: prev.completedAt }
              : {}),
        });
        break;
      }
      case 'status':
        w.statuses.push({ context: a.spec.context, state: a.spec.state, commit: commits, at: now });
        break;
      case 'mergeable':
        w.mergeable = {
          mergeable: a.spec.mergeable,
          ...(a.spec.state ? { state: a.spec.state } : {}),
        };
        break;
      case 'wait':
        break;
    }
  }
  return w;
}
