import type { LogAlert } from './schema.js';
import type { Severity } from '../../domain/alert.js';
import { composedFinding, inToolCall, recategoriseByComposition } from './compositions.js';

/**
 * Structure before strings (issue #12 item 2): what a line *is* — its envelope (a JSON event with
 * a level, a klog or logrus line, a level prefix, a `kubectl describe` event row) and its place in
 * a multi-line shape (a Python traceback, a Go panic, a Rust panic inside `cargo test` output, a
 * response body under an error line) — read before and after the catalogue's words.
 *
 * The rules here are code, not catalogue data, because they need more than one line: each sees
 * the line, its envelope, and a short window of the preceding lines of the same stream
 * (`WINDOW_LINES`), plus the last finding of that stream. Each rule has an id
 * (`structure:<name>`) that a finding or a veto names, so `healer scan --explain` can say which
 * one decided.
 */

/** Preceding lines of the same stream a structural rule may look at. */
export const WINDOW_LINES = 8;

/** A continuation line belongs to the finding at most this many lines above it. */
const CONTINUATION_LINES = 3;

export type Level = 'fatal' | 'error' | 'warn' | 'info' | 'debug';
export type Shape =
  'json' | 'klog' | 'logrus' | 'logfmt' | 'bracket' | 'prefix' | 'npm' | 'event' | 'systemd';

export interface Envelope {
  shape: Shape | null;
  level: Level | null;
  /** The message part (the JSON `msg`/`message`, the text after a prefix), or the whole line. */
  message: string;
  /** For `kubectl describe`/`get events` rows: the event reason (BackOff, Unhealthy, …). */
  reason?: string;
}

const LEVELS: Record<string, Level> = {
  fatal: 'fatal',
  fata: 'fatal',
  panic: 'fatal',
  pani: 'fatal',
  crit: 'fatal',
  critical: 'fatal',
  emerg: 'fatal',
  alert: 'fatal',
  f: 'fatal',
  error: 'error',
  erro: 'error',
  err: 'error',
  ftl: 'fatal',
  inf: 'info',
  dbg: 'debug',
  eror: 'error',
  e: 'error',
  warn: 'warn',
  warning: 'warn',
  wrn: 'warn',
  wrng: 'warn',
  w: 'warn',
  info: 'info',
  notice: 'info',
  i: 'info',
  debug: 'debug',
  debu: 'debug',
  trace: 'debug',
  trac: 'debug',
  verbose: 'debug',
  d: 'debug',
};

const levelWord = (w: string | undefined): Level | null =>
  w === undefined ? null : (LEVELS[w.toLowerCase()] ?? null);

/** pino/bunyan numeric levels. */
const numericLevel = (n: number): Level =>
  n >= 60 ? 'fatal' : n >= 50 ? 'error' : n >= 40 ? 'warn' : n >= 30 ? 'info' : 'debug';

// A syslog/journald prefix (`May 18 13:40:00 host unit[123]: `) and leading timestamps.
const SYSLOG = /^[A-Z][a-z]{2}\s+\d{1,2}\s+\d{2}:\d{2}:\d{2}\s+\S+\s+([\w.@/-]+?)(?:\[\d+\])?:\s+/;
// (since round 9 also a month-day stamp with no host after it, as zap's console encoder
// prints with a custom time layout: `Jan  5 08:40:27.735412<TAB>ERROR<TAB>…`)
const TIMESTAMP =
  /^\[?(?:\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(?:[.,]\d+)?(?:Z|[+-]\d{2}:?\d{2})?|\d{2}:\d{2}:\d{2}(?:[.,]\d+)?|[A-Z][a-z]{2}\s+\d{1,2}\s+\d{2}:\d{2}:\d{2}(?:[.,]\d+)?(?=\t))\]?\s+/;
/** A log viewer's gutter between the timestamp and the line (`09:21:05 |   | ERROR: …`). */
const GUTTER = /^(?:\|\s*)+/;
const KLOG = /^([IWEF])\s?\d{4}\s+\d{2}:\d{2}:\d{2}(?:\.\d+)?\s+(?:UTC\s+)?(.*)$/;
const LOGRUS = /^(TRAC|DEBU|INFO|WARN|ERRO|FATA|PANI)\[\d+\]\s*(.*)$/;
const LOGFMT_LEVEL = /(?:^|\s)level=("?)(\w+)\1(?:\s|$)/i;
const LOGFMT_MSG = /(?:^|\s)msg="((?:[^"\\]|\\.)*)"/;
const BRACKET =
  /^\[(fatal|ftl|critical|crit|error|err|warn|warning|wrn|info|inf|notice|debug|dbg|trace)\]\s*(?:\[[^\]]*\]\s*)?(.*)$/i;
const PREFIX =
  /^(FATAL|CRITICAL|PANIC|ERROR|WARN|WARNING|INFO|NOTICE|DEBUG|TRACE)(?::[\w.]*:|:|\s+-\s+|\s+)(.*)$/;
const PY_DASHED = /\s-\s(CRITICAL|ERROR|WARNING|INFO|DEBUG)\s-\s(.*)$/;
/**
 * Four- and three-letter level words at the head of a line: charmbracelet/log (`ERRO`, `WARN`,
 * `DEBU`, `FATA`, used by Crush and other Go CLIs) and zerolog's console writer (`ERR`, `WRN`,
 * `INF`, `DBG`, `FTL`).
 */
