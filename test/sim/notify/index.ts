// Local stand-ins for Slack incoming webhooks and PagerDuty's Events API v2 that check what they
// receive against the documented shapes and answer the way the real services do:
// - Slack (https://api.slack.com/messaging/webhooks, Block Kit reference): 200 `ok`; a malformed
//   message 400 with a plain-text error (`invalid_payload`, `invalid_blocks`, `no_text`);
// - PagerDuty (https://developer.pagerduty.com/docs/events-api-v2/trigger-events/): 202
//   `{"status":"success","message":"Event processed","dedup_key":…}`; an invalid event 400
//   `{"status":"invalid event","message":"Event object is invalid","errors":[…]}`.
// Every request is recorded with its problems; `answerNext` scripts failures (429, 5xx).
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Received {
  path: string;
  headers: IncomingMessage['headers'];
  body: unknown;
  /** Why the real service would refuse it (empty: accepted). */
  problems: string[];
}

export interface Scripted {
  status: number;
  headers?: Record<string, string>;
  body?: string;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown, max: number): boolean =>
  typeof v === 'string' && v.length > 0 && v.length <= max;

/** Problems of a Slack text object (`plain_text` or `mrkdwn`). */
function textObject(v: unknown, where: string, max: number, plainOnly = false): string[] {
  if (!isObj(v)) return [`${where}: not a text object`];
  const p: string[] = [];
  if (v.type !== 'plain_text' && (plainOnly || v.type !== 'mrkdwn'))
    p.push(`${where}.type: ${String(v.type)}`);
  if (!str(v.text, max)) p.push(`${where}.text: missing or longer than ${max}`);
  return p;
}

