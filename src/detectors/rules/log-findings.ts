import { logRule } from './log-draft.js';

/*
 * The log alerts whose draft is the finding itself (detection.md §4): the classifier's family,
 * pattern and severity, the pre-flight rule applied by the log stage. A10 reads the session too
 * (`a10-tool-inventory.ts`).
 */

/** A11: the agent's CTO config is missing or invalid. */
export const a11ConfigInvalid = logRule('A11', 'CTO Config Missing or Invalid');
/** A12: an MCP server failed to initialise. */
export const a12McpInit = logRule('A12', 'MCP Init Failure');
/** An error at run time (exceptions, API errors, rate limits, …). */
export const runtimeError = logRule('runtime', 'Runtime Error');
/** A problem of the run's lifecycle (killed, timed out, stuck, …). */
export const lifecycleIssue = logRule('lifecycle', 'Lifecycle Issue');
