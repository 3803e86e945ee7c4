/**
 * Labels of the CodeRuns Healer creates (remediation.md §2.2). Every value goes through
 * {@link sanitizeLabelValue}, and selectors are built here from the same function, so a selector
 * always finds what was labelled.
 */
import type { Incident } from '../../domain/incident.js';
import { FINGERPRINT_LABEL, REMEDIATION_LABEL } from '../../sources/kube/exclusion.js';

export { FINGERPRINT_LABEL, REMEDIATION_LABEL };
export const TYPE_LABEL = 'agents.platform/type';
export const PLAY_ID_LABEL = 'healer.platform/play-id';

/** `agents.platform/type` of the two kinds of Healer runs. */
export const RUN_TYPES = {
  remediation: 'healer-remediation',
  evaluation: 'healer-evaluation',
} as const;
export type RunKind = keyof typeof RUN_TYPES;

/** Hex characters of the fingerprint in the label: also the incident id's (`inc-<16 hex>`). */
export const FINGERPRINT_LABEL_CHARS = 16;

const MAX = 63;

/**
 * A valid label value for any text: characters outside `[A-Za-z0-9-_.]` become `-`, leading
 * non-alphanumerics are dropped, at most 63 characters, trailing `-_.` trimmed. May be empty.
 */
export function sanitizeLabelValue(value: string | number | boolean | null | undefined): string {
  return String(value ?? '')
    .replace(/[^A-Za-z0-9_.-]/g, '-')
    .replace(/^[^A-Za-z0-9]+/, '')
    .slice(0, MAX)
    .replace(/[-_.]+$/, '');
}

export const fingerprintLabelValue = (fingerprint: string): string =>
  sanitizeLabelValue(fingerprint.slice(0, FINGERPRINT_LABEL_CHARS).toLowerCase());

/** The pod the incident is about, from the alert's context (`pod`, `pod_name`, `podName`). */
export function targetPod(incident: Pick<Incident, 'context'>): string | null {
  const c = incident.context ?? {};
  const v = [c.pod, c.pod_name, c.podName].find((x) => typeof x === 'string' && x !== '');
  return typeof v === 'string' ? v : null;
}

/** The labels of a Healer CodeRun, in a fixed order (deterministic manifests). */
export function codeRunLabels(opts: {
  incident: Pick<Incident, 'fingerprint' | 'playId' | 'alert' | 'taskId' | 'context'>;
  kind: RunKind;
  issueNumber: number | null;
}): Record<string, string> {
  const { incident: i } = opts;
  const labels: Record<string, string> = {
    [TYPE_LABEL]: RUN_TYPES[opts.kind],
    [REMEDIATION_LABEL]: 'true',
    [FINGERPRINT_LABEL]: fingerprintLabelValue(i.fingerprint),
    [PLAY_ID_LABEL]: sanitizeLabelValue(i.playId ?? 'platform'),
    'alert-type': sanitizeLabelValue(i.alert.toLowerCase()),
    remediation: 'true',
  };
  const known: [string, string | number | null][] = [
    ['task-id', i.taskId],
    ['target-pod', targetPod(i)],
    ['issue-number', opts.issueNumber],
  ];
  for (const [key, value] of known) {
    const v = value === null ? '' : sanitizeLabelValue(value);
    if (v !== '') labels[key] = v;
  }
  return labels;
}

/** Every CodeRun Healer created (remediation and evaluation runs): for the platform-wide cap. */
export const healerRunsSelector = (): string => `${REMEDIATION_LABEL}=true`;

/** The CodeRuns of one incident: to find an existing one before creating. */
export const incidentRunsSelector = (fingerprint: string): string =>
  `${REMEDIATION_LABEL}=true,${FINGERPRINT_LABEL}=${fingerprintLabelValue(fingerprint)}`;
