// Matcher budget: an image of 1,000 packages against a feed store of >= 2,000,000 affected rows
// in <= 50 ms warm (median of warm runs; the first, cold run is reported separately).
// Run: node scripts/bench/run.mjs scripts/bench/match.ts [records] [runs]
// BENCH_STORE=<dir> keeps the generated store there and reuses it on the next run (building takes minutes).
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Affected, FeedRecord } from '../../feeds/record.js';
import { replaceDriverData } from '../../feeds/store/index.js';
import { migrateAll, openDatabases } from '../../src/db/index.js';
import { matchPackages, type MatchPackage } from '../../src/vulns/index.js';

const recordCount = Number(process.argv[2] ?? 250_000);
const runs = Number(process.argv[3] ?? 15);
const namespaces = ['alpine:3.18', 'alpine:3.19', 'alpine:3.20'];
/** Distinct package names per namespace: about 7 rows per (namespace, package), as in real distro feeds. */
const names = 100_000;
const kept = process.env.BENCH_STORE;
const reuse = kept !== undefined && existsSync(join(kept, 'feeds.db'));
const work = kept ?? mkdtempSync(join(tmpdir(), 'airlock-bench-match-'));

/** Deterministic pseudo-random numbers so two commits measure the same store. */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}

function* records(): Iterable<FeedRecord> {
  const rand = lcg(42);
  for (let i = 0; i < recordCount; i++) {
    const affected: Affected[] = Array.from({ length: 8 }, () => {
      const fixed = `1.${Math.floor(rand() * 10)}.${Math.floor(rand() * 10)}-r${Math.floor(rand() * 3)}`;
      const name = `pkg-${Math.floor(rand() * names)}`;
      // One row in ten has two branches (a detail row), the rest the plain "fixed in" distro shape.
      if (rand() < 0.1) {
        return { package: name, scheme: 'apk', ranges: [{ events: [{ introduced: '0' }, { fixed: '0.9.0-r0' }] }, { events: [{ introduced: '1.0.0-r0' }, { fixed }] }], versions: [], fix: { state: 'fixed', versions: ['0.9.0-r0', fixed] }, advisories: [] };
      }
      return { package: name, scheme: 'apk', ranges: [{ events: [{ introduced: '0' }, { fixed }] }], versions: [], fix: { state: 'fixed', versions: [fixed] }, advisories: [] };
    });
    yield { kind: 'vulnerability', id: `CVE-2024-${100000 + i}`, namespace: namespaces[i % namespaces.length]!, aliases: [], severity: (['Low', 'Medium', 'High', 'Critical'] as const)[i % 4]!, cvss: [], urls: [], affected, cpeConfigurations: [] };
  }
  for (let i = 0; i < recordCount; i += 50) yield { kind: 'epss', cveId: `CVE-2024-${100000 + i}`, epss: 0.01, percentile: 0.5, date: '2026-12-01' };
}

/** 1,000 installed packages on alpine:3.20; every third has an origin of another name, as apk subpackages do. */
function image(): MatchPackage[] {
  return Array.from({ length: 1000 }, (_, k) => {
    const name = `pkg-${k * 97}`;
    const version = '1.8.0-r0';
    return { name, version, type: 'apk', purl: `pkg:apk/alpine/${name}@${version}`, locations: ['/lib/apk/db/installed'], ...(k % 3 === 0 ? { source: { name: `pkg-${k * 97 + 1}`, version } } : {}) };
  });
}

const dbs = await openDatabases({ dataDir: work });
try {
  await migrateAll(dbs);
  let t = performance.now();
  if (!reuse) await replaceDriverData(dbs.feeds, 'alpine', records(), '2026-12-01T00:00:00.000Z');
  const [{ n }] = (await dbs.feeds.query<{ n: number }>('SELECT COUNT(*) AS n FROM affected_packages')) as [{ n: number }];
  console.log(`store: ${n} affected rows (budget needs >= 2,000,000), ${reuse ? 'reused' : `${recordCount} records built`} in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  const input = { packages: image(), distro: { id: 'alpine', versionId: '3.20.3' } };
  t = performance.now();
  const cold = await matchPackages(dbs.feeds, input);
  console.log(`cold: ${(performance.now() - t).toFixed(1)} ms, ${cold.matches.length} matches, ${cold.warnings.length} warnings`);
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    t = performance.now();
    await matchPackages(dbs.feeds, input);
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  console.log(`warm: median ${times[Math.floor(times.length / 2)]!.toFixed(1)} ms over ${runs} runs (min ${times[0]!.toFixed(1)}, max ${times[times.length - 1]!.toFixed(1)}); budget 50 ms`);
} finally {
  await dbs.close();
  if (kept === undefined) rmSync(work, { recursive: true, force: true });
}
