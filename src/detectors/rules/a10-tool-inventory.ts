import type { AgentConfig } from '../../domain/session.js';
import { expectedToolsFor, missingExpectedTools, parseToolInventory } from '../patterns/index.js';
import { agentConfigOf, logRule } from './log-draft.js';

/** A tool name as the inventory parser reads it off a line: shown outside the evidence only if plain. */
const PLAIN_NAME = /^[A-Za-z0-9_.:/-]{1,64}$/;

/**
 * A10 against the session (detection.md §4): `expected` are the tools the session expects for the
 * agent that the line shows missing; `listed` the tools the line itself lists as missing.
 */
export function missingToolsOf(
  line: string,
  config: AgentConfig | undefined,
): { expected: string[]; listed: string[] } {
  const inventory = parseToolInventory(line);
  if (!inventory) return { expected: [], listed: [] };
  const expectedTools = config ? expectedToolsFor(config) : [];
  return {
    expected: expectedTools.length ? missingExpectedTools(inventory, expectedTools) : [],
    listed: inventory.missing ?? [],
  };
}

/**
 * A10 Tool Inventory Mismatch: a line showing tools missing from the agent's inventory. The title
 * names the tools the session expects and the line shows missing (else the plain names the line
 * lists, at most ten); the line itself stays in the evidence.
 */
export const a10ToolInventory = logRule('A10', 'Tool Inventory Mismatch', (s, session) => {
  const agent = s.correlation.agent;
  const config = agentConfigOf(session, agent);
  const tools = missingToolsOf(s.line.text, config);
  const listed = tools.listed.filter((n) => PLAIN_NAME.test(n)).slice(0, 10);
  const missing = tools.expected.length ? tools.expected : listed;
  const sentences: string[] = [];
  if (tools.expected.length) {
    const them = tools.expected.length === 1 ? 'it' : 'them';
    sentences.push(
      `The session expects ${tools.expected.join(', ')} for ${agent ?? 'this agent'}, and the line shows ${them} missing.`,
    );
  } else if (listed.length) {
    sentences.push(
      `The line shows ${listed.join(', ')} missing${config ? `; none of them is among the tools the session expects for ${agent ?? 'this agent'}` : ''}.`,
    );
  }
  return {
    titleSuffix: missing.length ? ` missing ${missing.join(', ')}` : '',
    sentences,
    context: {
      missingTools: missing.length ? missing.join(', ') : null,
      missingExpected: tools.expected.length ? tools.expected.join(', ') : null,
    },
  };
});
