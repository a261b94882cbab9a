/** Options for one enqueued job. */
export interface EnqueueOptions {
  /** While a job with this key is pending in the same queue, enqueueing it again returns that job. */
  dedupeKey?: string;
  /** Higher runs first; default 0. */
  priority?: number;
  /** Not before this many ms from now. */
  delayMs?: number;
  /** Deliveries before the job is dead-lettered; default from the queue. */
  maxAttempts?: number;
}

/** A job handed to a worker, with its lease. */
export interface Job<T = unknown> {
  /** Job id. */
  id: number;
  /** Queue name. */
  queue: string;
  /** The payload given to enqueue. */
  payload: T;
  /** Deliveries so far, this one included. */
  attempts: number;
  /** Deliveries allowed before dead-lettering. */
  maxAttempts: number;
  /** Proves this worker still holds the lease. */
  leaseToken: string;
  /** When the lease runs out (epoch ms) unless extended. */
  leaseExpiresAt: number;
}

/** Counts per state for one queue. */
export interface QueueStats {
  /** Deliverable now (including jobs whose lease ran out). */
  ready: number;
  /** Waiting for their delay or backoff. */
  delayed: number;
  /** Held by a worker under a live lease. */
  leased: number;
  /** Dead-lettered after maxAttempts. */
  dead: number;
}

/** A dead-lettered job, kept for inspection. */
export interface DeadJob {
  /** Job id. */
  id: number;
  /** The payload as enqueued. */
  payload: unknown;
  /** Deliveries made. */
  attempts: number;
  /** Why the last delivery failed. */
  lastError: string | null;
}

/** The DB-backed work queue every service uses. */
export interface SimpleQueue {
  /** Adds a job; with a pending duplicate dedupeKey returns the existing job and created=false. */
  enqueue<T>(queue: string, payload: T, options?: EnqueueOptions): Promise<{ id: number; created: boolean }>;
  /** Adds many jobs in one transaction (no dedupe keys: use enqueue for those). */
  enqueueMany<T>(queue: string, payloads: T[], options?: Omit<EnqueueOptions, 'dedupeKey'>): Promise<void>;
  /** Leases the next job (highest priority, oldest first) for leaseMs, or returns null. */
  dequeue<T = unknown>(queue: string, options: { leaseMs: number }): Promise<Job<T> | null>;
  /** Leases up to max jobs at once (one round trip), in the same order dequeue would hand them out. */
  dequeueMany<T = unknown>(queue: string, options: { leaseMs: number; max: number }): Promise<Job<T>[]>;
  /** Completes a job; throws QUEUE_LEASE_LOST if its lease passed to another worker. */
  ack(job: Job): Promise<void>;
  /** Completes several jobs in one statement per lease; throws QUEUE_LEASE_LOST naming a job whose lease is gone. */
  ackMany(jobs: Job[]): Promise<void>;
  /** Fails a delivery: retried after exponential backoff, or dead-lettered at maxAttempts. */
  nack(job: Job, error?: unknown): Promise<'retry' | 'dead'>;
  /** Pushes the lease expiry to now + leaseMs; throws QUEUE_LEASE_LOST if the lease is gone. */
  extendLease(job: Job, leaseMs: number): Promise<void>;
  /** Counts per state. */
  stats(queue: string): Promise<QueueStats>;
  /** Dead-lettered jobs, newest first. */
  deadLetters(queue: string, limit?: number): Promise<DeadJob[]>;
}
