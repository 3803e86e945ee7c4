import type { AlertId } from '../domain/alert.js';

/** Template file stem and display name of every alert (remediation.md §3, detection.md §3–§4). */
export const ALERT_TEMPLATES: Record<AlertId, { slug: string; name: string }> = {
  A1: { slug: 'a1-comment-order', name: 'Comment Order Mismatch' },
  A2: { slug: 'a2-silent-failure', name: 'Silent Agent Failure' },
  A3: { slug: 'a3-stale-progress', name: 'Stale Progress' },
  A4: { slug: 'a4-approval-loop', name: 'Repeated Approval Loop' },
  A5: { slug: 'a5-post-tess-ci', name: 'Post-Tess CI/Merge Failure' },
  A7: { slug: 'a7-pod-failure', name: 'Pod Failure' },
  A8: { slug: 'a8-step-timeout', name: 'Step Timeout' },
  A9: { slug: 'a9-stuck-coderun', name: 'Stuck CodeRun' },
  A10: { slug: 'a10-tool-mismatch', name: 'Tool Inventory Mismatch' },
  A11: { slug: 'a11-config-error', name: 'CTO Config Missing or Invalid' },
  A12: { slug: 'a12-mcp-init', name: 'MCP Init Failure' },
  runtime: { slug: 'runtime-error', name: 'Runtime Error' },
  lifecycle: { slug: 'lifecycle', name: 'Lifecycle Issue' },
  completion: { slug: 'success-completion', name: 'Unverified Completion' },
  resource: { slug: 'resource-pressure', name: 'Resource Pressure' },
  platform: { slug: 'platform-health', name: 'Platform Health' },
};

/** Every template an alert needs: its prompt, its guidance (shared by issue and prompts), its criteria. */
export const alertTemplateNames = (alert: AlertId): string[] => {
  const { slug } = ALERT_TEMPLATES[alert];
  return [`alerts/${slug}`, `guidance/${slug}`, `acceptance/${slug}`];
};

export const COMMENT_KINDS = ['attempt', 'escalation', 'resolution', 'children'] as const;
export type CommentKind = (typeof COMMENT_KINDS)[number];
