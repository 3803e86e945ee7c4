export { Background, type BackgroundWorker } from './background.js';
export { backoffDelay, nextBackoff, sleep, type BackoffOptions } from './backoff.js';
export { IntervalJob, type IntervalJobOptions, type JobLogger } from './interval-job.js';
export { KeyedQueue } from './keyed-queue.js';
