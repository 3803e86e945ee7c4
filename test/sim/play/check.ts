// Checks a parsed scenario for what a schema cannot see: time order, references to agents,
// tasks, pods and CodeRuns created earlier, a pull request before its comments.
import type { Scenario } from './schema.js';
import { containersOf, isSingleState } from './names.js';
import { PR_PLACEHOLDER } from './template.js';

export interface Problem {
  path: (string | number)[];
  message: string;
}

interface PodInfo {
  containers: string[];
  deleted: boolean;
}

export function checkScenario(s: Scenario): Problem[] {
  const problems: Problem[] = [];
  const agents = new Set(Object.keys(s.session.cto_config.agents));
  const tasks = new Set(s.session.tasks.map((t) => t.id));
  const pods = new Map<string, PodInfo>();
  const coderuns = new Map<string, { deleted: boolean }>();
  const names = new Set<string>();
  let pr = false;
  let prevAt = 0;

  const add = (path: (string | number)[], message: string) => problems.push({ path, message });
  const agentKnown = (path: (string | number)[], agent: string | undefined) => {
    if (agent !== undefined && !agents.has(agent))
      add(
        path,
        `agent "${agent}" is not in session.cto_config.agents (${[...agents].join(', ') || 'none'})`,
      );
  };
  const taskKnown = (path: (string | number)[], task: string | undefined) => {
    if (task !== undefined && !tasks.has(task))
      add(path, `task "${task}" is not in session.tasks (${[...tasks].join(', ')})`);
  };
  const needPr = (path: (string | number)[]) => {
    if (!pr) add(path, 'needs a pull request: add a pr step before it');
  };

  const texts = (a: Scenario['steps'][number]['action']): [string, string][] => {
    switch (a.kind) {
      case 'logs':
        return a.spec.lines.map((l, j) => [`lines.${j}`, typeof l === 'string' ? l : l.text]);
      case 'comment':
        return [['body', a.spec.body]];
      case 'review':
        return a.spec.body ? [['body', a.spec.body]] : [];
      case 'commit':
        return [['message', a.spec.message]];
      default:
        return [];
    }
  };

  s.steps.forEach((step, i) => {
    const at = ['steps', i];
    if (!pr)
      for (const [k, text] of texts(step.action))
        if (PR_PLACEHOLDER.test(text))
          add(
            [
              ...at,
              step.action.kind,
              ...k.split('.').map((x) => (/^\d+$/.test(x) ? Number(x) : x)),
            ],
            '{pr}, {pr_url} and {head} need a pr step before this one',
          );
    if (step.at < prevAt) add([...at, 'at'], 'steps must be in time order (at never decreases)');
    prevAt = step.at;
    const a = step.action;
    const p = [...at, a.kind];
    switch (a.kind) {
      case 'coderun': {
        agentKnown([...p, 'agent'], a.spec.agent);
        taskKnown([...p, 'task'], a.spec.task);
        const ref = a.spec.id ?? a.spec.agent;
        const known = coderuns.get(ref);
        if (known?.deleted) add(p, `CodeRun "${ref}" was deleted earlier`);
        if (known && (a.spec.spec || a.spec.name || a.spec.task))
          add(p, `name, task and spec only apply when CodeRun "${ref}" is created`);
        if (!known && a.spec.delete) add(p, `CodeRun "${ref}" does not exist yet`);
        if (!known && a.spec.name) {
          if (names.has(`cr/${a.spec.name}`)) add([...p, 'name'], 'name used twice');
          names.add(`cr/${a.spec.name}`);
        }
        coderuns.set(ref, { deleted: Boolean(a.spec.delete) });
        break;
      }
      case 'pod': {
        agentKnown([...p, 'agent'], a.spec.agent);
        taskKnown([...p, 'task'], a.spec.task);
        const ref = a.spec.id ?? a.spec.agent;
        let info = pods.get(ref);
        if (info?.deleted) add(p, `pod "${ref}" was deleted earlier`);
        const createOnly = (
          ['containers', 'sidecars', 'images', 'restartPolicy', 'name', 'task', 'node'] as const
        ).filter((k) => a.spec[k] !== undefined);
        if (info && createOnly.length)
          add(p, `${createOnly.join(', ')} only apply when pod "${ref}" is created`);
        if (!info) {
          if (a.spec.delete) add(p, `pod "${ref}" does not exist yet`);
          const agentConfig = s.session.cto_config.agents[a.spec.agent];
          const containers = containersOf(a.spec, agentConfig);
          if (new Set(containers).size !== containers.length)
            add([...p, 'containers'], 'container names must be unique');
          info = { containers, deleted: false };
          pods.set(ref, info);
        }
        if (a.spec.delete) info.deleted = true;
        const states = a.spec.states;
        if (states && !isSingleState(states)) {
          for (const c of Object.keys(states))
            if (!info.containers.includes(c))
              add(
                [...p, 'states', c],
                `pod "${ref}" has no container "${c}" (${info.containers.join(', ')})`,
              );
        }
        break;
      }
      case 'logs': {
        const info = pods.get(a.spec.pod);
        if (!info) add([...p, 'pod'], `no pod "${a.spec.pod}" was created before this step`);
        else if (info.deleted) add([...p, 'pod'], `pod "${a.spec.pod}" was deleted earlier`);
        else if (a.spec.container && !info.containers.includes(a.spec.container))
          add(
            [...p, 'container'],
            `pod "${a.spec.pod}" has no container "${a.spec.container}" (${info.containers.join(', ')})`,
          );
        break;
      }
      case 'event': {
        if (a.spec.pod !== undefined && !pods.has(a.spec.pod))
          add([...p, 'pod'], `no pod "${a.spec.pod}" was created before this step`);
        if (a.spec.coderun !== undefined && !coderuns.has(a.spec.coderun))
          add([...p, 'coderun'], `no CodeRun "${a.spec.coderun}" was created before this step`);
        break;
      }
      case 'pr':
        agentKnown([...p, 'agent'], a.spec.agent);
        if (pr) add(p, 'a scenario has one pull request');
        pr = true;
        break;
      case 'comment':
      case 'review':
      case 'commit':
        agentKnown([...p, 'agent'], a.spec.agent);
        if (a.kind !== 'commit') needPr(p);
        break;
      case 'check':
      case 'status':
      case 'mergeable':
        needPr(p);
        break;
      case 'workflow':
      case 'wait':
        break;
    }
  });

  s.expect.alerts.forEach((e, i) => {
    const p = ['expect', 'alerts', i];
    if (e.agent !== null) agentKnown([...p, 'agent'], e.agent);
    if (e.task_id !== null) taskKnown([...p, 'task_id'], e.task_id);
  });
  return problems;
}
