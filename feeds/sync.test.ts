import { afterAll, describe, expect, it } from 'vitest';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { dialects, freshDatabases } from '../test/dbs.js';
import { migrateAll } from '../src/db/index.js';
import { createLogger } from '../src/lib/logger.js';
import { sampleRecords } from './bundle/sample-records.js';
import type { FeedDriver, Fingerprint } from './driver.js';
import type { FeedRecord } from './record.js';
import { syncFeeds } from './sync.js';

const cleanups: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const c of cleanups) await c();
});

/** A driver whose runs hand out prepared record lists; every run after the first is incremental, as NVD's are. */
function scripted(runs: FeedRecord[][]): FeedDriver {
  let run = 0;
  return {
    id: 'nvd',
    description: 'scripted',
    defaultBaseUrl: 'http://127.0.0.1:1',
    config: z.object({}),
    fetch: async (_ctx, prev): Promise<Fingerprint> => ({ fetchedAt: '2026-12-01T00:00:00.000Z', state: { incremental: prev !== null } }),
    parse: async function* () {
      yield* runs[run++]!;
    },
  };
}

describe.each(dialects)('syncFeeds store writes (%s)', (dialect) => {
  it('a record repeated within one run (vulnerability or enrichment), full or incremental, replaces its first copy', async () => {
    const f = await freshDatabases(dialect);
    cleanups.push(f.cleanup);
    await migrateAll(f.dbs);
    const [a, b] = sampleRecords('nvd', 2) as [FeedRecord & { kind: 'vulnerability' }, FeedRecord & { kind: 'vulnerability' }];
    const changed = { ...a, severity: 'Critical' as const };
    const kev = { kind: 'kev' as const, cveId: a.id, dateAdded: '2026-01-01' };
    const driver = scripted([
      [a, b, changed, kev, { ...kev, dateAdded: '2026-01-02' }],
      [b, changed, { ...b, severity: 'Low' as const }, kev],
    ]);
    const options = { http: undefined as never, workRoot: join(tmpdir(), 'airlock-sync-test'), log: createLogger('silent') };
    for (let i = 0; i < 2; i++) {
      const [report] = await syncFeeds(f.dbs.feeds, [{ driver, baseUrl: driver.defaultBaseUrl, config: {} }], options);
      expect(report).toMatchObject({ id: 'nvd', outcome: 'updated' });
    }
    const rows = await f.dbs.feeds.query<{ id: string; severity: string }>('SELECT id, severity FROM vulnerabilities ORDER BY id');
    expect(rows).toEqual([
      { id: a.id, severity: 'Critical' },
      { id: b.id, severity: 'Low' },
    ]);
    expect(await f.dbs.feeds.query('SELECT cve_id FROM kev')).toEqual([{ cve_id: a.id }]);
    const cpe = await f.dbs.feeds.query<{ n: number }>('SELECT COUNT(*) AS n FROM cpe_products');
    expect(Number(cpe[0]!.n)).toBe(2);
  });
});
