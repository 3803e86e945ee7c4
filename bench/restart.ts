// Restart with 10,000 stored sessions: time from opening the store to `/ready` answering 200
// (store part; no cluster), against the time to open an empty store in the same run.
// Run: npx tsx bench/restart.ts [--sessions 10000]
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import pino from 'pino';
import { loadConfig } from '../src/config/index.js';
import { openSqliteStore } from '../src/store/sqlite/index.js';
import { createHealer } from '../src/pipeline.js';
import { createSession } from '../src/sessions/model.js';
import { DEFAULT_AGENT_STAGES } from '../src/domain/stages.js';

const { values } = parseArgs({ options: { sessions: { type: 'string', default: '10000' } } });
const N = Number(values.sessions);

async function readyAfterStart(path: string): Promise<number> {
  const t0 = performance.now();
  const config = loadConfig({ env: { HEALER_STORE: `sqlite:${path}`, HEALER_PROMPTS_DIR: resolve('prompts') }, cwd: tmpdir() });
  const store = openSqliteStore(path);
  const healer = await createHealer({ config, logger: pino({ level: 'silent' }), store, kube: { kc: null, reason: 'bench' }, github: null });
  await healer.load();
  const res = await healer.app.inject({ method: 'GET', url: '/ready' });
  const ms = performance.now() - t0;
  if (res.statusCode !== 200) throw new Error(`/ready answered ${res.statusCode}`);
  await healer.stop();
  return ms;
}

const dir = mkdtempSync(join(tmpdir(), 'healer-restart-'));
const full = join(dir, 'full.db');
const seed = openSqliteStore(full);
const agents = Object.fromEntries(['rex', 'cleo', 'tess'].map((a) => [a, { githubApp: `5DLabs-${a}`, cli: 'claude', model: 'm', tools: { remote: ['a', 'b', 'c'], localServers: {} } }]));
await Promise.all(
  Array.from({ length: N }, (_, i) =>
    seed.startSession(createSession({ play_id: `play-${i}`, repository: '5dlabs/cto', service: null, namespace: 'cto', cto_config: { agents }, tasks: [{ id: String(i), title: `task ${i}`, agent_hint: null, dependencies: [], priority: 0 }] }, new Date(), DEFAULT_AGENT_STAGES)),
  ),
);
await seed.close();
const empty = await readyAfterStart(join(dir, 'empty.db'));
const withSessions = await readyAfterStart(full);
const heapBefore = process.memoryUsage().heapUsed;
const store = openSqliteStore(full);
const active = await store.activeSessions();
const perSession = (process.memoryUsage().heapUsed - heapBefore) / active.length;
console.log(JSON.stringify({ sessions: N, ready_ms_empty: Math.round(empty), ready_ms_with_sessions: Math.round(withSessions), heap_bytes_per_active_session: Math.round(perSession) }));
await store.close();
