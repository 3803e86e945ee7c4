// The platform's `cto-config.json` as the play commands read it: `defaults.play` (repository,
// service, docs repository and directory, the stage agents), `defaults.remediation` (maxIterations,
// syncTimeoutSecs) and `agents` (each agent's GitHub App, CLI, model and tools).
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { CliError } from './io.js';
import { EXIT } from './output.js';

const agentSchema = z
  .object({
    githubApp: z.string().nullish(),
    cli: z.string().nullish(),
    model: z.string().nullish(),
    tools: z
      .object({
        remote: z.array(z.string()).default([]),
        localServers: z
          .record(
            z.string(),
            z
              .object({ enabled: z.boolean().nullish(), tools: z.array(z.string()).default([]) })
              .loose(),
          )
          .default({}),
      })
      .loose()
      .optional(),
  })
  .loose();

const schema = z
  .object({
    defaults: z
      .object({
        play: z
          .object({
            repository: z.string().optional(),
            service: z.string().optional(),
            docsRepository: z.string().optional(),
            docsProjectDirectory: z.string().optional(),
            workingDirectory: z.string().optional(),
            healerEndpoint: z.string().optional(),
            implementationAgent: z.string().optional(),
            qualityAgent: z.string().optional(),
            securityAgent: z.string().optional(),
            testingAgent: z.string().optional(),
          })
          .loose()
          .default({}),
        remediation: z
          .object({
            maxIterations: z.number().int().min(1).max(20).default(3),
            syncTimeoutSecs: z.number().int().min(1).default(300),
          })
          .loose()
          .default({ maxIterations: 3, syncTimeoutSecs: 300 }),
      })
      .loose()
      .default({ play: {}, remediation: { maxIterations: 3, syncTimeoutSecs: 300 } }),
    agents: z.record(z.string(), agentSchema).default({}),
  })
  .loose();

export type CtoConfig = z.infer<typeof schema>;
export type CtoAgent = z.infer<typeof agentSchema>;

/** The Play's stages and the agent the platform uses for each unless configured otherwise. */
export const PLAY_STAGES = [
  { stage: 'implementation', agent: 'rex' },
  { stage: 'quality', agent: 'cleo' },
  { stage: 'security', agent: 'cipher' },
  { stage: 'testing', agent: 'tess' },
] as const;

/** Reads and checks a cto-config.json; a missing or invalid file is a usage error (exit 2). */
export function readCtoConfig(file: string | undefined): CtoConfig {
  if (file === undefined) return schema.parse({});
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new CliError(`cannot read ${file}: ${(err as Error).message}`, EXIT.usage);
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const [first] = parsed.error.issues;
    throw new CliError(
      `${file}: ${first.path.join('.') || '(top)'}: ${first.message}${parsed.error.issues.length > 1 ? ` (and ${parsed.error.issues.length - 1} more)` : ''}`,
      EXIT.usage,
    );
  }
  return parsed.data;
}

/** The short name of the agent behind a GitHub App (`5DLabs-Rex` → `rex`) in this config. */
function agentByApp(config: CtoConfig, app: string): string {
  const hit = Object.entries(config.agents).find(
    ([, a]) => a.githubApp?.toLowerCase() === app.toLowerCase(),
  );
  return hit ? hit[0] : app.toLowerCase().replace(/^5dlabs-/, '');
}

export interface StageAgent {
  stage: string;
  agent: string;
  githubApp: string;
  cli: string | null;
  model: string | null;
}

/** Each stage's agent with its App, CLI and model (`defaults.play.<stage>Agent`, else the roster). */
export function stageAgents(config: CtoConfig): StageAgent[] {
  const play = config.defaults.play as Record<string, unknown>;
  return PLAY_STAGES.map(({ stage, agent }) => {
    const configured = play[`${stage}Agent`];
    const name = typeof configured === 'string' ? agentByApp(config, configured) : agent;
    const a = config.agents[name];
    const app = a?.githubApp ?? `5DLabs-${name[0].toUpperCase()}${name.slice(1)}`;
    return { stage, agent: name, githubApp: app, cli: a?.cli ?? null, model: a?.model ?? null };
  });
}
