import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateAll, openDatabases } from '../src/db/index.js';
import { createQueue } from '../src/queue/index.js';
import { root } from './cli.js';
import { freshLocation } from './dbs.js';

const workerJs = join(root, 'dist/test/queue-worker.mjs');

function worker(args: string[]) {
  const child = spawn(process.execPath, [workerJs, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, exited, output: () => out };
}

describe('a worker killed with SIGKILL while holding a lease (PostgreSQL)', () => {
  let url: string;
  let cleanup: () => Promise<void>;

  beforeAll(async () => {
    await build({
      entryPoints: [join(root, 'test/fixtures/queue-worker.ts')],
      outfile: workerJs,
      bundle: true,
      platform: 'node',
      format: 'esm',
      packages: 'external',
      logLevel: 'warning',
    });
    const fresh = await freshLocation('postgres');
    url = fresh.location.db!;
    cleanup = fresh.cleanup;
    const dbs = await openDatabases(fresh.location);
    await migrateAll(dbs);
    const queue = createQueue(dbs.engine);
    for (let i = 0; i < 50; i++) await queue.enqueue('crash', i);
    await dbs.close();
  });
  afterAll(async () => cleanup());

  it('hands the job to another process after the lease, loses nothing, and processes nothing twice', async () => {
    const leaseMs = 1500;
    const holder = worker([url, 'crash', 'hold', String(leaseMs)]);
    await expect.poll(() => holder.output(), { timeout: 10_000 }).toMatch(/leased \d+ until \d+/);
    const [, job, until] = /leased (\d+) until (\d+)/.exec(holder.output())!;
    const killedJob = Number(job);
    holder.child.kill('SIGKILL');
    await holder.exited;

    const drainers = [worker([url, 'crash', 'drain', '30000']), worker([url, 'crash', 'drain', '30000'])];
    const codes = await Promise.all(drainers.map((d) => d.exited));
    expect(codes).toEqual([0, 0]);
    const acks = drainers.flatMap((d) => [...d.output().matchAll(/acked (\d+) at (\d+)/g)].map((m) => ({ job: Number(m[1]), at: Number(m[2]) })));
    // The killed worker's job went to another process only once its lease had run out.
    expect(acks.find((a) => a.job === killedJob)!.at).toBeGreaterThanOrEqual(Number(until));
    const acked = acks.map((a) => a.job);
    expect(acked.sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(acked).toContain(killedJob);

    const dbs = await openDatabases({ dataDir: '.', db: url });
    const rows = await dbs.engine.query('SELECT id FROM queue_jobs');
    await dbs.close();
    expect(rows).toEqual([]);
  });
});