/** Block Kit's rules for the blocks Healer uses (header, section, actions, context, divider). */
export function slackProblems(body: unknown): string[] {
  if (!isObj(body)) return ['invalid_payload'];
  const p: string[] = [];
  if (body.text !== undefined && typeof body.text !== 'string') p.push('text: not a string');
  if (body.blocks === undefined) {
    if (!str(body.text, 40_000)) p.push('no_text');
    return p;
  }
  if (!Array.isArray(body.blocks) || body.blocks.length === 0 || body.blocks.length > 50)
    return [...p, 'blocks: 1–50 blocks'];
  body.blocks.forEach((b: unknown, i: number) => {
    const at = `blocks[${i}]`;
    if (!isObj(b)) return p.push(`${at}: not an object`);
    switch (b.type) {
      case 'header':
        p.push(...textObject(b.text, `${at}.text`, 150, true));
        break;
      case 'section':
        if (b.text === undefined && b.fields === undefined) p.push(`${at}: text or fields`);
        if (b.text !== undefined) p.push(...textObject(b.text, `${at}.text`, 3000));
        if (b.fields !== undefined) {
          if (!Array.isArray(b.fields) || b.fields.length > 10) p.push(`${at}.fields: at most 10`);
          else b.fields.forEach((f, j) => p.push(...textObject(f, `${at}.fields[${j}]`, 2000)));
        }
        break;
      case 'actions':
        if (!Array.isArray(b.elements) || b.elements.length === 0 || b.elements.length > 25)
          p.push(`${at}.elements: 1–25`);
        else
          b.elements.forEach((e: unknown, j: number) => {
            const w = `${at}.elements[${j}]`;
            if (!isObj(e) || e.type !== 'button') return p.push(`${w}: not a button`);
            p.push(...textObject(e.text, `${w}.text`, 75, true));
            if (e.url !== undefined && !(str(e.url, 3000) && /^https?:\/\//.test(e.url as string)))
              p.push(`${w}.url`);
            if (e.action_id !== undefined && !str(e.action_id, 255)) p.push(`${w}.action_id`);
          });
        break;
      case 'context':
        if (!Array.isArray(b.elements) || b.elements.length === 0 || b.elements.length > 10)
          p.push(`${at}.elements: 1–10`);
        else b.elements.forEach((e, j) => p.push(...textObject(e, `${at}.elements[${j}]`, 3000)));
        break;
      case 'divider':
        break;
      default:
        p.push(`${at}.type: ${String(b.type)}`);
    }
  });
  return p;
}

const PD_SEVERITIES = new Set(['critical', 'error', 'warning', 'info']);

/** The Events API v2 rules (trigger, acknowledge, resolve). */
export function pagerDutyProblems(body: unknown): string[] {
  if (!isObj(body)) return ['body: not a JSON object'];
  const p: string[] = [];
  if (!str(body.routing_key, 32) || String(body.routing_key).length !== 32)
    p.push("'routing_key' must be a 32 character integration key");
  const action = body.event_action;
  if (action !== 'trigger' && action !== 'acknowledge' && action !== 'resolve')
    p.push("'event_action' is invalid");
  if (body.dedup_key !== undefined && !str(body.dedup_key, 255))
    p.push("'dedup_key' must be at most 255 characters");
  if (action !== 'trigger') {
    if (body.dedup_key === undefined) p.push(`'dedup_key' is required for ${String(action)}`);
    return p;
  }
  const pl = body.payload;
  if (!isObj(pl)) return [...p, "'payload' is missing"];
  if (!str(pl.summary, 1024)) p.push("'payload.summary' is missing or longer than 1024");
  if (!str(pl.source, 255)) p.push("'payload.source' is missing");
  if (!PD_SEVERITIES.has(String(pl.severity))) p.push("'payload.severity' is invalid");
  if (
    pl.timestamp !== undefined &&
    (typeof pl.timestamp !== 'string' || Number.isNaN(Date.parse(pl.timestamp)))
  )
    p.push("'payload.timestamp' is not ISO 8601");
  for (const k of ['component', 'group', 'class'])
    if (pl[k] !== undefined && typeof pl[k] !== 'string') p.push(`'payload.${k}' must be a string`);
  if (pl.custom_details !== undefined && !isObj(pl.custom_details))
    p.push("'payload.custom_details' must be an object");
  if (body.links !== undefined) {
    if (!Array.isArray(body.links)) p.push("'links' must be an array");
    else
      body.links.forEach((l: unknown, i: number) => {
        if (!isObj(l) || !str(l.href, 2048)) p.push(`'links[${i}].href' is missing`);
      });
  }
  return p;
}

async function serve(
  path: string,
  check: (body: unknown) => string[],
  accept: (body: unknown) => Scripted,
  refuse: (problems: string[]) => Scripted,
) {
  const received: Received[] = [];
  const script: Scripted[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let raw = '';
    req.on('data', (c: Buffer) => (raw += c.toString()));
    req.on('end', () => {
      let body: unknown;
      const problems: string[] = [];
      if (req.method !== 'POST' || req.url !== path) problems.push(`${req.method} ${req.url}`);
      if (!String(req.headers['content-type']).startsWith('application/json'))
        problems.push('content-type is not application/json');
      try {
        body = JSON.parse(raw);
      } catch {
        problems.push('body is not JSON');
      }
      if (body !== undefined) problems.push(...check(body));
      received.push({ path: req.url ?? '', headers: req.headers, body, problems });
      const a = script.shift() ?? (problems.length ? refuse(problems) : accept(body));
      res.writeHead(a.status, a.headers ?? {});
      res.end(a.body);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${path}`,
    received,
    /** The next answers, in order, instead of the checked default. */
    answerNext(...answers: Scripted[]) {
      script.push(...answers);
    },
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

export type NotifySim = Awaited<ReturnType<typeof serve>>;

/** A Slack incoming webhook at `/services/T000/B000/<secret>`. */
export const startSlackSim = (): Promise<NotifySim> =>
  serve(
    '/services/T0000000/B0000000/slack-secret-token',
    slackProblems,
    () => ({ status: 200, headers: { 'content-type': 'text/html' }, body: 'ok' }),
    (problems) => ({
      status: 400,
      headers: { 'content-type': 'text/html' },
      body: problems.includes('no_text') ? 'no_text' : 'invalid_blocks',
    }),
  );

/** PagerDuty's Events API v2 at `/v2/enqueue`. */
export const startPagerDutySim = (): Promise<NotifySim> =>
  serve(
    '/v2/enqueue',
    pagerDutyProblems,
    (body) => ({
      status: 202,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        status: 'success',
        message: 'Event processed',
        dedup_key: (body as Obj).dedup_key,
      }),
    }),
    (errors) => ({
      status: 400,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        status: 'invalid event',
        message: 'Event object is invalid',
        errors,
      }),
    }),
  );