const SHORT_LEVEL = /^(ERRO|FATA|DEBU|ERR|WRN|INF|DBG|FTL)\s+(\S.*)$/;
/**
 * A command-line tool's own lower-case level prefix (`error: Failed to download distributions`
 * from uv, `warn: ConnectionRefused downloading …` from bun, cargo's and git's `error:`/`warning:`);
 * not a compiler diagnostic with a code (`error[E0425]:`).
 */
const CLI_LEVEL = /^(error|warning|warn|fatal):\s+(\S.*)$/;
/** The headline of a miette error report (`  × Failed to download `mypy==0.991``: uv, Rust CLIs), not a test runner's failed test with its duration. */
const MIETTE_HEAD = /^×\s+(\S.*)$/;
const TEST_DURATION = /\d+(?:\.\d+)?\s?m?s\)?\s*$/;
const NPM = /^npm (ERR!|(?:error|WARN|warn|notice|info|verb|http|timing|sill)\b)\s*(.*)$/;
const EVENT_ROW = /(?:^|\s)(Warning|Normal)\s{2,}([A-Z]\w+)\s{2,}(.*)$/;

/** The envelope of one line (callers must not change it). Cheap enough for candidate lines; never throws. */
export function envelopeOf(line: string): Envelope {
  // one line is read several times in a row (the catalogue's level veto, the structural rules,
  // the learned stage's gate): the last envelope is kept
  if (line === lastLine && lastEnvelope) return lastEnvelope;
  lastLine = line;
  lastEnvelope = readEnvelope(line);
  return lastEnvelope;
}

let lastLine: string | null = null;
let lastEnvelope: Envelope | null = null;

function readEnvelope(line: string): Envelope {
  let rest = line.trim();
  let shape: Shape | null = null;
  const sys = SYSLOG.exec(rest);
  if (sys) {
    shape = 'systemd';
    rest = rest.slice(sys[0].length);
  }
  const event = EVENT_ROW.exec(rest);
  if (event) {
    return {
      shape: 'event',
      level: event[1] === 'Warning' ? 'warn' : 'info',
      reason: event[2],
      message: event[3],
    };
  }
  if (rest.startsWith('{') && rest.endsWith('}')) {
    const json = jsonEnvelope(rest);
    if (json) return json;
  }
  const klog = KLOG.exec(rest);
  if (klog) return { shape: 'klog', level: levelWord(klog[1]), message: klog[2] };
  rest = bodyOf(rest);
  const logrus = LOGRUS.exec(rest);
  if (logrus) return { shape: 'logrus', level: levelWord(logrus[1]), message: logrus[2] };
  const npm = NPM.exec(rest);
  if (npm) {
    const w = npm[1].toLowerCase();
    const level = w === 'err!' || w === 'error' ? 'error' : w === 'warn' ? 'warn' : 'info';
    return { shape: 'npm', level, message: npm[2] };
  }
  const lf = LOGFMT_LEVEL.exec(rest);
  if (lf)
    return {
      shape: 'logfmt',
      level: levelWord(lf[2]),
      message: LOGFMT_MSG.exec(rest)?.[1] ?? rest,
    };
  const br = BRACKET.exec(rest);
  if (br) {
    // An editor's output channel wraps its language server's own log lines at info
    // (`[info] E0520 13:46:29.975004 78921 interceptor.go:70] …`): the inner klog level decides.
    const inner = KLOG.exec(br[2]);
    if (inner) return { shape: 'klog', level: levelWord(inner[1]), message: inner[2] };
    return { shape: 'bracket', level: levelWord(br[1]), message: br[2] };
  }
  const px = PREFIX.exec(rest);
  if (px) return { shape: 'prefix', level: levelWord(px[1]), message: px[2] };
  const dashed = PY_DASHED.exec(rest);
  if (dashed) return { shape: 'prefix', level: levelWord(dashed[1]), message: dashed[2] };
  const short = SHORT_LEVEL.exec(rest) ?? CLI_LEVEL.exec(rest);
  if (short) return { shape: 'prefix', level: levelWord(short[1]), message: short[2] };
  const miette = MIETTE_HEAD.exec(rest);
  if (miette && !TEST_DURATION.test(rest))
    return { shape: 'prefix', level: 'error', message: miette[1] };
  return { shape, level: null, message: rest };
}

/** BuildKit's plain progress prefix: the step and the seconds elapsed (`#12 320.0 `). */
const BUILDKIT = /^(?:#\d+\s+)?\d+\.\d+\s+/;

/**
 * A build script's or progress display's marker before a level word (`==> ERROR:` makepkg,
 * `>>> ERROR:` abuild, ` => ERROR [4/5] RUN …` BuildKit's tty display, `--> ERROR`): read past,
 * so the level decides as it does without the marker (round 9).
 */
const MARKER = /^(?:={1,2}>|>>>|-->)\s+(?=(?:ERROR|FATAL|WARN(?:ING)?|INFO)\b)/;

/** The line without its leading timestamps, BuildKit's step prefix, a log viewer's gutter and a marker before a level word. */
function bodyOf(line: string): string {
  const bk = BUILDKIT.exec(line);
  let rest = bk ? line.slice(bk[0].length) : line;
  const marker = MARKER.exec(rest);
  if (marker) return rest.slice(marker[0].length);
  for (let i = 0; i < 2; i++) {
    const ts = TIMESTAMP.exec(rest);
    if (!ts) break;
    rest = rest.slice(ts[0].length);
  }
  const gutter = GUTTER.exec(rest);
  return gutter ? rest.slice(gutter[0].length) : rest;
}

function jsonEnvelope(text: string): Envelope | null {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) return null;
  const o = doc as Record<string, unknown>;
  const raw = o.level ?? o.severity ?? o.lvl ?? o['log.level'];
  let level: Level | null =
    typeof raw === 'number' ? numericLevel(raw) : typeof raw === 'string' ? levelWord(raw) : null;
  // Agent CLIs' stream-json: `{"type":"error",…}`, `{"type":"result","subtype":"error_max_turns"}`.
  if (level === null && o.type === 'error') level = 'error';
  if (level === null && typeof o.subtype === 'string' && o.subtype.startsWith('error'))
    level = 'error';
  const err = o.error;
  const message =
    [
      o.msg,
      o.message,
      typeof err === 'object' && err ? (err as Record<string, unknown>).message : err,
      o.subtype,
    ]
      .filter((v): v is string => typeof v === 'string')
      .join(' ') || text;
  return { shape: 'json', level, message };
}

