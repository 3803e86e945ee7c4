// The public shape of the simulator: options, the direct API, fault switches and counters.
import type { FailRequestsOptions } from './faults.js';
import type { RequestRecord } from './http.js';
import type { DeleteOptions } from './operations.js';
import type { KubeObject, Status, StoredObject } from './types.js';

export interface KubeSimOptions {
  port?: number;
  host?: string;
  /** Serve no argoproj.io group: its paths answer 404 and discovery does not list it. */
  withoutArgo?: boolean;
  /** API groups this cluster does not serve (e.g. `metrics.k8s.io` without metrics-server). */
  withoutGroups?: readonly string[];
  /** Bearer token of the kubeconfig user (default `sim-token`); a different token answers 401. */
  token?: string;
  /** Answer 401 to requests without a token too (default false: anonymous requests are allowed). */
  requireAuth?: boolean;
  /** Namespaces to create besides default, kube-system, kube-public, kube-node-lease and cto. */
  namespaces?: string[];
  /** Period of BOOKMARK events on watches that allow them (default 60 000 ms, like the real cache). */
  bookmarkIntervalMs?: number;
  /** How many changes the watch history keeps before old resourceVersions expire (default 10 000). */
  historyLimit?: number;
  /** Clock for creationTimestamp, deletionTimestamp, log sinceSeconds and Table ages. */
  now?: () => Date;
}

export interface KubeSimFaults {
  /** End open watch streams: cleanly by default (clients re-watch), or reset the sockets (abrupt). */
  cutWatches(opts?: { abrupt?: boolean; resource?: string }): number;
  /**
   * Keep open watches open but silent from now on (no events, no bookmarks): a half-dead
   * connection that only a client-side inactivity timeout detects. Returns how many.
   */
  stallWatches(opts?: { resource?: string }): number;
  /** End open `follow=true` log streams. */
  cutLogStreams(opts?: { abrupt?: boolean }): number;
  /** Drop the watch history: every resourceVersion handed out so far answers 410 Expired. */
  compact(): void;
  failRequests(opts: FailRequestsOptions): void;
  /** Delay every response by ms (0 to stop). */
  delay(ms: number): void;
  /**
   * Stop listening at once (resetting every open connection) and listen again on the same port
   * after forMs. The promise resolves when the server is listening again.
   */
  refuseConnections(forMs: number): Promise<void>;
  /** Remove failRequests rules and the delay. */
  clear(): void;
}

export interface KubeSimStats {
  readonly requests: number;
  readonly watchesOpen: number;
  readonly watchesStarted: number;
  readonly logStreamsOpen: number;
  readonly injectedFailures: number;
  readonly resourceVersion: number;
  /** The last 2000 requests, oldest first. */
  readonly log: readonly RequestRecord[];
  /** How many recorded requests match `METHOD url`. */
  count(match: RegExp): number;
}

export type ObjRef = [
  apiVersion: string,
  kindOrPlural: string,
  namespace: string | undefined,
  name: string,
];

export interface KubeSim {
  url: string;
  kubeconfigYaml(): string;
  writeKubeconfig(path: string): Promise<void>;
  /** Create like POST (status dropped where the real server drops it) unless keepStatus seeds it. */
  create(obj: KubeObject, opts?: { keepStatus?: boolean }): StoredObject;
  get(...ref: ObjRef): StoredObject | undefined;
  list(
    apiVersion: string,
    kindOrPlural: string,
    namespace?: string,
    opts?: { labelSelector?: string; fieldSelector?: string },
  ): StoredObject[];
  /** PUT semantics: a set metadata.resourceVersion must match (409 otherwise). */
  update(obj: KubeObject): StoredObject;
  /** PUT on the status subresource. */
  updateStatus(obj: KubeObject): StoredObject;
  /** Merge patch (RFC 7386) on the object; status is ignored where it has a subresource. */
  patchMerge(...args: [...ObjRef, patch: unknown]): StoredObject;
  /** Merge patch on the status subresource, e.g. patchStatus('v1','Pod','cto','p',{ status: { phase: 'Running' } }). */
  patchStatus(...args: [...ObjRef, patch: unknown]): StoredObject;
  /** JSON patch (RFC 6902). */
  patchJson(...args: [...ObjRef, ops: unknown[]]): StoredObject;
  delete(...args: [...ObjRef, opts?: DeleteOptions]): StoredObject | Status;
  appendLog(namespace: string, pod: string, container: string, line: string, time?: Date): void;
  /**
   * Test-only: what the node's kubelet answers at `path` through the API server's node proxy
   * (`GET /api/v1/nodes/{node}/proxy/{path}`, e.g. `stats/summary`). Without it the proxy answers
   * 503 (kubelet unreachable).
   */
  setKubelet(node: string, path: string, body: unknown): void;
  /** The container restarted: current lines become `previous=true` lines; follow streams end. */
  restartContainer(namespace: string, pod: string, container: string): void;
  /** Send a BOOKMARK now on every watch that allowed bookmarks. */
  sendBookmarks(): void;
  faults: KubeSimFaults;
  stats: KubeSimStats;
  close(): Promise<void>;
}
