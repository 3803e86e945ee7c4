/** The dashboard's stylesheet: no build step, no external fonts, light and dark. */
export const DASHBOARD_CSS = `
:root {
  color-scheme: light dark;
  --bg: #f6f7f9; --panel: #ffffff; --fg: #1b1f24; --muted: #5b6470; --line: #d9dde3;
  --head: #eef1f5; --accent: #1f5fbf; --focus: #1f5fbf;
  --crit-bg: #b3001b; --crit-fg: #ffffff; --high-bg: #d9480f; --high-fg: #ffffff;
  --med-bg: #f2c200; --med-fg: #1b1f24; --low-bg: #2b6cb0; --low-fg: #ffffff;
  --info-bg: #6b7480; --info-fg: #ffffff;
  --ok: #1a7f37; --ok-bg: #dcf3e3; --bad: #b3001b; --bad-bg: #fde2e4; --run: #1f5fbf;
  --run-bg: #dde9fb; --wait: #5b6470; --wait-bg: #eceef1; --warn-bg: #fff4d6; --warn: #7a5200;
}
@media (prefers-color-scheme: dark) {
  :root {
    --bg: #0f1217; --panel: #171b22; --fg: #e6e9ee; --muted: #9aa4b1; --line: #2c333d;
    --head: #1e242d; --accent: #7fb0ff; --focus: #7fb0ff;
    --crit-bg: #ff5c6c; --crit-fg: #1b0005; --high-bg: #ff8c42; --high-fg: #1f0d00;
    --med-bg: #ffd43b; --med-fg: #1b1f24; --low-bg: #74a9ff; --low-fg: #001433;
    --info-bg: #9aa4b1; --info-fg: #11151a;
    --ok: #5fd27f; --ok-bg: #173524; --bad: #ff7b86; --bad-bg: #3d1a1f; --run: #7fb0ff;
    --run-bg: #1b2b45; --wait: #b4bcc7; --wait-bg: #262c35; --warn-bg: #3a2e10; --warn: #ffd479;
  }
}
* { box-sizing: border-box; }
html { font-size: 15px; }
body {
  margin: 0; background: var(--bg); color: var(--fg);
  font: 1rem/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "DejaVu Sans", sans-serif;
}
a { color: var(--accent); }
code, pre { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, "DejaVu Sans Mono", monospace; font-size: 0.86rem; }
:focus-visible { outline: 2px solid var(--focus); outline-offset: 2px; }
.sr { position: absolute; width: 1px; height: 1px; padding: 0; margin: -1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; border: 0; }
.skip { position: absolute; left: -999px; top: 0; background: var(--panel); padding: 0.4rem 0.8rem; z-index: 2; }
.skip:focus { left: 0.5rem; }
.top {
  display: flex; flex-wrap: wrap; align-items: baseline; gap: 0.3rem 1.5rem;
  padding: 0.9rem 1.5rem; background: var(--panel); border-bottom: 1px solid var(--line);
}
.top h1 { margin: 0; font-size: 1.35rem; }
.top h1 .sub { font-weight: 400; color: var(--muted); font-size: 1rem; margin-left: 0.3rem; }
.summary { margin: 0; font-weight: 600; }
.updated { margin: 0 0 0 auto; color: var(--muted); font-size: 0.9rem; }
.banner {
  margin: 0.8rem 1.5rem 0; padding: 0.7rem 1rem; border-radius: 6px;
  background: var(--bad-bg); color: var(--bad); border: 1px solid var(--bad); font-weight: 600;
}
.banner[hidden] { display: none; }
body.stale main { opacity: 0.7; }
main { padding: 0.8rem 1.5rem 1.5rem; display: grid; gap: 1rem; }
.panel { background: var(--panel); border: 1px solid var(--line); border-radius: 8px; padding: 0.6rem 1rem 0.9rem; min-width: 0; }
.panel h2 { font-size: 1.1rem; margin: 0.3rem 0 0.6rem; }
.count { display: inline-block; min-width: 1.6em; padding: 0 0.45em; border-radius: 999px; background: var(--head); color: var(--muted); font-size: 0.85rem; text-align: center; }
.scroll { overflow-x: auto; }
table.grid { width: 100%; border-collapse: collapse; font-size: 0.92rem; }
.grid th, .grid td { text-align: left; vertical-align: top; padding: 0.4rem 0.55rem; border-bottom: 1px solid var(--line); }
.grid thead th { background: var(--head); font-size: 0.8rem; text-transform: uppercase; letter-spacing: 0.03em; color: var(--muted); white-space: nowrap; }
.grid .num { text-align: right; font-variant-numeric: tabular-nums; }
.grid tr.empty td { color: var(--muted); font-style: italic; padding: 0.8rem 0.55rem; }
.sessions tbody.session { border-top: 2px solid var(--line); }
.sessions tr.session-head th { background: var(--head); font-weight: 400; }
.sessions tr.session-head .repo { font-weight: 600; margin: 0 0.6rem 0 0.3rem; }
.sessions tr.session-head .meta { color: var(--muted); margin-right: 0.8rem; }
.sessions tr.session-head .pr { margin-right: 0.8rem; white-space: nowrap; }
.sessions tr.session-head .checks { color: var(--muted); font-size: 0.85rem; }
.sessions tr.agent th { font-weight: 600; padding-left: 1.2rem; }
.inc-count { color: var(--muted); white-space: nowrap; }
.inc-count.has { color: var(--bad); font-weight: 600; }
button.play {
  font: inherit; font-family: ui-monospace, Menlo, Consolas, "DejaVu Sans Mono", monospace; font-size: 0.88rem;
  padding: 0.1rem 0.5rem; border: 1px solid var(--accent); border-radius: 4px;
  background: transparent; color: var(--accent); cursor: pointer; max-width: 100%; overflow-wrap: anywhere; text-align: left;
}
button.play:hover { background: var(--run-bg); }
button.play[aria-pressed="true"] { background: var(--accent); color: var(--panel); }
.phase, .state, .reason, .pf, .sev, .tl-type {
  display: inline-block; padding: 0 0.45em; border-radius: 4px; font-size: 0.82rem; font-weight: 600; white-space: nowrap;
}
.tone-run { background: var(--run-bg); color: var(--run); }
.tone-ok { background: var(--ok-bg); color: var(--ok); }
.tone-bad { background: var(--bad-bg); color: var(--bad); }
.tone-wait, .tone-other { background: var(--wait-bg); color: var(--wait); }
.sev { text-transform: uppercase; letter-spacing: 0.03em; min-width: 5.2em; text-align: center; }
.sev-critical { background: var(--crit-bg); color: var(--crit-fg); }
.sev-high { background: var(--high-bg); color: var(--high-fg); }
.sev-medium { background: var(--med-bg); color: var(--med-fg); }
.sev-low { background: var(--low-bg); color: var(--low-fg); }
.sev-info { background: var(--info-bg); color: var(--info-fg); }
tr.sev-row-critical > td:first-child { box-shadow: inset 4px 0 var(--crit-bg); }
tr.sev-row-high > td:first-child { box-shadow: inset 4px 0 var(--high-bg); }
.state-open { background: var(--bad-bg); color: var(--bad); }
.state-remediating { background: var(--run-bg); color: var(--run); }
.state-escalated { background: var(--warn-bg); color: var(--warn); }
.state-silenced, .state-resolved { background: var(--wait-bg); color: var(--wait); }
.reason { background: var(--head); color: var(--fg); font-family: ui-monospace, Menlo, Consolas, monospace; font-weight: 500; }
.pf-passed { background: var(--ok-bg); color: var(--ok); }
.pf-failed { background: var(--bad-bg); color: var(--bad); }
.pf-pending, .pf-unknown { background: var(--wait-bg); color: var(--wait); }
.ck-count { color: var(--muted); font-size: 0.82rem; margin-left: 0.2rem; }
ul.checklist { list-style: none; display: inline-flex; flex-wrap: wrap; gap: 3px; margin: 0 0 0 0.4rem; padding: 0; vertical-align: middle; }
.ck { width: 1.35em; height: 1.35em; line-height: 1.35em; text-align: center; border-radius: 3px; font-size: 0.8rem; font-weight: 700; cursor: help; }
.ck-passed { background: var(--ok-bg); color: var(--ok); }
.ck-failed { background: var(--bad); color: var(--panel); }
.ck-unknown { background: var(--wait-bg); color: var(--wait); }
.ck-failed-list { color: var(--bad); font-size: 0.82rem; margin-top: 0.2rem; }
.where code { overflow-wrap: anywhere; }
.incidents th.title { font-weight: 400; min-width: 16rem; }
.incidents .title-text { font-weight: 600; overflow-wrap: anywhere; }
.detail { color: var(--muted); font-size: 0.82rem; margin-top: 0.15rem; overflow-wrap: anywhere; }
.detail.bad { color: var(--bad); }
.muted { color: var(--muted); }
details.evidence summary { cursor: pointer; color: var(--accent); font-size: 0.82rem; }
details.evidence pre { margin: 0.3rem 0 0; padding: 0.4rem 0.6rem; max-height: 14rem; overflow: auto; white-space: pre-wrap; overflow-wrap: anywhere; background: var(--head); border-radius: 4px; }
.incidents td.run { min-width: 11rem; }
.incidents code.coderun { overflow-wrap: break-word; }
.note { color: var(--muted); font-size: 0.85rem; margin: 0.4rem 0 0; }
ol.timeline { list-style: none; margin: 0; padding: 0 0 0 0.4rem; border-left: 2px solid var(--line); }
ol.timeline li { display: grid; grid-template-columns: 11.5rem 6.5rem 1fr; gap: 0.6rem; padding: 0.3rem 0 0.3rem 0.8rem; position: relative; }
ol.timeline li::before { content: ""; position: absolute; left: -0.42rem; top: 0.75rem; width: 0.6rem; height: 0.6rem; border-radius: 50%; background: var(--line); }
ol.timeline li.tl-alert::before, ol.timeline li.tl-action-failed::before { background: var(--bad); }
ol.timeline li.tl-decision::before { background: var(--accent); }
ol.timeline li.tl-resolution::before { background: var(--ok); }
ol.timeline time { color: var(--muted); font-variant-numeric: tabular-nums; font-size: 0.88rem; }
.tl-type { background: var(--head); color: var(--muted); text-align: center; align-self: start; }
.tl-summary { overflow-wrap: anywhere; }
.tl-summary .detail { display: block; }
.foot { padding: 0 1.5rem 1.5rem; color: var(--muted); font-size: 0.85rem; }
.top h1 a { color: inherit; text-decoration: none; }
a.title-text { color: var(--fg); text-decoration: none; }
a.title-text:hover { text-decoration: underline; color: var(--accent); }
a.inc-count.has { text-decoration: none; }
.bad { color: var(--bad); }
.note.bad { color: var(--bad); }
.view { display: grid; gap: 1rem; min-width: 0; }
form.filters { display: flex; flex-wrap: wrap; align-items: end; gap: 0.4rem 0.9rem; background: var(--panel); border: 1px solid var(--line); border-radius: 8px; padding: 0.6rem 1rem; }
form.filters label { display: flex; flex-direction: column; font-size: 0.8rem; color: var(--muted); gap: 0.1rem; }
form.filters fieldset.views { border: 0; margin: 0; padding: 0; display: flex; gap: 0.6rem; }
form.filters fieldset.views label { flex-direction: row; align-items: center; gap: 0.25rem; font-size: 0.95rem; color: var(--fg); }
form.filters .range-inputs { display: flex; gap: 0.9rem; flex-wrap: wrap; }
input, select, button { font: inherit; font-size: 0.9rem; color: var(--fg); background: var(--bg); border: 1px solid var(--line); border-radius: 4px; padding: 0.2rem 0.4rem; }
input[type="text"], input[type="search"] { min-width: 9rem; }
button { cursor: pointer; background: var(--head); }
button[type="submit"], button.expire { border-color: var(--accent); color: var(--accent); }
form.token { margin: 0.8rem 1.5rem 0; }
form.token[hidden] { display: none; }
form.token input { min-width: 18rem; max-width: 100%; }
ul.silences { list-style: none; margin: 0; padding: 0; }
ul.silences li { padding: 0.3rem 0; border-bottom: 1px solid var(--line); overflow-wrap: anywhere; }
.crumbs { margin: 0 0 0.3rem; font-size: 0.88rem; color: var(--muted); }
.incident-page { display: grid; gap: 1rem; min-width: 0; }
.incident-page h2 .title-text { overflow-wrap: anywhere; }
.incident-page .links { display: flex; flex-wrap: wrap; gap: 0.3rem 0.8rem; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 0.2rem 1rem; margin: 0.6rem 0; }
dl.facts dt { color: var(--muted); }
dl.facts dd { margin: 0; overflow-wrap: anywhere; }
pre.description, pre.evidence-all { margin: 0.3rem 0 0; padding: 0.5rem 0.7rem; max-height: 22rem; overflow: auto; white-space: pre-wrap; overflow-wrap: anywhere; background: var(--head); border-radius: 4px; }
.act .forms { display: grid; grid-template-columns: repeat(auto-fit, minmax(18rem, 1fr)); gap: 1rem; }
.act-form { border: 1px solid var(--line); border-radius: 6px; padding: 0.5rem 0.8rem; display: flex; flex-wrap: wrap; gap: 0.4rem 0.8rem; align-items: end; }
.act-form h3 { width: 100%; margin: 0; font-size: 1rem; }
.act-form .note { width: 100%; margin: 0; }
.act-form fieldset { border: 0; padding: 0; margin: 0; width: 100%; display: flex; flex-wrap: wrap; gap: 0.3rem 0.9rem; }
.act-form legend { font-size: 0.8rem; color: var(--muted); }
.act-status { min-height: 1.2em; font-weight: 600; color: var(--ok); }
.act-status.bad { color: var(--bad); }
details.finished summary { cursor: pointer; color: var(--muted); font-size: 0.88rem; }
table.nested { margin-top: 0.3rem; }
@media (max-width: 760px) {
  .top, main { padding-left: 0.7rem; padding-right: 0.7rem; }
  ol.timeline li { grid-template-columns: 1fr; gap: 0.1rem; }
  .updated { margin-left: 0; }
}
/* Narrow windows (800 px and less): each table row becomes a card, each cell a labelled line. */
@media (max-width: 900px) {
  .grid thead { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }
  .grid, .grid tbody, .grid tr, .grid td, .grid th { display: block; width: 100%; }
  .grid tr { border-bottom: 2px solid var(--line); padding: 0.3rem 0; }
  .grid td, .grid th { border-bottom: 0; padding: 0.15rem 0.4rem; }
  .grid td[data-label]::before { content: attr(data-label) ": "; color: var(--muted); font-size: 0.8rem; }
  .grid .num { text-align: left; }
  .incidents th.title { min-width: 0; }
  .incidents td.run { min-width: 0; }
  tr.sev-row-critical > td:first-child, tr.sev-row-high > td:first-child { box-shadow: none; }
  tr.incident.sev-row-critical { box-shadow: inset 4px 0 var(--crit-bg); }
  tr.incident.sev-row-high { box-shadow: inset 4px 0 var(--high-bg); }
  .sessions tr.agent th { padding-left: 0.4rem; }
  form.token input { min-width: 0; width: 100%; }
}
`;

/** A small icon (a cross on a rounded square), so the browser does not ask for /favicon.ico. */
export const DASHBOARD_ICON =
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32">' +
  '<rect width="32" height="32" rx="7" fill="#1f5fbf"/>' +
  '<path d="M13 7h6v6h6v6h-6v6h-6v-6H7v-6h6z" fill="#fff"/></svg>';
