import type { IssueType } from '../../domain/alert.js';
import { requiredLiterals } from './literals.js';
import { LiteralScanner, scannable } from './prefilter.js';
import { DEFAULT_ISSUE_TYPE } from './schema.js';
import type { Catalogue, Entry, Finding } from './schema.js';
import { errorShaped } from './learned/features.js';
import { shippedLearnedStage } from './learned/index.js';
import { LEARNED_SEVERITY } from './learned/model.js';
import type { LearnedJudge, LearnedVerdict } from './learned/model.js';
import { assignByStructure, refineFinding, STRUCTURE_LITERALS, WINDOW_LINES } from './structure.js';
import { envelopeOf, shapeVeto, STRUCTURE_FILTER } from './structure.js';
import type { Context, Envelope } from './structure.js';

/**
 * What the classifier remembers of one stream between two chunks: its last lines (the window the
 * structural rules look at) and its last finding. One per stream (a file of `healer scan`, a
 * container's log): chunks of the same stream classified with the same window behave as one text.
 */
export class StreamWindow {
  /** The stream's last `WINDOW_LINES` lines, oldest first. */
  lines: string[] = [];
  /** Lines between the stream's last finding and its last line (0: the last line), and its text. */
  lastFinding: { ago: number; text: string } | null = null;
}

/** One step of the reasoning about a line, for `healer scan --explain`. */
export interface Step {
  /** A pattern id, a filter id, or a structural rule (`structure:…`). */
  by: string;
  outcome: 'matched' | 'vetoed' | 'recategorised' | 'assigned' | 'below-threshold';
  detail: string;
}

interface Compiled {
  entry: Entry;
  issueType: IssueType;
  re: RegExp;
  /** The entry's `unless` patterns and shared filters: the line is suppressed when one matches. */
  unless: readonly RegExp[];
  /** What each of `unless` is, for explanations: `unless[i]` or the filter id. */
  unlessNames: readonly string[];
  /**
   * The envelope levels the entry's filters veto (`info-level`: info and debug; `warn-level`:
   * warn), so a level the filter's words miss (`INFO     Setting up…`, `[WRN]`) is vetoed too.
   */
  vetoLevels: ReadonlySet<string>;
}

/** `(?:a)|(?:b)|…` — one alternation that keeps every pattern's own grouping intact. */
export const union = (sources: readonly string[]): string =>
  sources.map((s) => `(?:${s})`).join('|');

const asBuffer = (bytes: Uint8Array): Buffer =>
  Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);

const decode = (bytes: Uint8Array): string => asBuffer(bytes).toString('utf8');

/** The index of the first pattern that matches, or -1. */
const suppressedBy = (unless: readonly RegExp[], text: string): number => {
  for (let i = 0; i < unless.length; i++) if (unless[i].test(text)) return i;
  return -1;
};

const stripCr = (s: string): string => (s.endsWith('\r') ? s.slice(0, -1) : s);

/** Up to `want` lines before the line starting at `start` (oldest first), without line breaks. */
function precedingLines(input: string | Buffer, start: number, want: number): string[] {
  const out: string[] = [];
  let end = start - 1; // the line break before the line
  while (out.length < want && end >= 0) {
    const s =
      end === 0
        ? 0
        : (typeof input === 'string'
            ? input.lastIndexOf('\n', end - 1)
            : input.lastIndexOf(NEWLINE, end - 1)) + 1;
    out.push(
      stripCr(typeof input === 'string' ? input.slice(s, end) : input.toString('utf8', s, end)),
    );
    end = s - 1;
  }
  return out.reverse();
}

const NEWLINE = 10;

/** Per-chunk state of the structural stage: the window before a line and the last finding. */
class ChunkState {
  /** Line index (0-based, in the chunk; negative: carried from earlier chunks) and text. */
  last: { idx: number; text: string } | null = null;
  constructor(
    readonly input: string | Buffer,
    readonly carry: StreamWindow | null,
  ) {
    const lf = carry?.lastFinding;
    if (lf) this.last = { idx: -1 - lf.ago, text: lf.text };
  }

