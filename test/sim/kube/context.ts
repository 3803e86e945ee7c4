// What the request handlers share: the simulator's parts and the answer shape.
import type { LogStore } from './logs.js';
import type { Operations } from './operations.js';
import type { Registry } from './resources.js';
import type { Route } from './routing.js';
import type { ObjectStore } from './store.js';
import type { WatchHub } from './watch.js';

export interface SimContext {
  registry: Registry;
  store: ObjectStore;
  ops: Operations;
  logs: LogStore;
  watches: WatchHub;
  now: () => Date;
  /**
   * What each node's kubelet answers through `nodes/{name}/proxy/{path}` (`node → path → body`),
   * set by a test (`sim.setKubelet`); a node with nothing set has no reachable kubelet.
   */
  kubelet: Map<string, Map<string, unknown>>;
}

export interface Answer {
  status: number;
  body: unknown;
}

export type ResourceRoute = Extract<Route, { kind: 'resource' }>;
