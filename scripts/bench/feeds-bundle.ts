// Feed bundle budgets on a realistic large store (>= 250,000 vulnerabilities, >= 2,000,000
// affected-package rows, record shapes as the drivers produce them):
//   export >= 100,000 rows/s; bundle <= 1.2x the gzip of the raw NDJSON;
//   import into SQLite >= 200,000 affected rows/s end to end with peak RSS <= 300 MB;
//   `airlock feeds status` <= 200 ms.
// Run: make exe && node scripts/bench/run.mjs scripts/bench/feeds-bundle.ts [vulnerabilities]
// (the CLI steps run dist/airlock, the single executable; without it, node dist/airlock.cjs).
import { spawnSync } from 'node:child_process';
import { createGzip } from 'node:zlib';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { exportBundle } from '../../feeds/bundle/export.js';
import { generateKeyPair, loadPrivateKey } from '../../feeds/bundle/keys.js';
import { sampleRecords } from '../../feeds/bundle/sample-records.js';
import type { FeedRecord } from '../../feeds/record.js';
import { getDrivers, groupRecords, newSnapshotId, replaceDriverData, setSnapshot } from '../../feeds/store/index.js';
import { migrateAll, openDatabases } from '../../src/db/index.js';

const vulns = Number(process.argv[2] ?? 250_000);
const exe = resolve('dist/airlock');
const command = existsSync(exe) ? [exe] : [process.execPath, resolve('dist/airlock.cjs')];
const work = mkdtempSync(join(tmpdir(), 'airlock-bench-feeds-'));
const env = { ...process.env, NODE_EXTRA_CA_CERTS: '' };

function* records(driver: 'alpine' | 'debian', n: number): Iterable<FeedRecord> {
  for (let done = 0; done < n; done += 1000) yield* sampleRecords(driver, Math.min(1000, n - done), done);
}

async function gzipSizeOfRaw(db: Parameters<typeof groupRecords>[0]): Promise<number> {
  let size = 0;
  async function* all(): AsyncIterable<string> {
    for (const d of await getDrivers(db)) for (const g of d.groups) for await (const r of groupRecords(db, d.id, g.name)) yield r + '\n';
  }
  await pipeline(Readable.from(all()), createGzip(), new Writable({ write: (c: Buffer, _e, cb) => ((size += c.length), cb()) }));
  return size;
}

function timed(args: string[]): { secs: number; rssMb: number; out: string } {
  const t = performance.now();
  const res = spawnSync('/usr/bin/time', ['-f', '%M', ...command, ...args], { env, encoding: 'utf8' });
  if (res.status !== 0) throw new Error(`${args.join(' ')} failed: ${res.stderr}`);
  const rssKb = Number(res.stderr.trim().split('\n').pop());
  return { secs: (performance.now() - t) / 1000, rssMb: rssKb / 1024, out: res.stdout };
}

const station = await openDatabases({ dataDir: join(work, 'station') });
await migrateAll(station);
let t = performance.now();
await replaceDriverData(station.feeds, 'alpine', records('alpine', vulns / 2), '2026-12-01T00:00:00.000Z');
await replaceDriverData(station.feeds, 'debian', records('debian', vulns / 2), '2026-12-01T00:00:00.000Z');
const created = new Date();
await setSnapshot(station.feeds, { id: newSnapshotId(created), createdAt: created.toISOString(), source: 'sync' });
const [{ n: affected }] = (await station.feeds.query<{ n: number }>('SELECT COUNT(*) AS n FROM affected_packages')) as [{ n: number }];
console.log(`generated ${vulns} vulnerabilities, ${affected} affected rows in ${((performance.now() - t) / 1000).toFixed(1)} s`);

const keys = generateKeyPair(join(work, 'keys'));
const bundle = join(work, 'bundle.tar');
t = performance.now();
await exportBundle(station.feeds, bundle, loadPrivateKey(keys.privateKey));
const exportSecs = (performance.now() - t) / 1000;
const rawGzip = await gzipSizeOfRaw(station.feeds);
await station.close();
const size = statSync(bundle).size;
console.log(
  `export: ${exportSecs.toFixed(1)} s = ${Math.round(affected / exportSecs)} affected rows/s, ${Math.round(vulns / exportSecs)} records/s (budget 100,000 rows/s); ` +
    `bundle ${(size / 1e6).toFixed(1)} MB = ${(size / rawGzip).toFixed(3)}x gzip of raw NDJSON (budget 1.2x)`,
);

const appliance = join(work, 'appliance');
timed(['db', 'migrate', '--data-dir', appliance]);
const imp = timed(['feeds', 'import', bundle, '--trusted-keys', join(work, 'keys'), '--data-dir', appliance]);
console.log(
  `import (CLI, end to end: verify + load + index + swap): ${imp.secs.toFixed(1)} s = ${Math.round(affected / imp.secs)} affected rows/s ` +
    `(budget 200,000); peak RSS ${imp.rssMb.toFixed(0)} MB (budget 300)`,
);
const status: number[] = [];
for (let i = 0; i < 5; i++) status.push(timed(['feeds', 'status', '--json', '--data-dir', appliance]).secs * 1000);
console.log(`feeds status --json (${command.length === 1 ? 'executable' : 'node + bundle'}): median ${status.sort((a, b) => a - b)[2]!.toFixed(0)} ms (budget 200, process start-up included)`);
if (process.env.BENCH_KEEP) console.log(`kept ${work}`);
else rmSync(work, { recursive: true, force: true });
