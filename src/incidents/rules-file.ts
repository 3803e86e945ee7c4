// Rules kept as data (inhibition, grouping): the YAML file read, its schema checked, rule names
// unique and each rule's own problems (its examples) collected; every problem is reported at once.
import { parse } from 'yaml';
import type { z } from 'zod';

/**
 * The rules of a YAML rules file, or `fail` with every problem: not YAML, the schema, a name used
 * twice, and what `check` finds in each rule (a failing example).
 */
export function parseRulesFile<R extends { name: string }>(
  text: string,
  schema: z.ZodType<{ rules: R[] }>,
  check: (rule: R, problems: string[]) => void,
  fail: (problems: string[]) => never,
): R[] {
  let raw: unknown;
  try {
    raw = parse(text);
  } catch (err) {
    fail([`not YAML: ${(err as Error).message.split('\n')[0]}`]);
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success)
    fail(parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`));
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const rule of parsed.data.rules) {
    if (seen.has(rule.name)) problems.push(`${rule.name}: the name is used twice`);
    seen.add(rule.name);
    check(rule, problems);
  }
  if (problems.length) fail(problems);
  return parsed.data.rules;
}
