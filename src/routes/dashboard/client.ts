/**
 * The dashboard's browser script: polls `GET /api/v1/dashboard/state` and re-renders the two
 * tables in place with the markup `page.ts` renders on the server; loads a play's timeline when
 * a play is chosen; shows a banner while the API cannot be reached.
 *
 * Plain ES2020, no build step. DOM nodes are built with `textContent`/`setAttribute` only (never
 * `innerHTML`), so no value from the API can become markup. Kept free of backticks and
 * dollar-brace so it can live in this raw string.
 */
export const DASHBOARD_JS = String.raw`'use strict';
(function () {
  var body = document.body;
  var REFRESH_MS = Math.max(200, Number(body.getAttribute('data-refresh-ms')) || 5000);
  var STATE_URL = body.getAttribute('data-state-url') || '/api/v1/dashboard/state';
  var SESSION_COLS = 6;
  var INCIDENT_COLS = 10;
  var CHECK_SYMBOL = { passed: '\u2713', failed: '\u2717', unknown: '?' };

  var selectedPlay = null;
  var missingPlay = null; // chosen, but Healer has no session for it: not asked again on refresh
  var lastOk = null;
  var failingSince = null;
  var timer = null;
  var inFlight = false;

  function $(id) { return document.getElementById(id); }

  // h('td', {class: 'x'}, child, 'text', [more]) -> element; strings become text nodes.
  function h(tag, attrs) {
    var el = document.createElement(tag);
    if (attrs) {
      Object.keys(attrs).forEach(function (k) {
        var v = attrs[k];
        if (v !== null && v !== undefined && v !== false) el.setAttribute(k, String(v));
      });
    }
    for (var i = 2; i < arguments.length; i++) append(el, arguments[i]);
    return el;
  }
  function append(el, c) {
    if (c === null || c === undefined || c === false || c === '') return;
    if (Array.isArray(c)) { c.forEach(function (x) { append(el, x); }); return; }
    el.appendChild(typeof c === 'object' ? c : document.createTextNode(String(c)));
  }

  function safeUrl(u) {
    return typeof u === 'string' && /^https?:\/\/[^\s"'<>\u0060]+$/i.test(u) ? u : null;
  }
  function link(url, text, cls) {
    var u = safeUrl(url);
    return u
      ? h('a', { class: cls || null, href: u, target: '_blank', rel: 'noopener noreferrer' }, text)
      : h('span', { class: cls || null }, text);
  }
  function ago(at, now) {
    if (!at) return '\u2014';
    var ms = Date.parse(now) - Date.parse(at);
    if (!isFinite(ms)) return '\u2014';
    var s = Math.round(ms / 1000);
    if (s < 5) return 'just now';
    if (s < 60) return s + ' s ago';
    var m = Math.round(s / 60);
    if (m < 90) return m + ' min ago';
    var hr = Math.round(m / 60);
    if (hr < 48) return hr + ' h ago';
    return Math.round(hr / 24) + ' d ago';
  }
  function utc(at) {
    if (!at || !isFinite(Date.parse(at))) return '';
    return new Date(at).toISOString().slice(0, 19).replace('T', ' ') + ' UTC';
  }
  function time(at, now) {
    return at ? h('time', { datetime: at, title: utc(at) }, ago(at, now)) : '\u2014';
  }
  function phaseTone(phase) {
    var p = String(phase || '').toLowerCase();
    if (/^(running|active|started)$/.test(p)) return 'run';
    if (/^(succeeded|success|completed|complete|done|merged)$/.test(p)) return 'ok';
    if (/(fail|error|crash|backoff|oom|evicted|timeout|timedout|cancel)/.test(p)) return 'bad';
    if (/^(pending|waiting|queued|created|initializing|unknown)$/.test(p)) return 'wait';
    return 'other';
  }
  function cls(s) { return String(s).replace(/[^a-z0-9_-]/gi, '_'); }
  function plural(n, word) { return n + ' ' + word + (n === 1 ? '' : 's'); }
  function detail(text, extra) { return h('div', { class: 'detail' + (extra ? ' ' + extra : '') }, text); }
  function playButton(playId) {
    return h('button', {
      type: 'button', class: 'play', 'data-play': playId, 'aria-controls': 'timeline',
      'aria-pressed': playId === selectedPlay ? 'true' : 'false',
      title: 'Show the timeline of ' + playId
    }, playId);
  }

  // ---- sessions ---------------------------------------------------------------------------
  function checklist(a) {
    var items = a.preflight.items;
    var passed = items.filter(function (i) { return i.state === 'passed'; }).length;
    var failed = items.filter(function (i) { return i.state === 'failed'; });
    var ul = h('ul', { class: 'checklist', 'aria-label': 'Pre-flight checklist of ' + a.name });
    items.forEach(function (i) {
      var says = i.label + ': ' + i.state + (i.evidence ? ' \u2014 ' + i.evidence : '');
      ul.appendChild(h('li', { class: 'ck ck-' + cls(i.state), title: says },
        h('span', { 'aria-hidden': 'true' }, CHECK_SYMBOL[i.state] || '?'),
        h('span', { class: 'sr' }, says)));
    });
    return [
      h('span', { class: 'pf pf-' + cls(a.preflight.state) }, a.preflight.state), ' ',
      h('span', { class: 'ck-count' }, passed + '/' + items.length),
      ul,
      failed.length
        ? h('div', { class: 'ck-failed-list' }, 'failed: ' + failed.map(function (i) { return i.label; }).join('; '))
        : null
    ];
  }
  function agentRow(a, now) {
    var where = [];
    if (a.pod) where.push(h('code', { class: 'pod' }, a.pod));
    if (a.coderun) { if (where.length) where.push(h('br')); where.push(h('code', { class: 'coderun' }, a.coderun)); }
    return h('tr', { class: 'agent', 'data-agent': a.name },
      h('th', { scope: 'row' }, a.name),
      h('td', null, a.stage),
      h('td', null, h('span', { class: 'phase tone-' + phaseTone(a.phase) }, a.phase)),
      h('td', { class: 'where' }, where.length ? where : '\u2014'),
      h('td', null, time(a.started_at, now)),
      h('td', { class: 'preflight' }, checklist(a)));
  }
  function sessionHead(s, now) {
    var pr = null;
    if (s.pr) {
      var c = s.pr.checks;
      pr = h('span', { class: 'pr' }, link(s.pr.url, 'PR #' + s.pr.number), ' ',
        h('span', { class: 'phase tone-' + phaseTone(s.pr.state === 'open' ? 'running' : s.pr.state) }, s.pr.state), ' ',
        h('span', { class: 'checks' }, 'checks ' + c.passed + ' passed, ' + c.failed + ' failed, ' + c.pending + ' pending'));
    }
    var inc = s.open_incidents
      ? h('span', { class: 'inc-count has' }, plural(s.open_incidents, 'open incident'))
      : h('span', { class: 'inc-count' }, 'no open incidents');
    return h('tr', { class: 'session-head' },
      h('th', { scope: 'rowgroup', colspan: SESSION_COLS },
        playButton(s.play_id), ' ', h('span', { class: 'repo' }, s.repository),
        h('span', { class: 'meta' }, s.namespace + ' \u00b7 ' + plural(s.task_count, 'task') + ' \u00b7 started ',
          time(s.started_at, now), ' \u00b7 updated ', time(s.last_updated, now)),
        pr, inc));
  }
  function renderSessions(state) {
    var table = $('sessions');
    var now = state.generated_at;
    Array.prototype.slice.call(table.tBodies).forEach(function (b) { table.removeChild(b); });
    if (!state.sessions.length) {
      table.appendChild(h('tbody', null, h('tr', { class: 'empty' }, h('td', { colspan: SESSION_COLS }, 'No active sessions.'))));
      return;
    }
    state.sessions.forEach(function (s) {
      var tb = h('tbody', { class: 'session', 'data-play': s.play_id }, sessionHead(s, now));
      if (s.agents.length) s.agents.forEach(function (a) { tb.appendChild(agentRow(a, now)); });
      else tb.appendChild(h('tr', { class: 'agent none' }, h('td', { colspan: SESSION_COLS }, 'No agents configured.')));
      table.appendChild(tb);
    });
  }

  // ---- incidents --------------------------------------------------------------------------
  function incidentRow(i, now, openEvidence) {
    var evidence = null;
    if (i.evidence.length) {
      evidence = h('details', { class: 'evidence', 'data-id': i.id, open: openEvidence[i.id] ? '' : null },
        h('summary', null, 'evidence (' + i.evidence.length + ')'),
        h('pre', null, i.evidence.join('\n')));
    }
    var who = [i.agent, i.task_id ? 'task ' + i.task_id : null].filter(Boolean).join(' \u00b7 ');
    var d = i.last_decision;
    var decision = d
      ? [h('span', { class: 'reason' }, d.reason), d.detail ? detail(d.detail) : null]
      : h('span', { class: 'muted' }, 'none yet');
    var issue = i.github_issue ? link(i.github_issue.url, '#' + i.github_issue.number) : '\u2014';
    var run = '\u2014';
    var r = i.coderun;
    if (r) {
      run = [
        h('code', { class: 'coderun' }, r.name), ' ',
        h('span', { class: 'phase tone-' + phaseTone(r.phase) }, r.phase),
        h('div', { class: 'detail' }, r.kind === 'evaluation' ? 'evaluation' : 'attempt ' + r.attempt,
          r.pull_request_url ? [' \u00b7 ', link(r.pull_request_url, 'PR')] : null),
        r.failure ? detail(r.failure, 'bad') : null
      ];
    }
    return h('tr', { class: 'incident sev-row-' + cls(i.severity), 'data-id': i.id },
      h('td', null, h('span', { class: 'sev sev-' + cls(i.severity) }, i.severity)),
      h('td', null, i.alert),
      h('th', { scope: 'row', class: 'title' }, h('span', { class: 'title-text' }, i.title),
        detail(i.id + ' \u00b7 ' + i.namespace), evidence),
      h('td', null, i.play_id ? playButton(i.play_id) : h('span', { class: 'muted' }, 'platform'),
        who ? detail(who) : null),
      h('td', { class: 'num' }, String(i.occurrences), i.reopened ? detail('reopened ' + i.reopened + '\u00d7') : null),
      h('td', null, h('span', { class: 'state state-' + cls(i.state) }, i.state)),
      h('td', null, decision),
      h('td', null, issue),
      h('td', { class: 'run' }, run),
      h('td', null, time(i.last_seen, now)));
  }
  function renderIncidents(state) {
    var tbody = $('incidents-body');
    var openEvidence = {};
    tbody.querySelectorAll('details.evidence[open]').forEach(function (d) { openEvidence[d.getAttribute('data-id')] = true; });
    var rows = state.incidents.length
      ? state.incidents.map(function (i) { return incidentRow(i, state.generated_at, openEvidence); })
      : [h('tr', { class: 'empty' }, h('td', { colspan: INCIDENT_COLS }, 'No open incidents.'))];
    tbody.replaceChildren.apply(tbody, rows);
  }

  function summaryText(state) {
    var c = state.counts;
    var worst = ['critical', 'high'].filter(function (s) { return c.by_severity[s]; })
      .map(function (s) { return c.by_severity[s] + ' ' + s; }).join(', ');
    return plural(c.active_sessions, 'active session') + ' \u00b7 ' + plural(c.open_incidents, 'open incident') +
      (worst ? ' (' + worst + ')' : '');
  }
  function note(n, what) { return n > 0 ? h('p', { class: 'note' }, n + ' more ' + what + ' not shown.') : null; }

  function render(state) {
    // Keep keyboard focus on the same play button across a re-render.
    var active = document.activeElement;
    var focusPlay = active && active.classList && active.classList.contains('play') ? active.getAttribute('data-play') : null;
    var focusInIncidents = focusPlay && active.closest('#incidents');
    renderSessions(state);
    renderIncidents(state);
    $('sessions-count').textContent = String(state.counts.active_sessions);
    $('incidents-count').textContent = String(state.counts.open_incidents);
    $('sessions-note').replaceChildren.apply($('sessions-note'), [note(state.truncated.sessions, 'active sessions')].filter(Boolean));
    $('incidents-note').replaceChildren.apply($('incidents-note'), [note(state.truncated.incidents, 'open incidents')].filter(Boolean));
    var summary = summaryText(state);
    $('summary').textContent = summary;
    document.title = 'Healer \u00b7 ' + summary;
    if (focusPlay) {
      var scope = focusInIncidents ? $('incidents') : $('sessions');
      var again = Array.prototype.find.call(scope.querySelectorAll('button.play'), function (b) {
        return b.getAttribute('data-play') === focusPlay;
      });
      if (again) again.focus();
    }
  }

  // ---- timeline ---------------------------------------------------------------------------
  function timelineEntry(e) {
    var failed = e.type === 'action' && e.detail && e.detail.state === 'failed';
    var facts = Object.keys(e.detail || {}).filter(function (k) {
      var v = e.detail[k];
      return v !== null && v !== undefined && typeof v !== 'object';
    }).map(function (k) { return k + '=' + String(e.detail[k]); }).join(' \u00b7 ');
    return h('li', { class: 'tl-' + cls(e.type) + (failed ? ' tl-action-failed' : '') },
      h('time', { datetime: e.at, title: e.at }, utc(e.at)),
      h('span', { class: 'tl-type' }, e.type),
      h('span', { class: 'tl-summary' }, e.summary,
        (e.incident_id || facts) ? h('span', { class: 'detail' }, [e.incident_id, facts].filter(Boolean).join(' \u00b7 ')) : null));
  }
  function markSelected() {
    document.querySelectorAll('button.play').forEach(function (b) {
      b.setAttribute('aria-pressed', b.getAttribute('data-play') === selectedPlay ? 'true' : 'false');
    });
  }
  function loadTimeline(playId, quiet) {
    var status = $('timeline-status');
    var list = $('timeline-list');
    $('timeline-play').textContent = playId ? '\u2014 ' + playId : '';
    if (!playId) return Promise.resolve();
    if (!quiet) { status.textContent = 'Loading the timeline of ' + playId + '\u2026'; status.hidden = false; }
    var url = '/api/v1/session/' + encodeURIComponent(playId) + '/timeline';
    return fetch(url, { headers: { accept: 'application/json' }, cache: 'no-store' })
      .then(function (res) {
        if (res.status === 404) return { notFound: true };
        if (!res.ok) throw new Error('HTTP ' + res.status + ' from ' + url);
        return res.json();
      })
      .then(function (data) {
        if (playId !== selectedPlay) return;
        if (data.notFound) {
          missingPlay = playId;
          list.replaceChildren();
          status.textContent = 'Healer has no session for ' + playId + ', so no timeline.';
          status.hidden = false;
          return;
        }
        var entries = data.entries || [];
        list.replaceChildren.apply(list, entries.map(timelineEntry));
        status.textContent = entries.length ? '' : 'Nothing recorded for ' + playId + ' yet.';
        status.hidden = entries.length > 0;
      })
      .catch(function (err) {
        if (playId !== selectedPlay) return;
        status.textContent = 'Could not load the timeline of ' + playId + ': ' + (err && err.message ? err.message : String(err));
        status.hidden = false;
      });
  }
  function select(playId, focusPanel) {
    selectedPlay = playId;
    missingPlay = null;
    markSelected();
    if (history.replaceState) history.replaceState(null, '', '#play=' + encodeURIComponent(playId));
    loadTimeline(playId, false);
    if (focusPanel) {
      var heading = $('timeline-h');
      heading.focus({ preventScroll: true });
      $('timeline').scrollIntoView({ block: 'nearest' });
    }
  }
  document.addEventListener('click', function (ev) {
    var t = ev.target;
    var btn = t && t.closest ? t.closest('button.play') : null;
    if (!btn) return;
    ev.preventDefault();
    select(btn.getAttribute('data-play'), true);
  });

  // ---- polling ----------------------------------------------------------------------------
  function clock(d) { return d.toTimeString().slice(0, 8); }
  function showBanner(err) {
    var banner = $('banner');
    if (!failingSince) failingSince = new Date();
    var kind = err && err.kind;
    var why = err && err.name === 'AbortError' ? 'no answer in time' : (err && err.message ? err.message : String(err));
    var what = kind === 'render'
      ? 'The page could not show the latest state since '
      : kind === 'http'
        ? 'The Healer API is failing since '
        : 'Cannot reach the Healer API since ';
    banner.textContent = what + clock(failingSince) + ' (' + why + '). ' +
      (lastOk ? 'Showing data from ' + clock(lastOk) + '. ' : 'Showing the data the page was served with. ') +
      'Retrying every ' + REFRESH_MS / 1000 + ' s.';
    banner.hidden = false;
    body.classList.add('stale');
  }
  function hideBanner() {
    failingSince = null;
    $('banner').hidden = true;
    $('banner').textContent = '';
    body.classList.remove('stale');
  }
  function tagged(err, kind) {
    if (err && typeof err === 'object') err.kind = kind;
    return err;
  }
  function schedule() {
    clearTimeout(timer);
    timer = setTimeout(poll, REFRESH_MS);
  }
  function poll() {
    if (inFlight) return;
    if (document.hidden) { schedule(); return; }
    inFlight = true;
    var ctrl = typeof AbortController === 'function' ? new AbortController() : null;
    var limit = setTimeout(function () { if (ctrl) ctrl.abort(); }, Math.max(3000, REFRESH_MS * 2));
    fetch(STATE_URL, { headers: { accept: 'application/json' }, cache: 'no-store', signal: ctrl ? ctrl.signal : undefined })
      .then(function (res) {
        if (!res.ok) throw tagged(new Error('HTTP ' + res.status + ' from ' + STATE_URL), 'http');
        return res.json().catch(function (e) { throw tagged(e, 'http'); });
      })
      .then(function (state) {
        if (!state || state.status !== 'ok') throw tagged(new Error('unexpected answer from ' + STATE_URL), 'http');
        try {
          render(state);
        } catch (e) {
          console.error('dashboard: render failed', e);
          throw tagged(e, 'render');
        }
        lastOk = new Date();
        $('updated').textContent = 'Updated ' + clock(lastOk);
        hideBanner();
        return selectedPlay && selectedPlay !== missingPlay ? loadTimeline(selectedPlay, true) : null;
      })
      .catch(showBanner)
      .then(function () {
        clearTimeout(limit);
        inFlight = false;
        schedule();
      });
  }
  document.addEventListener('visibilitychange', function () {
    if (!document.hidden) { clearTimeout(timer); poll(); }
  });

  var fromHash = /^#play=(.+)$/.exec(location.hash);
  if (fromHash) {
    try { select(decodeURIComponent(fromHash[1]), false); } catch (e) { /* a malformed hash: ignore */ }
  }
  body.setAttribute('data-ready', 'true');
  schedule();
})();
`;
