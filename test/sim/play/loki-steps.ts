// An agent container's log lines: pushed to Loki the way Promtail/Alloy ship them (JSON push,
// nanosecond timestamps, the Kubernetes labels), and written to the pod's log in the API server
// so the `pods/log` path sees the same lines.
import { templateVars } from './context.js';
import type { PlayContext } from './context.js';
import type { LogLine } from './control.js';
import type { LogsStep } from './schema.js';
import { expand } from './template.js';
import type { TemplateVars } from './template.js';

const DEFAULT_EVERY_MS = 100;

/** The lines of a step with their times: `after` from the step's time, else `every` apart. */
export function timedLines(s: LogsStep, stepTime: Date, vars?: TemplateVars): LogLine[] {
  const every = s.every ?? DEFAULT_EVERY_MS;
  let t = stepTime.getTime() - every;
  return s.lines.map((l) => {
    t = typeof l === 'string' ? t + every : stepTime.getTime() + l.after;
    const text = typeof l === 'string' ? l : l.text;
    return { time: new Date(t), text: vars ? expand(text, vars) : text };
  });
}

export async function logsStep(ctx: PlayContext, s: LogsStep): Promise<void> {
  const pod = ctx.pods.get(s.pod)!;
  const container = s.container ?? pod.agentContainer;
  const lines = timedLines(s, ctx.now, templateVars(ctx));
  // Same-millisecond lines keep their order in Loki: nanoseconds count up within a millisecond.
  let last = -1n;
  const values = lines.map((l): [string, string] => {
    let ns = BigInt(l.time.getTime()) * 1_000_000n;
    if (ns <= last) ns = last + 1n;
    last = ns;
    return [ns.toString(), l.text];
  });
  const stream = {
    namespace: ctx.namespace,
    pod: pod.name,
    container,
    ...(pod.node ? { node_name: pod.node } : {}),
    stream: s.stream,
    job: `${ctx.namespace}/${container}`,
  };
  const res = await fetch(`${ctx.lokiUrl}/loki/api/v1/push`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'user-agent': 'promtail/3.5.1' },
    body: JSON.stringify({ streams: [{ stream, values }] }),
    signal: AbortSignal.timeout(10_000),
  });
  if (res.status !== 204) throw new Error(`loki push: ${res.status} ${await res.text()}`);
  if (ctx.control) await ctx.control.appendPodLog(ctx.namespace, pod.name, container, lines);
  ctx.result.counts.logLines += lines.length;
}