/** What a structural rule sees besides the line. */
export interface Context {
  /** Up to `WINDOW_LINES` preceding lines of the same stream, oldest first. */
  before(): readonly string[];
  /** The line right before this one (the last of `before()`), without reading the whole window. */
  previous(): string | undefined;
  /** The stream's last finding: how many lines above this one, and its text; or null. */
  lastFinding: { back: number; text: string } | null;
}

/** A decision of the structural stage. */
export type Verdict =
  | { kind: 'veto'; rule: string; why: string }
  | { kind: 'recategorise'; rule: string; why: string; alert: LogAlert; family: string }
  | {
      kind: 'assign';
      rule: string;
      why: string;
      alert: LogAlert;
      severity: Severity;
      family: string;
    };

/**
 * A Python traceback's header; since round 11 also IPython's, which names the exception first and
 * has no colon (`TimeoutError                              Traceback (most recent call last)`).
 */
const TRACEBACK_HEAD =
  /^\s*(?:Traceback \(most recent call last\):|[\w.]+\s{2,}Traceback \(most recent call last\))\s*$/;
const RUST_PANIC = /\bpanicked at\b/;
const CARGO_TEST =
  /^\s*(?:---- \S.* stdout ----|running \d+ tests?|failures:|test result: |test \S+ \.\.\. (?:FAILED|ok|ignored))\s*$/;
