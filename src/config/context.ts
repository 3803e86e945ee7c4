import type { Logger } from 'pino';
import type { Clock } from '../domain/clock.js';
import type { Store } from '../domain/stores.js';
import type { Config } from './index.js';

/** What every stage is built with: the configuration, the store, the clock and the logger. */
export interface StageContext {
  config: Config;
  store: Store;
  clock: Clock;
  logger: Logger;
}
