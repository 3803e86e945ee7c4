/**
 * The published gitleaks rule set (`patterns/secrets/gitleaks.toml`, MIT, see the LICENSE file
 * beside it) loaded as data: every rule's Go/RE2 regex is compiled with re2js (same syntax, linear
 * time), its keywords prefilter the text, its entropy threshold, secret group, stopwords and
 * allowlists are honoured the way gitleaks honours them. Rules that only match file paths are left
 * out (Healer scans text, not files). A rule that does not compile is reported once and skipped.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { RE2JS } from 're2js';
import { parse } from 'smol-toml';

export const DEFAULT_GITLEAKS_PATH = fileURLToPath(
  new URL('../../patterns/secrets/gitleaks.toml', import.meta.url),
);

type Target = 'secret' | 'match' | 'line';

interface Allowlist {
  target: Target;
  and: boolean;
  /** Go/RE2 sources; compiled on first use into `compiled`. */
  regexes: string[];
  compiled?: RE2JS[];
  stopwords: string[];
}

export interface SecretRule {
  id: string;
  /** The rule's regex in Go/RE2 syntax, compiled on first use (`compiled`). */
  pattern: string;
  re: RE2JS | null;
  keywords: string[];
  entropy: number;
  secretGroup: number;
  allowlists: Allowlist[];
}

export interface GitleaksRules {
  rules: SecretRule[];
  /** Rules skipped because gitleaks applies them to file paths only. */
  pathOnly: string[];
  /** Rules whose regex did not compile, with the reason. */
  failed: { id: string; error: string }[];
  global: Allowlist;
  /** Every keyword (lower case) → indexes of the rules it enables. */
  byKeyword: Map<string, number[]>;
  /** Rules without keywords: always run. */
  always: number[];
  /** One JS alternation of every keyword, for the single prefilter pass (case-insensitive). */
  keywordRe: RegExp | null;
  source: string;
}

/** Shannon entropy in bits per character (what gitleaks compares `entropy` with). */
export function shannon(s: string): number {
  if (s.length === 0) return 0;
  const counts = new Map<string, number>();
  for (const ch of s) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let h = 0;
  for (const n of counts.values()) {
    const p = n / s.length;
    h -= p * Math.log2(p);
  }
  return h;
}

const strings = (v: unknown): string[] =>
  Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];

function compile(pattern: string): RE2JS {
  return RE2JS.compile(pattern);
}

function allowlist(raw: Record<string, unknown>) {
  const hasOnlyUnusable =
    strings(raw.regexes).length === 0 &&
    strings(raw.stopwords).length === 0 &&
    (raw.paths !== undefined || raw.commits !== undefined);
  const and = typeof raw.condition === 'string' && raw.condition.toUpperCase() === 'AND';
  // an AND allowlist that needs a path or commit can never hold for a text: it allows nothing
  if (hasOnlyUnusable || (and && (raw.paths !== undefined || raw.commits !== undefined)))
    return null;
  const regexes = strings(raw.regexes);
  const target =
    raw.regexTarget === 'match' || raw.regexTarget === 'line' ? raw.regexTarget : 'secret';
  return {
    target,
    and,
    regexes,
    stopwords: strings(raw.stopwords).map((s) => s.toLowerCase()),
  } satisfies Allowlist;
}

const escapeJs = (s: string): string => s.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');

/**
 * Parses gitleaks TOML text into rules. Regexes compile on first use (a rule whose keyword never
 * occurs costs nothing); `compileAll` compiles every one, as the service does at start, and
 * records those that do not compile in `failed`. Throws only when the text is not TOML.
 */
export function parseGitleaks(text: string, source = 'gitleaks.toml'): GitleaksRules {
  const doc = parse(text) as Record<string, unknown>;
  const failed: GitleaksRules['failed'] = [];
  const pathOnly: string[] = [];
  const rules: SecretRule[] = [];
  const rawRules = Array.isArray(doc.rules) ? (doc.rules as Record<string, unknown>[]) : [];
  for (const raw of rawRules) {
    const id = typeof raw.id === 'string' ? raw.id : `rule-${rules.length}`;
    if (typeof raw.regex !== 'string' || raw.path !== undefined) {
      pathOnly.push(id);
      continue;
    }
    const lists: Allowlist[] = [];
    const rawLists = [
      ...(Array.isArray(raw.allowlists) ? (raw.allowlists as Record<string, unknown>[]) : []),
      ...(raw.allowlist && typeof raw.allowlist === 'object'
        ? [raw.allowlist as Record<string, unknown>]
        : []),
    ];
    for (const l of rawLists) {
      const a = allowlist(l);
      if (a) lists.push(a);
    }
    rules.push({
      id,
      pattern: raw.regex,
      re: null,
      keywords: strings(raw.keywords).map((k) => k.toLowerCase()),
      entropy: typeof raw.entropy === 'number' ? raw.entropy : 0,
      secretGroup: typeof raw.secretGroup === 'number' ? raw.secretGroup : 0,
      allowlists: lists,
    });
  }
  const g = (doc.allowlist ?? {}) as Record<string, unknown>;
  const global = allowlist({ regexes: g.regexes, stopwords: g.stopwords }) ?? {
    target: 'secret' as const,
    and: false,
    regexes: [],
    stopwords: [],
  };
  const byKeyword = new Map<string, number[]>();
  const always: number[] = [];
  rules.forEach((r, i) => {
    if (r.keywords.length === 0) always.push(i);
    for (const k of r.keywords) byKeyword.set(k, [...(byKeyword.get(k) ?? []), i]);
  });
  const words = [...byKeyword.keys()].sort((a, b) => b.length - a.length);
  const keywordRe = words.length ? new RegExp(words.map(escapeJs).join('|'), 'gi') : null;
  return { rules, pathOnly, failed, global, byKeyword, always, keywordRe, source };
}

