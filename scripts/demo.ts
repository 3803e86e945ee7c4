// `npm run demo`: the whole loop on one machine. Starts the simulated Kubernetes API server, Loki
// and GitHub (test/sim), a local notification sink, and the built Healer wired to them (GitHub
// issues, remediation CodeRuns, webhook notifications), prints `Dashboard: http://127.0.0.1:<port>/`,
// then plays a rotating set of scenarios (test/scenarios) with a progress line for each Play and
// for everything Healer does about it. Ctrl-C (SIGINT), SIGTERM or SIGHUP stops Healer, the
// simulators and the sink, and removes the temporary folder (store, kubeconfig, heal-config, log).
//
// `npm run demo` builds first when a source changed (`predemo`: scripts/build-if-stale.mjs).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { startSimWorld, type SimWorld } from '../test/sim/world.js';
import {
  loadScenario,
  playScenario,
  startHealerSession,
  type Scenario,
} from '../test/sim/play/index.js';
import { startReceiver } from '../test/helpers/receiver.js';
import { startHealerProcess, type HealerProcess } from './demo/healer-process.js';
import { IncidentProgress } from './demo/progress.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** The rotation: what each scenario shows, in the order they play. */
const ROTATION: { file: string; what: string }[] = [
  { file: 'a2-silent-failure', what: 'silent failure behind a sidecar' },
  { file: 'a7-crash-loop', what: 'crash loop' },
  { file: 'a12-mcp-init-preflight', what: 'MCP init failure in pre-flight' },
  { file: 'a10-tool-mismatch', what: 'tool mismatch against the session' },
  { file: 'a5-ci-after-tess', what: 'CI red after Tess approved' },
  { file: 'lookalike-sidecar-exit0', what: 'a harmless look-alike (exit 0, sidecar running)' },
];

const HELP = `usage: npm run demo [-- --port N] [--rounds N] [--pause S] [--round-pause S]

Starts the simulated Kubernetes, Loki and GitHub, a notification sink and Healer wired to them,
prints "Dashboard: http://127.0.0.1:<port>/", then plays ${ROTATION.length} scenarios in rotation
(${ROTATION.map((r) => r.file).join(', ')}) with progress lines. Ctrl-C stops everything and
removes the temporary data.

  --port N         Healer's port (default 8083, or a free one when 8083 is taken)
  --rounds N       rounds of the rotation to play, 0 = until stopped (default 0)
  --pause S        seconds between two scenarios (default 3)
  --round-pause S  seconds between two rounds (default 60)
`;

function usage(msg: string): never {
  process.stderr.write(`npm run demo: ${msg}\n${HELP}`);
  process.exit(2);
}

function number(name: string, raw: string | undefined, def: number, min: number): number {
  if (raw === undefined) return def;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < min) usage(`--${name} must be a number ≥ ${min}, got "${raw}"`);
  return n;
}

/** `wanted` when it is free on 127.0.0.1, else (for the default only) any free port. */
async function freePort(wanted: number, strict: boolean): Promise<number> {
  const tryListen = (port: number) =>
    new Promise<number | null>((resolve) => {
      const s = createServer();
      s.once('error', () => resolve(null));
      s.listen(port, '127.0.0.1', () => {
        const p = (s.address() as { port: number }).port;
        s.close(() => resolve(p));
      });
    });
  const got = await tryListen(wanted);
  if (got !== null) return got;
  if (strict) throw new Error(`port ${wanted} is in use`);
  const any = await tryListen(0);
  if (any === null) throw new Error('no free port on 127.0.0.1');
  return any;
}

/** The scenario as played in round `round`: a fresh Play id from the second round on. */
function forRound(s: Scenario, round: number): Scenario {
  if (round === 1) return s;
  return { ...s, session: { ...s.session, play_id: `${s.session.play_id}-r${round}` } };
}

function expectation(s: Scenario): string {
  if (s.expect.none) return 'expect nothing';
  return `expect ${s.expect.alerts
    .map((a) => `${a.alert} ${a.severity}${a.agent ? ` (${a.agent}, task ${a.task_id})` : ''}`)
    .join(', ')}`;
}

