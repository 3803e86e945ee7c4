/**
 * The dashboard's browser script (served as `/dashboard.js`, a module). The server renders every
 * piece of markup (`page.ts`, `incident-page.ts`); this script:
 *
 * - keeps `#view` live: it reads the server-sent events of `data-events-url` (through `fetch`, so
 *   the API token can go in a header) and swaps each `view` event's markup in, keeping open
 *   `<details>`, focus and the forms being filled (`data-keep`);
 * - shows a banner while the stream is down or Healer cannot read its state, and reconnects;
 * - asks for the API token when reads need one (HEALER_API_TOKEN_READS=true) or a write answered 401;
 * - acknowledges an incident, silences it (matchers prefilled, a duration like `2h`), expires a
 *   silence — each with the name typed in "Your name";
 * - keeps the filter bar in the URL, and shows a play's timeline.
 *
 * Values from the API become text only (`textContent`, `setAttribute`); markup comes only from
 * Healer's own pages, parsed with DOMParser (its scripts never run, and the page's CSP allows
 * no inline script anyway).
 */
export {};

const TOKEN_KEY = 'healer.token';
const WHO_KEY = 'healer.who';
const KEEPALIVE_WATCHDOG_MS = 45_000;

const body = document.body;
const REFRESH_MS = Math.max(200, Number(body.getAttribute('data-refresh-ms')) || 2000);
const EVENTS_URL = body.getAttribute('data-events-url') ?? '/api/v1/dashboard/events';
const AUTH = body.getAttribute('data-auth') ?? 'none';

interface ViewEvent {
  title: string;
  summary: string;
  main: string;
  generated_at: string;
}
interface TimelineEntry {
  at: string;
  type: string;
  incident_id: string | null;
  summary: string;
  detail: Record<string, unknown> | null;
}
type Kind = 'network' | 'http' | 'render' | 'store';
class DashboardError extends Error {
  constructor(
    message: string,
    readonly kind: Kind,
  ) {
    super(message);
  }
}

let selectedPlay: string | null = null;
let missingPlay: string | null = null; // chosen, but Healer has no session for it
let lastOk: Date | null = null;
let failingSince: Date | null = null;
let stream: AbortController | null = null;
let retryTimer: number | undefined;
/** Healer's clock minus this browser's (silences end at Healer's now + the duration). */
let serverOffsetMs = 0;
function learnServerTime(iso: string | null | undefined): void {
  const t = iso ? Date.parse(iso) : NaN;
  if (Number.isFinite(t)) serverOffsetMs = t - Date.now();
}
learnServerTime(document.querySelector('#updated time')?.getAttribute('datetime'));

function $(id: string): HTMLElement | null {
  return document.getElementById(id);
}
const clock = (d: Date): string => d.toTimeString().slice(0, 8);

// ---- token ----------------------------------------------------------------------------------

function token(): string | null {
  try {
    return sessionStorage.getItem(TOKEN_KEY);
  } catch {
    return null;
  }
}
function headers(extra: Record<string, string> = {}): Record<string, string> {
  const t = token();
  return t ? { ...extra, authorization: `Bearer ${t}` } : extra;
}
function askForToken(why: string, message = ''): void {
  const form = $('token-form');
  if (!form) return;
  const p = $('token-why');
  if (p) p.textContent = why;
  const msg = $('token-msg');
  if (msg) msg.textContent = message;
  form.hidden = false;
  ($('token-input') as HTMLInputElement | null)?.focus();
}
let afterToken: (() => void) | null = null;
$('token-form')?.addEventListener('submit', (ev) => {
  ev.preventDefault();
  const input = $('token-input') as HTMLInputElement | null;
  const value = input?.value.trim() ?? '';
  if (!value) return;
  try {
    sessionStorage.setItem(TOKEN_KEY, value);
  } catch {
    /* storage refused: the token lives until the page goes */
  }
  if (input) input.value = '';
  ($('token-form') as HTMLElement).hidden = true;
  const next = afterToken ?? connect;
  afterToken = null;
  next();
});

// ---- swapping the view ------------------------------------------------------------------------

