import { redact } from '../domain/redact.js';

/** Limits for evidence in issues and prompts (GitHub caps an issue body at 65 536 characters). */
export const EVIDENCE_LIMITS = {
  maxLines: 200,
  headLines: 20,
  maxLineChars: 400,
  maxChars: 40_000,
};

export interface EvidenceView {
  /** Redacted, clipped text, one evidence line per line. */
  text: string;
  /** Lines shown (including the omission line). */
  shown: number;
  /** Lines the detector recorded. */
  total: number;
  /** Lines left out in the middle. */
  omitted: number;
}

const clipLine = (line: string, max: number): string =>
  line.length <= max ? line : `${line.slice(0, max - 1)}… [${line.length - max + 1} more chars]`;

/**
 * Redacts the evidence as one text (so a PEM block spread over lines is caught), then keeps the
 * first `headLines` and as many of the last lines as fit in `maxLines` and `maxChars`, with one
 * line saying how many were left out.
 */
export function buildEvidence(lines: readonly string[], limits = EVIDENCE_LIMITS): EvidenceView {
  const all = redact(lines.join('\n'))
    .split('\n')
    .map((l) => clipLine(l.replace(/\r$/, ''), limits.maxLineChars));
  const total = lines.length === 0 ? 0 : all.length;
  if (total === 0)
    return { text: '(no evidence lines were recorded)', shown: 0, total: 0, omitted: 0 };
  let budget = limits.maxChars;
  const take = (ls: string[]): string[] => {
    const out: string[] = [];
    for (const l of ls) {
      if (budget - (l.length + 1) < 0) break;
      budget -= l.length + 1;
      out.push(l);
    }
    return out;
  };
  if (total <= limits.maxLines && all.join('\n').length <= limits.maxChars) {
    return { text: all.join('\n'), shown: total, total, omitted: 0 };
  }
  const head = take(all.slice(0, Math.min(limits.headLines, total)));
  const tailRoom = limits.maxLines - head.length - 1;
  const tail = take(all.slice(head.length).slice(-tailRoom).reverse()).reverse();
  const omitted = total - head.length - tail.length;
  const marker = `… ${omitted} line${omitted === 1 ? '' : 's'} omitted …`;
  return {
    text: [...head, marker, ...tail].join('\n'),
    shown: head.length + 1 + tail.length,
    total,
    omitted,
  };
}
