// Steps that change Kubernetes objects: the Play's Workflow, an agent's CodeRun and pod, events.
import { z } from 'zod';
import {
  agentSchema,
  containerNameSchema,
  labelsSchema,
  objectNameSchema,
  offsetSchema,
  refSchema,
  taskIdSchema,
} from './schema-common.js';

export const workflowStepSchema = z.strictObject({
  phase: z.enum(['Pending', 'Running', 'Succeeded', 'Failed', 'Error']).optional(),
  message: z.string().optional(),
  labels: labelsSchema.optional(),
});

export const codeRunStepSchema = z.strictObject({
  agent: agentSchema,
  id: refSchema.optional(),
  name: objectNameSchema.optional(),
  task: taskIdSchema.optional(),
  /** `""` leaves the phase empty, as a CodeRun the controller never picked up. */
  phase: z.enum(['', 'Pending', 'Running', 'Succeeded', 'Failed']).optional(),
  message: z.string().optional(),
  labels: labelsSchema.optional(),
  /** Spec fields over the platform's defaults (create only). */
  spec: z.record(z.string(), z.unknown()).optional(),
  delete: z.literal(true).optional(),
});

const terminatedSchema = z.strictObject({
  exitCode: z.number().int(),
  reason: z.string().optional(),
  message: z.string().optional(),
  /** Timeline offsets; default: when the container started running / this step. */
  startedAt: offsetSchema.optional(),
  finishedAt: offsetSchema.optional(),
});

const containerStateObject = z.strictObject({
  running: z.strictObject({ startedAt: offsetSchema.optional() }).optional(),
  waiting: z.strictObject({ reason: z.string().min(1), message: z.string().optional() }).optional(),
  terminated: terminatedSchema.optional(),
  ready: z.boolean().optional(),
  restartCount: z.number().int().nonnegative().optional(),
  lastState: z.strictObject({ terminated: terminatedSchema }).optional(),
});

export type ContainerStateSpec = z.output<typeof containerStateObject>;

/** `running`, `waiting:<Reason>`, `terminated:<exitCode>[:<Reason>]`, or the object form. */
function shorthand(text: string): ContainerStateSpec | null {
  if (text === 'running') return { running: {} };
  const w = /^waiting:([A-Za-z]+)$/.exec(text);
  if (w) return { waiting: { reason: w[1] } };
  const t = /^terminated:(-?\d+)(?::([A-Za-z]+))?$/.exec(text);
  if (t) return { terminated: { exitCode: Number(t[1]), ...(t[2] ? { reason: t[2] } : {}) } };
  return null;
}

function toState(v: string | ContainerStateSpec, ctx: z.RefinementCtx): ContainerStateSpec {
  const s = typeof v === 'string' ? shorthand(v.trim()) : v;
  if (s === null) {
    ctx.addIssue({
      code: 'custom',
      message: `"${typeof v === 'string' ? v : JSON.stringify(v)}" is not a container state (running, waiting:<Reason>, terminated:<code>[:<Reason>] or an object)`,
    });
    return z.NEVER;
  }
  const kinds = (['running', 'waiting', 'terminated'] as const).filter((k) => s[k] !== undefined);
  if (kinds.length > 1) {
    ctx.addIssue({
      code: 'custom',
      message: `a container has one state, got ${kinds.join(' and ')}`,
    });
    return z.NEVER;
  }
  return s;
}

export const containerStateSchema = z.union([z.string(), containerStateObject]).transform(toState);
const stateShorthandSchema = z.string().transform(toState);

export const podStepSchema = z.strictObject({
  agent: agentSchema,
  id: refSchema.optional(),
  name: objectNameSchema.optional(),
  task: taskIdSchema.optional(),
  /** Create only: the work containers (default: the agent's CLI) and the sidecars after them. */
  containers: z.array(containerNameSchema).min(1).optional(),
  sidecars: z.array(containerNameSchema).optional(),
  images: z.record(z.string(), z.string()).optional(),
  /** Create only: Job pods use Never (default) or OnFailure (restarts, crash loops). */
  restartPolicy: z.enum(['Never', 'OnFailure', 'Always']).optional(),
  node: objectNameSchema.optional(),
  labels: labelsSchema.optional(),
  /** PodScheduled=False (Unschedulable) with this message; the pod gets no node. */
  unschedulable: z.string().optional(),
  phase: z.enum(['Pending', 'Running', 'Succeeded', 'Failed', 'Unknown']).optional(),
  reason: z.string().optional(),
  message: z.string().optional(),
  /** Container states by name, or one state (`running`) for every container. */
  states: z
    .union([stateShorthandSchema, z.record(containerNameSchema, containerStateSchema)])
    .optional(),
  delete: z.literal(true).optional(),
});

export const eventStepSchema = z
  .strictObject({
    pod: refSchema.optional(),
    coderun: refSchema.optional(),
    workflow: z.literal(true).optional(),
    type: z.enum(['Normal', 'Warning']).default('Warning'),
    reason: z.string().min(1),
    message: z.string().min(1),
    component: z.string().optional(),
    count: z.number().int().positive().default(1),
  })
  .refine(
    (e) => [e.pod, e.coderun, e.workflow].filter((x) => x !== undefined).length === 1,
    'an event is about exactly one of pod, coderun or workflow',
  );

export type WorkflowStep = z.output<typeof workflowStepSchema>;
export type CodeRunStep = z.output<typeof codeRunStepSchema>;
export type PodStep = z.output<typeof podStepSchema>;
export type EventStep = z.output<typeof eventStepSchema>;
