/** Agent stages of a Play and the built-in roster (spec README glossary, detection.md §2). */
export const DEFAULT_STAGE_ORDER = [
  'implementation',
  'quality',
  'security',
  'testing',
  'integration',
] as const;

export const DEFAULT_AGENT_STAGES: Record<string, string> = {
  rex: 'implementation',
  blaze: 'implementation',
  grizz: 'implementation',
  nova: 'implementation',
  tap: 'implementation',
  spark: 'implementation',
  cleo: 'quality',
  cipher: 'security',
  tess: 'testing',
  atlas: 'integration',
  bolt: 'infrastructure',
  morgan: 'intake',
};

export const BUILTIN_ROSTER = Object.keys(DEFAULT_AGENT_STAGES);

/** `5DLabs-Rex`, `5dlabs-rex[bot]`, `Rex` → `rex`. */
export function normaliseAgent(name: string): string {
  return name
    .trim()
    .toLowerCase()
    .replace(/\[bot\]$/, '')
    .replace(/^5dlabs-/, '');
}
