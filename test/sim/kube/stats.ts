// The live counters behind `sim.stats`.
import type { KubeSimStats } from './api.js';
import type { FaultState } from './faults.js';
import type { RequestRecord } from './http.js';
import type { LogStore } from './logs.js';
import type { ObjectStore } from './store.js';
import type { WatchHub } from './watch.js';

export function buildStats(d: {
  requests: () => number;
  watches: WatchHub;
  logs: LogStore;
  faults: FaultState;
  store: ObjectStore;
  log: RequestRecord[];
}): KubeSimStats {
  return {
    get requests() {
      return d.requests();
    },
    get watchesOpen() {
      return d.watches.open;
    },
    get watchesStarted() {
      return d.watches.started;
    },
    get logStreamsOpen() {
      return d.logs.followersOpen();
    },
    get injectedFailures() {
      return d.faults.injectedFailures;
    },
    get resourceVersion() {
      return d.store.currentRv();
    },
    log: d.log,
    count: (match) => d.log.filter((r) => match.test(`${r.method} ${r.url}`)).length,
  };
}
