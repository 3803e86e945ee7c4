// Writes openapi/healer.json from the route schemas (`npm run openapi`); `--check` fails when stale.
import { readFileSync, writeFileSync } from 'node:fs';
import { renderOpenApi } from './openapi-doc.js';

const target = new URL('../openapi/healer.json', import.meta.url);
const fresh = await renderOpenApi();
if (process.argv.includes('--check')) {
  let current = '';
  try {
    current = readFileSync(target, 'utf8');
  } catch {
    // missing counts as stale
  }
  if (current !== fresh) {
    console.error('openapi/healer.json is stale: run `npm run openapi` and commit it');
    process.exit(1);
  }
  console.log('openapi/healer.json is up to date');
} else {
  writeFileSync(target, fresh);
  console.log('wrote openapi/healer.json');
}