  /** The context of line `idx` of the chunk, starting at offset `start`. */
  context(idx: number, start: number): Context {
    return new ChunkLineContext(this, idx, start);
  }

  /** Hands the chunk's tail over to the stream window. */
  finish(lines: number): void {
    const w = this.carry;
    if (!w) return;
    const tail = precedingLines(this.input, this.input.length + 1, WINDOW_LINES);
    w.lines = tail.length < WINDOW_LINES ? [...w.lines, ...tail].slice(-WINDOW_LINES) : tail;
    w.lastFinding = this.last ? { ago: lines - 1 - this.last.idx, text: this.last.text } : null;
  }
}

/**
 * What the structural stage sees besides one line of a chunk: the window is decoded only when a
 * rule asks for it, once. A class, not an object of closures: the scan makes one per candidate
 * line.
 */
class ChunkLineContext implements Context {
  readonly lastFinding: { back: number; text: string } | null;
  private memo: readonly string[] | null = null;
  private readonly state: ChunkState;
  private readonly idx: number;
  private readonly start: number;

  constructor(state: ChunkState, idx: number, start: number) {
    this.state = state;
    this.idx = idx;
    this.start = start;
    const last = state.last;
    this.lastFinding = last ? { back: idx - last.idx, text: last.text } : null;
  }

  before(): readonly string[] {
    if (this.memo) return this.memo;
    const { input, carry } = this.state;
    let lines = precedingLines(input, this.start, Math.min(this.idx, WINDOW_LINES));
    if (lines.length < WINDOW_LINES && carry)
      lines = [...carry.lines.slice(lines.length - WINDOW_LINES), ...lines];
    this.memo = lines;
    return lines;
  }

  /** One line decoded, not the window (a rule that looks only at the line above). */
  previous(): string | undefined {
    if (this.memo) return this.memo.at(-1);
    return this.idx > 0
      ? precedingLines(this.state.input, this.start, 1)[0]
      : this.state.carry?.lines.at(-1);
  }
}

const lineCount = (text: string): number => {
  let n = 1;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) n++;
  return n;
};

const byPriority = (a: Entry, b: Entry): number => a.priority - b.priority;

/** The shared filters an entry applies: the ones it names, or all of them. */
export function filtersOf(catalogue: Catalogue, entry: Entry): string[] {
  const wanted = entry.filters ? new Set(entry.filters) : null;
  return catalogue.filters.filter((f) => !wanted || wanted.has(f.id)).map((f) => f.pattern);
}

/** The ids of the shared filters an entry applies (in `filtersOf` order). */
function filterIdsOf(catalogue: Catalogue, entry: Entry): string[] {
  const wanted = entry.filters ? new Set(entry.filters) : null;
  return catalogue.filters.filter((f) => !wanted || wanted.has(f.id)).map((f) => `filter ${f.id}`);
}

/** The envelope levels vetoed by these filters (`filter info-level`, `filter warn-level`). */
function levelsVetoed(filterNames: readonly string[]): ReadonlySet<string> {
  const levels = new Set<string>();
  if (filterNames.includes('filter info-level')) levels.add('info').add('debug');
  if (filterNames.includes('filter warn-level')) levels.add('warn');
  return levels;
}

/** Literal search over every entry's required literals, and which entries each literal serves. */
interface FastPath {
  scanner: LiteralScanner;
  /** Entries each literal serves; `compiled.length` stands for the structural stage. */
  entriesOf: number[][];
}

