// `npm run sim`: the simulated world on loopback, and the Play simulator.
//
//   npm run sim                                   start Kubernetes, Loki and GitHub simulators,
//                                                 print one JSON line, run until SIGTERM/SIGINT
//   npm run sim -- --scenario F [--scenario G]    play scenarios: against running simulators
//                  [--speed N]                    (--kube/--loki/--github URLs, or the
//                  [--kube U --loki U --github U] SIM_*_PORT of a running `npm run sim`), else
//                  [--control U]                  against a world started here (which then keeps
//                                                 running until SIGTERM)
//
// Env: SIM_KUBE_PORT, SIM_LOKI_PORT, SIM_GITHUB_PORT, SIM_CONTROL_PORT (0 = random, the
// default), SIM_KUBECONFIG (default .sim/kubeconfig). See test/sim/README.md.
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import {
  httpControl,
  loadScenario,
  playScenario,
  probeControl,
  startHealerSession,
} from './play/index.js';
import type { PlayTarget, Scenario } from './play/index.js';
import { startSimWorld } from './world.js';
import type { SimWorld } from './world.js';

const USAGE = `usage: npm run sim [-- --scenario FILE ...] [--speed N] [--kube URL --loki URL --github URL] [--control URL] [--healer URL]`;

function port(name: string): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return 0;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0 || n > 65535)
    throw new Error(`${name} must be a port number, got "${raw}"`);
  return n;
}

async function answers(url: string, path: string): Promise<boolean> {
  try {
    const res = await fetch(url + path, {
      headers: { 'user-agent': 'healer-sim-cli' },
      signal: AbortSignal.timeout(1000),
    });
    await res.arrayBuffer();
    return res.status < 500;
  } catch {
    return false;
  }
}

/** Running simulators to play against: the flags, else the ports in the environment. */
async function runningTarget(flags: {
  kube?: string;
  loki?: string;
  github?: string;
  control?: string;
}): Promise<PlayTarget | null> {
  const given = [flags.kube, flags.loki, flags.github].filter(Boolean).length;
  if (given > 0 && given < 3) throw new Error('give all of --kube, --loki and --github, or none');
  let urls: PlayTarget['urls'];
  if (given === 3) urls = { kube: flags.kube!, loki: flags.loki!, github: flags.github! };
  else {
    const ports = [port('SIM_KUBE_PORT'), port('SIM_LOKI_PORT'), port('SIM_GITHUB_PORT')];
    if (ports.some((p) => p === 0)) return null;
    const at = (p: number) => `http://127.0.0.1:${p}`;
    urls = { kube: at(ports[0]), loki: at(ports[1]), github: at(ports[2]) };
    const up = await Promise.all([
      answers(urls.kube, '/version'),
      answers(urls.loki, '/ready'),
      answers(urls.github, '/rate_limit'),
    ]);
    if (!up.every(Boolean)) return null;
  }
  const controlPort = port('SIM_CONTROL_PORT');
  const controlUrl = flags.control ?? (controlPort ? `http://127.0.0.1:${controlPort}` : undefined);
  const control = controlUrl && (await probeControl(controlUrl)) ? httpControl(controlUrl) : null;
  if (!control)
    console.error(
      `sim: no world control${controlUrl ? ` at ${controlUrl}` : ' (give --control, printed by npm run sim)'}: timestamps will be real time and pod logs go to Loki only`,
    );
  return { urls, control };
}

/** Tells a running Healer that the scenario's Play starts, as the MCP server would. */
async function startSession(healer: string, s: Scenario): Promise<void> {
  const { status, body } = await startHealerSession(healer, s.session);
  console.error(`sim: healer session ${s.session.play_id}: ${status} ${body}`);
}

async function playAll(
  target: PlayTarget,
  scenarios: Scenario[],
  speed: number | undefined,
  healer?: string,
) {
  for (const s of scenarios) {
    if (healer) await startSession(healer, s);
    const result = await playScenario(target, s, speed === undefined ? {} : { speed });
    console.log(JSON.stringify(result));
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      scenario: { type: 'string', multiple: true, short: 's' },
      speed: { type: 'string' },
      kube: { type: 'string' },
      loki: { type: 'string' },
      github: { type: 'string' },
      control: { type: 'string' },
      healer: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const speed = values.speed === undefined ? undefined : Number(values.speed);
  if (speed !== undefined && !(speed > 0))
    throw new Error(`--speed must be a positive number, got "${values.speed}"`);
  const scenarios = await Promise.all((values.scenario ?? []).map((f) => loadScenario(resolve(f))));

  const target = scenarios.length > 0 ? await runningTarget(values) : null;
  if (target) {
    await playAll(target, scenarios, speed, values.healer);
    return;
  }

  const world: SimWorld = await startSimWorld({
    kubePort: port('SIM_KUBE_PORT'),
    lokiPort: port('SIM_LOKI_PORT'),
    githubPort: port('SIM_GITHUB_PORT'),
    controlPort: port('SIM_CONTROL_PORT'),
    kubeconfigPath: process.env.SIM_KUBECONFIG || '.sim/kubeconfig',
  });
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.error(`sim: ${signal}, closing`);
    setTimeout(() => process.exit(0), 3000).unref();
    world.close().then(
      () => process.exit(0),
      (e: unknown) => {
        console.error(`sim: close failed: ${(e as Error).message}`);
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
  console.log(
    JSON.stringify({
      kube: world.urls.kube,
      loki: world.urls.loki,
      github: world.urls.github,
      kubeconfig: world.kubeconfigPath,
      control: world.urls.control,
    }),
  );
  if (scenarios.length > 0) {
    try {
      await playAll(world, scenarios, speed, values.healer);
    } catch (e) {
      if (stopping) return; // closed under the play by a signal: not a failure
      console.error(`sim: ${(e as Error).message}`);
      await world.close();
      process.exit(1);
    }
  }
}

main().catch((e: unknown) => {
  console.error(`sim: ${(e as Error).message}`);
  process.exit(1);
});
