import type { LogAlert } from './schema.js';
import type { Context, Envelope, Verdict } from './structure.js';

/**
 * Families by composition (round 6): a failure family recognised from the parts its wording is
 * made of — what failed (an MCP client, a configuration, a credential, the tool inventory, the
 * run), the phase or requirement, and a failure word next to it — rather than from one tool's
 * sentence. Each rule here was written from the shape of a family (the tools' messages and the
 * tuning rounds) and kept only where it found lines on tuning rounds it was not written from
 * (docs/detection.md, round 6). Used by the structural stage (`structure.ts`) for lines no
 * pattern took, and to re-categorise a pattern's runtime finding that names a start-up or
 * configuration failure.
 */

/**
 * A tool call in progress on the line (or the window): an MCP failure there is runtime. A JSON-RPC
 * message counts unless it is the start-up handshake (`initialize`, `notifications/initialized`).
 */
export const IN_CALL =
  /calling tool|error executing|⎿|CallToolRequest|tools\/call|Message from (?:client|server)|"method"\s*:\s*"(?!initialize"|notifications\/initialized")/iu;

export const inToolCall = (text: string, ctx: Context): boolean =>
  IN_CALL.test(text) || ctx.before().some((l) => IN_CALL.test(l));

/**
 * MCP start-up by composition (round 6): a line that names an MCP client or server, a start-up
 * phase and a failure, in whatever order a tool words it (`error starting mcp client`,
 * `Failed in connecting to MCP server`, `MCPClient errored connecting to MCP server`,
 * `Error initializing MCP client for connection …`, `MCP服务器启动失败`), outside a tool call.
 */
