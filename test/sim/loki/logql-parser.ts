// Parser for LogQL log queries: a stream selector followed by line filters.
//   {a="x", b!="y", c=~"re", d!~"re"} |= "s" != "s" |~ "re" !~ "re"
// `|= "a" or "b"` (Loki 3) is accepted. Metric queries and other pipeline stages (parsers,
// label filters, formatting) are valid LogQL that the simulator does not evaluate: they raise
// UnsupportedQueryError so the server can answer a clear 400 instead of a wrong result.
import { RE2JS } from 're2js';
import { LogqlParseError, errorAt, tokenName, tokenize } from './logql-lexer.js';
import type { Token } from './logql-lexer.js';

export type MatchOp = '=' | '!=' | '=~' | '!~';
export type FilterOp = '|=' | '!=' | '|~' | '!~';

export interface LabelMatcher {
  name: string;
  op: MatchOp;
  value: string;
  matches(v: string): boolean;
}

export interface LineFilter {
  op: FilterOp;
  values: string[]; // more than one with `or`
  test(line: string): boolean;
}

export interface LogQuery {
  matchers: LabelMatcher[];
  filters: LineFilter[];
}

export class UnsupportedQueryError extends Error {}

const EMPTY_MATCHER_MSG =
  'queries require at least one regexp or equality matcher that does not have an empty-compatible value. ' +
  'For instance, app=~".*" does not meet this requirement, but app=~".+" will';

const METRIC_FUNCTIONS = new Set([
  'rate',
  'rate_counter',
  'count_over_time',
  'bytes_rate',
  'bytes_over_time',
  'avg_over_time',
  'sum_over_time',
  'min_over_time',
  'max_over_time',
  'stdvar_over_time',
  'stddev_over_time',
  'quantile_over_time',
  'first_over_time',
  'last_over_time',
  'absent_over_time',
  'vector',
  'sum',
  'avg',
  'max',
  'min',
  'count',
  'stddev',
  'stdvar',
  'bottomk',
  'topk',
  'sort',
  'sort_desc',
  'label_replace',
  'approx_topk',
]);

function compileRe2(pattern: string, flags = 0): RE2JS {
  try {
    return RE2JS.compile(pattern, flags);
  } catch (e) {
    // re2js reports errors in Go's words: "error parsing regexp: missing closing ): `(a`".
    throw new LogqlParseError((e as Error).message, 0, 0);
  }
}

export function makeMatcher(name: string, op: MatchOp, value: string): LabelMatcher {
  if (op === '=' || op === '!=') {
    const neg = op === '!=';
    return { name, op, value, matches: (v) => (v === value) !== neg };
  }
  // Label regexes are fully anchored and `.` matches newlines, as in Prometheus.
  const re = compileRe2(value, RE2JS.DOTALL);
  const neg = op === '!~';
  return { name, op, value, matches: (v) => re.testExact(v) !== neg };
}

function makeFilter(op: FilterOp, values: string[]): LineFilter {
  const negative = op === '!=' || op === '!~';
  let any: (line: string) => boolean;
  if (op === '|=' || op === '!=') {
    any = (line) => values.some((v) => line.includes(v));
  } else {
    const res = values.map((v) => compileRe2(v));
    any = (line) => res.some((r) => r.test(line));
  }
  return { op, values, test: (line) => any(line) !== negative };
}

class Parser {
  private pos = 0;
  constructor(
    private readonly input: string,
    private readonly tokens: Token[],
  ) {}

  private peek(k = 0): Token {
    return this.tokens[Math.min(this.pos + k, this.tokens.length - 1)];
  }
  private next(): Token {
    const t = this.peek();
    if (this.pos < this.tokens.length - 1) this.pos++;
    return t;
  }
  private fail(t: Token, expecting?: string[]): never {
    const exp = expecting?.length ? `, expecting ${expecting.join(' or ')}` : '';
    throw errorAt(this.input, t.offset, `syntax error: unexpected ${tokenName(t)}${exp}`);
  }
  private isOp(t: Token, ...ops: string[]): boolean {
    return t.kind === 'OP' && ops.includes(t.text);
  }