/** The rule's compiled regex, or null (and recorded in `failed`, once) when it does not compile. */
function compiled(rules: GitleaksRules, rule: SecretRule): RE2JS | null {
  if (rule.re) return rule.re;
  if (rules.failed.some((f) => f.id === rule.id)) return null;
  try {
    rule.re = compile(rule.pattern);
  } catch (err) {
    rules.failed.push({ id: rule.id, error: (err as Error).message });
    return null;
  }
  return rule.re;
}

/** Compiles every rule now (service start): the failures are then in `failed`, to report once. */
export function compileAll(rules: GitleaksRules): GitleaksRules {
  allowRegexes(rules, 'global', rules.global);
  for (const r of rules.rules) {
    compiled(rules, r);
    for (const l of r.allowlists) allowRegexes(rules, r.id, l);
  }
  return rules;
}

let loaded: GitleaksRules | null | undefined;
let loadError: string | null = null;

/**
 * The rule set, read and compiled on first use from `patterns/secrets/gitleaks.toml` (or
 * `HEALER_SECRET_RULES`-style overrides through `useGitleaksRules`). When the file is missing the
 * built-in rules still run and `gitleaksStatus()` says why the data is absent.
 */
export function gitleaksRules(): GitleaksRules | null {
  if (loaded !== undefined) return loaded;
  try {
    loaded = parseGitleaks(readFileSync(DEFAULT_GITLEAKS_PATH, 'utf8'), DEFAULT_GITLEAKS_PATH);
  } catch (err) {
    loaded = null;
    loadError = `${DEFAULT_GITLEAKS_PATH}: ${(err as Error).message}`;
  }
  return loaded;
}

/** Replaces the rule set (tests; a rules file given at start). `null` turns the data rules off. */
export function useGitleaksRules(rules: GitleaksRules | null): void {
  loaded = rules;
  loadError = rules ? null : 'turned off';
}

/** What was loaded, for the start-up log line: counts, and every rule that could not compile. */
export function gitleaksStatus(): {
  source: string;
  rules: number;
  pathOnly: number;
  failed: { id: string; error: string }[];
  error: string | null;
} {
  const r = gitleaksRules();
  return {
    source: r?.source ?? DEFAULT_GITLEAKS_PATH,
    rules: r?.rules.length ?? 0,
    pathOnly: r?.pathOnly.length ?? 0,
    failed: r?.failed ?? [],
    error: loadError,
  };
}

function allowRegexes(rules: GitleaksRules, id: string, list: Allowlist): RE2JS[] {
  if (list.compiled) return list.compiled;
  list.compiled = [];
  for (const r of list.regexes) {
    try {
      list.compiled.push(compile(r));
    } catch (err) {
      rules.failed.push({ id: `${id} (allowlist)`, error: (err as Error).message });
    }
  }
  return list.compiled;
}

function allowed(
  rules: GitleaksRules,
  id: string,
  list: Allowlist,
  secret: string,
  match: string,
  line: string,
): boolean {
  const target = list.target === 'match' ? match : list.target === 'line' ? line : secret;
  const checks: boolean[] = [];
  if (list.regexes.length) checks.push(allowRegexes(rules, id, list).some((re) => re.test(target)));
  if (list.stopwords.length) {
    const s = secret.toLowerCase();
    checks.push(list.stopwords.some((w) => s.includes(w)));
  }
  if (checks.length === 0) return false;
  return list.and ? checks.every(Boolean) : checks.some(Boolean);
}

function search(
  rules: GitleaksRules,
  rule: SecretRule,
  re: RE2JS,
  chunk: string,
  offset: number,
  text: string,
  hits: Hit[],
): void {
  const m = re.matcher(chunk);
  while (m.find()) {
    const groups = m.groupCount();
    let g = 0;
    if (rule.secretGroup > 0 && rule.secretGroup <= groups) g = rule.secretGroup;
    else {
      for (let k = 1; k <= groups; k++) {
        const s = m.group(k);
        if (s !== null && s !== '') {
          g = k;
          break;
        }
      }
    }
    const secret = m.group(g) ?? '';
    if (secret === '') continue;
    const start = offset + m.start(g);
    const end = offset + m.end(g);
    if (rule.entropy > 0 && shannon(secret) <= rule.entropy) continue;
    const match = m.group(0) ?? '';
    const line = lineAround(text, start, end);
    if (allowed(rules, 'global', rules.global, secret, match, line)) continue;
    if (rule.allowlists.some((l) => allowed(rules, rule.id, l, secret, match, line))) continue;
    hits.push({ start, end, rule: rule.id });
  }
}

