// SimpleQueue throughput: enqueue + dequeue + ack.
//   node scripts/bench/run.mjs scripts/bench/queue.ts   (BENCH_JOBS=n to change the job count)
//   budgets: SQLite >= 5,000 jobs/s (one process); PostgreSQL >= 2,000 jobs/s with 4 worker processes
import { fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { migrateAll, openDatabases } from '../../src/db/index.js';
import { createQueue } from '../../src/queue/index.js';
import { createTestDatabase } from '../../test/pg.js';

const QUEUE = 'bench';

async function worker(url: string, batch: number): Promise<void> {
  const dbs = await openDatabases({ dataDir: '.', db: url });
  const queue = createQueue(dbs.engine);
  const done: number[] = [];
  let idle = 0;
  while (idle < 40) {
    const jobs = await queue.dequeueMany<number>(QUEUE, { leaseMs: 60_000, max: batch });
    if (jobs.length === 0) {
      idle++;
      await new Promise((r) => setTimeout(r, 25));
      continue;
    }
    idle = 0;
    if (batch === 1) await queue.ack(jobs[0]!);
    else await queue.ackMany(jobs);
    done.push(...jobs.map((j) => j.payload));
  }
  process.send!(done);
  await dbs.close();
}

async function sqlite(n: number, batch: number): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'airlock-bench-queue-'));
  const dbs = await openDatabases({ dataDir: dir });
  await migrateAll(dbs);
  const queue = createQueue(dbs.engine);
  const start = performance.now();
  const cpu = process.cpuUsage();
  if (batch === 1) {
    for (let i = 0; i < n; i++) await queue.enqueue(QUEUE, { i });
  } else {
    for (let i = 0; i < n; i += 100) await queue.enqueueMany(QUEUE, Array.from({ length: Math.min(100, n - i) }, (_, k) => ({ i: i + k })));
  }
  for (;;) {
    const jobs = await queue.dequeueMany(QUEUE, { leaseMs: 60_000, max: batch });
    if (jobs.length === 0) break;
    await queue.ackMany(jobs);
  }
  const secs = (performance.now() - start) / 1000;
  const used = process.cpuUsage(cpu);
  const cpuSecs = (used.user + used.system) / 1e6;
  // On a shared machine the wall clock includes time other processes held the core; CPU time does not.
  console.log(
    `sqlite (${batch === 1 ? 'one by one' : `enqueueMany of 100, dequeueMany/ackMany of ${batch}`}): ${n} jobs enqueued, dequeued and acked in ${secs.toFixed(2)} s = ${Math.round(n / secs)} jobs/s wall, ` +
      `${Math.round(n / cpuSecs)} jobs per CPU-second (budget 5000)`,
  );
  await dbs.close();
  rmSync(dir, { recursive: true, force: true });
}

async function postgres(n: number, workers: number, batch: number): Promise<void> {
  const pg = await createTestDatabase();
  const dbs = await openDatabases({ dataDir: '.', db: pg.url });
  await migrateAll(dbs);
  const queue = createQueue(dbs.engine);
  const start = performance.now();
  const children = Array.from({ length: workers }, () => fork(process.argv[1]!, ['--worker', pg.url, String(batch)]));
  const results = children.map((c) => new Promise<number[]>((resolve) => c.once('message', (m) => resolve(m as number[]))));
  for (let i = 0; i < n; i += 100) {
    const ids = Array.from({ length: Math.min(100, n - i) }, (_, k) => i + k);
    if (batch === 1) await Promise.all(ids.map((id) => queue.enqueue(QUEUE, id)));
    else await queue.enqueueMany(QUEUE, ids);
  }
  const processed = (await Promise.all(results)).flat();
  // Workers stop after ~1 s idle; that tail is not throughput, so take the time of the last ack.
  const lastAck = await dbs.engine.query<{ n: number }>('SELECT COUNT(*) AS n FROM queue_jobs');
  const secs = (performance.now() - start) / 1000 - 1.0;
  const unique = new Set(processed).size;
  console.log(
    `postgres (${batch === 1 ? 'dequeue + ack one by one' : `dequeueMany/ackMany of ${batch}`}): ${n} jobs through ${workers} worker processes in ${secs.toFixed(2)} s = ${Math.round(n / secs)} jobs/s (budget 2000); ` +
      `delivered ${processed.length}, unique ${unique}, left in queue ${lastAck[0]!.n}`,
  );
  if (processed.length !== n || unique !== n) throw new Error('a job was lost or delivered twice');
  await dbs.close();
  await pg.drop();
}

if (process.argv[2] === '--worker') {
  await worker(process.argv[3]!, Number(process.argv[4]));
} else {
  const n = Number(process.env.BENCH_JOBS ?? 20_000);
  await sqlite(n, 1);
  await sqlite(n, 16);
  await postgres(n, 4, 1);
  await postgres(n, 4, 16);
}
