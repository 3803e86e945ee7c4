import { POD, type Sample } from './common.js';

/** Samples of the log-pattern alerts. */
export const LOGS_SAMPLES: Record<'A10' | 'A11' | 'A12' | 'runtime' | 'lifecycle', Sample> = {
  A10: {
    severity: 'critical',
    issueType: 'tool_mismatch',
    subject: 'play-task-4',
    pod: POD,
    container: 'agent',
    missingTools: ['mcp_tools_kubernetes_get_pods', 'mcp_tools_argocd_sync'],
    declaredTools: [
      'mcp_tools_github_create_pull_request',
      'mcp_tools_kubernetes_get_pods',
      'mcp_tools_argocd_sync',
    ],
    title: 'Tool Mismatch: rex is missing 2 declared tools',
    description:
      'Within 12 s of start, rex reported a tool inventory mismatch: 2 tools declared in cto-config are not available to the CLI.',
    context: { preflight: true, seconds_after_start: 12 },
    evidence: [
      '2025-11-21T05:42:05Z tool inventory mismatch - declared tools: [mcp_tools_github_create_pull_request, mcp_tools_kubernetes_get_pods, mcp_tools_argocd_sync] - missing: [mcp_tools_kubernetes_get_pods, mcp_tools_argocd_sync]',
    ],
  },
  A11: {
    severity: 'critical',
    issueType: 'config_error',
    subject: 'play-task-4',
    pod: POD,
    container: 'agent',
    title: 'Config Error: cto-config missing for rex',
    description:
      'Rex could not load its CTO config at start, so it runs without the declared agents, tools and models.',
    context: { preflight: true, seconds_after_start: 4, config_path: '/workspace/cto-config.json' },
    evidence: [
      '2025-11-21T05:41:57Z failed to load cto-config: open /workspace/cto-config.json: no such file or directory',
    ],
  },
  A12: {
    severity: 'high',
    issueType: 'mcp_init_failed',
    subject: 'play-task-4',
    pod: POD,
    container: 'agent',
    mcpServer: 'cto-tools',
    title: 'MCP Init Failure: rex cannot reach cto-tools',
    description:
      'The MCP client of rex failed to initialise: the tools-server (cto-tools) refused the connection.',
    context: {
      preflight: false,
      tools_server_url: 'http://cto-tools.cto.svc.cluster.local:3000/mcp',
    },
    evidence: [
      '2025-11-21T05:43:10Z failed to connect to mcp server cto-tools: connect ECONNREFUSED 10.0.12.4:3000',
      '2025-11-21T05:43:10Z MCP error -32000: Connection closed',
    ],
  },
  runtime: {
    severity: 'critical',
    issueType: 'agent_error',
    subject: 'play-task-4',
    pod: POD,
    container: 'agent',
    title: 'Runtime Error: rex panicked',
    description: 'The agent process of rex panicked during the run.',
    context: { pattern: 'panicked at' },
    evidence: [
      "thread 'main' panicked at src/agent/session.rs:214:10:",
      'called `Option::unwrap()` on a `None` value',
      'note: run with `RUST_BACKTRACE=1` environment variable to display a backtrace',
    ],
  },
  lifecycle: {
    severity: 'medium',
    issueType: 'other',
    subject: 'play-task-4',
    pod: POD,
    container: 'agent',
    title: 'Lifecycle Issue: rex prompt template not found',
    description:
      'Rex started without its prompt: the controller could not find the agent template.',
    context: { pattern: 'template not found' },
    evidence: [
      '2025-11-21T05:41:59Z template not found: agents/rex/implementation/prompt.md.hbs',
      '2025-11-21T05:41:59Z task context is empty',
    ],
  },
};
