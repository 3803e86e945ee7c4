import { existsSync, readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { z } from 'zod';
import { envSchema, ENV_KEYS, type Env } from './env.js';
import { healConfigSchema, type HealConfig } from '../domain/heal-config.js';

export type { Env } from './env.js';
export type { HealConfig } from '../domain/heal-config.js';
export { healConfigSchema } from '../domain/heal-config.js';

/** One configuration problem and where it came from (an env var or a file and the path inside it). */
export interface ConfigProblem {
  source: string;
  message: string;
}

export type StoreSpec =
  { kind: 'sqlite'; path: string } | { kind: 'memory' } | { kind: 'postgres'; url: string };

export interface Config {
  env: Env;
  heal: HealConfig;
  /** The heal-config file that was read, or null when defaults were used. */
  healConfigPath: string | null;
  store: StoreSpec;
  /** Watch every namespace (`HEALER_NAMESPACES=*`). */
  clusterWide: boolean;
  namespaces: string[];
  github: { enabled: boolean; auth: 'token' | 'app' | null };
  /** What was taken from the platform's cto-config.json (`CTO_CONFIG_PATH`), or null when unset. */
  ctoConfig: CtoRemediationDefaults | null;
}

/** `defaults.remediation` of the platform's cto-config.json, as Healer applies it. */
export interface CtoRemediationDefaults {
  path: string;
  /** → `remediation.maxIterations` unless heal-config.json sets it. */
  maxIterations: number | null;
  /** → `remediation.cooldownMinutes` (the wait for a fix to sync before the next attempt) unless heal-config.json sets it. */
  syncTimeoutSecs: number | null;
}

/** The part of cto-config.json Healer reads; everything else in the file is the platform's. */
const ctoConfigSchema = z.object({
  defaults: z
    .object({
      remediation: z
        .object({
          maxIterations: z.number().int().min(1).max(20).optional(),
          syncTimeoutSecs: z.number().int().min(1).optional(),
        })
        .optional(),
    })
    .optional(),
});

/** Reads `defaults.remediation` of cto-config.json; problems are named with the file and field. */
function readCtoConfig(path: string, problems: ConfigProblem[]): CtoRemediationDefaults | null {
  const source = `CTO_CONFIG_PATH ${path}`;
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    problems.push({
      source,
      message:
        err instanceof SyntaxError
          ? `not valid JSON: ${err.message}`
          : `cannot be read: ${errMsg(err)}`,
    });
    return null;
  }
  const r = ctoConfigSchema.safeParse(raw);
  if (!r.success) {
    problems.push(...issues(r.error, (p) => `${source}: ${p || '(root)'}`));
    return null;
  }
  const d = r.data.defaults?.remediation;
  return {
    path,
    maxIterations: d?.maxIterations ?? null,
    syncTimeoutSecs: d?.syncTimeoutSecs ?? null,
  };
}

/** heal-config.json's own `remediation` values win over cto-config.json's defaults. */
function applyCtoDefaults(
  heal: HealConfig,
  healInput: unknown,
  cto: CtoRemediationDefaults,
): HealConfig {
  const own =
    typeof healInput === 'object' && healInput !== null
      ? ((healInput as { remediation?: Record<string, unknown> }).remediation ?? {})
      : {};
  return {
    ...heal,
    remediation: {
      ...heal.remediation,
      ...(cto.maxIterations !== null && own.maxIterations === undefined
        ? { maxIterations: cto.maxIterations }
        : {}),
      ...(cto.syncTimeoutSecs !== null && own.cooldownMinutes === undefined
        ? { cooldownMinutes: cto.syncTimeoutSecs / 60 }
        : {}),
    },
  };
}

