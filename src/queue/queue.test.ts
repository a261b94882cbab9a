import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dialects, freshDatabases } from '../../test/dbs.js';
import { migrateAll, openDatabases, type Databases, type DbLocation } from '../db/index.js';
import { createQueue } from './index.js';

describe.each(dialects)('SimpleQueue on %s', (dialect) => {
  let dbs: Databases;
  let location: DbLocation;
  let cleanup: () => Promise<void>;
  let clock = 1_000_000;
  const now = () => clock;
  let q = 0;
  /** A queue name per test, so tests don't see each other's jobs. */
  const name = () => `q${++q}`;

  beforeAll(async () => {
    ({ dbs, location, cleanup } = await freshDatabases(dialect));
    await migrateAll(dbs);
  });
  afterAll(async () => cleanup());

  it('delivers a job with a lease and forgets it on ack', async () => {
    const queue = createQueue(dbs.engine, { now });
    const n = name();
    const { id, created } = await queue.enqueue(n, { image: 'sha256:abc' });
    expect(created).toBe(true);
    const job = await queue.dequeue<{ image: string }>(n, { leaseMs: 1000 });
    expect(job).toMatchObject({ id, queue: n, payload: { image: 'sha256:abc' }, attempts: 1, leaseExpiresAt: clock + 1000 });
    expect(await queue.stats(n)).toEqual({ ready: 0, delayed: 0, leased: 1, dead: 0 });
    expect(await queue.dequeue(n, { leaseMs: 1000 })).toBeNull();
    await queue.ack(job!);
    expect(await queue.stats(n)).toEqual({ ready: 0, delayed: 0, leased: 0, dead: 0 });
  });

  it('hands out higher priority first, then oldest first', async () => {
    const queue = createQueue(dbs.engine, { now });
    const n = name();
    const low = await queue.enqueue(n, 'low');
    clock += 1;
    const high = await queue.enqueue(n, 'high', { priority: 10 });
    clock += 1;
    const low2 = await queue.enqueue(n, 'low2');
    const order = [];
    for (let i = 0; i < 3; i++) {
      const job = await queue.dequeue(n, { leaseMs: 1000 });
      order.push(job!.id);
      await queue.ack(job!);
    }
    expect(order).toEqual([high.id, low.id, low2.id]);
  });

  it('holds a delayed job until its time', async () => {
    const queue = createQueue(dbs.engine, { now });
    const n = name();
    await queue.enqueue(n, 'later', { delayMs: 5000 });
    expect(await queue.dequeue(n, { leaseMs: 1000 })).toBeNull();
    expect(await queue.stats(n)).toMatchObject({ delayed: 1, ready: 0 });
    clock += 5000;
    expect(await queue.dequeue(n, { leaseMs: 1000 })).not.toBeNull();
  });

  it('does not create a second job for a pending dedupeKey, and does after ack', async () => {
    const queue = createQueue(dbs.engine, { now });
    const n = name();
    const first = await queue.enqueue(n, { v: 1 }, { dedupeKey: 'img-1' });
    const second = await queue.enqueue(n, { v: 2 }, { dedupeKey: 'img-1' });
    expect(second).toEqual({ id: first.id, created: false });
    const job = await queue.dequeue(n, { leaseMs: 1000 });
    const whileLeased = await queue.enqueue(n, { v: 3 }, { dedupeKey: 'img-1' });
    expect(whileLeased).toEqual({ id: first.id, created: false });
    await queue.ack(job!);
    const third = await queue.enqueue(n, { v: 4 }, { dedupeKey: 'img-1' });
    expect(third.created).toBe(true);
    expect(third.id).not.toBe(first.id);
  });

  it('retries a nacked job with exponential backoff, then dead-letters it', async () => {
    const queue = createQueue(dbs.engine, { now, backoffBaseMs: 100 });
    const n = name();
    await queue.enqueue(n, 'flaky', { maxAttempts: 3 });
    const delays: number[] = [];
    for (let attempt = 1; attempt <= 3; attempt++) {
      const job = await queue.dequeue(n, { leaseMs: 1000 });
      expect(job!.attempts).toBe(attempt);
      const outcome = await queue.nack(job!, new Error(`boom ${attempt}`));
      expect(outcome).toBe(attempt < 3 ? 'retry' : 'dead');
      if (attempt < 3) {
        const before = clock;
        while (!(await queue.stats(n)).ready) clock += 50;
        delays.push(clock - before);
      }
    }
    expect(delays).toEqual([100, 200]);
    expect(await queue.stats(n)).toEqual({ ready: 0, delayed: 0, leased: 0, dead: 1 });
    const [dead] = await queue.deadLetters(n);
    expect(dead).toMatchObject({ payload: 'flaky', attempts: 3, lastError: 'boom 3' });
  });

  it('makes a job whose lease expired available again, and refuses the old lease', async () => {
    const queue = createQueue(dbs.engine, { now });
    const n = name();
    await queue.enqueue(n, 'work');
    const first = await queue.dequeue(n, { leaseMs: 1000 });
    clock += 999;
    expect(await queue.dequeue(n, { leaseMs: 1000 })).toBeNull();
    clock += 1;
    const second = await queue.dequeue(n, { leaseMs: 1000 });
    expect(second).toMatchObject({ id: first!.id, attempts: 2 });
    await expect(queue.ack(first!)).rejects.toThrow(/lease ran out/);
    await expect(queue.extendLease(first!, 1000)).rejects.toThrow(/lease ran out/);
    await queue.ack(second!);
  });

  it('extends a lease so the job is not redelivered', async () => {
    const queue = createQueue(dbs.engine, { now });
    const n = name();
    await queue.enqueue(n, 'long');
    const job = await queue.dequeue(n, { leaseMs: 1000 });
    clock += 900;
    await queue.extendLease(job!, 1000);
    clock += 900;
    expect(await queue.dequeue(n, { leaseMs: 1000 })).toBeNull();
    await queue.ack(job!);
  });

  it('dead-letters a job whose worker died on its last attempt', async () => {
    const queue = createQueue(dbs.engine, { now });
    const n = name();
    await queue.enqueue(n, 'doomed', { maxAttempts: 1 });
    await queue.dequeue(n, { leaseMs: 1000 });
    clock += 1001;
    expect(await queue.dequeue(n, { leaseMs: 1000 })).toBeNull();
    expect(await queue.stats(n)).toMatchObject({ dead: 1 });
    expect((await queue.deadLetters(n))[0]!.lastError).toMatch(/lease expired on delivery 1 of 1/);
  });

  it('leases and acks a batch in priority order, and names a job whose lease was lost', async () => {
    const queue = createQueue(dbs.engine, { now });
    const n = name();
    await queue.enqueueMany(n, [0, 1, 2, 3, 4]);
    await queue.enqueue(n, 5, { priority: 9 });
    await queue.enqueueMany(n, [6]);
    const batch = await queue.dequeueMany<number>(n, { leaseMs: 1000, max: 5 });
    expect(batch.map((j) => j.payload)).toEqual([5, 0, 1, 2, 3]);
    expect(await queue.stats(n)).toMatchObject({ ready: 2, leased: 5 });
    await queue.ackMany(batch.slice(0, 2));
    clock += 1001;
    const again = await queue.dequeueMany<number>(n, { leaseMs: 1000, max: 10 });
    expect(again.map((j) => j.payload)).toEqual([1, 2, 3, 4, 6]);
    await expect(queue.ackMany(batch.slice(2))).rejects.toThrow(new RegExp(`job ${batch[2]!.id} in queue ${n}: the lease ran out`));
    await queue.ackMany(again);
    expect(await queue.stats(n)).toEqual({ ready: 0, delayed: 0, leased: 0, dead: 0 });
  });

  it('never hands one job to two concurrent consumers', async () => {
    const n = name();
    const producer = createQueue(dbs.engine);
    for (let i = 0; i < 200; i++) await producer.enqueue(n, i);
    // Separate handles: on PostgreSQL each has its own pool, as separate worker processes would.
    const extra = await Promise.all([0, 1, 2].map(() => openDatabases(location)));
    const consumers = [dbs, ...extra].map((d) => createQueue(d.engine));
    const seen: number[] = [];
    await Promise.all(
      consumers.map(async (queue) => {
        for (;;) {
          const job = await queue.dequeue<number>(n, { leaseMs: 60_000 });
          if (!job) return;
          seen.push(job.payload);
          await queue.ack(job);
        }
      }),
    );
    await Promise.all(extra.map((d) => d.close()));
    expect(seen).toHaveLength(200);
    expect(new Set(seen).size).toBe(200);
  });
});
