// Lexer for the LogQL subset the simulator understands. It mirrors Loki's lexer (Go text/scanner
// plus a token table): positions are 1-based line/column of the token start, string literals
// use Go escapes ("…") or are raw (`…`), `#` starts a comment.

export type TokenKind =
  | 'IDENTIFIER'
  | 'STRING'
  | 'NUMBER'
  | 'OP' // one of the punctuation tokens below, text in `text`
  | 'EOF';

export interface Token {
  kind: TokenKind;
  text: string; // raw text; for STRING the unquoted value
  offset: number;
}

export class LogqlParseError extends Error {
  // line/col 0 means "no position", printed as `parse error : msg` like Loki.
  constructor(
    readonly msg: string,
    readonly line: number,
    readonly col: number,
  ) {
    super(
      line === 0 && col === 0
        ? `parse error : ${msg}`
        : `parse error at line ${line}, col ${col}: ${msg}`,
    );
  }
}

const TWO_CHAR_OPS = ['!=', '=~', '!~', '|=', '|~', '|>', '!>'];
const ONE_CHAR_OPS = '{},=|()[]+-*/%^<>';

export function position(input: string, offset: number): { line: number; col: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < input.length; i++) {
    if (input[i] === '\n') {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, col: [...input.slice(lineStart, offset)].length + 1 };
}

export function errorAt(input: string, offset: number, msg: string): LogqlParseError {
  if (input.length === 0) return new LogqlParseError(msg, 0, 0);
  const { line, col } = position(input, offset);
  return new LogqlParseError(msg, line, col);
}

const SIMPLE_ESCAPES: Record<string, string> = {
  a: '\x07',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
  '\\': '\\',
};

// Reads a Go interpreted string literal starting at `start` (the opening quote). Returns the
// decoded value and the offset just past the closing quote.
function readQuoted(input: string, start: number): { value: string; end: number } {
  const quote = input[start];
  let i = start + 1;
  let out = '';
  for (;;) {
    if (i >= input.length || input[i] === '\n')
      throw errorAt(input, start, 'literal not terminated');
    const c = input[i];
    if (c === quote) return { value: out, end: i + 1 };
    if (c !== '\\') {
      out += c;
      i++;
      continue;
    }
    const e = input[i + 1] ?? '';
    if (e in SIMPLE_ESCAPES) {
      out += SIMPLE_ESCAPES[e];
      i += 2;
    } else if (e === quote) {
      out += quote;
      i += 2;
    } else if (e === 'x' || e === 'u' || e === 'U') {
      const n = e === 'x' ? 2 : e === 'u' ? 4 : 8;
      const hex = input.slice(i + 2, i + 2 + n);
      if (!new RegExp(`^[0-9a-fA-F]{${n}}$`).test(hex))
        throw errorAt(input, start, 'invalid char escape');
      const code = parseInt(hex, 16);
      if (e === 'x') out += String.fromCharCode(code);
      else if (code > 0x10ffff || (code >= 0xd800 && code < 0xe000))
        throw errorAt(input, start, 'invalid char escape');
      else out += String.fromCodePoint(code);
      i += 2 + n;
    } else if (/[0-7]/.test(e)) {
      const oct = input.slice(i + 1, i + 4);
      if (!/^[0-7]{3}$/.test(oct) || parseInt(oct, 8) > 255)
        throw errorAt(input, start, 'invalid char escape');
      out += String.fromCharCode(parseInt(oct, 8));
      i += 4;
    } else {
      throw errorAt(input, start, 'invalid char escape');
    }
  }
}

export function tokenize(input: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < input.length) {
    const c = input[i];
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === '#') {
      while (i < input.length && input[i] !== '\n') i++;
      continue;
    }
    if (c === '"') {
      const { value, end } = readQuoted(input, i);
      tokens.push({ kind: 'STRING', text: value, offset: i });
      i = end;
      continue;
    }
    if (c === '`') {
      const end = input.indexOf('`', i + 1);
      if (end < 0) throw errorAt(input, i, 'literal not terminated');
      tokens.push({ kind: 'STRING', text: input.slice(i + 1, end), offset: i });
      i = end + 1;
      continue;
    }
    if (c === "'") {
      // Go's scanner reads single quotes as a char literal, which LogQL does not accept.
      throw errorAt(input, i, 'illegal char literal');
    }
    const two = input.slice(i, i + 2);
    if (TWO_CHAR_OPS.includes(two)) {
      tokens.push({ kind: 'OP', text: two, offset: i });
      i += 2;
      continue;
    }
    if (ONE_CHAR_OPS.includes(c)) {
      tokens.push({ kind: 'OP', text: c, offset: i });
      i++;
      continue;
    }
    const ident = /^[A-Za-z_][A-Za-z0-9_]*/.exec(input.slice(i));
    if (ident) {
      tokens.push({ kind: 'IDENTIFIER', text: ident[0], offset: i });
      i += ident[0].length;
      continue;
    }
    const num = /^[0-9]+(\.[0-9]+)?[A-Za-z]*/.exec(input.slice(i));
    if (num) {
      tokens.push({ kind: 'NUMBER', text: num[0], offset: i });
      i += num[0].length;
      continue;
    }
    // Go's scanner returns any other character as itself; the parser then rejects it.
    tokens.push({ kind: 'OP', text: c, offset: i });
    i++;
  }
  tokens.push({ kind: 'EOF', text: '', offset: input.length });
  return tokens;
}

// How Loki's yacc parser names a token in "unexpected X" messages.
export function tokenName(t: Token): string {
  switch (t.kind) {
    case 'EOF':
      return '$end';
    case 'STRING':
      return 'STRING';
    case 'NUMBER':
      return 'NUMBER';
    case 'IDENTIFIER':
      return 'IDENTIFIER';
    default:
      return t.text;
  }
}
