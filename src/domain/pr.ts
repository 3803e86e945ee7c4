/** What Healer keeps of a Play's pull request after each poll (detection.md §3, A1/A3/A4/A5). */
export interface PrComment {
  id: number;
  author: string;
  body: string;
  createdAt: string;
  /** 'comment' for issue comments, or the review state for reviews (APPROVED, CHANGES_REQUESTED, COMMENTED). */
  type: 'comment' | 'APPROVED' | 'CHANGES_REQUESTED' | 'COMMENTED' | 'DISMISSED';
  url: string | null;
}

export interface PrCommit {
  sha: string;
  message: string;
  author: string | null;
  date: string;
}

export interface PrCheck {
  name: string;
  /** 'check_run' or 'status' (commit status context). */
  source: 'check_run' | 'status';
  status: 'queued' | 'in_progress' | 'completed';
  conclusion: string | null;
  completedAt: string | null;
  url: string | null;
}

export interface PrSnapshot {
  repository: string;
  number: number;
  url: string;
  state: 'open' | 'closed';
  merged: boolean;
  headSha: string;
  headRef: string;
  mergeable: boolean | null;
  mergeableState: string | null;
  comments: PrComment[];
  commits: PrCommit[];
  checks: PrCheck[];
  fetchedAt: string;
}
