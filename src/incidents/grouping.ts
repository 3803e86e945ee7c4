// Cause groups (issue #17 point 1): a pure correlation stage between detection and decisions.
// Incidents whose evidence names the same cause — one MCP/tools server failing for several agents
// or Plays, pods on one NotReady node, one image failing to pull, one credential rejected by one
// host, one invalid config file — become children of one parent incident named by that cause: the
// parent gets the issue and the remediation, each child is recorded with the reason `grouped`, and
// the parent resolves when its children have. Rules are data (`patterns/grouping.yaml`), checked
// with their examples at start.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { parseRulesFile } from './rules-file.js';
import { ALERT_IDS, type AlertDraft } from '../domain/alert.js';
import type { Incident } from '../domain/incident.js';
import { redact } from '../domain/redact.js';

export const DEFAULT_GROUPING_PATH = fileURLToPath(
  new URL('../../patterns/grouping.yaml', import.meta.url),
);

const MINUTE = 60_000;

/** A regular expression with a named group `key` (compiled case-insensitive). */
const keyRegex = z.string().superRefine((s, ctx) => {
  try {
    const re = new RegExp(s, 'i');
    if (!/\(\?<key>/.test(s))
      ctx.addIssue({ code: 'custom', message: 'needs a named group (?<key>…)' });
    void re;
  } catch (err) {
    ctx.addIssue({
      code: 'custom',
      message: `not a regular expression: ${(err as Error).message}`,
    });
  }
});

const extractorSchema = z
  .object({
    /** Read the key from this context field of the incident … */
    context: z.string().min(1).optional(),
    /** … or from the first evidence line this expression matches (its `key` group). */
    evidence: keyRegex.optional(),
    /** Only when some evidence line matches this too (e.g. the node is NotReady). */
    when: z
      .string()
      .refine((s) => {
        try {
          new RegExp(s, 'i');
          return true;
        } catch {
          return false;
        }
      }, 'not a regular expression')
      .optional(),
  })
  .strict()
  .refine((e) => (e.context ? 1 : 0) + (e.evidence ? 1 : 0) === 1, {
    message: 'give exactly one of context or evidence',
  });

const exampleIncident = z
  .object({
    alert: z.enum(ALERT_IDS),
    agent: z.string().nullable().default(null),
    playId: z.string().nullable().default(null),
    evidence: z.array(z.string()).default([]),
    context: z.record(z.string(), z.string()).default({}),
  })
  .strict();

const ruleSchema = z
  .object({
    name: z.string().regex(/^[a-z0-9-]+$/, 'must be kebab-case'),
    /** What the parent incident is called: `<title> <key>`, e.g. `MCP server cto-tools failing`. */
    title: z.string().min(1),
    description: z.string().min(1),
    alerts: z.array(z.enum(ALERT_IDS)).min(1),
    keys: z.array(extractorSchema).min(1),
    /** Children join the open parent while it is open; a new parent after this long without a child. */
    windowMinutes: z.number().positive().default(60),
    /** Keys name credentials or hosts: redacted before they are stored or shown. */
    redactKey: z.boolean().default(false),
    examples: z
      .array(
        z
          .object({
            incidents: z.array(exampleIncident).min(1),
            /** The key each incident gets (null: not grouped by this rule), in order. */
            keys: z.array(z.string().nullable()),
          })
          .strict(),
      )
      .min(2, 'needs an example that groups and one that does not'),
  })
  .strict();

const fileSchema = z.object({ rules: z.array(ruleSchema) }).strict();

export type GroupingRule = z.infer<typeof ruleSchema>;

export class GroupingRulesError extends Error {
  constructor(source: string, problems: string[]) {
    super(
      `${source}: the grouping rules have ${problems.length} problem${problems.length === 1 ? '' : 's'}:\n${problems.map((p) => `  ${p}`).join('\n')}`,
    );
    this.name = 'GroupingRulesError';
  }
}

type Keyed = Pick<Incident, 'alert' | 'evidence' | 'context'>;

/** The cause this rule reads off the incident (normalised to lower case), or null. */
export function causeKey(rule: GroupingRule, i: Keyed): string | null {
  if (!rule.alerts.includes(i.alert)) return null;
  for (const k of rule.keys) {
    if (k.when) {
      const when = new RegExp(k.when, 'i');
      if (!i.evidence.some((l) => when.test(l))) continue;
    }
    let key: string | null = null;
    if (k.context) {
      const v = i.context[k.context];
      key = typeof v === 'string' && v.trim() !== '' ? v.trim() : null;
    } else if (k.evidence) {
      const re = new RegExp(k.evidence, 'i');
      for (const line of i.evidence) {
        const m = re.exec(line)?.groups?.key;
        if (m) {
          key = m;
          break;
        }
      }
    }
    if (key) {
      const k2 = key.toLowerCase().replace(/[.,;:]+$/, '');
      return rule.redactKey ? redact(k2) : k2;
    }
  }
  return null;
}

/** A parent incident carries its cause in its context (`cause_rule`, `cause_key`). */
export interface CauseGroup {
  rule: string;
  key: string;
}

export const causeOf = (i: Pick<Incident, 'context'>): CauseGroup | null => {
  const rule = i.context.cause_rule;
  const key = i.context.cause_key;
  return typeof rule === 'string' && typeof key === 'string' ? { rule, key } : null;
};

/** The children a parent was last recorded with (its context `children`), in order. */
export const childIds = (i: Pick<Incident, 'context'>): string[] => {
  const c = i.context.children;
  return typeof c === 'string' ? c.split(/[,\s]+/).filter(Boolean) : [];
};

/** What the correlation stage decides for one incident. */
export type GroupPlan =
  /** An open parent of this cause exists: the incident is its child. */
  | { kind: 'join'; rule: GroupingRule; key: string; parent: Incident }
  /** No open parent yet: create it (from {@link parentDraft}), then the incident is its child. */
  | { kind: 'form'; rule: GroupingRule; key: string };

/**
 * The cause group of `i`, by the first rule that reads a cause off it: join the open parent of
 * that cause (seen within the rule's window), or form one. Null for parents themselves, Healer's
 * own runs, incidents no rule reads a cause off, and children of another group already.
 */
export function planGroup(
  i: Incident,
  open: readonly Incident[],
  rules: readonly GroupingRule[],
  now: Date,
): GroupPlan | null {
  if (causeOf(i) || i.context.remediation === true) return null;
  for (const rule of rules) {
    const key = causeKey(rule, i);
    if (!key) continue;
    const since = new Date(now.getTime() - rule.windowMinutes * MINUTE).toISOString();
    const parent = open.find((p) => {
      const c = causeOf(p);
      return (
        c?.rule === rule.name && c.key === key && p.state !== 'resolved' && p.lastSeen >= since
      );
    });
    return parent ? { kind: 'join', rule, key, parent } : { kind: 'form', rule, key };
  }
  return null;
}

/** How many incidents a parent's child list reads back, at most. */
const CHILDREN_READ = 2000;

/**
 * Every incident of a cause group (open or resolved, seen since the parent was first seen), for a
 * parent; none for any other incident.
 */
export async function groupChildren(
  store: { listIncidents(q: { limit: number; lastSeenFrom?: string }): Promise<Incident[]> },
  parent: Incident,
): Promise<Incident[]> {
  if (!causeOf(parent)) return [];
  // a child is recorded (lastSeen) a moment before the parent it formed: read a day back
  const from = new Date(Date.parse(parent.firstSeen) - 86_400_000).toISOString();
  const rows = await store.listIncidents({ limit: CHILDREN_READ, lastSeenFrom: from });
  return rows
    .filter((c) => c.groupedBy?.incidentId === parent.id)
    .sort((a, b) => a.firstSeen.localeCompare(b.firstSeen) || a.id.localeCompare(b.id));
}

/** The fingerprint of a cause's parent: the same whichever child formed it. */
export const parentFingerprint = (rule: string, key: string): string =>
  createHash('sha256').update(`cause-group|${rule}|${key}`).digest('hex');

/** The alert draft the parent incident is recorded from, listing its children. */
export function parentDraft(
  rule: GroupingRule,
  key: string,
  children: readonly Incident[],
  at: Date,
): AlertDraft {
  const first = children[0];
  const plays = [...new Set(children.map((c) => c.playId).filter((p): p is string => !!p))];
  const agents = [...new Set(children.map((c) => c.agent).filter((a): a is string => !!a))];
  const spread = `${children.length} incident${children.length === 1 ? '' : 's'}${agents.length ? ` of ${agents.length} agent${agents.length === 1 ? '' : 's'} (${agents.join(', ')})` : ''}${plays.length ? ` in ${plays.length} Play${plays.length === 1 ? '' : 's'} (${plays.join(', ')})` : ''}`;
  return {
    alert: first.alert,
    severity: first.severity,
    issueType: first.issueType,
    title: `${rule.title} ${key}`,
    description: `One cause behind ${spread}: ${rule.description.trim()} Fix the cause (${key}), not each symptom. Incidents with this cause: ${children.map((c) => `${c.id} (${c.alert} ${c.title})`).join('; ')}.`,
    namespace: first.namespace,
    playId: first.playId,
    taskId: null,
    agent: null,
    subject: `cause-${rule.name}`,
    evidence: [
      `cause group ${rule.name}: ${key}`,
      ...children.map((c) => `child ${c.id}: ${c.alert} ${c.title}`),
      ...first.evidence,
    ],
    context: {
      cause_rule: rule.name,
      cause_key: key,
      children: children.map((c) => c.id).join(', '),
      plays: plays.join(', '),
      agents: agents.join(', '),
    },
    detectedAt: at.toISOString(),
  };
}

/** Parses and checks rules: schema, unique names, every example holds. */
export function parseGroupingRules(text: string, source = 'grouping rules'): GroupingRule[] {
  return parseRulesFile(
    text,
    fileSchema,
    (rule, problems) => {
      rule.examples.forEach((e, n) => {
        if (e.keys.length !== e.incidents.length)
          problems.push(
            `${rule.name}: example ${n + 1} gives ${e.keys.length} keys for ${e.incidents.length} incidents`,
          );
        e.incidents.forEach((inc, m) => {
          const got = causeKey(rule, {
            alert: inc.alert,
            evidence: inc.evidence,
            context: inc.context,
          });
          if (got !== (e.keys[m] ?? null))
            problems.push(
              `${rule.name}: example ${n + 1}, incident ${m + 1} (${inc.alert}) has key ${JSON.stringify(got)}, expected ${JSON.stringify(e.keys[m] ?? null)}`,
            );
        });
      });
    },
    (problems) => {
      throw new GroupingRulesError(source, problems);
    },
  );
}

export function loadGroupingRules(path = DEFAULT_GROUPING_PATH): GroupingRule[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new GroupingRulesError(path, [`cannot be read: ${(err as Error).message}`]);
  }
  return parseGroupingRules(text, path);
}
