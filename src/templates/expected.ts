import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';

/**
 * `prompts/expected/<agent>.md`: what a successful run of an agent prints. Layout:
 *
 *     ## Success markers
 *     - `git push`
 *     ## Failure indicators
 *     - `(?i)authentication failed`
 *
 * One regular expression per bullet (backticks optional); a leading `(?i)` makes it
 * case-insensitive. Other headings and prose are ignored.
 */
export interface ExpectedBehaviour {
  agent: string;
  successMarkers: RegExp[];
  failureIndicators: RegExp[];
}

export interface ExpectedMatch {
  /** Sources of the success markers found in the text. */
  successMarkers: string[];
  /** Sources of the failure indicators found in the text. */
  failureIndicators: string[];
}

type Section = 'successMarkers' | 'failureIndicators' | null;

function sectionOf(heading: string): Section {
  const h = heading.toLowerCase();
  if (h.includes('success')) return 'successMarkers';
  if (h.includes('failure')) return 'failureIndicators';
  return null;
}

function toRegExp(raw: string): RegExp {
  const insensitive = raw.startsWith('(?i)');
  return new RegExp(insensitive ? raw.slice(4) : raw, insensitive ? 'im' : 'm');
}

/** Parses one expected-behaviour file; throws with the file and line of every bad pattern. */
export function parseExpected(
  markdown: string,
  agent: string,
  source = `${agent}.md`,
): ExpectedBehaviour {
  const out: ExpectedBehaviour = { agent, successMarkers: [], failureIndicators: [] };
  const errors: string[] = [];
  let section: Section = null;
  markdown.split(/\r?\n/).forEach((line, i) => {
    const heading = /^#{2,}\s+(.*)$/.exec(line);
    if (heading) {
      section = sectionOf(heading[1] ?? '');
      return;
    }
    const bullet = /^\s*[-*]\s+(.*?)\s*$/.exec(line);
    if (!bullet || section === null) return;
    const text = bullet[1] ?? '';
    const raw = /^`(.+)`$/.exec(text)?.[1] ?? text;
    try {
      out[section].push(toRegExp(raw));
    } catch (err) {
      errors.push(
        `${source}:${i + 1}: invalid pattern ${JSON.stringify(raw)}: ${(err as Error).message}`,
      );
    }
  });
  if (out.successMarkers.length === 0) errors.push(`${source}: no "## Success markers" patterns`);
  if (errors.length > 0) throw new Error(errors.join('\n'));
  return out;
}

/** Loads every `*.md` of `dir`; the file stem is the agent name. Errors are returned, not thrown. */
export function loadExpected(dir: string): {
  expected: Map<string, ExpectedBehaviour>;
  errors: string[];
} {
  const expected = new Map<string, ExpectedBehaviour>();
  const errors: string[] = [];
  let files: string[] = [];
  try {
    files = readdirSync(dir).filter((f) => f.endsWith('.md'));
  } catch (err) {
    errors.push(`${dir}: ${(err as Error).message}`);
  }
  for (const file of files.sort()) {
    const agent = basename(file, '.md');
    try {
      expected.set(
        agent,
        parseExpected(readFileSync(join(dir, file), 'utf8'), agent, `expected/${file}`),
      );
    } catch (err) {
      errors.push((err as Error).message);
    }
  }
  return { expected, errors };
}

/** Which markers and indicators of `expected` occur in `text` (the completion check). */
export function matchExpected(expected: ExpectedBehaviour, text: string): ExpectedMatch {
  return {
    successMarkers: expected.successMarkers.filter((r) => r.test(text)).map((r) => r.source),
    failureIndicators: expected.failureIndicators.filter((r) => r.test(text)).map((r) => r.source),
  };
}
