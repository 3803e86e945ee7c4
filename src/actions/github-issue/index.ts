// The GitHub issue handler (remediation.md §2.1): open, comment, label, close.
import { ActionError, type ActionHandler } from '../handler.js';
import type { GitHubIssueDeps } from './context.js';
import { openIssue } from './open.js';
import { closeIssue, commentIssue, labelIssue, relabelSeverity } from './update.js';

export type { GitHubIssueDeps } from './context.js';
export { issueRepository } from './context.js';
export { githubActionError } from './errors.js';
export { findIssueByMarker, parseIssueUrl, parseRepo, type FoundIssue } from './find.js';
export { commentKey } from './update.js';

export function createGitHubIssueHandler(deps: GitHubIssueDeps): ActionHandler {
  return {
    kinds: ['open-issue', 'comment-issue', 'label-issue', 'relabel-severity', 'close-issue'],
    destination: 'github',
    run(ctx) {
      const a = ctx.action.action;
      switch (a.kind) {
        case 'open-issue':
          return openIssue(ctx, deps);
        case 'comment-issue':
          return commentIssue(ctx, deps, a.comment, a.comment === 'children' ? a.children : []);
        case 'label-issue':
          return labelIssue(ctx, deps, a.label);
        case 'relabel-severity':
          return relabelSeverity(ctx, deps);
        case 'close-issue':
          return closeIssue(ctx, deps);
        default:
          return Promise.reject(
            new ActionError(`the GitHub issue handler does not perform ${a.kind}`, false),
          );
      }
    },
  };
}