function swapView(html: string): void {
  const view = $('view');
  if (!view) return;
  const parsed = new DOMParser().parseFromString(`<div id="fresh">${html}</div>`, 'text/html');
  const fresh = parsed.getElementById('fresh');
  if (!fresh) throw new DashboardError('the view could not be parsed', 'render');
  const nodes = Array.from(fresh.childNodes, (n) => document.importNode(n, true));
  const holder = document.createElement('div');
  holder.append(...nodes);

  // Open <details> stay open; closed ones stay closed.
  const open = new Set(
    Array.from(view.querySelectorAll('details[data-key]'), (d) =>
      d.hasAttribute('open') ? d.getAttribute('data-key') : null,
    ).filter((k): k is string => k !== null),
  );
  const known = new Set(
    Array.from(view.querySelectorAll('details[data-key]'), (d) => d.getAttribute('data-key')),
  );
  holder.querySelectorAll('details[data-key]').forEach((d) => {
    const key = d.getAttribute('data-key') ?? '';
    if (!known.has(key)) return;
    if (open.has(key)) d.setAttribute('open', '');
    else d.removeAttribute('open');
  });

  // Forms being filled are kept as they are (same id, same data-keep).
  const active = document.activeElement;
  let refocus: { el: HTMLElement; start: number | null; end: number | null } | null = null;
  holder.querySelectorAll<HTMLElement>('[data-keep][id]').forEach((n) => {
    const old = document.getElementById(n.id);
    if (
      !old ||
      !view.contains(old) ||
      old.getAttribute('data-keep') !== n.getAttribute('data-keep')
    )
      return;
    if (active instanceof HTMLElement && old.contains(active)) {
      const input = active as HTMLInputElement;
      refocus = {
        el: active,
        start: typeof input.selectionStart === 'number' ? input.selectionStart : null,
        end: typeof input.selectionEnd === 'number' ? input.selectionEnd : null,
      };
    }
    n.replaceWith(old);
  });

  // Keyboard focus on a play button stays on the same play.
  const focusPlay =
    active instanceof HTMLElement && active.matches('button.play') && view.contains(active)
      ? {
          play: active.getAttribute('data-play'),
          inIncidents: active.closest('#incidents') !== null,
        }
      : null;

  view.replaceChildren(...Array.from(holder.childNodes));
  markSelected();
  const r = refocus as { el: HTMLElement; start: number | null; end: number | null } | null;
  if (r) {
    r.el.focus();
    if (r.el instanceof HTMLInputElement && r.start !== null) {
      try {
        r.el.setSelectionRange(r.start, r.end);
      } catch {
        /* not a text input */
      }
    }
  } else if (focusPlay) {
    const scope = focusPlay.inIncidents ? $('incidents') : $('sessions');
    const again = Array.from(scope?.querySelectorAll('button.play') ?? []).find(
      (b) => b.getAttribute('data-play') === focusPlay.play,
    );
    if (again instanceof HTMLElement) again.focus();
  }
}

function applyView(v: ViewEvent): void {
  try {
    swapView(v.main);
  } catch (e) {
    console.error('dashboard: render failed', e);
    throw e instanceof DashboardError ? e : new DashboardError(String(e), 'render');
  }
  const summary = $('summary');
  if (summary) summary.textContent = v.summary;
  document.title = v.title;
  learnServerTime(v.generated_at);
  lastOk = new Date();
  const updated = $('updated');
  if (updated) updated.textContent = `Updated ${clock(lastOk)}`;
  hideBanner();
  body.removeAttribute('data-locked');
  body.setAttribute('data-live', 'true');
  if (selectedPlay && selectedPlay !== missingPlay) void loadTimeline(selectedPlay, true);
}

// ---- the banner -------------------------------------------------------------------------------

function showBanner(err: unknown): void {
  const banner = $('banner');
  if (!banner) return;
  if (!failingSince) failingSince = new Date();
  const e = err instanceof Error ? err : new Error(String(err));
  const kind: Kind = e instanceof DashboardError ? e.kind : 'network';
  const why = e.name === 'AbortError' ? 'no answer in time' : e.message;
  const what =
    kind === 'render'
      ? 'The page could not show the latest state since '
      : kind === 'store'
        ? 'Healer could not read its state since '
        : kind === 'http'
          ? 'The Healer API is failing since '
          : 'Cannot reach the Healer API since ';
  banner.textContent =
    `${what}${clock(failingSince)} (${why}). ` +
    (lastOk
      ? `Showing data from ${clock(lastOk)}. `
      : 'Showing the data the page was served with. ') +
    `Retrying every ${REFRESH_MS / 1000} s.`;
  banner.hidden = false;
  body.classList.add('stale');
}
function hideBanner(): void {
  failingSince = null;
  const banner = $('banner');
  if (banner) {
    banner.hidden = true;
    banner.textContent = '';
  }
  body.classList.remove('stale');
}

// ---- server-sent events -----------------------------------------------------------------------