function fastPath(compiled: Compiled[]): FastPath | null {
  const index = new Map<string, number>();
  const entriesOf: number[][] = [];
  for (const [i, c] of compiled.entries()) {
    const literals = requiredLiterals(c.entry.pattern);
    if (!literals || !literals.every(scannable)) return null; // an opaque pattern: regex path
    for (const lit of literals) {
      let k = index.get(lit);
      if (k === undefined) {
        k = entriesOf.push([]) - 1;
        index.set(lit, k);
      }
      entriesOf[k].push(i);
    }
  }
  for (const lit of STRUCTURE_LITERALS) {
    let k = index.get(lit);
    if (k === undefined) {
      k = entriesOf.push([]) - 1;
      index.set(lit, k);
    }
    entriesOf[k].push(compiled.length);
  }
  return { scanner: new LiteralScanner([...index.keys()]), entriesOf };
}

export interface ClassifierOptions {
  /**
   * The learned stage (issue #12 item 5): judges error-shaped lines no pattern or structural
   * rule decided. Absent: the shipped model when it is on by default (`learned/model.json`);
   * null: off.
   */
  learned?: LearnedJudge | null;
}

/**
 * The learned stage judges only lines with a literal of the structural stage, in every path (the
 * literal search, the regex path, `explainLine`), so a scan and its explanation agree.
 */
const STRUCTURAL_LITERAL = new RegExp(STRUCTURE_FILTER, 'i');

/**
 * The shared false-positive filters that also veto a structural or learned finding (round 6: the
 * structural ones too): what they recognise (a
 * source line or stack frame, a test's name or result, a task list, advice on what to try next
 * (round 7), a bare exception header (round 7), the assistant's narration, a
 * count of zero, a tracing endpoint, a success mark, a compiler's summary) is a look-alike whoever judges the line. Not
 * the level filters (the stage's own error-shape gate reads levels) nor `will-retry` (a retry
 * line that states its failure is runtime under issue #12's convention).
 */
const LOOK_ALIKE_FILTERS = new Set([
  'source-code',
  'test-names',
  'task-list',
  'advice',
  'exception-header',
  'assistant-narration',
  'zero-errors',
  'tracing-endpoint',
  'success-marks',
  'compiler-summary',
]);

const learnedFeatures = (v: LearnedVerdict): string =>
  v.features.map((f) => `${JSON.stringify(f.feature)} +${f.weight.toFixed(2)}`).join(', ');

/**
 * The log classifier. One pass over a whole chunk (a string, or UTF-8 bytes) finds the candidate
 * lines — a multi-literal search for the literals every pattern requires (`prefilter.ts`), or,
 * when some pattern has none, one case-insensitive alternation of all patterns — and only those
 * lines are decoded and checked against the patterns their literals belong to (priority 1, 2, 3,
 * then catalogue order) and those entries' false-positive filters. A line gets at most one finding.
 */
export class Classifier {
  readonly #compiled: Compiled[];
  readonly #any: RegExp;
  readonly #fast: FastPath | null;
  readonly #learned: LearnedJudge | null;
  readonly #lookAlikeFilters: { id: string; re: RegExp }[];
  /**
   * The look-alike filters every entry applies as well. A line one of them recognises is never a
   * finding: a pattern that matches it is vetoed by it, and so are the structural and learned
   * stages. The scan tests these first and stops there (the stream-json narration of the model,
   * the commonest line of an agent's log, carries alert words on every other line); an
   * explanation takes the whole path so that it can name what matched and what vetoed it.
   */
  readonly #vetoFirst: readonly RegExp[];

