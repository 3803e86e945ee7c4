import type { AgentConfig } from '../../domain/session.js';

/** The tool lists one log line states; null where the line says nothing about that list. */
export interface ToolInventory {
  declared: string[] | null;
  available: string[] | null;
  missing: string[] | null;
}

type ListKind = keyof ToolInventory;

const KIND: Record<string, ListKind> = {
  declared: 'declared',
  expected: 'declared',
  configured: 'declared',
  available: 'available',
  present: 'available',
  loaded: 'available',
  got: 'available',
  tools: 'available', // Claude Code's stream-json `init` event lists the tools it has
  missing: 'missing',
  unresolved: 'missing',
};

// `<label> [tools] [from CLI] (:|=)? <list>`, the list in brackets, in parentheses after a count,
// or bare and comma-separated after a `:` or `=`.
const LABELLED = new RegExp(
  String.raw`\b(declared|expected|configured|available|present|loaded|got|missing|unresolved)(?:\s+tools?)?` +
    String.raw`(?:\s+from\s+(?:the\s+)?[\w-]+)?\s*(?:` +
    String.raw`[:=]?\s*\[([^\]]*)\]|[:=]?\s*\d+\s*\(([^)]*)\)|[:=]\s*(\d+)\b(?!\s*\()|` +
    String.raw`[:=]\s*([\w.:/*@-]+(?:\s*,\s*[\w.:/*@-]+)*))`,
  'gi',
);

const items = (list: string): string[] =>
  list
    .split(',')
    .map((s) => s.trim().replace(/^['"`]+|['"`]+$/g, ''))
    .filter((s) => s.length > 0);

function fromJson(line: string): ToolInventory | null {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  const inv: ToolInventory = { declared: null, available: null, missing: null };
  for (const [key, list] of Object.entries(value as Record<string, unknown>)) {
    const kind = KIND[key.toLowerCase()];
    if (kind && Array.isArray(list) && list.every((t) => typeof t === 'string')) inv[kind] = list;
  }
  return inv.declared || inv.available || inv.missing ? inv : null;
}

/**
 * Reads the declared / available / missing tool lists from one log line: the controller's
 * `tool inventory mismatch - declared tools: [a, b] - missing: [c]`, `key=[…]` and `key: a, b`
 * forms, counts with names (`missing: 2 (a, b)`), and JSON lines such as Claude Code's `init`
 * event (`"tools":[…]`). Null when the line lists no tools.
 */
export function parseToolInventory(line: string): ToolInventory | null {
  const trimmed = line.trim();
  if (trimmed.startsWith('{')) return fromJson(trimmed);
  const inv: ToolInventory = { declared: null, available: null, missing: null };
  for (const m of trimmed.matchAll(LABELLED)) {
    const kind = KIND[(m[1] ?? '').toLowerCase()];
    if (!kind) continue;
    const list = m[2] ?? m[3] ?? m[5];
    if (list !== undefined) inv[kind] = [...(inv[kind] ?? []), ...items(list)];
    else if (m[4] === '0') inv[kind] ??= []; // "missing: 0" says the list is empty
  }
  return inv.declared || inv.available || inv.missing ? inv : null;
}

const norm = (s: string): string => s.toLowerCase().replace(/-/g, '_');

/** Whether a tool name from the logs is the expected tool (MCP prefixes and `*` wildcards allowed). */
function sameTool(expected: string, seen: string): boolean {
  const e = norm(expected);
  const s = norm(seen);
  const bare = s.includes('__') ? s.slice(s.lastIndexOf('__') + 2) : s;
  if (e.endsWith('*')) return s.startsWith(e.slice(0, -1)) || bare.startsWith(e.slice(0, -1));
  return s === e || bare === e;
}

/**
 * The session's expected tools for the agent that the inventory line shows missing: listed as
 * missing, or absent from the available list when the line has one. In expected order, once each.
 */
export function missingExpectedTools(
  inventory: ToolInventory,
  expectedTools: readonly string[],
): string[] {
  const { available, missing } = inventory;
  const out = expectedTools.filter(
    (tool) =>
      missing?.some((m) => sameTool(tool, m)) ||
      (available !== null && !available.some((a) => sameTool(tool, a))),
  );
  return [...new Set(out)];
}

/** The tools the session expects for an agent: `tools.remote` plus each enabled local server's tools. */
export function expectedToolsFor(agent: Pick<AgentConfig, 'tools'>): string[] {
  const local = Object.values(agent.tools.localServers)
    .filter((s) => s.enabled)
    .flatMap((s) => s.tools);
  return [...new Set([...agent.tools.remote, ...local])];
}