function handleEvent(name: string, data: string): void {
  if (name === 'view') applyView(JSON.parse(data) as ViewEvent);
  else if (name === 'failure') {
    const { message } = JSON.parse(data) as { message: string };
    showBanner(new DashboardError(message, 'store'));
  }
}

async function readStream(res: Response, ctrl: AbortController): Promise<void> {
  if (!res.body) throw new DashboardError('no event stream', 'http');
  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  let watchdog = window.setTimeout(() => ctrl.abort(), KEEPALIVE_WATCHDOG_MS);
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) throw new DashboardError('the event stream ended', 'network');
      window.clearTimeout(watchdog);
      watchdog = window.setTimeout(() => ctrl.abort(), KEEPALIVE_WATCHDOG_MS);
      buffer += value.replace(/\r\n?/g, '\n');
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        let name = 'message';
        const data: string[] = [];
        for (const line of block.split('\n')) {
          if (line.startsWith(':')) continue;
          const colon = line.indexOf(':');
          const field = colon < 0 ? line : line.slice(0, colon);
          const val = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
          if (field === 'event') name = val;
          else if (field === 'data') data.push(val);
        }
        if (data.length) handleEvent(name, data.join('\n'));
      }
    }
  } finally {
    window.clearTimeout(watchdog);
  }
}

function connect(): void {
  window.clearTimeout(retryTimer);
  stream?.abort();
  const ctrl = new AbortController();
  stream = ctrl;
  if (AUTH === 'reads' && !token()) {
    askForToken(
      'This Healer asks for its API token before it shows anything (HEALER_API_TOKEN_READS=true).',
    );
    return;
  }
  const opened = window.setTimeout(() => ctrl.abort(), Math.max(3000, REFRESH_MS * 2));
  fetch(EVENTS_URL, {
    headers: headers({ accept: 'text/event-stream' }),
    cache: 'no-store',
    signal: ctrl.signal,
  })
    .then((res) => {
      window.clearTimeout(opened);
      if (res.status === 401) {
        try {
          sessionStorage.removeItem(TOKEN_KEY);
        } catch {
          /* nothing stored */
        }
        void res.body?.cancel();
        askForToken(
          'This Healer asks for its API token before it shows anything (HEALER_API_TOKEN_READS=true).',
          token() === null && res.headers.has('www-authenticate')
            ? 'That token was not accepted.'
            : '',
        );
        throw new DashboardError('the API token is needed', 'http');
      }
      if (!res.ok) {
        void res.body?.cancel();
        throw new DashboardError(`HTTP ${res.status} from ${EVENTS_URL.split('?')[0]}`, 'http');
      }
      return readStream(res, ctrl);
    })
    .catch((err: unknown) => {
      window.clearTimeout(opened);
      if (stream !== ctrl) return; // replaced by a newer connection
      if (err instanceof DashboardError && err.message === 'the API token is needed') return;
      showBanner(err);
      retryTimer = window.setTimeout(connect, REFRESH_MS);
    });
}

// ---- acting: acknowledge, silence, expire -----------------------------------------------------

function say(text: string, bad = false): void {
  const status = $('act-status') ?? $('banner');
  if (!status) return;
  status.textContent = text;
  status.classList.toggle('bad', bad);
  if (status.id === 'banner') status.hidden = false;
}

function who(): string | null {
  const input = $('who') as HTMLInputElement | null;
  const name = input?.value.trim() || localStorageGet(WHO_KEY) || '';
  if (!name) {
    say('Type your name first: it is recorded with what you do.', true);
    input?.focus();
    return null;
  }
  try {
    localStorage.setItem(WHO_KEY, name);
  } catch {
    /* not kept */
  }
  return name;
}
function localStorageGet(key: string): string | null {
  try {
    return localStorage.getItem(key);
  } catch {
    return null;
  }
}

/** `2h`, `30m`, `1d`, `1h30m` → milliseconds; null when it is not a duration. */
function parseDuration(text: string): number | null {
  const v = text.replace(/\s+/g, '').toLowerCase();
  if (!/^(\d+[dhm])+$/.test(v)) return null;
  let ms = 0;
  for (const m of v.matchAll(/(\d+)([dhm])/g)) {
    ms += Number(m[1]) * (m[2] === 'd' ? 86_400_000 : m[2] === 'h' ? 3_600_000 : 60_000);
  }
  return ms > 0 ? ms : null;
}

