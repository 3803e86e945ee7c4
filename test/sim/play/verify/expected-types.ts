// The world a played scenario must leave: the shapes the fold (expected.ts) fills.
import type { ContainerStateSpec } from '../schema-kube.js';

export interface Line {
  time: number;
  text: string;
}

export interface ExpectedContainer {
  kind: 'running' | 'waiting' | 'terminated';
  reason?: string;
  exitCode?: number;
  restartCount: number;
  startedAt?: number;
  /** Log lines of the current and the previous instance (the API server keeps one previous). */
  current: Line[];
  previous: Line[] | null;
  /** Every line ever written (Loki keeps them all). */
  all: Line[];
  rotatePending: boolean;
  started: boolean;
}

export interface ExpectedPod {
  ref: string;
  name: string;
  agent: string;
  task: string;
  createdAt: number;
  phase: string;
  deleted: boolean;
  labels: Record<string, string>;
  containers: Map<string, ExpectedContainer>;
}

export interface ExpectedCodeRun {
  ref: string;
  name: string;
  agent: string;
  task: string;
  createdAt: number;
  phase: string;
  startedAt?: number;
  finishedAt?: number;
  deleted: boolean;
}

export interface ExpectedWorld {
  namespace: string;
  start: number;
  end: number;
  workflow: { name: string; createdAt: number; phase: string } | null;
  coderuns: ExpectedCodeRun[];
  pods: ExpectedPod[];
  events: { object: string; reason: string; message: string; at: number }[];
  pr: {
    number: number;
    head: string;
    base: string;
    author: string;
    createdAt: number;
    labels: string[];
  } | null;
  comments: { login: string; body: string; at: number }[];
  reviews: { login: string; state: string; body: string; at: number }[];
  commits: { login: string; message: string; at: number }[];
  /** Check runs by name and the commit (1-based position on the PR) they ran on. */
  checks: Map<
    string,
    {
      name: string;
      commit: number;
      status: string;
      conclusion: string | null;
      startedAt: number;
      completedAt?: number;
    }
  >;
  statuses: { context: string; state: string; commit: number; at: number }[];
  mergeable: { mergeable: boolean | null; state?: string } | null;
}

/** The kubelet's restart accounting, read independently of pod-status.ts (see its comment). */
export function applyState(
  c: ExpectedContainer,
  s: ContainerStateSpec,
  now: number,
  at: (ms: number) => number,
) {
  let rotated = false;
  const rotate = () => {
    if (rotated) return;
    rotated = true;
    c.previous = c.current;
    c.current = [];
  };
  const newInstance = () => {
    if (c.started && c.rotatePending) {
      c.restartCount++;
      rotate();
    }
    c.rotatePending = false;
    c.started = true;
  };
  if (s.running) {
    if (c.kind !== 'running' || s.running.startedAt !== undefined) {
      newInstance();
      c.startedAt = s.running.startedAt !== undefined ? at(s.running.startedAt) : now;
    }
    c.kind = 'running';
    delete c.reason;
    delete c.exitCode;
  } else if (s.waiting) {
    if (c.kind === 'running' && s.waiting.reason === 'CrashLoopBackOff') c.rotatePending = true;
    c.kind = 'waiting';
    c.reason = s.waiting.reason;
    delete c.exitCode;
  } else if (s.terminated) {
    if (c.kind === 'waiting' && c.rotatePending) newInstance();
    c.started = true;
    c.kind = 'terminated';
    c.exitCode = s.terminated.exitCode;
    c.reason = s.terminated.reason ?? (s.terminated.exitCode === 0 ? 'Completed' : 'Error');
    c.rotatePending = true;
  }
  if (s.restartCount !== undefined) {
    if (s.restartCount > c.restartCount) rotate();
    c.restartCount = s.restartCount;
  }
}
