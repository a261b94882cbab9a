export { createQueue, type QueueOptions } from './queue.js';
export type { DeadJob, EnqueueOptions, Job, QueueStats, SimpleQueue } from './types.js';