  parse(): LogQuery {
    const first = this.peek();
    if (first.kind === 'IDENTIFIER' && METRIC_FUNCTIONS.has(first.text.toLowerCase())) {
      const after = this.peek(1);
      if (
        this.isOp(after, '(') ||
        (after.kind === 'IDENTIFIER' && /^(by|without)$/i.test(after.text))
      ) {
        throw new UnsupportedQueryError(
          'the Loki simulator answers log queries only (stream selector and line filters); metric queries are not supported',
        );
      }
    }
    if (!this.isOp(first, '{')) this.fail(first);
    const matchers = this.selector();
    const filters: LineFilter[] = [];
    for (;;) {
      const t = this.peek();
      if (t.kind === 'EOF') break;
      if (this.isOp(t, '|=', '!=', '|~', '!~')) {
        filters.push(this.lineFilter());
        continue;
      }
      if (this.isOp(t, '|', '|>', '!>')) {
        const stage = this.peek(1);
        if (stage.kind === 'EOF' || stage.kind === 'OP') this.fail(stage); // a syntax error in Loki too
        throw new UnsupportedQueryError(
          `the Loki simulator supports only line filters (|=, !=, |~, !~); the pipeline stage ` +
            `"${t.text} ${stage.text}" is not supported`,
        );
      }
      if (this.isOp(t, '[')) {
        throw new UnsupportedQueryError(
          'the Loki simulator answers log queries only; range selectors ([5m]) belong to metric queries',
        );
      }
      this.fail(t);
    }
    validateMatchers(matchers);
    return { matchers, filters };
  }

  private selector(): LabelMatcher[] {
    this.next(); // {
    const matchers: LabelMatcher[] = [];
    if (this.isOp(this.peek(), '}')) {
      this.next();
      return matchers;
    }
    for (;;) {
      const name = this.next();
      if (name.kind !== 'IDENTIFIER') this.fail(name, ['IDENTIFIER', '}']);
      const op = this.next();
      if (!this.isOp(op, '=', '!=', '=~', '!~')) this.fail(op, ['=', '=~', '!~', '!=']);
      const value = this.next();
      if (value.kind !== 'STRING') this.fail(value, ['STRING']);
      matchers.push(makeMatcher(name.text, op.text as MatchOp, value.text));
      const sep = this.next();
      if (this.isOp(sep, '}')) return matchers;
      if (!this.isOp(sep, ',')) this.fail(sep, [',', '}']);
    }
  }

  private lineFilter(): LineFilter {
    const op = this.next().text as FilterOp;
    const values: string[] = [];
    for (;;) {
      const v = this.next();
      if (v.kind === 'IDENTIFIER' && v.text === 'ip' && this.isOp(this.peek(), '(')) {
        throw new UnsupportedQueryError('the Loki simulator does not support ip() line filters');
      }
      if (v.kind !== 'STRING') this.fail(v, ['STRING']);
      values.push(v.text);
      const or = this.peek();
      if (or.kind === 'IDENTIFIER' && or.text.toLowerCase() === 'or') {
        this.next();
        continue;
      }
      return makeFilter(op, values);
    }
  }
}

// Loki refuses selectors that could match every stream.
function validateMatchers(matchers: LabelMatcher[]): void {
  const selective = matchers.some((m) => (m.op === '=' || m.op === '=~') && !m.matches(''));
  if (!selective) throw new LogqlParseError(EMPTY_MATCHER_MSG, 0, 0);
}

export function parseLogQuery(input: string): LogQuery {
  return new Parser(input, tokenize(input)).parse();
}

// Parses a bare selector, as the `query` parameter of the label values endpoint takes.
export function parseSelector(input: string): LabelMatcher[] {
  const q = parseLogQuery(input);
  return q.matchers;
}
