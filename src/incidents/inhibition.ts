// Inhibition (Alertmanager-style, rules as data in `patterns/inhibition.yaml`): an alert that is a
// symptom of an open incident on the same agent run is recorded as that incident's child and never
// acted on separately. Pure matching here; the file is read once at start and its examples checked.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { parseRulesFile } from './rules-file.js';
import { ALERT_IDS, type AlertId } from '../domain/alert.js';
import type { Incident, IncidentQuery } from '../domain/incident.js';

/** The rules shipped with Healer, beside `src/` and `dist/`. */
export const DEFAULT_INHIBITION_PATH = fileURLToPath(
  new URL('../../patterns/inhibition.yaml', import.meta.url),
);

const FIELDS = ['playId', 'agent', 'taskId', 'namespace', 'subject'] as const;
type Field = (typeof FIELDS)[number];

const alert = z.enum(ALERT_IDS);
const side = z
  .object({
    alert,
    playId: z.string().nullable().default(null),
    agent: z.string().nullable().default(null),
    taskId: z.string().nullable().default(null),
    namespace: z.string().default('cto'),
    subject: z.string().default('subject'),
  })
  .strict();

const ruleSchema = z
  .object({
    name: z.string().regex(/^[a-z0-9-]+$/, 'must be kebab-case'),
    description: z.string().min(1),
    source: z.array(alert).min(1),
    target: z.array(alert).min(1),
    equal: z.array(z.enum(FIELDS)).min(1),
    examples: z
      .array(z.object({ source: side, target: side, inhibited: z.boolean() }).strict())
      .min(2, 'needs an example that is inhibited and one that is not'),
  })
  .strict();

const fileSchema = z.object({ rules: z.array(ruleSchema) }).strict();

export type InhibitionRule = z.infer<typeof ruleSchema>;

/** What an incident is matched on. */
export type Matchable = Pick<Incident, 'alert' | Field>;

export class InhibitionRulesError extends Error {
  constructor(source: string, problems: string[]) {
    super(
      `${source}: the inhibition rules have ${problems.length} problem${problems.length === 1 ? '' : 's'}:\n${problems.map((p) => `  ${p}`).join('\n')}`,
    );
    this.name = 'InhibitionRulesError';
  }
}

/** Does `rule` make `target` a symptom of `source`? Every `equal` field set and the same on both. */
export function inhibits(rule: InhibitionRule, source: Matchable, target: Matchable): boolean {
  return (
    rule.source.includes(source.alert) &&
    rule.target.includes(target.alert) &&
    rule.equal.every((f) => source[f] !== null && source[f] === target[f])
  );
}

/**
 * The open incident that inhibits `target`, and the rule: the earliest-seen source of the first
 * rule that applies (never the target itself, never a source that is itself inhibited).
 */
export function findInhibitor(
  target: Matchable & Pick<Incident, 'id'>,
  open: readonly Incident[],
  rules: readonly InhibitionRule[],
): { source: Incident; rule: InhibitionRule } | null {
  for (const rule of rules) {
    if (!rule.target.includes(target.alert)) continue;
    const source = open
      .filter(
        (i) =>
          i.id !== target.id &&
          i.state !== 'resolved' &&
          !i.inhibitedBy &&
          inhibits(rule, i, target),
      )
      .sort((a, b) => a.firstSeen.localeCompare(b.firstSeen))[0];
    if (source) return { source, rule };
  }
  return null;
}

/** Where the inhibition check reads incidents from (the incident store). */
export interface InhibitionReader {
  openIncidents(): Promise<Incident[]>;
  listIncidents(query: IncidentQuery): Promise<Incident[]>;
}

/** More of one play's incidents of one alert than this, and the check reads every open incident. */
export const PLAY_READ_LIMIT = 500;

/**
 * The open incidents that can inhibit `target` under `rules`, read fresh from the store: a superset
 * of the sources `findInhibitor` can pick, so both give the same answer. A rule that matches on
 * `playId` needs only the play's incidents of the rule's source alerts (an indexed read of a few
 * rows); only a rule that does not, or a play with more than `PLAY_READ_LIMIT` such incidents,
 * reads every open incident. A decision is taken for every recorded alert, so a full read here is
 * paid once per pod of a session: at 1,000 sessions and 20,000 pods, 20,000 reads of 1,000
 * incidents during the initial list (the slow, 3 GB list of docs/benchmarks.md).
 */
export async function inhibitionCandidates(
  target: Matchable,
  rules: readonly InhibitionRule[],
  store: InhibitionReader,
): Promise<Incident[]> {
  const sources = new Set<AlertId>();
  for (const rule of rules) {
    if (!rule.target.includes(target.alert)) continue;
    if (!rule.equal.includes('playId') || target.playId === '') return store.openIncidents();
    // a source needs the same playId, and a null playId matches nothing
    if (target.playId !== null) for (const a of rule.source) sources.add(a);
  }
  const playId = target.playId;
  if (playId === null || sources.size === 0) return [];
  const out: Incident[] = [];
  for (const alert of sources) {
    const rows = await store.listIncidents({ playId, alert, limit: PLAY_READ_LIMIT });
    if (rows.length >= PLAY_READ_LIMIT) return store.openIncidents();
    for (const i of rows) if (i.state !== 'resolved') out.push(i);
  }
  return out;
}

/** Alerts some rule can inhibit (only those need a fresh read of the open incidents). */
export const inhibitable = (rules: readonly InhibitionRule[]): ReadonlySet<AlertId> =>
  new Set(rules.flatMap((r) => r.target));

/** Parses and checks rules: schema, unique names, and every example holds. */
export function parseInhibitionRules(text: string, source = 'inhibition rules'): InhibitionRule[] {
  return parseRulesFile(
    text,
    fileSchema,
    (rule, problems) => {
      rule.examples.forEach((e, n) => {
        if (inhibits(rule, e.source, e.target) !== e.inhibited)
          problems.push(
            `${rule.name}: example ${n + 1} (${e.source.alert} → ${e.target.alert}) should ${e.inhibited ? '' : 'not '}be inhibited`,
          );
      });
    },
    (problems) => {
      throw new InhibitionRulesError(source, problems);
    },
  );
}

export function loadInhibitionRules(path = DEFAULT_INHIBITION_PATH): InhibitionRule[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new InhibitionRulesError(path, [`cannot be read: ${(err as Error).message}`]);
  }
  return parseInhibitionRules(text, path);
}