async function send(method: 'POST' | 'DELETE', url: string, payload?: unknown): Promise<unknown> {
  const res = await fetch(url, {
    method,
    headers: headers(payload === undefined ? {} : { 'content-type': 'application/json' }),
    body: payload === undefined ? null : JSON.stringify(payload),
    cache: 'no-store',
  });
  const answer = (await res.json().catch(() => null)) as { message?: string } | null;
  if (res.status === 401) {
    const retry = () => void send(method, url, payload).then(done, failed);
    afterToken = retry;
    askForToken(
      token()
        ? 'That token was not accepted: enter the API token.'
        : 'Acknowledging and silencing need the API token.',
    );
    throw new Error('the API token is needed');
  }
  if (!res.ok) throw new Error(answer?.message ?? `HTTP ${res.status}`);
  return answer;
}
let done: (answer: unknown) => void = () => undefined;
const failed = (err: unknown) =>
  say(`Failed: ${err instanceof Error ? err.message : String(err)}`, true);

function acknowledge(form: HTMLFormElement): void {
  const by = who();
  if (!by) return;
  const id = form.getAttribute('data-incident') ?? '';
  const comment = (form.elements.namedItem('comment') as HTMLInputElement | null)?.value.trim();
  done = () => {
    say(`Acknowledged by ${by}.`);
    form.reset();
  };
  send('POST', `/api/v1/incidents/${encodeURIComponent(id)}/ack`, {
    by,
    ...(comment ? { comment } : {}),
  }).then(done, failed);
}

function silence(form: HTMLFormElement): void {
  const by = who();
  if (!by) return;
  const field = (n: string) => form.elements.namedItem(n) as HTMLInputElement | null;
  const ms = parseDuration(field('duration')?.value ?? '');
  if (ms === null) {
    say('The duration must look like 2h, 30m, 1d or 1h30m.', true);
    field('duration')?.focus();
    return;
  }
  const matchers: Record<string, string> = {};
  for (const k of ['alert', 'play_id', 'agent', 'namespace']) {
    const box = field(`m_${k}`);
    if (box?.checked) matchers[k] = box.value;
  }
  if (Object.keys(matchers).length === 0) {
    say('Choose at least one matcher.', true);
    return;
  }
  const comment = field('comment')?.value.trim() ?? '';
  if (!comment) {
    say('Say why in the comment.', true);
    field('comment')?.focus();
    return;
  }
  const endsAt = new Date(Date.now() + serverOffsetMs + ms).toISOString();
  done = (answer) => {
    const s = (answer as { silence?: { id: string; ends_at: string } } | null)?.silence;
    say(`Silenced by ${by} until ${s ? s.ends_at.slice(0, 16).replace('T', ' ') : endsAt} UTC.`);
    field('comment')!.value = '';
  };
  send('POST', '/api/v1/silences', { matchers, ends_at: endsAt, comment, created_by: by }).then(
    done,
    failed,
  );
}

function expire(id: string): void {
  const by = who();
  if (!by) return;
  done = () => say(`Silence ${id} expired by ${by}.`);
  send(
    'DELETE',
    `/api/v1/silences/${encodeURIComponent(id)}?expired_by=${encodeURIComponent(by)}`,
  ).then(done, failed);
}

document.addEventListener('submit', (ev) => {
  const form = ev.target;
  if (!(form instanceof HTMLFormElement)) return;
  if (form.id === 'ack-form') {
    ev.preventDefault();
    acknowledge(form);
  } else if (form.id === 'silence-form') {
    ev.preventDefault();
    silence(form);
  } else if (form.id === 'filters') {
    ev.preventDefault();
    applyFilters(form);
  }
});

// ---- filters: kept in the URL -----------------------------------------------------------------

function applyFilters(form: HTMLFormElement): void {
  const params = new URLSearchParams();
  for (const [k, v] of new FormData(form)) {
    if (typeof v === 'string' && v.trim() !== '' && !(k === 'view' && v === 'open'))
      params.set(k, v.trim());
  }
  const qs = params.toString();
  location.assign(`/${qs ? `?${qs}` : ''}${location.hash}`);
}
document.addEventListener('change', (ev) => {
  const el = ev.target;
  if (!(el instanceof HTMLElement) || !el.closest('#filters')) return;
  if (el instanceof HTMLSelectElement || (el instanceof HTMLInputElement && el.type === 'radio')) {
    const form = el.closest('form');
    if (form) applyFilters(form);
  }
});

// ---- timeline ---------------------------------------------------------------------------------

