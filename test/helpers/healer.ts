import { mkdtempSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { loadConfig } from '../../src/config/index.js';
import { ManualClock, type Clock } from '../../src/domain/clock.js';
import { openMemoryStore } from '../../src/store/memory/index.js';
import type { Store } from '../../src/domain/stores.js';
import { createHealer, type HealerDeps } from '../../src/pipeline.js';
import type { KubeAccess } from '../../src/sources/kube/kubeconfig.js';

export const PROMPTS_DIR = fileURLToPath(new URL('../../prompts', import.meta.url));

export const silentLogger = () => pino({ level: 'silent' });

export const tmpDir = (prefix = 'healer-test-') => mkdtempSync(join(tmpdir(), prefix));

/** A Healer wired like production, with an in-memory store, no cluster and a manual clock. */
export async function testHealer(
  opts: {
    store?: Store;
    clock?: Clock;
    env?: Record<string, string>;
    /** heal-config.json contents */
    heal?: Record<string, unknown>;
    kube?: KubeAccess;
    reflector?: HealerDeps['reflector'];
    dispatcher?: HealerDeps['dispatcher'];
    decisions?: HealerDeps['decisions'];
    github?: HealerDeps['github'];
    loki?: HealerDeps['loki'];
    /** Healer's own logger (default: silent). */
    logger?: HealerDeps['logger'];
    /** Leader election (default: this process leads alone). */
    leadership?: HealerDeps['leadership'];
    sessionSyncMs?: number;
  } = {},
) {
  const cwd = tmpDir();
  if (opts.heal) writeFileSync(join(cwd, 'heal-config.json'), JSON.stringify(opts.heal));
  const config = loadConfig({
    env: { HEALER_STORE: 'memory', HEALER_PROMPTS_DIR: PROMPTS_DIR, ...opts.env },
    cwd,
  });
  const store = opts.store ?? openMemoryStore();
  const clock = opts.clock ?? new ManualClock('2026-11-21T10:00:00Z');
  const healer = await createHealer({
    config,
    logger: opts.logger ?? silentLogger(),
    store,
    clock,
    kube: opts.kube ?? { kc: null, reason: 'no cluster in tests' },
    ...(opts.reflector ? { reflector: opts.reflector } : {}),
    ...(opts.dispatcher ? { dispatcher: opts.dispatcher } : {}),
    ...(opts.decisions ? { decisions: opts.decisions } : {}),
    ...(opts.github !== undefined ? { github: opts.github } : {}),
    ...(opts.loki ? { loki: opts.loki } : {}),
    ...(opts.leadership ? { leadership: opts.leadership } : {}),
    ...(opts.sessionSyncMs ? { sessionSyncMs: opts.sessionSyncMs } : {}),
  });
  return { healer, app: healer.app, store, clock, config };
}

/** The MCP server's exact start payload (api.md). */
export const MCP_FIXTURE = {
  play_id: 'play-mcp-format-test',
  repository: '5dlabs/cto-parallel-test',
  service: 'test-service',
  namespace: 'cto',
  cto_config: {
    agents: {
      rex: {
        githubApp: '5DLabs-Rex',
        cli: 'claude',
        model: 'claude-sonnet-4-5-20250514',
        tools: { remote: ['context7_resolve_library_id', 'firecrawl_scrape'], localServers: {} },
      },
      bolt: {
        githubApp: '5DLabs-Bolt',
        cli: 'claude',
        model: 'claude-sonnet-4-5-20250514',
        tools: {
          remote: ['kubernetes_listResources', 'argocd_list_applications'],
          localServers: { filesystem: { enabled: true, tools: ['read_file', 'write_file'] } },
        },
      },
    },
  },
  tasks: [{ id: '1', title: 'Task 1', dependencies: [] }],
};
