import { z } from 'zod';

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no', ''])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const seconds = (def: number) => z.coerce.number().positive().max(86_400).default(def);

const optionalUrl = z.url().optional();

const storeSpec = z
  .string()
  .regex(
    /^(sqlite:.+|memory|postgres(ql)?:\/\/.+)$/,
    'must be sqlite:<path>, postgres://… (or postgresql://…) or memory',
  )
  .default('sqlite:./data/healer.db');

/** Every environment variable Healer reads (operations.md §1). */
export const envSchema = z
  .object({
    HEALER_HOST: z.string().min(1).default('0.0.0.0'),
    HEALER_PORT: z.coerce.number().int().min(0).max(65_535).default(8083),
    HEALER_NAMESPACES: z
      .string()
      .default('cto')
      .transform((v) =>
        v
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean),
      )
      .pipe(
        z
          .array(z.string().regex(/^(\*|[a-z0-9]([-a-z0-9]*[a-z0-9])?)$/, 'not a namespace name'))
          .min(1, 'at least one namespace or *'),
      ),
    HEALER_STORE: storeSpec,
    /** How many replicas the deployment runs (the chart sets it); more than one needs PostgreSQL and a cluster. */
    HEALER_REPLICAS: z.coerce.number().int().min(1).max(100).default(1),
    /**
     * The coordination.k8s.io/v1 Lease the replicas elect their leader on. Unset: `healer-leader`
     * when the store is PostgreSQL and a cluster is found; set with no cluster, Healer refuses to start.
     */
    HEALER_LEADER_LEASE: z
      .string()
      .regex(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/, 'not a Lease name')
      .max(253)
      .optional(),
    /** Namespace of that Lease (the chart: the release namespace). Default: the pod's, else the first watched one. */
    HEALER_LEADER_NAMESPACE: z
      .string()
      .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, 'not a namespace name')
      .optional(),
    /** This replica's identity in the Lease (downward API); else HOSTNAME, else host name and pid. */
    POD_NAME: z.string().optional(),
    HOSTNAME: z.string().optional(),
    KUBECONFIG: z.string().optional(),
    /** Set by Kubernetes inside a pod; with the service account files it means in-cluster credentials. */
    KUBERNETES_SERVICE_HOST: z.string().optional(),
    KUBERNETES_SERVICE_PORT: z.string().optional(),
    HOME: z.string().optional(),
    LOKI_URL: optionalUrl,
    GITHUB_TOKEN: z.string().min(1).optional(),
    GITHUB_APP_ID: z.string().regex(/^\d+$/, 'must be a number').optional(),
    GITHUB_APP_PRIVATE_KEY: z.string().min(1).optional(),
    GITHUB_APP_INSTALLATION_ID: z.string().regex(/^\d+$/, 'must be a number').optional(),
    GITHUB_API_URL: z.url().default('https://api.github.com'),
    HEALER_GITHUB_POLL_SECONDS: seconds(30),
    HEALER_LOKI_POLL_SECONDS: seconds(5),
    /** Trailing window each Loki tick re-reads, so late lines are read (once). */
    HEALER_LOKI_REREAD_SECONDS: seconds(300),
    HEALER_RULE_TICK_SECONDS: seconds(15),
    /** Resource pressure (metrics.k8s.io usage, node conditions under agent pods); off with `false`. */
    HEALER_RESOURCE_CHECKS: bool.default(true),
    HEALER_RESOURCE_POLL_SECONDS: seconds(30),
    /** Platform health (Argo CD Applications, Certificates, image pulls, PVC usage); off with `false`. */
    HEALER_PLATFORM_CHECKS: bool.default(true),
    HEALER_PLATFORM_POLL_SECONDS: seconds(60),
    /** Whole request (headers and body) must arrive within this; else 408 and the socket closes. */
    HEALER_REQUEST_TIMEOUT_SECONDS: seconds(30),
    /** The request line and headers must arrive within this. */
    HEALER_HEADERS_TIMEOUT_SECONDS: seconds(10),
    /** An idle keep-alive connection is closed after this (above common load-balancer idles of 60 s). */
    HEALER_KEEPALIVE_TIMEOUT_SECONDS: seconds(65),
    /** A socket with no traffic at all (e.g. a stalled body) is closed after this. */
    HEALER_IDLE_TIMEOUT_SECONDS: seconds(60),
    /** SIGTERM: requests in flight get this long to finish, then their connections are closed. */
    HEALER_SHUTDOWN_DRAIN_SECONDS: seconds(10),
    DISCORD_WEBHOOK_URL: optionalUrl,
    HEALER_WEBHOOK_URL: optionalUrl,
    SLACK_WEBHOOK_URL: optionalUrl,
    PAGERDUTY_ROUTING_KEY: z.string().min(1).optional(),
    PAGERDUTY_EVENTS_URL: optionalUrl,
    /** OpenMemory's REST API: remediation prompts recall past fixes; resolved incidents are stored. */
    OPENMEMORY_URL: optionalUrl,
    OPENMEMORY_API_KEY: z.string().min(1).optional(),
    HEALER_CONFIG: z.string().min(1).optional(),
    /** The platform's cto-config.json: `defaults.remediation.maxIterations` and `syncTimeoutSecs`. */
    CTO_CONFIG_PATH: z.string().min(1).optional(),
    /** Grafana's base URL: the dashboard's incident page links to the logs in Grafana Explore. */
    HEALER_GRAFANA_URL: optionalUrl,
    /** The uid of the Loki data source in that Grafana. */
    HEALER_GRAFANA_LOKI_UID: z
      .string()
      .regex(/^[A-Za-z0-9._-]{1,64}$/, 'must be a Grafana data source uid')
      .default('loki'),
    /** Owner given to a bare repository name in a start request (`cto` → `5dlabs/cto`). */
    HEALER_DEFAULT_REPO_OWNER: z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9-]*$/, 'must be a GitHub owner name')
      .default('5dlabs'),
    HEALER_PROMPTS_DIR: z.string().min(1).default('./prompts'),
    HEALER_API_TOKEN: z.string().min(8, 'must be at least 8 characters').optional(),
    HEALER_API_TOKEN_READS: bool.default(false),
    HEALER_SESSION_TTL_HOURS: z.coerce.number().positive().default(48),
    HEALER_SESSION_RETENTION_DAYS: z.coerce.number().positive().default(7),
    LOG_LEVEL: z
      .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
      .default('info'),
  })
  .superRefine((env, ctx) => {
    if (env.HEALER_REPLICAS > 1 && !/^postgres(ql)?:\/\//.test(env.HEALER_STORE))
      ctx.addIssue({
        code: 'custom',
        path: ['HEALER_REPLICAS'],
        message: `${env.HEALER_REPLICAS} replicas need the PostgreSQL store (HEALER_STORE=postgres://…); ${env.HEALER_STORE.split(':')[0]} is one process's store`,
      });
    if (env.HEALER_HEADERS_TIMEOUT_SECONDS > env.HEALER_REQUEST_TIMEOUT_SECONDS)
      ctx.addIssue({
        code: 'custom',
        path: ['HEALER_HEADERS_TIMEOUT_SECONDS'],
        message: 'must not be longer than HEALER_REQUEST_TIMEOUT_SECONDS',
      });
    const app = [env.GITHUB_APP_ID, env.GITHUB_APP_PRIVATE_KEY, env.GITHUB_APP_INSTALLATION_ID];
    const set = app.filter((v) => v !== undefined).length;
    if (set > 0 && set < 3) {
      ctx.addIssue({
        code: 'custom',
        path: ['GITHUB_APP_ID'],
        message:
          'GitHub App auth needs GITHUB_APP_ID, GITHUB_APP_PRIVATE_KEY and GITHUB_APP_INSTALLATION_ID together',
      });
    }
  });

export type Env = z.infer<typeof envSchema>;
export const ENV_KEYS = Object.keys(envSchema.shape) as (keyof Env)[];