function h(
  tag: string,
  attrs: Record<string, string | null> | null,
  ...children: (Node | string | null)[]
): HTMLElement {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs ?? {})) if (v !== null) el.setAttribute(k, v);
  for (const c of children) if (c !== null && c !== '') el.append(c);
  return el;
}
const cls = (s: string) => s.replace(/[^a-z0-9_-]/gi, '_');
const utc = (at: string) =>
  Number.isFinite(Date.parse(at))
    ? `${new Date(at).toISOString().slice(0, 19).replace('T', ' ')} UTC`
    : '';

function timelineEntry(e: TimelineEntry): HTMLElement {
  const detail = e.detail ?? {};
  const failedAction = e.type === 'action' && detail.state === 'failed';
  const facts = Object.keys(detail)
    .filter((k) => {
      const v = detail[k];
      return v !== null && v !== undefined && typeof v !== 'object';
    })
    .map((k) => `${k}=${String(detail[k] as string | number | boolean)}`)
    .join(' · ');
  const more = [e.incident_id, facts].filter(Boolean).join(' · ');
  return h(
    'li',
    { class: `tl-${cls(e.type)}${failedAction ? ' tl-action-failed' : ''}` },
    h('time', { datetime: e.at, title: e.at }, utc(e.at)),
    h('span', { class: 'tl-type' }, e.type),
    h(
      'span',
      { class: 'tl-summary' },
      e.summary,
      more ? h('span', { class: 'detail' }, more) : null,
    ),
  );
}
function markSelected(): void {
  document.querySelectorAll('button.play').forEach((b) => {
    b.setAttribute('aria-pressed', b.getAttribute('data-play') === selectedPlay ? 'true' : 'false');
  });
}
async function loadTimeline(playId: string, quiet: boolean): Promise<void> {
  const status = $('timeline-status');
  const list = $('timeline-list');
  const label = $('timeline-play');
  if (!status || !list || !label) return;
  label.textContent = `— ${playId}`;
  if (!quiet) {
    status.textContent = `Loading the timeline of ${playId}…`;
    status.hidden = false;
  }
  const url = `/api/v1/session/${encodeURIComponent(playId)}/timeline`;
  try {
    const res = await fetch(url, {
      headers: headers({ accept: 'application/json' }),
      cache: 'no-store',
    });
    if (playId !== selectedPlay) return;
    if (res.status === 404) {
      missingPlay = playId;
      list.replaceChildren();
      status.textContent = `Healer has no session for ${playId}, so no timeline.`;
      status.hidden = false;
      return;
    }
    if (!res.ok) throw new Error(`HTTP ${res.status} from ${url}`);
    const data = (await res.json()) as { entries?: TimelineEntry[] };
    if (playId !== selectedPlay) return;
    const entries = data.entries ?? [];
    list.replaceChildren(...entries.map(timelineEntry));
    status.textContent = entries.length ? '' : `Nothing recorded for ${playId} yet.`;
    status.hidden = entries.length > 0;
  } catch (err) {
    if (playId !== selectedPlay) return;
    status.textContent = `Could not load the timeline of ${playId}: ${err instanceof Error ? err.message : String(err)}`;
    status.hidden = false;
  }
}
function select(playId: string, focusPanel: boolean): void {
  if (!$('timeline')) {
    location.assign(`/#play=${encodeURIComponent(playId)}`);
    return;
  }
  selectedPlay = playId;
  missingPlay = null;
  markSelected();
  history.replaceState(
    null,
    '',
    `${location.pathname}${location.search}#play=${encodeURIComponent(playId)}`,
  );
  void loadTimeline(playId, false);
  if (focusPanel) {
    $('timeline-h')?.focus({ preventScroll: true });
    $('timeline')?.scrollIntoView({ block: 'nearest' });
  }
}

document.addEventListener('click', (ev) => {
  const t = ev.target;
  if (!(t instanceof Element)) return;
  const play = t.closest('button.play');
  if (play) {
    ev.preventDefault();
    select(play.getAttribute('data-play') ?? '', true);
    return;
  }
  const exp = t.closest('button.expire');
  if (exp) {
    ev.preventDefault();
    const id = exp.getAttribute('data-silence');
    if (id) expire(id);
  }
});

// ---- start ------------------------------------------------------------------------------------

const whoInput = $('who') as HTMLInputElement | null;
if (whoInput && !whoInput.value) whoInput.value = localStorageGet(WHO_KEY) ?? '';
const fromHash = /^#play=(.+)$/.exec(location.hash);
if (fromHash) {
  try {
    select(decodeURIComponent(fromHash[1] ?? ''), false);
  } catch {
    /* a malformed hash: ignore */
  }
}
document.addEventListener('visibilitychange', () => {
  if (!document.hidden && failingSince) connect();
});
body.setAttribute('data-ready', 'true');
connect();