/** MCP named on the line, or its handshake method quoted (`calling "initialize": EOF`, mcp-go). */
const MCP_NAME = /mcp|["'`]initialize["'`]/i;
/** A failure word next to a start-up phase (`error starting`, `failed in connecting`, `startup failed`, `启动失败`). */
const STARTUP_FAILED =
  /\b(?:fail(?:ed|ure)?|unable|cannot|can't|couldn't|could not|errored|error)\s+(?:(?:in|to|while|when|during)\s+)?(?:start|connect|initiali[sz]|launch|spawn|activat|handshak)\w*|\b(?:start(?:ing|up)?|connect(?:ing|ion)?|initiali[sz]\w*|launch\w*|spawn\w*|activation|handshake)\s+(?:failed|error)\b|(?:启动|连接|初始化).{0,30}失败/iu;
/**
 * An agent's configuration that failed to load, by composition (round 6): a failure to read,
 * parse, load or validate, next to a configuration object (`config`, `configuration`, `settings`,
 * an MCP servers list, a TOML/YAML file, a `*config*.json`/`settings.json`/`mcp.json`):
 * `Failed to parse MCP servers from JSON`, `can't load file '.posit/publish/default.toml'`,
 * `Failed to read configuration from …/mcp-config.json`; or the reverse order, `Settings validation
 * failed`.
 */
const CONFIG_FAILED =
  /\b(?:fail(?:ed|ure)?|unable|cannot|can't|couldn't|could not|error)\s+(?:(?:to|in|while|when)\s+)?(?:read|pars|load|decod|validat|deserializ)\w*\s.{0,60}?(?:\bconfig(?:uration)?s?\b|\bsettings\b|\bmcp[ _-]?servers\b|\.(?:toml|ya?ml)\b|[\w.-]*(?:config|settings|mcp)[\w.-]*\.json\b)|\b(?:config(?:uration)?|settings)\b.{0,20}\b(?:validation|parsing|parse|loading|load|read)\s+(?:failed|error)\b/i;
/**
 * A required credential or setting that is missing, by composition (round 6): a credential (an
 * API key, a token, a secret, an `UPPER_SNAKE_KEY`/`_TOKEN`/`_SECRET` variable) next to a
 * requirement that is not met (`is required`, `missing`, `not set`, `must be set`, `to be set`,
 * `please provide`, `not specified`, `did not find`; round 7 also `No API Key specified`), in either
 * order: `API Key is required: Set LIVEKIT_API_KEY`,
 * `Missing key inputs argument! … provide (`api_key`)`. A key that is present but rejected
 * (invalid, expired, a 401) is a runtime failure, not this. It assigns lines no pattern took; it
 * does not re-categorise a runtime finding (the older corpus labels Anthropic's `Could not resolve
 * authentication method. Expected either apiKey or authToken to be set` runtime).
 */
const CREDENTIAL =
  /(?:\bapi[ _-]?keys?\b|\baccess[ _-]?tokens?\b|\bauth[ _-]?tokens?\b|\bsecret[ _-]?keys?\b|\b[A-Z][A-Z0-9_]*_(?:API_KEY|KEY|TOKEN|SECRET)\b)/;
const UNMET =
  /\b(?:(?:is|are) required|required:|missing|not set|must be (?:set|provided|specified)|to be set|not provided|not specified|not configured|please (?:set|provide)|must (?:set|provide)|did not find|could not find|couldn't find)\b/i;
/**
 * `No API Key specified`: a credential word between `no` and a participle (round 7). Only the
 * words the structural literals carry (`no api`, `no access`, `no auth`, `no secret`), so the
 * literal search and `--explain` see the same lines (`No GITHUB_TOKEN set` is left alone).
 */
const NO_CREDENTIAL =
  '\\bno (?:api[ _-]?keys?|access[ _-]?tokens?|auth[ _-]?tokens?|secret[ _-]?keys?)\\s+(?:specified|provided|given|found|set|configured)\\b';
const ENV_MISSING = new RegExp(
  `${CREDENTIAL.source}.{0,60}${UNMET.source}|${UNMET.source}.{0,60}${CREDENTIAL.source}|${NO_CREDENTIAL}`,
  'i',
);
const CREDENTIAL_REJECTED =
  /\b(?:invalid|incorrect|expired|revoked|401|unauthori[sz]ed)\b|\b(?:if|when|unless|whether)\b/i;
/**
 * An agent left without tools (A10), by composition (round 6): a count of no tools (`no tools`,
 * `0 tools`, `contributed no tools`, `Loaded 0 tools`), tools a server does not support, or a
 * named tool that could not be loaded — not `no tool calls`, not `no tools needed`.
 */
const NO_TOOLS =
  /(?:^|[^\w.,/-])(?:no|zero|0)\s+(?:(?:mcp|available|enabled|usable)\s+)?tools?(?:\(s\))?\b(?!\s*(?:call|use|need|required|were needed))|\b(?:does not|doesn't|do not|don't) support tools\b|\btools? (?:are |is )?not supported\b|\btool\s+["'`]?[\w.-]+["'`]?\s+(?:could not be loaded|failed to load|is not available|is unavailable)\b/i;
/**
 * A run that says it stopped because of a limit (round 10): LangChain's `Agent stopped due to max
 * iterations.` and `Agent stopped due to iteration limit or time limit.`, `halted because the
 * maximum number of steps was reached`, `terminated after hitting the turn limit`.
 */
const STOPPED_BY_LIMIT =
  '\\b(?:stopped|halted|terminated|aborted)\\s+(?:due to|because of|because it reached|because the|after hitting|on reaching)\\s+(?:the\\s+|a\\s+)?(?:max(?:imum)?[ _](?:number[ _]of[ _])?(?:turns?|iterations?|steps?|rounds?|tool calls)|(?:turn|iteration|step|recursion|time)[ _]limit)\\b';
/**
 * A run stopped by a limit or a loop detector (lifecycle), by composition (round 6): `too many
 * consecutive mistakes`, a maximum of turns/iterations/steps reached or exceeded in either order
 * (`stopped after reaching max iterations`, round 7),
 * `ITERATION_LIMIT_CROSSED`; not a rate limit (`too many requests` is runtime). Round 10: a run that
 * says it stopped because of a limit (`STOPPED_BY_LIMIT`), `the maximum of 2 iterations`, a
 * recursion limit (LangGraph's `Recursion limit of 25 reached`), a loop detector's `Agent got stuck
 * in a loop` (OpenHands' `AgentStuckInLoopError`).
 */
const RUN_LIMIT = new RegExp(
  String.raw`\btoo many (?:consecutive )?(?:mistakes|errors|failures|iterations|turns|steps|tool calls)\b|\bmax(?:imum)?\s+(?:number of\s+)?(?:turns|iterations?|steps|rounds|tool calls)\b.{0,40}\b(?:reached|exceeded|hit|crossed)\b|\b(?:reach(?:ed|ing)|exceed(?:ed|ing)|hit(?:ting)?)\b.{0,20}\bmax(?:imum)?\s+(?:number of\s+|of\s+\d+\s+)?(?:turns|iterations?|steps|rounds|tool calls)\b|\b(?:turn|iteration|step|recursion)[ _]limit(?:\s+of\s+\d+)?[ _](?:reached|exceeded|crossed)|${STOPPED_BY_LIMIT}|\b(?:got |is |was )?stuck in (?:a |an )?(?:infinite |endless )?loop\b`,
  'i',
);
const SERVER_STATE = /\bdisconnected\b|\bmcp error -?\d+/i;
/** An agent, subagent or role asked for by name that does not exist (lifecycle). */
const AGENT_UNKNOWN =
  /(?<![\w-])(?:agent|subagent|role)\b.{0,40}\b(?:not found|not registered|does not exist|doesn't exist)\b|\b(?:unknown|unregistered|no such)\s+(?:agent|subagent|role)(?:[ _-]?(?:type|name))?\b|\bunable to find (?:the )?(?:agent|subagent|role)\b/i;
/**
 * A retry counter (`Retry 2/5`, `attempt 3 of 10`, `(2 tries remaining)`, `2 retries left`,
 * `reached max retries: 4`) …
 */
const RETRY_COUNTER =
  /\bretry\s+\d+\s*(?:\/|of)\s*\d+|\battempt\s+\d+\s*(?:\/|of)\s*\d+|\(\d+ tries? remaining\)|\b\d+ retr(?:y|ies) left\b|\bmax(?:imum)? retries\b|\bretrying \d+\/\d+/i;
/**
 * … on a line that names a transient failure (a refused, reset or timed-out connection, a DNS
 * failure, an overload, throttling, a 429 or 5xx): a retry loop's record of its failure is
 * runtime (issue #12), whatever the tool; a bare announcement (`Reconnecting... 2/5`) is not.
 * pip's `Retrying (Retry(total=…))` stays quiet, as the older corpus labels it.
 */
const TRANSIENT =
  /\bE(?:SOCKET)?TIMEDOUT\b|\bE(?:CONNRESET|CONNREFUSED|AI_AGAIN|NOTFOUND|PIPE)\b|\bconnection ?(?:refused|reset|closed|error)|Connection(?:Refused|Reset)|FailedToOpenSocket|\btimed? ?out\b|\btimeout\b|\b(?:429|50[0234]|529)\b|overloaded|throttl|rate.?limit|too many requests|service unavailable|network error|socket hang up/i;
const PIP_RETRY = /\bRetrying \(Retry\(total=/;
/** A 401/403 or an unauthorised answer inside a retry counter is runtime too (issue #12). */
const REJECTED = /\b40[13]\b|\bunauthori[sz]ed\b|\bforbidden\b/i;
/**
 * A template that no engine finds (lifecycle): `TemplateNotFound`, `template "x" not found`, a
 * Handlebars partial that could not be found, `no template named …`; since round 8 the other
 * pieces a template engine looks up, an included file or a layout (Liquid's `Included file '…' not
 * found`, `Could not locate the included file`, `Layout 'post' requested in … does not exist`).
 */
const TEMPLATE_MISSING =
  /\btemplates?\b.{0,60}\b(?:not found|could not be found|does not exist|doesn't exist|is undefined|not defined)\b|\b(?:no|unknown|missing) (?:such )?(?:template|layout)\b|\bpartials?\b.{0,60}\b(?:not found|could not be found)\b|TemplateNotFound|\b(?:included? files?|layouts?)\s+(?:'[^']*'|"[^"]*"|.{0,80})\s*(?:\b[\w ]{0,60})?\b(?:not found|could not be found|does not exist|doesn't exist)\b|\b(?:could not|unable to|cannot) (?:locate|find) the included file\b/i;
/**
 * A template file that cannot be found or read (round 10), whatever the engine or the tool that
 * looked it up: a file with a template engine's extension (`.j2`, `.tmpl`, `.hbs`, `.liquid`,
 * `.njk`, …) or a path in a templates/layouts/includes directory, next to a lookup that failed,
 * in either order, not at warn level (Ansible's `unable to read …/x.j2` and `the template file x.j2 could not be
 * found`, Go's `open templates/hello.html: no such file or directory`, Liquid's `Couldn't find
 * file '…' in /_layouts/post.html`, `layouts/application.tmpl not found`).
 */
const TEMPLATE_FILE = String.raw`(?:[\w./-]*\.(?:j2|jinja2?|tmpl|tpl|gotmpl|hbs|handlebars|mustache|liquid|ejs|pug|njk|twig)\b|(?:^|[\s'"\`(/])_?(?:templates|layouts|includes|partials)/[\w./-]*\.(?:html?|xml|ya?ml|md|txt|json|tmpl|tpl)\b)`;
const LOOKUP_FAILED = String.raw`\b(?:not found|could not be found|cannot be found|can't be found|does not exist|doesn't exist|is not exist|no such file or directory|unable to (?:read|find|open|load)|(?:could not|couldn't|cannot|can't|failed to) (?:find|read|open|load))\b`;
const TEMPLATE_FILE_MISSING = new RegExp(
  `${TEMPLATE_FILE}.{0,80}?${LOOKUP_FAILED}|${LOOKUP_FAILED}.{0,80}?${TEMPLATE_FILE}`,
  'i',
);
/**
 * A template engine's own error for a template it read (round 10): Go's `template: <name>:<line>:`
 * prefix (`panic: template: layout:6: missing value for block clause`, `html/template:home.html:1:11:`).
 */
const GO_TEMPLATE_ERROR = /\b(?:html\/|text\/)?template: ?[\w./-]+:\d+(?::\d+)?: /;
/** A template that no engine finds, by its wording or its file (lifecycle). */
const templateMissing = (text: string): boolean =>
  TEMPLATE_MISSING.test(text) || TEMPLATE_FILE_MISSING.test(text);
/** A run started without its prompt (lifecycle): `no prompt provided`, `prompt is required`, `Input must be provided through stdin or --prompt`. */
const PROMPT_MISSING =
  /\b(?:no|missing|empty)\s+(?:\w+\s+)?prompt\b(?!\s*(?:cache|caching|template))|\bprompt\b.{0,40}\b(?:is required|required|missing|not provided|must be provided|is empty|was empty)\b|\bmust be provided\b.{0,40}\bprompt\b/i;
/**
 * A credential that was presented and refused (runtime): an expired, invalid or revoked token,
 * session or key (`Your session has expired`, `Token is expired`, `invalid api key`); not a
 * parser's `Unexpected token`, not a key that is missing (A11).
 */
const AUTH_REJECTED =
  /\b(?:tokens?|sessions?|api[ _-]?keys?|credentials?|oauth|access keys?)\b.{0,30}\b(?:expired|revoked|rejected|no longer valid|not valid|invalid)\b|\b(?:expired|revoked|invalid)\s+(?:\w+\s+)?(?:tokens?|sessions?|api[ _-]?keys?|credentials?|access keys?)\b/i;
const PARSER_TOKEN = /\b(?:unexpected|unrecognized|invalid or unexpected) token\b/i;
/**
 * A token or credentials that could not be refreshed, exchanged or fetched (round 11): the
 * cloud SDKs' and OAuth clients' wording for a session that has run out (aws-sdk-go-v2's `failed
 * to refresh cached credentials`, botocore's `Refreshing token failed during the mandatory refresh
 * period` and `TokenRetrievalError`, Go oauth2's `cannot fetch token: 400 Bad Request`, `Token
 * exchange failed: Status 400`).
 */
const TOKEN_REFRESH_FAILED =
  /\b(?:tokens?|credentials?)\s+(?:refresh|exchange|retrieval)\s+(?:failed|error)\b|\brefreshing (?:the )?(?:access |refresh |id |sso )?(?:tokens?|credentials) failed\b|\b(?:failed|unable|cannot|can't|could not)\s+(?:to\s+)?(?:refresh|exchange|retrieve|fetch|obtain)\s+(?:the\s+|cached\s+|an?\s+)?(?:access\s+|refresh\s+|id\s+|sso\s+|oauth2?\s+)?(?:tokens?|credentials)\b|\bTokenRetrievalError\b/i;
/**
 * An error or exception whose message ends in the refusal itself (round 11): the Kubernetes Java
 * client's `io.kubernetes.client.ApiException: Forbidden`, Go's `Error: Post "https://…": Forbidden`.
 */
const ENDS_REFUSED = /(?:error|exception)\b.{0,300}?:\s*(?:Forbidden|Unauthori[sz]ed)\.?\s*$/i;
/**
 * A request refused with 401/403 as a status (round 9): `HTTP 403`, `status code 403: Forbidden`,
 * `Status: 403 - Forbidden`, `invalid status code 'Forbidden'`, next to a failure word (`Exec
 * Failure: HTTP 403, …`, `Got unexpected POST status code 403`, `Operation returned an invalid
 * status code 'Forbidden'`): the shape of any HTTP client's refusal, whatever the tool. Not a bare
 * `Status code : 401` echo (no failure word), not at info or debug level.
 */
const STATUS_REFUSED =
  /\b(?:HTTP(?:\/\d(?:\.\d)?)?|status(?: code)?|code|response)\s*[:=]?\s*['"(]?40[13]\b|\b40[13]\s*[-:]?\s*['"]?(?:Forbidden|Unauthori[sz]ed)\b|\bstatus code\s+'?(?:Forbidden|Unauthorized)\b/i;
const REFUSAL_FAILED =
  /\b(?:fail(?:ed|ure|s)?|errors?|unexpected|invalid|exception|denied|rejected|refused)\b|[a-z](?:Error|Exception)\b/i;

const underServerState = (text: string, ctx: Context): boolean => {
  const before = ctx.before();
  return /^\s/.test(text) && SERVER_STATE.test(before[before.length - 1] ?? '');
};

/** An agent without tools, a run stopped by a limit, an agent not found: by their wording's shape. */
function runFamily(text: string, env: Envelope, ctx: Context): Verdict | null {
  if (env.level === 'info' || env.level === 'debug') return null;
  // a server's own state (`Disconnected (0 tools cached)`, an MCP error code) is the finding (A12),
  // and so is it for the indented detail under it (`    No tools or prompts available`)
  if (NO_TOOLS.test(text) && !SERVER_STATE.test(text) && !underServerState(text, ctx))
    return {
      kind: 'assign',
      rule: 'structure:no-tools',
      why: 'an agent or server with no tools, or a tool that could not be loaded',
      alert: 'A10',
      severity: 'critical',
      family: 'tool-inventory',
    };
  if (
    RUN_LIMIT.test(text) ||
    AGENT_UNKNOWN.test(text) ||
    TEMPLATE_MISSING.test(text) ||
    // a template file looked up at warn level is a tool's warning (Ansible's `[WARNING]: Unable to
    // find 'foo.xml.j2' in expected paths` goes on with the next path)
    (env.level !== 'warn' && TEMPLATE_FILE_MISSING.test(text)) ||
    PROMPT_MISSING.test(text)
  )
    return {
      kind: 'assign',
      rule: 'structure:run-stopped',
      why: 'a run stopped by a turn/iteration limit or a loop detector, an agent or a template that does not exist, or no prompt',
      alert: 'lifecycle',
      severity: 'medium',
      family: 'limits',
    };
  return null;
}

/** A line that states that a required credential is missing (not at info or debug level). */
function credentialMissing(text: string, env: Envelope): boolean {
  if (env.level === 'info' || env.level === 'debug') return false;
  return ENV_MISSING.test(text) && !CREDENTIAL_REJECTED.test(text);
}

/**
 * A failure a line states at info or debug level counts when the line announces no recovery:
 * the fresh rounds label `INFO - Failed in connecting to MCP server:` A12, the older corpus labels
 * `[DEBUG] MCP server "github": Connection failed, retrying in 1s` and `INFO - MCP server
 * initialization failed once, falling back to cached tool list` none.
 */
const RECOVERY =
  /\bretr(?:y|ying|ies)\b|\breconnect|\bfall(?:ing)? ?back\b|\bfetching\b|\bwill (?:try|report)\b|\bonce\b/i;
const quiet = (env: Envelope, text: string): boolean =>
  (env.level === 'info' || env.level === 'debug') && RECOVERY.test(text);

/** A line that states that a configuration failed to load (and, at info level, no recovery). */
function configLoadFailure(text: string, env: Envelope): boolean {
  return !quiet(env, text) && CONFIG_FAILED.test(text);
}

/**
 * A configuration declared invalid (round 8): `Invalid server configuration: Server must have …`,
 * `invalid config for …`. Assigned to a line no pattern took; it does not re-categorise (goose's
 * `Failed to start extension 'x' (invalid config: …)` is an MCP start-up failure).
 */
const CONFIG_INVALID =
  /\binvalid\s+(?:[\w-]+\s+)?(?:config(?:uration)?|settings)\s*(?::|\bfor\b|\bin\b|\bat\b|\bfile\b)|\binvalid (?:JSON|YAML|TOML)\b.{0,10}\b(?:at|in)\s+\S*(?:config|settings|mcp)[\w.-]*\.(?:json5?|jsonc|ya?ml|toml)\b/i;

/**
 * A document's syntax error with its place in the file (round 10): a parser's complaint and a line
 * and column (`Unexpected non-whitespace character after JSON at position 3063 (line 113 column 3)`,
 * `Expected double-quoted property name in JSON at position 731 (line 23 column 9)`, Firefox's
 * `JSON.parse: unexpected character at line 1 column 1 of the JSON data`, serde's `… at line 20
 * column 1`), or a configuration file said to contain parse or syntax errors (`The file
 * '…/config.yaml' contains Parser Error(s)`): an agent's configuration file that does not parse,
 * A11. Not a response body that does not parse (`error decoding response body: expected value at
 * line 1 column 1`, a `Raw body:`), not a line that names MCP (a server writing non-JSON to
 * stdout is an MCP start-up failure), not an item of pydantic's report (`[type=json_invalid, …`:
 * its `N validation error for …` headline is the finding). Assigned only, it does not
 * re-categorise.
 */
const SYNTAX_AT_PLACE =
  /\b(?:JSON|parse|parser|parsing|syntax|unexpected|expected|trailing characters)\b.{0,80}?(?:\(|\bat\s+)line ?\d+,? column ?\d+\b|(?:\.(?:toml|ya?ml|json|jsonc)|\bconfig(?:uration)?)\b['"`]?.{0,40}?\b(?:parse|parser|parsing|syntax)\s+errors?\b/i;
const NOT_A_CONFIG_DOCUMENT =
  /\b(?:body|response|request|reply|http|stdout|stream|payload)\b|(?:^|[^a-z])mcp(?:[^a-z]|$)|\[type=\w+,/i;
const configSyntaxError = (text: string, ctx: Context): boolean =>
  SYNTAX_AT_PLACE.test(text) &&
  !NOT_A_CONFIG_DOCUMENT.test(text) &&
  // the parser's message indented right under the file's failure found above is its cause
  // (round 11: ` EOF while parsing a value at line 1 column 0` under `invalid JSON at …/mcp_config.json:`)
  !(ctx.lastFinding && ctx.lastFinding.back === 1 && /^\s/.test(text));

/**
 * An MCP client that cannot read its server's messages (a server writing non-JSON to stdout, an
 * SSE stream that is no JSON-RPC): `[youtube-mcp-server] [error] Unexpected token 'Y', "YouTube MC"...
 * is not valid JSON`, `JSON Parse error: Unrecognized token`, `Error parsing SSE message`.
 */
const PROTOCOL_PARSE =
  /\bis not valid JSON\b|\bJSON Parse error\b|\bUnexpected (?:token|end of JSON input)\b|\berror parsing (?:SSE|JSON-?RPC) message\b/i;

/**
 * A server process that could not be spawned (round 10): Node's `spawn npx ENOENT`, `Failed to spawn
 * process: No such file or directory` (Claude Desktop). Under an MCP client (MCP named on the line
 * or in the window: a server list, `@modelcontextprotocol/…` arguments), outside a tool call and
 * not indented right under the failure it causes, it is the server that did not come up: A12.
 */
const CAUSE_LINES = 3;
/** Indented text, also inside a panel's side border (`│    Error: …`). */
const INDENTED_DETAIL = /^\s*[│┃║]?\s{2,}\S/u;
const SPAWN_FAILED = /\bspawn \S+ ENOENT\b|\bfailed to spawn process\b/i;
const MCP_AROUND = /(?:^|[^a-z])mcp(?:[^a-z]|$)|mcp_?servers|modelcontextprotocol/i;
function mcpSpawnFailure(text: string, ctx: Context): boolean {
  if (!SPAWN_FAILED.test(text)) return false;
  // the cause indented under a start-up failure found just above (gemini-cli's `✖ failed to start
  // or connect to MCP server 'x'` then `│    Error: spawn python ENOENT`) stays what its pattern
  // says (the older corpus labels it runtime)
  if (ctx.lastFinding && ctx.lastFinding.back <= CAUSE_LINES && INDENTED_DETAIL.test(text))
    return false;
  if (!MCP_AROUND.test(text) && !ctx.before().some((l) => MCP_AROUND.test(l))) return false;
  return !inToolCall(text, ctx);
}

/**
 * A line that states an MCP client or server failed to start or connect, outside a tool call.
 * Since round 11 MCP may be named on the two lines above instead, when the failure opens the line
 * (a record whose header wrapped: the MCP Java SDK's `[io.modelcontextprotocol.client.LifecycleInitializer] :`
 * then ` Failed to initialize`; a client's `Failed to connect to "Browser search"` under the
 * server's `'@playwright/mcp@latest'` arguments).
 */
const STARTUP_HEADLINE =
  /^\W{0,3}(?:error:\s*)?failed to (?:start|connect|initiali[sz]e|launch)\b/i;
function mcpStartupFailure(text: string, env: Envelope, ctx: Context): boolean {
  if (quiet(env, text)) return false;
  if (CONFIG_FAILED.test(text)) return false; // the configuration is the cause: A11
  if (!(STARTUP_FAILED.test(text) || PROTOCOL_PARSE.test(text))) return false;
  if (!MCP_NAME.test(text)) {
    if (!STARTUP_HEADLINE.test(text)) return false;
    if (
      !ctx
        .before()
        .slice(-2)
        .some((l) => MCP_AROUND.test(l))
    )
      return false;
  }
  return !inToolCall(text, ctx);
}

/**
 * The finding a composition assigns to a line no pattern took, or null. At info or debug level
 * only an MCP start-up or configuration failure that announces no recovery.
 */
export function composedFinding(text: string, env: Envelope, ctx: Context): Verdict | null {
  if (env.level === 'info' || env.level === 'debug') {
    if (configLoadFailure(text, env)) return configFinding;
    return mcpStartupFailure(text, env, ctx) ? mcpFinding : null;
  }
  if (
    RETRY_COUNTER.test(text) &&
    (TRANSIENT.test(text) || REJECTED.test(text)) &&
    !PIP_RETRY.test(text)
  )
    return {
      kind: 'assign',
      rule: 'structure:retry-failure',
      why: 'a retry counter on a line that names a transient failure (the retry loop records it)',
      alert: 'runtime',
      severity: 'high',
      family: 'retries',
    };
  const family = runFamily(text, env, ctx);
  if (family) return family;
  if (
    (AUTH_REJECTED.test(text) && !PARSER_TOKEN.test(text)) ||
    (STATUS_REFUSED.test(env.message) && REFUSAL_FAILED.test(env.message)) ||
    TOKEN_REFRESH_FAILED.test(text) ||
    ENDS_REFUSED.test(text)
  )
    return {
      kind: 'assign',
      rule: 'structure:credential-rejected',
      why: 'a token, session or key that was presented and refused (expired, invalid, revoked) or could not be refreshed, or a request refused with 401/403',
      alert: 'runtime',
      severity: 'high',
      family: 'auth',
    };
  if (credentialMissing(text, env))
    return {
      kind: 'assign',
      rule: 'structure:credential-missing',
      why: 'a required credential (an API key, a token, a secret variable) that is missing or not set',
      alert: 'A11',
      severity: 'high',
      family: 'environment',
    };
  if (configLoadFailure(text, env) || CONFIG_INVALID.test(text) || configSyntaxError(text, ctx))
    return configFinding;
  if (mcpStartupFailure(text, env, ctx) || mcpSpawnFailure(text, ctx)) return mcpFinding;
  return null;
}

const configFinding: Verdict = {
  kind: 'assign',
  rule: 'structure:config-load-failure',
  why: 'a configuration (config, settings, an MCP servers list, a TOML/YAML file) that failed to read, parse, load or validate',
  alert: 'A11',
  severity: 'high',
  family: 'config',
};
const mcpFinding: Verdict = {
  kind: 'assign',
  rule: 'structure:mcp-startup-failure',
  why: 'names an MCP client or server, a start-up phase (start, connect, initialise, …) and a failure',
  alert: 'A12',
  severity: 'high',
  family: 'mcp-init',
};

/**
 * A pattern's finding the compositions re-categorise: a configuration that failed to load is A11
 * (not runtime or A12), an MCP client that failed to start outside a tool call is A12 (not runtime).
 */
export function recategoriseByComposition(
  text: string,
  alert: LogAlert,
  env: Envelope,
  ctx: Context,
): Verdict | null {
  if (alert !== 'runtime' && alert !== 'A12') return null;
  if (alert === 'runtime' && (templateMissing(text) || GO_TEMPLATE_ERROR.test(text)))
    return {
      kind: 'recategorise',
      rule: 'structure:run-stopped',
      why: "a template that cannot be found or read, or a template engine's error: lifecycle",
      alert: 'lifecycle',
      family: 'limits',
    };
  if (configLoadFailure(text, env))
    return {
      kind: 'recategorise',
      rule: 'structure:config-load-failure',
      why: 'a configuration that failed to read, parse, load or validate is A11',
      alert: 'A11',
      family: 'config',
    };
  if (alert === 'runtime' && (mcpStartupFailure(text, env, ctx) || mcpSpawnFailure(text, ctx)))
    return {
      kind: 'recategorise',
      rule: 'structure:mcp-startup-failure',
      why: 'an MCP client or server that failed to start or connect, outside a tool call, is A12',
      alert: 'A12',
      family: 'mcp-init',
    };
  return null;
}