/**
 * The capturing search of re2js costs about a microsecond per character (the DFA test a few
 * nanoseconds), so one call searches at most this many characters; a line or window that the
 * DFA says holds a match after that is withheld whole (redacted, not searched). Only texts built
 * to be slow (a megabyte of `token=token=…`) reach it.
 */
export const SEARCH_BUDGET_CHARS = 16 * 1024;
/** Long lines are searched in overlapping windows (a match up to `WINDOW - STEP` long is whole in one). */
const WINDOW = 512;
const STEP = 256;
const LONG_LINE = 1024;

interface Budget {
  left: number;
}

function searchOrWithhold(
  rules: GitleaksRules,
  rule: SecretRule,
  re: RE2JS,
  text: string,
  a: number,
  b: number,
  hits: Hit[],
  budget: Budget,
): void {
  if (budget.left < b - a) {
    hits.push({ start: a, end: b, rule: rule.id });
    return;
  }
  budget.left -= b - a;
  search(rules, rule, re, text.slice(a, b), a, text, hits);
}

function scanLine(
  rules: GitleaksRules,
  rule: SecretRule,
  re: RE2JS,
  text: string,
  ls: number,
  le: number,
  hits: Hit[],
  budget: Budget,
): void {
  if (le - ls <= LONG_LINE) {
    if (re.test(text.slice(ls, le))) searchOrWithhold(rules, rule, re, text, ls, le, hits, budget);
    return;
  }
  for (let w = ls; w < le; w += STEP) {
    const we = Math.min(le, w + WINDOW);
    if (re.test(text.slice(w, we))) searchOrWithhold(rules, rule, re, text, w, we, hits, budget);
    if (we === le) break;
  }
}

export interface Hit {
  start: number;
  end: number;
  rule: string;
}

const lineAround = (text: string, start: number, end: number): string => {
  const a = text.lastIndexOf('\n', start - 1) + 1;
  const b = text.indexOf('\n', end);
  return text.slice(a, b === -1 ? text.length : b);
};

/**
 * The spans of `text` the rules flag as secrets. Only rules whose keyword occurs are run, and only
 * over the blocks of lines around their keywords (one line of context on each side), so large
 * evidence with few keywords costs one keyword scan.
 */
export function gitleaksHits(rules: GitleaksRules, text: string): Hit[] {
  // hits of overlapping windows may repeat: the caller skips spans it already replaced
  const spans = new Map<number, [number, number][]>();
  const addSpan = (rule: number, a: number, b: number) => {
    const list = spans.get(rule) ?? [];
    const last = list[list.length - 1];
    if (last && a <= last[1] + 1) last[1] = Math.max(last[1], b);
    else list.push([a, b]);
    spans.set(rule, list);
  };
  if (rules.keywordRe) {
    const re = rules.keywordRe;
    re.lastIndex = 0;
    let lastBlock: [number, number] | null = null;
    for (let m = re.exec(text); m; m = re.exec(text)) {
      const at = m.index;
      let block: [number, number];
      if (lastBlock && at < lastBlock[1]) block = lastBlock;
      else {
        // the keyword's line plus one line either side
        const ls = text.lastIndexOf('\n', at - 1);
        const prev = ls <= 0 ? 0 : text.lastIndexOf('\n', ls - 1) + 1;
        let le = text.indexOf('\n', at + m[0].length);
        if (le !== -1) {
          const next = text.indexOf('\n', le + 1);
          le = next === -1 ? text.length : next;
        } else le = text.length;
        block = [prev, le];
        lastBlock = block;
      }
      for (const i of rules.byKeyword.get(m[0].toLowerCase()) ?? []) addSpan(i, block[0], block[1]);
      re.lastIndex = at + 1; // overlapping keywords (`api` in `apikey`) each enable their rules
    }
  }
  for (const i of rules.always) addSpan(i, 0, text.length);
  const hits: Hit[] = [];
  const budget: Budget = { left: SEARCH_BUDGET_CHARS };
  for (const [i, list] of spans) {
    const rule = rules.rules[i];
    const re = compiled(rules, rule);
    if (!re) continue;
    for (const [a, b] of list) {
      const chunk = text.slice(a, b);
      // the DFA answers "any match here?" an order of magnitude faster than a capturing search,
      // and a capturing search is fast on a short input: find the lines that match, then search them
      if (!re.test(chunk)) continue;
      const before = hits.length;
      for (let ls = a; ls < b;) {
        const nl = text.indexOf('\n', ls);
        const le = nl === -1 || nl > b ? b : nl;
        if (le > ls) scanLine(rules, rule, re, text, ls, le, hits, budget);
        ls = le + 1;
      }
      // a match only across lines: search the block itself
      if (hits.length === before) searchOrWithhold(rules, rule, re, text, a, b, hits, budget);
    }
  }
  return hits;
}