async function main(): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        port: { type: 'string' },
        rounds: { type: 'string' },
        pause: { type: 'string' },
        'round-pause': { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }));
  } catch (err) {
    usage(err instanceof Error ? err.message : String(err));
  }
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  const port = number('port', values.port, 8083, 1);
  if (!Number.isInteger(port) || port > 65535)
    usage(`--port must be a TCP port, got "${values.port}"`);
  const rounds = number('rounds', values.rounds, 0, 0);
  const pauseMs = number('pause', values.pause, 3, 0) * 1000;
  const roundPauseMs = number('round-pause', values['round-pause'], 60, 0) * 1000;

  const began = Date.now();
  const say = (line: string) =>
    process.stdout.write(
      `[+${String(Math.round((Date.now() - began) / 1000)).padStart(3)}s] ${line}\n`,
    );

  const scenarios = await Promise.all(
    ROTATION.map((r) => loadScenario(join(ROOT, 'test', 'scenarios', `${r.file}.yaml`))),
  );

  const dir = mkdtempSync(join(tmpdir(), 'healer-demo-'));
  let world: SimWorld | null = null;
  let sink: Awaited<ReturnType<typeof startReceiver>> | null = null;
  let healer: HealerProcess | null = null;
  let poller: NodeJS.Timeout | null = null;
  const abort = new AbortController();
  let stopping: Promise<number> | null = null;

  const stop = (why: string, code: number): Promise<number> => {
    stopping ??= (async () => {
      say(`${why}: stopping Healer, the simulators and the sink`);
      abort.abort();
      if (poller) clearInterval(poller);
      const force = setTimeout(() => {
        process.stderr.write('npm run demo: stopping took longer than 40 s; exiting\n');
        rmSync(dir, { recursive: true, force: true });
        process.exit(1);
      }, 40_000);
      let failed = false;
      const close = async (what: string, fn: (() => Promise<void>) | undefined) => {
        try {
          await fn?.();
        } catch (err) {
          failed = true;
          say(`could not stop ${what}: ${err instanceof Error ? err.message : String(err)}`);
        }
      };
      // Healer first, so it does not log the simulators going away
      await close('Healer', healer ? () => healer!.stop() : undefined);
      await close('the notification sink', sink?.close);
      await close('the simulators', world ? () => world!.close() : undefined);
      try {
        rmSync(dir, { recursive: true, force: true });
      } catch (err) {
        failed = true;
        say(`could not remove ${dir}: ${err instanceof Error ? err.message : String(err)}`);
      }
      clearTimeout(force);
      if (!failed) say(`stopped; removed ${dir}`);
      return failed ? 1 : code;
    })();
    return stopping;
  };
  const signalled = new Promise<number>((resolve) => {
    for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const)
      // npm forwards the terminal's SIGINT too: a second one while stopping changes nothing
      process.on(sig, () => void stop(sig, 0).then(resolve));
    // the process that started the demo went away (a closed terminal without SIGHUP)
    const parent = process.ppid;
    setInterval(() => {
      if (process.ppid !== parent) void stop('parent gone', 0).then(resolve);
    }, 1000).unref();
  });

  try {
    say(`healer demo: data in ${dir} (removed on exit)`);
    world = await startSimWorld({ kubeconfigPath: join(dir, 'kubeconfig'), controlPort: false });
    // The Plays' repositories exist on GitHub before a Play starts (as they do on github.com).
    for (const s of scenarios) {
      const [owner, name] = s.session.repository.split('/');
      const gh = world.github.world;
      if (!gh.findRepo(owner, name)) gh.createRepo(gh.user(owner, 'Organization'), name);
    }
    sink = await startReceiver((n) => {
      const body = sink?.calls[n - 1]?.body as
        { event?: string; incident?: { title?: string; severity?: string } } | undefined;
      say(
        `  notification: ${body?.event ?? '?'} ${body?.incident?.severity ?? ''} ${body?.incident?.title ?? ''}`,
      );
      return { status: 204 };
    });
    const healerPort = await freePort(port, values.port !== undefined);
    const dashboard = `http://127.0.0.1:${healerPort}/`;
    // Scenarios are played back-dated (their last step lands at "now") against a Healer on real
    // time: between a CodeRun's creation and its first status write, Healer sees a CodeRun created
    // as long ago as the scenario is long, without a phase. A9's threshold is kept above the
    // longest scenario so that moment is not a stuck CodeRun (the e2e tests pin Healer's clock
    // to the world's instead).
    const longestMinutes = Math.max(
      ...scenarios.map((s) => Math.max(...s.steps.map((step) => step.at)) / 60_000),
    );
    const alerts = Object.assign(
      { stuckCodeRunMinutes: Math.max(10, Math.ceil(longestMinutes) + 5) },
      ...scenarios.map((s) => s.expect.config ?? {}),
    ) as object;
    writeFileSync(
      join(dir, 'heal-config.json'),
      JSON.stringify({ alerts, issues: { dashboardUrl: dashboard } }, null, 2),
    );
    healer = await startHealerProcess({
      root: ROOT,
      cwd: dir,
      port: healerPort,
      logFile: join(dir, 'healer.log'),
      onError: (msg) => say(`  healer error: ${msg}`),
      env: {
        HEALER_STORE: `sqlite:${join(dir, 'healer.db')}`,
        HEALER_CONFIG: join(dir, 'heal-config.json'),
        HEALER_PROMPTS_DIR: join(ROOT, 'prompts'),
        KUBECONFIG: world.kubeconfigPath,
        LOKI_URL: world.urls.loki,
        GITHUB_API_URL: world.urls.github,
        GITHUB_TOKEN: 'login:healer-demo[bot]',
        HEALER_WEBHOOK_URL: sink.url,
        // shorter timers than production so a newcomer sees results in seconds
        HEALER_GITHUB_POLL_SECONDS: '5',
        HEALER_LOKI_POLL_SECONDS: '2',
        HEALER_RULE_TICK_SECONDS: '5',
        HEALER_SHUTDOWN_DRAIN_SECONDS: '2',
        LOG_LEVEL: 'info',
      },
    });
    const h = healer;
    void h.exited.then((code) => {
      if (stopping) return;
      say(`Healer exited unexpectedly (${String(code)}); its last lines:\n${h.tail().join('\n')}`);
      void stop('Healer exited', 1).then((c) => process.exit(c));
    });
    say(`Dashboard: ${dashboard}`);
    say(`API: ${h.url}/api/v1/incidents · OpenAPI: ${h.url}/docs · Healer pid ${h.pid}`);
    say(
      `Simulated GitHub: ${world.urls.github} (issues: ${world.urls.github}/repos/${scenarios[0].session.repository}/issues)`,
    );
    say(`Simulated Kubernetes: ${world.urls.kube} (KUBECONFIG=${world.kubeconfigPath})`);
    say(`Simulated Loki: ${world.urls.loki}`);
    say(`Notifications: ${sink.url} (each one printed below)`);
    say('Ctrl-C stops everything.');

    const progress = new IncidentProgress(h.url, world.urls.github, say);
    let polling = false;
    poller = setInterval(() => {
      if (polling) return;
      polling = true;
      void progress.poll().finally(() => (polling = false));
    }, 1000);

    const w = world;
    const play = (async () => {
      for (let round = 1; rounds === 0 || round <= rounds; round++) {
        for (const [n, base] of scenarios.entries()) {
          const s = forRound(base, round);
          say(
            `play ${round}.${n + 1} ${s.name}: ${ROTATION[n].what} — ${expectation(s)} (play ${s.session.play_id})`,
          );
          await startHealerSession(h.url, s.session, abort.signal);
          const r = await playScenario(w, s, { signal: abort.signal });
          say(
            `  played ${s.name}: ${r.counts.kubeWrites} cluster writes, ${r.counts.logLines} log lines, ${r.counts.comments + r.counts.reviews + r.counts.commits + r.counts.checks} GitHub events`,
          );
          await sleep(pauseMs, undefined, { signal: abort.signal });
        }
        if (rounds !== 0 && round >= rounds) break;
        say(
          `round ${round} played; the next round starts in ${roundPauseMs / 1000} s with new Plays`,
        );
        await sleep(roundPauseMs, undefined, { signal: abort.signal });
      }
      say('every round played; Healer keeps running until Ctrl-C');
    })().catch((err: unknown) => {
      if (abort.signal.aborted) return;
      say(`playing failed: ${err instanceof Error ? err.message : String(err)}`);
    });
    void play;
  } catch (err) {
    process.stderr.write(`npm run demo: ${err instanceof Error ? err.message : String(err)}\n`);
    return stop('start-up failed', 1);
  }
  return signalled;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`npm run demo: ${err instanceof Error ? err.stack : String(err)}\n`);
    process.exit(1);
  },
);