  constructor(catalogue: Catalogue, opts: ClassifierOptions = {}) {
    this.#learned = opts.learned === undefined ? shippedLearnedStage() : opts.learned;
    this.#lookAlikeFilters = catalogue.filters
      .filter((f) => LOOK_ALIKE_FILTERS.has(f.id))
      .map((f) => ({ id: f.id, re: new RegExp(f.pattern, 'i') }));
    const cache = new Map<string, RegExp>();
    const unlessFor = (sources: string[]): RegExp[] =>
      sources.map((source) => {
        let re = cache.get(source);
        if (!re) cache.set(source, (re = new RegExp(source, 'i')));
        return re;
      });
    // Array.prototype.sort is stable: equal priorities keep catalogue order.
    this.#compiled = [...catalogue.entries].sort(byPriority).map((entry) => ({
      entry,
      issueType: entry.issueType ?? DEFAULT_ISSUE_TYPE[entry.alert],
      re: new RegExp(entry.pattern, 'i'),
      // The entry's own false positives first: the likelier to match, and a match ends the test.
      unless: unlessFor([...entry.unless, ...filtersOf(catalogue, entry)]),
      unlessNames: [
        ...entry.unless.map((_, i) => `${entry.id} unless[${i}]`),
        ...filterIdsOf(catalogue, entry),
      ],
      vetoLevels: levelsVetoed(filterIdsOf(catalogue, entry)),
    }));
    const structural = STRUCTURE_LITERALS.map((l) => l.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
    this.#any = new RegExp(
      union([...this.#compiled.map((c) => c.entry.pattern), ...structural]),
      'gim',
    );
    this.#fast = fastPath(this.#compiled);
    this.#vetoFirst = this.#lookAlikeFilters
      .filter((f) => this.#compiled.every((c) => c.unlessNames.includes(`filter ${f.id}`)))
      .map((f) => f.re)
      // anchored ones first: they reject a line at its first characters
      .sort((a, b) => Number(b.source.startsWith('^')) - Number(a.source.startsWith('^')));
  }

  /** The shared look-alike filter that recognises a line no pattern decided, or null. */
  #lookAlike(t: string): string | null {
    return this.#lookAlikeFilters.find((f) => f.re.test(t))?.id ?? null;
  }

  /** Whether the learned stage runs. */
  get learned(): boolean {
    return this.#learned !== null;
  }

  /** True when the literal fast path is in use (every pattern has scannable required literals). */
  get literalPrefilter(): boolean {
    return this.#fast !== null;
  }

  /**
   * The finding for one line (without its line break), or null. `before` is the window of
   * preceding lines of its stream (oldest first), when known.
   */
  classifyLine(text: string, line = 1, before: readonly string[] = []): Finding | null {
    return this.#classify(text, line, null, true, lineContext(before), null);
  }

  /**
   * Why a line is or is not a finding: every pattern that matched, what vetoed it (an `unless`,
   * a shared filter, a structural rule), what the structural stage assigned. `before` is the
   * window of preceding lines, `lastFinding` the stream's last finding (lines above, and text).
   */
  explainLine(
    text: string,
    before: readonly string[] = [],
    lastFinding: { back: number; text: string } | null = null,
  ): { finding: Finding | null; steps: Step[] } {
    const steps: Step[] = [];
    const gate = this.#candidate(stripCr(text));
    // A line the scan's candidate search skips is never examined, so it is no finding here either.
    if (gate === null) return { finding: null, steps };
    const ctx = lineContext(before);
    ctx.lastFinding = lastFinding;
    const finding = this.#classify(text, 1, gate.only, gate.structural, ctx, steps);
    return { finding, steps };
  }

  /**
   * What the scan's candidate search hands `#classify` for one line: the entries its literals
   * serve and whether a structural literal is on it (the literal path), or every entry when the
   * catalogue's alternation matches (the regex path); null when the scan does not look at it.
   */
  #candidate(text: string): { only: number[] | null; structural: boolean } | null {
    const fast = this.#fast;
    if (fast === null) {
      this.#any.lastIndex = 0;
      return this.#any.test(text) ? { only: null, structural: true } : null;
    }
    const found = fast.scanner.lines(text);
    if (found.count === 0) return null;
    const picked = new Set<number>();
    for (let q = found.litFrom[0]; q < found.litFrom[1]; q++)
      for (const i of fast.entriesOf[found.lits[q]]) picked.add(i);
    const structural = picked.delete(this.#compiled.length);
    return { only: [...picked].sort((x, y) => x - y), structural };
  }

  /**
   * The first entry (in priority order) that matches and is not suppressed, then the structural
   * stage (`structure.ts`): it may veto or re-categorise that finding, or, when no pattern took
   * the line and `structural` is set, assign one from the line's shape. `only` narrows the
   * entries to these (indices into the priority order, ascending); `steps` collects the reasons.
   */
  // A documented hot loop (the one exception to the 80-line rule, see ARCHITECTURE.md): run for every line that
  // passed the prefilter, kept as one function so the per-line path stays monomorphic and inlined.
  // eslint-disable-next-line max-lines-per-function
  #classify(
    text: string,
    line: number,
    only: readonly number[] | null,
    structural: boolean,
    ctx: Context,
    steps: Step[] | null,
  ): Finding | null {
    const t = stripCr(text);
    if (steps === null && this.#vetoFirst.some((re) => re.test(t))) return null;
    const compiled = this.#compiled;
    const n = only ? only.length : compiled.length;
    let vetoed = false;
    // every veto so far came from the line's info/debug level (not an `unless`, not warn)
    let quietOnly = true;
    let env: Envelope | undefined;
    for (let k = 0; k < n; k++) {
      const c = compiled[only ? only[k] : k];
      if (!c.re.test(t)) continue;
      const by = suppressedBy(c.unless, t);
      if (by !== -1) {
        vetoed = true;
        if (c.unlessNames[by] !== 'filter info-level') quietOnly = false;
        steps?.push({
          by: c.entry.id,
          outcome: 'vetoed',
          detail: `pattern matched ${JSON.stringify(c.re.exec(t)?.[0] ?? '')}, vetoed by ${c.unlessNames[by]}`,
        });
        continue;
      }
      if (c.vetoLevels.size > 0) {
        env ??= envelopeOf(t);
        const level = env.level;
        // A Kubernetes event's type (Warning/Normal) is not a log level.
        if (level !== null && env.shape !== 'event' && c.vetoLevels.has(level)) {
          vetoed = true;
          if (level === 'warn') quietOnly = false;
          steps?.push({
            by: c.entry.id,
            outcome: 'vetoed',
            detail:
              `pattern matched ${JSON.stringify(c.re.exec(t)?.[0] ?? '')}, vetoed by the ${level} level of its ${env.shape ?? ''} envelope (filter ${level === 'warn' ? 'warn' : 'info'}-level)`.replace(
                '  ',
                ' ',
              ),
          });
          continue;
        }
      }
      const e = c.entry;
      const finding: Finding = {
        line,
        text: t,
        patternId: e.id,
        alert: e.alert,
        severity: e.severity,
        priority: e.priority,
        issueType: c.issueType,
        family: e.family,
      };
      if (e.checklist) finding.checklist = e.checklist;
      steps?.push({
        by: e.id,
        outcome: 'matched',
        detail: `pattern matched ${JSON.stringify(c.re.exec(t)?.[0] ?? '')}`,
      });
      const verdict = refineFinding(t, e.alert, ctx);
      if (!verdict) return finding;
      if (verdict.kind === 'veto') {
        steps?.push({ by: verdict.rule, outcome: 'vetoed', detail: verdict.why });
        return null;
      }
      if (verdict.kind === 'recategorise') {
        steps?.push({
          by: verdict.rule,
          outcome: 'recategorised',
          detail: `${e.alert} → ${verdict.alert}: ${verdict.why}`,
        });
        finding.alert = verdict.alert;
        finding.issueType = DEFAULT_ISSUE_TYPE[verdict.alert];
        finding.family = verdict.family;
        finding.priority = 2;
        finding.rule = verdict.rule;
      }
      return finding;
    }
    // A pattern vetoed by the line's info/debug level leaves the line to the compositions, which
    // judge such a line too (an MCP start-up or configuration failure that announces no recovery),
    // as they do a line no pattern matched; never to the learned stage.
    if (vetoed) {
      if (!quietOnly) return null;
      env ??= envelopeOf(t);
      if (env.level !== 'info' && env.level !== 'debug') return null;
    }
    const verdict = structural ? assignByStructure(t, ctx) : null;
    if (vetoed && verdict?.kind !== 'assign') return null;
    if (!verdict) return this.#learned ? this.#learn(this.#learned, t, line, ctx, steps) : null;
    if (verdict.kind !== 'assign') {
      steps?.push({ by: verdict.rule, outcome: 'vetoed', detail: verdict.why });
      return null;
    }
    steps?.push({ by: verdict.rule, outcome: 'assigned', detail: verdict.why });
    const filter = this.#lookAlike(t);
    if (filter) {
      steps?.push({
        by: `filter ${filter}`,
        outcome: 'vetoed',
        detail: `a look-alike the shared filter ${filter} recognises`,
      });
      return null;
    }
    return {
      line,
      text: t,
      patternId: verdict.rule,
      rule: verdict.rule,
      alert: verdict.alert,
      severity: verdict.severity,
      priority: verdict.alert === 'lifecycle' ? 3 : verdict.alert === 'runtime' ? 2 : 1,
      issueType: DEFAULT_ISSUE_TYPE[verdict.alert],
      family: verdict.family,
    };
  }

  /**
   * The learned stage on an error-shaped line (with a structural literal) no pattern matched and
   * the structural stage left alone (any other line never reaches the model): a finding when the
   * model's score reaches its threshold and the line is no part of a shape (continuation,
   * traceback frame, REPL answer); a near miss is only explained.
   */
  #learn(
    stage: LearnedJudge,
    t: string,
    line: number,
    ctx: Context,
    steps: Step[] | null,
  ): Finding | null {
    if (!STRUCTURAL_LITERAL.test(t) || !errorShaped(t)) return null;
    const filter = this.#lookAlike(t);
    // a look-alike is never a finding: outside an explanation the model need not score it
    if (filter && !steps) return null;
    const v = stage.judge(t);
    if (!v) return null;
    const by = `learned:${v.model}`;
    const veto =
      shapeVeto(t, ctx) ??
      (filter
        ? { rule: `filter ${filter}`, why: `a look-alike the shared filter ${filter} recognises` }
        : null);
    if (!v.flagged) {
      if (!veto)
        steps?.push({
          by,
          outcome: 'below-threshold',
          detail: `near miss: ${v.alert} at ${v.score.toFixed(2)}, under the threshold ${v.threshold.toFixed(2)}; features ${learnedFeatures(v)}`,
        });
      return null;
    }
    steps?.push({
      by,
      outcome: 'assigned',
      detail: `${v.alert} at ${v.score.toFixed(2)} (threshold ${v.threshold.toFixed(2)}); features ${learnedFeatures(v)}`,
    });
    if (veto) {
      steps?.push({ by: veto.rule, outcome: 'vetoed', detail: veto.why });
      return null;
    }
    return {
      line,
      text: t,
      patternId: by,
      alert: v.alert,
      severity: LEARNED_SEVERITY[v.alert],
      priority: v.alert === 'lifecycle' ? 3 : v.alert === 'runtime' ? 2 : 1,
      issueType: DEFAULT_ISSUE_TYPE[v.alert],
      family: 'learned',
      learned: {
        model: v.model,
        score: Number(v.score.toFixed(4)),
        features: v.features.map((f) => f.feature),
      },
    };
  }

  /**
   * Findings of a block of lines, in line order; `firstLineNo` numbers its first line. The block
   * is a string, or UTF-8 bytes (then only the candidate lines are decoded).
   */
  classifyChunk(
    text: string | Uint8Array,
    firstLineNo = 1,
    stream: StreamWindow | null = null,
  ): Finding[] {
    return this.scanChunk(text, firstLineNo, stream).findings;
  }

  /**
   * `classifyChunk`, and the number of lines in the block (its line breaks, plus one). With a
   * `stream`, the block continues that stream: the structural rules see its last lines, and the
   * window is updated for the next block.
   */
  scanChunk(
    text: string | Uint8Array,
    firstLineNo = 1,
    stream: StreamWindow | null = null,
  ): { findings: Finding[]; lines: number } {
    if (this.#fast) return this.#byLiterals(this.#fast, text, firstLineNo, stream);
    const str = typeof text === 'string' ? text : decode(text);
    const state = new ChunkState(str, stream);
    const findings = this.#byRegex(str, firstLineNo, state);
    const lines = lineCount(str);
    state.finish(lines);
    return { findings, lines };
  }

  #byLiterals(
    fast: FastPath,
    input: string | Uint8Array,
    firstLineNo: number,
    stream: StreamWindow | null,
  ): { findings: Finding[]; lines: number } {
    const findings: Finding[] = [];
    const found = fast.scanner.lines(input);
    const bytes = typeof input === 'string' ? null : asBuffer(input);
    const state = new ChunkState(bytes ?? (input as string), stream);
    const structuralIndex = this.#compiled.length;
    const { start, end, line, litFrom, lits } = found;
    // The entries a candidate line's literals serve, in priority order; `seen[i]` is the number of
    // the last line (plus one) that picked entry i.
    const seen = new Int32Array(this.#compiled.length + 1);
    const picked: number[] = [];
    for (let k = 0; k < found.count; k++) {
      picked.length = 0;
      for (let q = litFrom[k]; q < litFrom[k + 1]; q++) {
        for (const i of fast.entriesOf[lits[q]]) {
          if (seen[i] === k + 1) continue;
          seen[i] = k + 1;
          picked.push(i);
        }
      }
      if (picked.length > 1) picked.sort((x, y) => x - y);
      let structural = false;
      if (picked[picked.length - 1] === structuralIndex) {
        picked.pop();
        structural = true;
      }
      const text = bytes
        ? bytes.toString('utf8', start[k], end[k])
        : (input as string).slice(start[k], end[k]);
      const ctx = state.context(line[k], start[k]);
      const finding = this.#classify(text, firstLineNo + line[k], picked, structural, ctx, null);
      if (finding) {
        findings.push(finding);
        state.last = { idx: line[k], text: finding.text };
      }
    }
    state.finish(found.lines);
    return { findings, lines: found.lines };
  }

  #byRegex(text: string, firstLineNo: number, state: ChunkState): Finding[] {
    const findings: Finding[] = [];
    const any = this.#any;
    any.lastIndex = 0;
    let lineNo = firstLineNo;
    let counted = 0; // newlines before this offset are already in lineNo
    let m: RegExpExecArray | null;
    while ((m = any.exec(text)) !== null) {
      const start = text.lastIndexOf('\n', m.index - 1) + 1;
      const nl = text.indexOf('\n', m.index);
      const end = nl === -1 ? text.length : nl;
      for (
        let i = text.indexOf('\n', counted);
        i !== -1 && i < start;
        i = text.indexOf('\n', i + 1)
      )
        lineNo++;
      counted = start;
      const idx = lineNo - firstLineNo;
      const ctx = state.context(idx, start);
      const finding = this.#classify(text.slice(start, end), lineNo, null, true, ctx, null);
      if (finding) {
        findings.push(finding);
        state.last = { idx, text: finding.text };
      }
      if (nl === -1) break;
      any.lastIndex = nl + 1; // next candidate: the next line at the earliest
    }
    return findings;
  }
}

/** A context from a known window (no stream state): for single lines and explanations. */
function lineContext(before: readonly string[]): Context {
  const window = before.slice(-WINDOW_LINES);
  return { before: () => window, previous: () => window.at(-1), lastFinding: null };
}
