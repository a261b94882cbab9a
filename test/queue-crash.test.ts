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
    await expect.poll(() => holder.output(), { timeout: 10_000 }).toMatch(/leased \d+/);
    const killedJob = Number(/leased (\d+)/.exec(holder.output())![1]);
    const killedAt = Date.now();
    holder.child.kill('SIGKILL');
    await holder.exited;

    const drainers = [worker([url, 'crash', 'drain', '30000']), worker([url, 'crash', 'drain', '30000'])];
    const codes = await Promise.all(drainers.map((d) => d.exited));
    expect(codes).toEqual([0, 0]);
    expect(Date.now() - killedAt).toBeGreaterThanOrEqual(leaseMs);
    const acked = drainers.flatMap((d) => [...d.output().matchAll(/acked (\d+)/g)].map((m) => Number(m[1])));
    expect(acked.sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(acked).toContain(killedJob);

    const dbs = await openDatabases({ dataDir: '.', db: url });
    const rows = await dbs.engine.query('SELECT id FROM queue_jobs');
    await dbs.close();
    expect(rows).toEqual([]);
  });
});
