import pino from 'pino';
import { loadConfig } from '../src/config/index.js';
import { openMemoryStore } from '../src/store/memory/index.js';
import { createHealer } from '../src/pipeline.js';

/** The OpenAPI document as the app generates it from its route schemas, pretty-printed. */
export async function renderOpenApi(): Promise<string> {
  const config = loadConfig({ env: { HEALER_STORE: 'memory' }, cwd: '/nonexistent-healer-dir' });
  const healer = await createHealer({
    config,
    logger: pino({ level: 'silent' }),
    store: openMemoryStore(),
    kube: { kc: null, reason: 'generating the OpenAPI document' },
  });
  await healer.app.ready();
  const doc = healer.app.swagger();
  await healer.app.close();
  return `${JSON.stringify(doc, null, 2)}\n`;
}