export class ConfigError extends Error {
  readonly problems: ConfigProblem[];
  constructor(problems: ConfigProblem[]) {
    const only = problems.length === 1 ? problems[0] : undefined;
    super(
      only
        ? `invalid configuration: ${only.source}: ${only.message}`
        : `invalid configuration (${problems.length} problems):\n` +
            problems.map((p) => `  - ${p.source}: ${p.message}`).join('\n'),
    );
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

export interface LoadOptions {
  /** The environment; the service passes `process.env`, tests pass their own. */
  env?: Record<string, string | undefined>;
  /** Overrides HEALER_CONFIG (the CLI's `--config`). */
  configPath?: string;
  cwd?: string;
}

const formatPath = (path: readonly PropertyKey[]): string =>
  path.map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i ? '.' : ''}${String(p)}`)).join('');

function issues(error: z.ZodError, sourceOf: (path: string) => string): ConfigProblem[] {
  return error.issues.map((i) => ({ source: sourceOf(formatPath(i.path)), message: i.message }));
}

/** The original Healer's environment names, read when the current name is unset. */
export const ENV_ALIASES: Readonly<Record<string, string>> = {
  HEALER_PROMPTS_DIR: 'HEALER_TEMPLATES_DIR',
  HEALER_CONFIG: 'HEALER_CONFIG_PATH',
};

function aliasOf(env: Record<string, string | undefined>, key: string): string | undefined {
  const alias = ENV_ALIASES[key];
  return alias ? env[alias] : undefined;
}

/** Reads env and `heal-config.json`, validates both, and lists every problem at once. */
export function loadConfig(opts: LoadOptions = {}): Config {
  // The one place that reads process.env (style.md: nothing else does).
  const rawEnv = opts.env ?? process.env;
  const cwd = opts.cwd ?? process.cwd();
  const problems: ConfigProblem[] = [];

  const envInput: Record<string, string> = {};
  for (const key of ENV_KEYS) {
    const v = rawEnv[key] ?? aliasOf(rawEnv, key);
    if (v !== undefined && v !== '') envInput[key] = v;
  }
  const envResult = envSchema.safeParse(envInput);
  if (!envResult.success) problems.push(...issues(envResult.error, (p) => p || 'environment'));

  const explicit = opts.configPath ?? rawEnv.HEALER_CONFIG ?? rawEnv.HEALER_CONFIG_PATH;
  const candidate = resolve(cwd, explicit ?? 'heal-config.json');
  let healInput: unknown = {};
  let healConfigPath: string | null = null;
  if (explicit !== undefined || existsSync(candidate)) {
    healConfigPath = candidate;
    try {
      healInput = JSON.parse(readFileSync(candidate, 'utf8'));
    } catch (err) {
      const reason =
        err instanceof SyntaxError
          ? `not valid JSON: ${err.message}`
          : `cannot be read: ${errMsg(err)}`;
      problems.push({ source: candidate, message: reason });
      healInput = undefined;
    }
  }
  let heal: HealConfig | undefined;
  if (healInput !== undefined) {
    const healResult = healConfigSchema.safeParse(healInput);
    if (healResult.success) heal = healResult.data;
    else
      problems.push(
        ...issues(healResult.error, (p) => `${healConfigPath ?? 'heal-config'}: ${p || '(root)'}`),
      );
  }

  const promptsProblem = checkPromptsDir(rawEnv.HEALER_PROMPTS_DIR, cwd);
  if (promptsProblem) problems.push(promptsProblem);

  const ctoPath = rawEnv.CTO_CONFIG_PATH;
  const ctoConfig = ctoPath ? readCtoConfig(resolve(cwd, ctoPath), problems) : null;

  if (problems.length > 0 || !envResult.success || !heal) throw new ConfigError(problems);
  const env = envResult.data;
  return {
    env,
    heal: ctoConfig ? applyCtoDefaults(heal, healInput, ctoConfig) : heal,
    ctoConfig,
    healConfigPath,
    store: parseStore(env.HEALER_STORE),
    clusterWide: env.HEALER_NAMESPACES.includes('*'),
    namespaces: env.HEALER_NAMESPACES.filter((n) => n !== '*'),
    github: {
      enabled: Boolean(env.GITHUB_TOKEN ?? env.GITHUB_APP_ID),
      auth: env.GITHUB_TOKEN ? 'token' : env.GITHUB_APP_ID ? 'app' : null,
    },
  };
}

/** An explicitly set HEALER_PROMPTS_DIR must be a folder (one clear line instead of every template failing). */
function checkPromptsDir(dir: string | undefined, cwd: string): ConfigProblem | null {
  if (dir === undefined || dir === '') return null;
  const path = resolve(cwd, dir);
  let why: string | null = null;
  try {
    if (!statSync(path).isDirectory()) why = 'is not a directory';
  } catch (err) {
    why = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'does not exist' : errMsg(err);
  }
  return why ? { source: 'HEALER_PROMPTS_DIR', message: `${path} ${why}` } : null;
}

/** HEALER_STORE for logs and `check-config`: a PostgreSQL URL without its password. */
export function describeStore(spec: StoreSpec): string {
  if (spec.kind === 'memory') return 'memory';
  if (spec.kind === 'sqlite') return `sqlite:${spec.path}`;
  return spec.url.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@');
}

function parseStore(spec: string): StoreSpec {
  if (spec === 'memory') return { kind: 'memory' };
  if (/^postgres(ql)?:\/\//.test(spec)) return { kind: 'postgres', url: spec };
  return { kind: 'sqlite', path: spec.slice('sqlite:'.length) };
}

const errMsg = (err: unknown): string => (err instanceof Error ? err.message : String(err));
