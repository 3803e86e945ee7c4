import t from 'tap';
import { testHealer } from '../helpers/healer.js';

/** Every family operations.md §5 lists, by the name Healer exports it under. */
const FAMILIES: Record<string, string> = {
  'sessions by status': 'healer_sessions',
  'alerts by alert and severity': 'healer_alerts_total',
  'incidents by state': 'healer_incidents',
  'actions by kind and outcome': 'healer_actions_total',
  'watch restarts per kind': 'healer_watch_restarts_total',
  'last-event age per kind': 'healer_watch_last_event_age_seconds',
  'Loki query duration': 'healer_loki_query_duration_seconds',
  'Loki lag': 'healer_loki_lag_seconds',
  'Loki gaps': 'healer_loki_gap_seconds_total',
  'GitHub rate-limit remaining': 'healer_github_rate_limit_remaining',
  'detection latency histogram': 'healer_detection_latency_seconds',
  'event-loop lag': 'healer_nodejs_eventloop_lag_seconds',
  'process memory': 'healer_process_resident_memory_bytes',
  'readiness checks (the store alert of the PrometheusRule)': 'healer_ready',
};

void t.test(
  '/metrics of a running app has every family of operations.md §5, each with help text',
  async (t) => {
    const { app } = await testHealer();
    t.teardown(() => app.close());
    const url = await app.listen({ host: '127.0.0.1', port: 0 });
    const res = await fetch(`${url}/metrics`);
    t.equal(res.status, 200);
    t.match(res.headers.get('content-type'), /^text\/plain; version=0\.0\.4/);
    const body = await res.text();
    for (const [what, name] of Object.entries(FAMILIES)) {
      const help = new RegExp(`^# HELP ${name} (.+)$`, 'm').exec(body);
      t.ok(help && help[1].trim().length > 10, `${what}: ${name} with help text`);
      t.match(
        body,
        new RegExp(`^# TYPE ${name} (counter|gauge|histogram|summary)$`, 'm'),
        `${name} typed`,
      );
    }
    t.match(body, /^healer_ready\{check="store"\} 1$/m, 'the store check is exported, ok');
    const families = [...body.matchAll(/^# HELP (\S+) /gm)].map((m) => m[1]);
    t.equal(new Set(families).size, families.length, 'no family registered twice');
  },
);
