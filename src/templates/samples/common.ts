import type { IncidentView, KubeEventView } from '../view.js';

/** Shared pieces of the sample incidents. */
export const T0 = '2025-11-21T05:41:58Z';
export const T1 = '2025-11-21T05:42:13Z';
export const T2 = '2025-11-21T05:47:13Z';
export const POD = 'play-task-4-rex-abc12';
export const PR = { number: 412, url: 'https://github.com/5dlabs/cto-parallel-test/pull/412' };

export const event = (
  reason: string,
  message: string,
  object = `pod/${POD}`,
  type = 'Warning',
  count = 1,
): KubeEventView => ({
  type,
  reason,
  object,
  message,
  count,
  lastSeen: T1,
});

export type Sample = Pick<
  IncidentView,
  'severity' | 'issueType' | 'title' | 'description' | 'subject' | 'evidence'
> &
  Partial<IncidentView>;
