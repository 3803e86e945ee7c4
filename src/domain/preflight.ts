import type { PreflightItem } from './session.js';

/** The pre-flight checklist of every agent run (detection.md §4). */
export const PREFLIGHT_ITEMS = [
  { id: 'agent_type_identified', label: 'Prompts: agent type identified' },
  { id: 'role_matches_task', label: 'Prompts: role matches task' },
  { id: 'template_loaded', label: 'Prompts: template loaded' },
  { id: 'language_context_set', label: 'Prompts: language context set' },
  { id: 'cto_config_loaded', label: 'MCP: CTO config loaded' },
  { id: 'remote_tools_accessible', label: 'MCP: remote tools accessible' },
  { id: 'local_servers_initialised', label: 'MCP: local servers initialised' },
  { id: 'tools_server_reachable', label: 'MCP: tools-server reachable' },
] as const;

export type PreflightItemId = (typeof PREFLIGHT_ITEMS)[number]['id'];

export const emptyChecklist = (): PreflightItem[] =>
  PREFLIGHT_ITEMS.map((i) => ({ id: i.id, label: i.label, state: 'unknown', evidence: null }));
