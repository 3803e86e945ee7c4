/**
 * The eight items of the pre-flight checklist shown on `agents[].preflight` (detection.md §4,
 * api.md). Ids and labels are the ones the session object carries.
 */
export const CHECKLIST_ITEMS = [
  { id: 'agent_type_identified', label: 'Prompts: agent type identified' },
  { id: 'role_matches_task', label: 'Prompts: role matches task' },
  { id: 'template_loaded', label: 'Prompts: template loaded' },
  { id: 'language_context_set', label: 'Prompts: language context set' },
  { id: 'cto_config_loaded', label: 'MCP: CTO config loaded' },
  { id: 'remote_tools_accessible', label: 'MCP: remote tools accessible' },
  { id: 'local_servers_initialised', label: 'MCP: local servers initialised' },
  { id: 'tools_server_reachable', label: 'MCP: tools-server reachable' },
] as const;

export type ChecklistItemId = (typeof CHECKLIST_ITEMS)[number]['id'];

export const CHECKLIST_ITEM_IDS = CHECKLIST_ITEMS.map((i) => i.id) as [
  ChecklistItemId,
  ...ChecklistItemId[],
];
