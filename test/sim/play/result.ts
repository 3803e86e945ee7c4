// What playing a scenario produced: the names the objects got, the PR, counts, and the
// scenario's expectation, so a test (or Healer's end-to-end suite) knows where to look.
import type { Expect } from './schema.js';

export interface PlayedObject {
  name: string;
  agent: string;
  task: string;
}

export interface PlayedPod extends PlayedObject {
  containers: string[];
  agentContainer: string;
}

export interface PlayResult {
  scenario: string;
  file: string | null;
  playId: string;
  namespace: string;
  repository: string;
  /** Virtual start and end of the timeline (RFC 3339, ms). */
  start: string;
  end: string;
  /** Virtual time of every step, in file order. */
  stepTimes: string[];
  /** Virtual seconds per real second; null = instant (back-dated). */
  speed: number | null;
  workflow: string | null;
  coderuns: Record<string, PlayedObject>;
  pods: Record<string, PlayedPod>;
  pr: { number: number; url: string; htmlUrl: string; head: string; base: string } | null;
  counts: {
    kubeWrites: number;
    events: number;
    logLines: number;
    comments: number;
    reviews: number;
    commits: number;
    checks: number;
    statuses: number;
  };
  expect: Expect;
  warnings: string[];
  elapsedMs: number;
}

export function emptyResult(
  scenario: { name: string; file?: string; expect: Expect },
  session: { play_id: string; namespace: string; repository: string },
): PlayResult {
  return {
    scenario: scenario.name,
    file: scenario.file ?? null,
    playId: session.play_id,
    namespace: session.namespace,
    repository: session.repository,
    start: '',
    end: '',
    stepTimes: [],
    speed: null,
    workflow: null,
    coderuns: {},
    pods: {},
    pr: null,
    counts: {
      kubeWrites: 0,
      events: 0,
      logLines: 0,
      comments: 0,
      reviews: 0,
      commits: 0,
      checks: 0,
      statuses: 0,
    },
    expect: scenario.expect,
    warnings: [],
    elapsedMs: 0,
  };
}
