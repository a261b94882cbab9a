import { randomUUID } from 'node:crypto';
import { skipLocked, type Db } from '../db/index.js';
import { AirlockError } from '../lib/errors.js';
import type { DeadJob, EnqueueOptions, Job, QueueStats, SimpleQueue } from './types.js';

/** Queue-wide defaults. */
export interface QueueOptions {
  /** Deliveries before dead-lettering when enqueue does not say; default 5. */
  maxAttempts?: number;
  /** First retry delay; doubles with each attempt. Default 1 s. */
  backoffBaseMs?: number;
  /** Longest retry delay. Default 1 h. */
  backoffMaxMs?: number;
  /** Clock, for tests. */
  now?: () => number;
}

interface JobRow {
  id: number;
  queue: string;
  payload: string;
  priority: number;
  attempts: number;
  max_attempts: number;
  lease_token: string;
  available_at: number;
}

function errorText(error: unknown): string | null {
  if (error === undefined || error === null) return null;
  const text = error instanceof Error ? error.message : String(error);
  return text.slice(0, 4000);
}

function leaseLost(job: Job): AirlockError {
  return new AirlockError('QUEUE_LEASE_LOST', `job ${job.id} in queue ${job.queue}: the lease ran out and the job was handed to another worker`);
}

/** SimpleQueue on the engine database: one table, one UPDATE per dequeue. */
export function createQueue(db: Db, options: QueueOptions = {}): SimpleQueue {
  const defaults = { maxAttempts: options.maxAttempts ?? 5, base: options.backoffBaseMs ?? 1000, max: options.backoffMaxMs ?? 3_600_000 };
  const now = options.now ?? Date.now;
  const claimSql =
    `UPDATE queue_jobs SET attempts = attempts + 1, lease_token = ?, available_at = ?, updated_at = ? ` +
    `WHERE id IN (SELECT id FROM queue_jobs WHERE queue = ? AND state = 'pending' AND available_at <= ? ` +
    `ORDER BY priority DESC, available_at, id LIMIT ?${skipLocked(db)}) ` +
    `RETURNING id, queue, payload, priority, attempts, max_attempts, lease_token, available_at`;

  async function deadLetter(id: number, token: string, error: string | null): Promise<void> {
    await db.run(`UPDATE queue_jobs SET state = 'dead', lease_token = NULL, last_error = ?, updated_at = ? WHERE id = ? AND lease_token = ?`, [
      error,
      now(),
      id,
      token,
    ]);
  }

  return {
    async enqueue(queue, payload, opts: EnqueueOptions = {}) {
      const t = now();
      const params = [queue, JSON.stringify(payload), opts.dedupeKey ?? null, opts.priority ?? 0, opts.maxAttempts ?? defaults.maxAttempts, t + (opts.delayMs ?? 0), t, t];
      const insert = `INSERT INTO queue_jobs (queue, payload, dedupe_key, priority, max_attempts, available_at, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`;
      if (opts.dedupeKey === undefined) {
        const [row] = await db.query<{ id: number }>(`${insert} RETURNING id`, params);
        return { id: row!.id, created: true };
      }
      const [row] = await db.query<{ id: number }>(
        `${insert} ON CONFLICT (queue, dedupe_key) WHERE state = 'pending' AND dedupe_key IS NOT NULL DO NOTHING RETURNING id`,
        params,
      );
      if (row) return { id: row.id, created: true };
      const [existing] = await db.query<{ id: number }>(`SELECT id FROM queue_jobs WHERE queue = ? AND dedupe_key = ? AND state = 'pending'`, [
        queue,
        opts.dedupeKey,
      ]);
      // The pending twin may have been acked in between: then this enqueue must not be lost.
      return existing ? { id: existing.id, created: false } : this.enqueue(queue, payload, opts);
    },

    async enqueueMany(queue, payloads, opts = {}) {
      const t = now();
      const rows = payloads.map((p) => [queue, JSON.stringify(p), opts.priority ?? 0, opts.maxAttempts ?? defaults.maxAttempts, t + (opts.delayMs ?? 0), t, t]);
      await db.transaction((tx) =>
        tx.insertMany('queue_jobs', ['queue', 'payload', 'priority', 'max_attempts', 'available_at', 'created_at', 'updated_at'], rows),
      );
    },

    async dequeue<T>(queue: string, options: { leaseMs: number }): Promise<Job<T> | null> {
      const [job] = await this.dequeueMany<T>(queue, { ...options, max: 1 });
      return job ?? null;
    },

    async dequeueMany<T>(queue: string, { leaseMs, max }: { leaseMs: number; max: number }): Promise<Job<T>[]> {
      for (;;) {
        const t = now();
        const token = randomUUID();
        const rows = await db.query<JobRow>(claimSql, [token, t + leaseMs, t, queue, t, max]);
        const jobs: Job<T>[] = [];
        for (const row of rows.sort((a, b) => b.priority - a.priority || a.id - b.id)) {
          if (row.attempts > row.max_attempts) {
            // Its last permitted delivery's worker died holding the lease.
            await deadLetter(row.id, token, `lease expired on delivery ${row.attempts - 1} of ${row.max_attempts}`);
            continue;
          }
          jobs.push({
            id: row.id,
            queue: row.queue,
            payload: JSON.parse(row.payload) as T,
            attempts: row.attempts,
            maxAttempts: row.max_attempts,
            leaseToken: row.lease_token,
            leaseExpiresAt: row.available_at,
          });
        }
        // Only dead-lettered jobs came back: look again, there may be live ones behind them.
        if (jobs.length > 0 || rows.length === 0) return jobs;
      }
    },

    async ack(job) {
      await this.ackMany([job]);
    },

    async ackMany(jobs) {
      const byToken = new Map<string, Job[]>();
      for (const job of jobs) byToken.set(job.leaseToken, [...(byToken.get(job.leaseToken) ?? []), job]);
      for (const [token, group] of byToken) {
        const deleted = await db.query<{ id: number }>(
          `DELETE FROM queue_jobs WHERE lease_token = ? AND id IN (${group.map(() => '?').join(', ')}) RETURNING id`,
          [token, ...group.map((j) => j.id)],
        );
        if (deleted.length === group.length) continue;
        const gone = new Set(deleted.map((r) => r.id));
        throw leaseLost(group.find((j) => !gone.has(j.id))!);
      }
    },

    async nack(job, error) {
      if (job.attempts >= job.maxAttempts) {
        await deadLetter(job.id, job.leaseToken, errorText(error));
        return 'dead';
      }
      const delay = Math.min(defaults.max, defaults.base * 2 ** (job.attempts - 1));
      const t = now();
      const changed = await db.run(
        `UPDATE queue_jobs SET lease_token = NULL, available_at = ?, last_error = ?, updated_at = ? WHERE id = ? AND lease_token = ?`,
        [t + delay, errorText(error), t, job.id, job.leaseToken],
      );
      if (changed === 0) throw leaseLost(job);
      return 'retry';
    },

    async extendLease(job, leaseMs) {
      const t = now();
      const changed = await db.run(`UPDATE queue_jobs SET available_at = ?, updated_at = ? WHERE id = ? AND lease_token = ? AND state = 'pending'`, [
        t + leaseMs,
        t,
        job.id,
        job.leaseToken,
      ]);
      if (changed === 0) throw leaseLost(job);
      job.leaseExpiresAt = t + leaseMs;
    },

    async stats(queue): Promise<QueueStats> {
      const t = now();
      const [row] = await db.query<Record<keyof QueueStats, number | null>>(
        `SELECT
           SUM(CASE WHEN state = 'pending' AND available_at <= ? THEN 1 ELSE 0 END) AS ready,
           SUM(CASE WHEN state = 'pending' AND available_at > ? AND lease_token IS NULL THEN 1 ELSE 0 END) AS delayed,
           SUM(CASE WHEN state = 'pending' AND available_at > ? AND lease_token IS NOT NULL THEN 1 ELSE 0 END) AS leased,
           SUM(CASE WHEN state = 'dead' THEN 1 ELSE 0 END) AS dead
         FROM queue_jobs WHERE queue = ?`,
        [t, t, t, queue],
      );
      return { ready: Number(row?.ready ?? 0), delayed: Number(row?.delayed ?? 0), leased: Number(row?.leased ?? 0), dead: Number(row?.dead ?? 0) };
    },

    async deadLetters(queue, limit = 100): Promise<DeadJob[]> {
      const rows = await db.query<{ id: number; payload: string; attempts: number; last_error: string | null }>(
        `SELECT id, payload, attempts, last_error FROM queue_jobs WHERE queue = ? AND state = 'dead' ORDER BY updated_at DESC, id DESC LIMIT ?`,
        [queue, limit],
      );
      return rows.map((r) => ({ id: r.id, payload: JSON.parse(r.payload) as unknown, attempts: r.attempts, lastError: r.last_error }));
    },
  };
}