const GO_PANIC = /^panic: /;
const GO_PANIC_TAIL = /^\s*(?:\[signal |exit status \d+\s*$|goroutine \d+ \[)/;
/** Lines that carry a record marker of their own (a tool result, a status glyph): never continuations. */
const RECORD_MARK = /^\s*│?\s*[⎿✻●✖✗×⚠■❌▶[]/u;
/**
 * A fragment of a JSON document wrapped over lines: an opening brace or bracket, or a field
 * (`"key": …`). A line that is only a quoted sentence (`"Error: exceeded retry limit, …"`) is a
 * record of its own, not a field. A bracket opens an array only before a value (round 11: a
 * `[nomad.service 💻 worker-01]` tag after a timestamp is a record's prefix, not JSON).
 */
const JSON_FRAGMENT = /^\s*(?:\{|\[(?:\s|$|[{["\d\]-]|(?:true|false|null)\b)|"[^"]{0,80}"\s*:)/;
/**
 * A field of the exception above it (`Reason: Unauthorized` under `ApiException: (401)`, `Error
 * type: EACCES` under `Error: spawn EACCES`).
 */
const FIELD = /^(?:Reason|Error type|Error code|errno|syscall):\s/;
/**
 * The `Error:` field of a report printed as indented fields under its headline (round 11: an IDE's
 * MCP report, `Failed to connect to MCP server "x"` then `  Command: uvx …`, `  Args:`, `  Error: MCP
 * error -2: Request timed out`, `  Stderr:`): the headline is the finding.
 */
const INDENTED_ERROR_FIELD = /^\s+Error:\s/;
const INDENTED_FIELD = /^\s+[A-Z][\w ]{0,20}:(?:\s|$)/;
/** Wrapped text: indented, going on mid-sentence (lower case); only the line or two above. */
const WRAPPED = /^\s+[a-z]/;
/**
 * A line cut after a comma: the next line, starting lower case even without an indent, goes on
 * with the same message (aws-sdk-go-v2's `… failed to refresh cached credentials,` then `refresh
 * cached SSO token failed, …`, round 11).
 */
const COMMA_CUT = /[A-Za-z],\s*$/;
/** The end of a sentence or a quotation: the next line starts something new. */
const SENTENCE_END = /[.!?"”]\s*$/;
/**
 * npm's error block, also as numbered lines of its debug log (`189 error code EAI_AGAIN`) and
 * behind Cloud Foundry's `cf logs` prefix (`2016-07-23T08:54:12.92+0530 [STG/0]  OUT  npm ERR! …`, round 11).
 */
const NPM_ERR =
  /^\s*(?:#\d+\s+)?(?:\d+\.\d+\s+)?(?:\S+\s+\[[\w/.-]+\]\s+(?:OUT|ERR)\s+)?(?:npm (?:ERR!|error\b)|ERR!|\d+ error\b)/;
/** The trailer of an npm error block (the failure is on its `code`/message line above). */
const NPM_TRAILER =
  /^\s*(?:#\d+\s+)?(?:\d+\.\d+\s+)?(?:\S+\s+\[[\w/.-]+\]\s+(?:OUT|ERR)\s+)?(?:npm (?:ERR!|error)|ERR!|\d+ error) (?:Exit status \d|errno \S|syscall \S|Failed at |A complete log|This is probably|\s*$)/;
/**
 * A field of an error object Node printed under its message (`  code: 'EAI_AGAIN',`), also
 * behind npm's debug-log prefix (`247 silly fetchPackageMetaData   code: 'EAI_AGAIN',`).
 */
const NODE_ERROR_FIELD =
  /^(?:\d+ \w+ \S+)?\s+(?:code|errno|syscall|hostname|host|address|port|path|dest):\s*(?:'[^']*'|"[^"]*"|-?\d+),?\s*$/;
/**
 * The exit status a tool prints after the failure it already stated (`error: "x" exited with
 * code 1` under `spawn … EACCES`, npm's `verbose stack Exit status 1`). Not Docker's `The command
 * '…' returned a non-zero code: 1` (round 9): a build's verdict, which every round labels a
 * failure of its own even right under the step's error.
 */
const EXIT_TRAILER =
  /\b(?:exit(?:ed)?|terminated) with (?:exit )?(?:code|status):? ?\d+|\bexit status \d+\s*$|^\s*│\s*exit code: -?\d+\s*$/i;
/** Lines of an exit trailer may follow the failure at most this many lines below. */
const EXIT_TRAILER_LINES = 2;
/** A JSON document opened on a line of its own (unindented `{` or `[`): a new record. */
const JSON_OPENER = /^[{[]\s*$/;
/** An interactive interpreter's prompt: what follows it is the REPL's answer, not the program's. */
const REPL_PROMPT = /^(?:>>>|In \[\d+\]:|irb\([\w.]+\):\d+:\d+>)\s/;
/** A traceback frame of code typed into an interactive interpreter (`File "<stdin>", line 1`). */
const REPL_FRAME = /^\s*File "<(?:stdin|console|python-input-\d+|ipython-input-[^>]*)>", line \d+/;
/** A frame line of a Python traceback: the indented line under it is the frame's source code. */
const PY_FRAME = /^\s*File "[^"]+", line \d+/;
/**
 * Rust anyhow/eyre's and cargo's `Caused by:` header: the lines under it (indented, numbered or not,
 * and the first line right under it however it is indented) are the error's causes.
 */
const CAUSED_BY = /^\s*Caused by:\s*$/;
/**
 * color-eyre's numbered report (`Error:` then `   0: cannot parse config file …`, `   1: TOML
 * parse error …`): item 0 is the headline, the later items are its causes (round 8).
 */
const EYRE_HEAD = /^\s+0: \S/;
const EYRE_CAUSE = /^\s+[1-9]\d*: \S/;
/**
 * A test runner's marker of a failed test (surefire's `<<< FAILURE!`, catch2's `file:76: FAILED:`,
 * rspec's `Failure/Error:`, Go's `--- FAIL:`, jest's `● Suite › test`, pytest's `____ test ____`
 * header): the lines under it are the test's result, whatever they say (round 8).
 */
const TEST_FAILURE_HEAD =
  /<<< (?:FAILURE|ERROR)!\s*$|:\d+: FAILED:\s*$|^\s*Failure\/Error:|^\s*--- FAIL:|^\s*●\s.+\s›\s|^_{3,} \S+ _{3,}\s*$/u;
/** The lines of a failed test's report under its marker that may still be the test's. */
const TEST_REPORT_LINES = 6;
/**
 * A cause or hint printed under an error report's headline, on a line of its own: miette's
 * `├─▶`/`╰─▶` causes and `help:` (uv, Rust CLIs), an inline `Caused by: …` (anyhow, uv, Java,
 * Python's exception groups). The headline above it is the finding; its causes never are.
 */
const CHAIN_ITEM = /^\s*(?:[├╰]─+▶|Caused by:\s*\S|help:\s)/u;
/** Lines that may lie between a cause and its headline: other causes, the report's gutter, frames, wrapped text. */
const CHAIN_BODY = /^\s*(?:[├╰]─+▶|│|Caused by:|help:|at\s|\.\.\. \d+ more)|^\s+\S/u;
/** `[LEVEL] [logger] ` after the timestamps: a logger that prints a multi-line report tags each line. */
const LOGGER_TAG = /^\[[A-Za-z]+\]\s*\[[^\]]+\]/;
const MCP_TRANSPORT = /MCP error -3200[01]|request timed out|connection closed/i;
/** A line that itself reports a failed tool call (`Error calling tool: …`, `Error executing MCP tool: …`). */
const IN_CALL_HERE = /\berror (?:calling|executing) (?:the )?(?:mcp )?tool\b/i;
const MCP_STARTUP =
  /fail(?:ed)? to (?:start|connect|initiali[sz]e)|start-?up|discovery|initiali[sz]|connecting to/i;
const WARNING_REASONS = new Set([
  'BackOff',
  'FailedScheduling',
  'Unhealthy',
  'Killing',
  'Failed',
  'FailedMount',
  'FailedAttachVolume',
  'FailedCreatePodSandBox',
  'FailedKillPod',
  'FailedSync',
  'Evicted',
  'OOMKilling',
  'NodeNotReady',
  'FailedCreate',
  'ProbeWarning',
]);
const PY_EXCEPTION =
  /^[A-Za-z_][\w.]*(?:Error|Exception|Exit|Interrupt|Failure|NotFound)\b(?::\s|$)/;
const K8S_STATUS_FAILURE = /"status"\s*:\s*"Failure"/;
const K8S_STATUS_KIND = /"kind"\s*:\s*"Status"/;
const MCP_STATUS_FAILED =
  /"status"\s*:\s*"failed"|^\s*[\w.@/-]+\s+"failed"\s*,?\s*$|^\s*Status:\s*[×✗✘x]?\s*failed\b/iu;
const MCP_WORDS =
  /(?:^|[^a-z])mcp(?:[^a-z]|$)|mcp_?servers|"serverInfo"|"status"\s*:\s*"connected"|MCP Server/i;
/** An MCP server descriptor's transport (`type=local`, `type: "stdio"`): the record is about an MCP server. */
const MCP_TRANSPORT_FIELD = /\btype\s*[=:]\s*["']?(?:local|remote|stdio|sse|streamable-?http)\b/i;
/**
 * A row of an agent CLI's MCP status panel: a server name, then its state after a glyph, a colon
 * or a dash (`❯ 1. github  ✘ failed · Enter to view details`, `⎿ • github: disconnected`).
 */
const MCP_STATUS_ROW =
  /^[\s⎿•❯*·\d.-]*[\w.@/-]+(?::\s+|\s+-\s+|\s{2,})[✘✗×]?\s*(?:failed|disconnected)\b\s*(?:[·(-].*)?$/iu;
/**
 * A row that opens with a failure glyph before the server's name (round 10): `● ✗ datalens failed`,
 * `✘ github failed`.
 */
const MCP_GLYPH_ROW = /^[\s⎿•●❯*·\d.-]*[✘✗×]\s*[\w.@/-]+:?\s+(?:failed|disconnected)\b/u;
/**
 * The side borders of a terminal UI's panel (`│ ❯1. mindpilot  ✘ failed · Enter to view  │`,
 * `│   • brave_search      failed │`, Ink's and Ratatui's boxes): the row inside is what the panel
 * says (round 10).
 */
const BOX_SIDES = /^\s*[│┃║]\s?|\s*[│┃║]\s*$/gu;
const unboxed = (text: string): string => text.replace(BOX_SIDES, '');
/** A status field set to failed in logfmt or an inspected object (`status=failed`, `status: "failed"`). */
const STATUS_FIELD_FAILED = /\bstatus\s*[=:]\s*["']?failed\b/i;
const FAILURE_WORDS =
  /\b(?:fail(?:ed|ure|s|ing)?|unable|cannot|can't|couldn't|could not|forbidden|denied|refused|invalid|timed? ?out|no such|unexpected|panic(?:ked)?|crash(?:ed)?|abort(?:ed)?|exception|misconfiguration)\b|\b(?:Connection(?:Refused|Reset|Closed)|FailedToOpenSocket)\b|\bE(?:CONNREFUSED|CONNRESET|TIMEDOUT|AI_AGAIN|NOTFOUND)\b/i;

/**
 * An error envelope's message that opens by naming what failed (`msg="error locating sandbox id …"`,
 * `Error unmounting container …`, `error while reading …`): dockerd's and many Go daemons' wording.
 */
const ERROR_DOING = /^\W{0,2}(?:error|err)\s+(?:while\s+|when\s+|during\s+)?[a-z]+ing\b/i;

/**
 * Literals that make a line worth the structural stage even when no catalogue pattern's literal
 * is on it (lower case, ASCII, 3+ characters; the classifier adds them to its literal search).
 */
export const STRUCTURE_LITERALS = [
  'warning ', // event rows
  'disconnected', // MCP status rows
  '"failure"', // Kubernetes Status bodies
  '"failed"', // MCP status documents
  'failed', // status tables, error envelopes
  'unable',
  'cannot',
  'forbidden',
  'invalid',
  'denied',
  'error', // Python exceptions ending a traceback (`…Error:`), error envelopes, and the learned stage's lines
  'exception',
  'misconfiguration',
  // the learned stage's error-shaped wording (it judges only lines with a literal of this list)
  'timeout',
  'timed out',
  'could not',
  'panicked',
  'not found',
  // round 6: retry counters (`Retry 2/5`, `attempt 3 of 10`, `(2 tries remaining)`) and the
  // failure words of the start-up and configuration compositions
  'retry',
  'retries',
  'attempt',
  'tries remaining',
  "can't",
  "couldn't",
  // round 6: the compositions' own words (compositions.ts): no tools, run limits, unknown agents,
  // unmet credentials
  'no tools',
  'no mcp tools',
  'no available tools',
  '0 tool',
  'zero tool',
  'support tools',
  'not supported',
  'too many',
  'maximum',
  'max ',
  'limit',
  'not registered',
  'does not exist',
  "doesn't exist",
  'unknown agent',
  'no such agent',
  'required',
  'missing',
  'not set',
  'must be',
  'to be set',
  'not provided',
  'not configured',
  'please set',
  'please provide',
  'must set',
  'must provide',
  // round 7: `not specified`, LangChain's `Did not find OPENAI_API_KEY`, `No API Key specified`
  'not specified',
  'did not find',
  'no api',
  'no access',
  'no auth',
  'no secret',
  'template',
  'partial',
  'prompt',
  'expired',
  'revoked',
  'rejected',
  '401',
  '403',
  'unauthori',
  // round 10: a document's syntax error at a line and column (`… in JSON at position 731 (line 23
  // column 9)`), compositions.ts
  'column',
];

/** The same, as one RE2/LogQL-compatible alternation (for the Loki line filter). */
export const STRUCTURE_FILTER = STRUCTURE_LITERALS.map((l) =>
  l.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'),
).join('|');

/**
 * Vetoes and re-categorisations of a pattern finding. Returns null when the finding stands.
 */
export function refineFinding(text: string, alert: LogAlert, ctx: Context): Verdict | null {
  if (TRACEBACK_HEAD.test(text))
    return {
      kind: 'veto',
      rule: 'structure:traceback-header',
      why: 'the head of a Python traceback: the exception line that ends it is the finding',
    };
  if (RUST_PANIC.test(text) && ctx.before().some((l) => CARGO_TEST.test(l)))
    return {
      kind: 'veto',
      rule: 'structure:cargo-test-panic',
      why: 'a Rust panic inside `cargo test` output is a test result, not a crash',
    };
  if (GO_PANIC_TAIL.test(text) && ctx.before().some((l) => GO_PANIC.test(l)))
    return {
      kind: 'veto',
      rule: 'structure:go-panic-tail',
      why: 'part of the Go panic above (signal, goroutine dump, exit status)',
    };
  const part = partOfShape(text, ctx);
  if (part) return part;
  const continuation = continuationOf(text, ctx);
  if (continuation) return continuation;
  const repl = replAnswer(text, ctx);
  if (repl) return repl;
  const recomposed = recategoriseByComposition(text, alert, envelopeOf(text), ctx);
  if (recomposed) return recomposed;
  if (alert === 'A12' && IN_CALL_HERE.test(text))
    return {
      kind: 'recategorise',
      rule: 'structure:mcp-during-call',
      why: 'the line reports a tool call that failed (`Error calling tool: …`): a runtime problem, not a start-up failure',
      alert: 'runtime',
      family: 'mcp-tool-call',
    };
  if (alert === 'A12' && MCP_TRANSPORT.test(text) && !MCP_STARTUP.test(text)) {
    if (inToolCall(text, ctx))
      return {
        kind: 'recategorise',
        rule: 'structure:mcp-during-call',
        why: 'an MCP connection lost or timed out during a tool call is a runtime problem, not a start-up failure',
        alert: 'runtime',
        family: 'mcp-tool-call',
      };
  }
  return null;
}

/**
 * Lines that belong to a multi-line shape whatever their words: the source line of a Python
 * traceback frame (`    raise litellm.Timeout(` under `File "…", line 765, in post`), and the
 * numbered causes under Rust's `Caused by:` (the error above them is the finding).
 */
function partOfShape(text: string, ctx: Context): Verdict | null {
  const chain = causeOfReport(text, ctx);
  if (chain) return chain;
  const before = ctx.before();
  const prev = before[before.length - 1] ?? '';
  // the first cause right under `Caused by:`, however it is indented (round 8)
  if (CAUSED_BY.test(prev) && text.trim() !== '') return UNDER_CAUSED_BY;
  const test = underFailedTest(text, before);
  if (test) return test;
  if (!/^\s/.test(text)) return null;
  if (PY_FRAME.test(prev) && !PY_FRAME.test(text))
    return {
      kind: 'veto',
      rule: 'structure:traceback-frame',
      why: 'the source line of a traceback frame (code, not a failure)',
    };
  // the causes under `Caused by:`, numbered or not (anyhow prints a single cause unnumbered, round 8),
  // and color-eyre's items after its headline `0:`
  const eyre = EYRE_CAUSE.test(text);
  for (let i = before.length - 1; i >= 0; i--) {
    const l = before[i];
    if (CAUSED_BY.test(l)) return UNDER_CAUSED_BY;
    if (eyre && EYRE_HEAD.test(l))
      return {
        kind: 'veto',
        rule: 'structure:cause-chain',
        why: 'a later item of a numbered error report (`1:` under `0:`): item 0 is the headline and the finding',
      };
    if (!/^\s/.test(l)) return null; // only the list's own indented lines may lie between
  }
  return null;
}

const UNDER_CAUSED_BY: Verdict = {
  kind: 'veto',
  rule: 'structure:cause-chain',
  why: 'a cause listed under `Caused by:`: the error above the list is the finding',
};

/**
 * A line of a failed test's report (round 8): a test runner's failure marker (`<<< FAILURE!`,
 * `FAILED:`, `Failure/Error:`, `--- FAIL:`) a few lines above, with no blank line between — the
 * exception or expectation under it is the test's result, not the program failing.
 */
function underFailedTest(text: string, before: readonly string[]): Verdict | null {
  if (TEST_FAILURE_HEAD.test(text)) return null;
  for (let i = before.length - 1; i >= Math.max(0, before.length - TEST_REPORT_LINES); i--) {
    const l = before[i];
    if (l.trim() === '') return null;
    if (TEST_FAILURE_HEAD.test(l))
      return {
        kind: 'veto',
        rule: 'structure:test-output',
        why: "part of a failed test's report (under the test runner's failure marker): a test result, not a failure of the run",
      };
  }
  return null;
}

/**
 * A cause under an error report's headline (`╰─▶ connection reset` under uv's `× Failed to
 * download …`, `Caused by: operation timed out` under `error: Failed to download distributions`,
 * Java's `Caused by: java.util.concurrent.TimeoutException` under its frames): the headline is
 * the finding. Found when a headline lies above the cause, past its other causes and frames,
 * or the whole window is the report's body.
 */
function causeOfReport(text: string, ctx: Context): Verdict | null {
  const before = ctx.before();
  if (before.length === 0) return null;
  if (!CHAIN_ITEM.test(bodyOf(text.trim()))) {
    // wrapped text of the cause right above it (`╰─▶ … Try increasing` / `    UV_HTTP_TIMEOUT …`)
    const prev = before[before.length - 1];
    if (!/^\s+\S/.test(text) || !CHAIN_ITEM.test(bodyOf(prev.trim())) || SENTENCE_END.test(prev))
      return null;
  }
  for (let i = before.length - 1; i >= 0; i--) {
    const l = before[i];
    if (l.trim() === '') return null;
    if (!CHAIN_BODY.test(l) && !CHAIN_BODY.test(bodyOf(l.trim()))) break;
  }
  return {
    kind: 'veto',
    rule: 'structure:cause-chain',
    why: 'a cause printed under the headline of an error report: the headline is the finding',
  };
}

/**
 * An exception printed by an interactive interpreter (`>>> 1 / 0` then its traceback, or a
 * traceback whose frames are typed input, `File "<stdin>"`): the REPL answering its user, not
 * the program failing.
 */
function replAnswer(text: string, ctx: Context): Verdict | null {
  if (!PY_EXCEPTION.test(text)) return null;
  const before = ctx.before();
  for (let i = before.length - 1; i >= 0; i--) {
    const l = before[i];
    if (REPL_PROMPT.test(l) || REPL_FRAME.test(l))
      return {
        kind: 'veto',
        rule: 'structure:repl',
        why: 'an exception answered by an interactive interpreter (after its prompt)',
      };
    // only the prompt's own traceback (indented frames, the header, a caret line) may lie between
    if (!/^\s|^Traceback \(most recent call last\):/.test(l)) return null;
  }
  return null;
}

const isCompleteJson = (text: string): boolean => {
  const t = text.trim();
  if (!t.endsWith('}') && !t.endsWith(']')) return false;
  try {
    JSON.parse(t);
    return true;
  } catch {
    return false;
  }
};

/**
 * Wrapped text continues the finding right above it, or the indented line under the finding:
 * an indented lower-case line under an unindented line that was no finding starts a record of
 * its own.
 */
function wrapsFinding(back: number, ctx: Context): boolean {
  if (back > 2) return false;
  const before = ctx.before();
  const prev = before[before.length - 1] ?? '';
  // a line that ends a sentence or a quotation was not cut by the terminal
  if (SENTENCE_END.test(prev)) return false;
  return back === 1 || /^\s/.test(prev);
}

/** A JSON document was opened on a line of its own between the finding and this line. */
function newDocumentSince(back: number, ctx: Context): boolean {
  if (back <= 1) return false;
  return ctx
    .before()
    .slice(-(back - 1))
    .some((l) => JSON_OPENER.test(l));
}

function continuationOf(text: string, ctx: Context): Verdict | null {
  const last = ctx.lastFinding;
  if (!last) return null;
  if (NPM_TRAILER.test(text) && NPM_ERR.test(last.text) && last.back <= WINDOW_LINES)
    return {
      kind: 'veto',
      rule: 'structure:continuation',
      why: `the trailer of the npm error block whose failure was found ${last.back} line(s) above`,
    };
  if (last.back <= EXIT_TRAILER_LINES && EXIT_TRAILER.test(text))
    return {
      kind: 'veto',
      rule: 'structure:continuation',
      why: `the exit status of the failure found ${last.back} line(s) above`,
    };
  if (last.back > CONTINUATION_LINES || RECORD_MARK.test(text)) return null;
  const body = bodyOf(text);
  const shaped =
    (JSON_FRAGMENT.test(body) && !isCompleteJson(body) && !newDocumentSince(last.back, ctx)) ||
    FIELD.test(body) ||
    NODE_ERROR_FIELD.test(text) ||
    (WRAPPED.test(text) && wrapsFinding(last.back, ctx)) ||
    (last.back === 1 && COMMA_CUT.test(ctx.previous() ?? '') && /^[a-z]/.test(text)) ||
    (INDENTED_ERROR_FIELD.test(text) && INDENTED_FIELD.test(ctx.previous() ?? ''));
  if (!shaped) return null;
  const env = envelopeOf(text);
  if (env.level !== null || env.shape === 'event') return null; // a record of its own
  return {
    kind: 'veto',
    rule: 'structure:continuation',
    why: `continues the failure found ${last.back} line(s) above (wrapped text, a JSON fragment or a field of it)`,
  };
}

/** A status table row or status document that marks an MCP server failed. */
function mcpStatusFailed(text: string, ctx: Context): boolean {
  const inner = unboxed(text);
  const row = MCP_STATUS_ROW.test(inner) || MCP_GLYPH_ROW.test(inner);
  if (!row && !MCP_STATUS_FAILED.test(text) && !STATUS_FIELD_FAILED.test(text)) return false;
  if (MCP_TRANSPORT_FIELD.test(text) && STATUS_FIELD_FAILED.test(text)) return true;
  return MCP_WORDS.test(text) || ctx.before().some((l) => MCP_WORDS.test(l));
}

/**
 * The vetoes a finding from outside the catalogue is subject to (a structural or learned one):
 * the line belongs to a multi-line shape, continues the finding above it, or is a REPL's answer.
 */
export function shapeVeto(text: string, ctx: Context): Verdict | null {
  return partOfShape(text, ctx) ?? continuationOf(text, ctx) ?? replAnswer(text, ctx);
}

/** A finding for a line no catalogue pattern took, from its shape; or null. */
export function assignByStructure(text: string, ctx: Context): Verdict | null {
  const verdict = assign(text, ctx);
  if (!verdict) return null;
  return (
    shapeVeto(text, ctx) ??
    (verdict.rule === 'structure:error-envelope' ? sameLoggerReport(text, ctx) : null) ??
    verdict
  );
}

/** The `[LEVEL] [logger]` tag of a line (after its timestamps), or null. */
const loggerTag = (line: string): string | null =>
  LOGGER_TAG.exec(bodyOf(line.trim()))?.[0] ?? null;

/**
 * A multi-line report printed by one logger, every line tagged alike (Gradle's
 * `[ERROR] [org.gradle.internal.buildevents.BuildExceptionReporter]` under `FAILURE: Build failed
 * with an exception.`): the failure its first failing line stated is the finding, the lines of
 * the report under it that follow without a break are its details. A line that repeats the
 * finding word for word is a record of its own (each retry is found).
 */
function sameLoggerReport(text: string, ctx: Context): Verdict | null {
  const last = ctx.lastFinding;
  if (!last || last.back > WINDOW_LINES) return null;
  const tag = loggerTag(text);
  if (!tag || loggerTag(last.text) !== tag) return null;
  if (bodyOf(text.trim()) === bodyOf(last.text.trim())) return null;
  if (last.back > 1) {
    // every line between the finding and this one is part of the same report
    const between = ctx.before().slice(-(last.back - 1));
    if (between.length < last.back - 1 || between.some((l) => loggerTag(l) !== tag)) return null;
  }
  return {
    kind: 'veto',
    rule: 'structure:logger-report',
    why: `a detail of the report its logger began with the failure found ${last.back} line(s) above`,
  };
}

/**
 * A kubelet's `Killing` event whose message says a probe failed (round 10): the liveness kill is
 * an event of type Normal (`Normal  Killing  0s  kubelet  Killing container with id
 * docker://liveness:Container failed liveness probe.. Container will be killed and recreated.`,
 * `Container x failed liveness probe, will be restarted`); not a kill on scale-down or delete
 * (`Stopping container nginx`).
 */
const PROBE_KILL =
  /\bfailed (?:liveness|startup|readiness) probe\b|\b(?:liveness|startup) probe failed\b|\bis unhealthy\b/i;

/**
 * A dump announced by a debug or info line (`… botocore.parsers - DEBUG - Response body:` then
 * `b'{"error":"invalid_grant",…}'`): the body is part of that quiet record, not a failure the
 * structural stage or the model should read on its own (round 11). Only a line with no level of
 * its own, right under a debug/info line that ends with a colon.
 */
function quietDump(env: Envelope, ctx: Context): Verdict | null {
  if (env.level !== null || env.shape !== null) return null;
  const prev = ctx.previous();
  if (!prev || !/:\s*$/.test(prev)) return null;
  const penv = envelopeOf(prev);
  if (penv.level !== 'debug' && penv.level !== 'info') return null;
  return {
    kind: 'veto',
    rule: 'structure:continuation',
    why: `a body dumped under a ${penv.level}-level line that announced it`,
  };
}

function assign(text: string, ctx: Context): Verdict | null {
  const env = envelopeOf(text);
  const dump = quietDump(env, ctx);
  if (dump) return dump;
  if (env.shape === 'event' && env.reason === 'Killing' && PROBE_KILL.test(env.message))
    return {
      kind: 'assign',
      rule: 'structure:event-probe-kill',
      why: 'a Kubernetes Killing event for a container that failed its probe (a liveness kill)',
      alert: 'runtime',
      severity: 'high',
      family: 'k8s-event',
    };
  if (env.level === 'info' || env.level === 'debug') return composedFinding(text, env, ctx);
  if (env.shape === 'event') {
    if (env.level === 'warn' && env.reason && WARNING_REASONS.has(env.reason))
      return {
        kind: 'assign',
        rule: 'structure:event-warning',
        why: `a Kubernetes Warning event (${env.reason})`,
        alert: 'runtime',
        severity: 'high',
        family: 'k8s-event',
      };
    return null;
  }
  if (
    K8S_STATUS_FAILURE.test(text) &&
    (K8S_STATUS_KIND.test(text) || ctx.before().some((l) => K8S_STATUS_KIND.test(l)))
  )
    return {
      kind: 'assign',
      rule: 'structure:k8s-status-failure',
      why: 'a Kubernetes Status document with status Failure',
      alert: 'runtime',
      severity: 'high',
      family: 'k8s-status',
    };
  if (mcpStatusFailed(text, ctx))
    return {
      kind: 'assign',
      rule: 'structure:mcp-status-failed',
      why: 'an MCP server marked failed in a status table or status document',
      alert: 'A12',
      severity: 'critical',
      family: 'mcp-status',
    };
  if (PY_EXCEPTION.test(text)) {
    const before = ctx.before();
    const prev = before[before.length - 1] ?? '';
    if (/^\s/.test(prev) && before.some((l) => TRACEBACK_HEAD.test(l)))
      return {
        kind: 'assign',
        rule: 'structure:traceback-end',
        why: 'the exception that ends a Python traceback',
        alert: 'runtime',
        severity: 'high',
        family: 'uncaught-exception',
      };
  }
  const composed = composedFinding(text, env, ctx);
  if (composed) return composed;
  if (
    (env.level === 'error' || env.level === 'fatal') &&
    (FAILURE_WORDS.test(env.message) || ERROR_DOING.test(env.message))
  )
    return {
      kind: 'assign',
      rule: 'structure:error-envelope',
      why: `an ${env.level}-level ${env.shape ?? ''} line that states a failure`.replace('  ', ' '),
      alert: 'runtime',
      severity: env.level === 'fatal' ? 'critical' : 'high',
      family: env.level === 'fatal' ? 'fatal-log' : 'error-log',
    };
  return null;
}
