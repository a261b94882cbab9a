import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { exportBundle } from '../feeds/bundle/export.js';
import { importBundle } from '../feeds/bundle/import.js';
import { generateKeyPair, loadPrivateKey, loadTrustedKeys } from '../feeds/bundle/keys.js';
import { sampleRecords } from '../feeds/bundle/sample-records.js';
import { getSnapshot, newSnapshotId, replaceDriverData, setSnapshot } from '../feeds/store/index.js';
import { migrateAll, openDatabases } from '../src/db/index.js';
import { startCli } from './cli.js';

describe('feed import killed with SIGKILL midway', () => {
  it('leaves the old snapshot intact and its litter is cleaned on the next start', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'airlock-import-crash-'));
    const keys = generateKeyPair(join(dir, 'keys'));
    const key = loadPrivateKey(keys.privateKey);
    const station = await openDatabases({ dataDir: join(dir, 'station') });
    await migrateAll(station);
    await replaceDriverData(station.feeds, 'alpine', sampleRecords('alpine', 50), '2026-12-01T00:00:00.000Z');
    await setSnapshot(station.feeds, { id: newSnapshotId(new Date('2026-12-01T00:00:00Z')), createdAt: '2026-12-01T00:00:00.000Z', source: 'sync' });
    await exportBundle(station.feeds, join(dir, 'small.tar'), key);
    await replaceDriverData(station.feeds, 'debian', sampleRecords('debian', 8000), '2026-12-02T00:00:00.000Z');
    await setSnapshot(station.feeds, { id: newSnapshotId(new Date('2026-12-02T00:00:00Z')), createdAt: '2026-12-02T00:00:00.000Z', source: 'sync' });
    await exportBundle(station.feeds, join(dir, 'large.tar'), key);
    await station.close();

    const dataDir = join(dir, 'appliance');
    const appliance = await openDatabases({ dataDir });
    await migrateAll(appliance);
    await importBundle(appliance, join(dir, 'small.tar'), { trusted: loadTrustedKeys(join(dir, 'keys')) });
    const before = await getSnapshot(appliance.feeds);
    await appliance.close();

    const child = startCli(['feeds', 'import', join(dir, 'large.tar'), '--trusted-keys', join(dir, 'keys'), '--data-dir', dataDir]);
    const exited = new Promise((resolve) => child.on('exit', resolve));
    await expect
      .poll(() => readdirSync(dataDir).some((f) => f.startsWith('feeds.db.staging-')), { timeout: 20_000, interval: 20 })
      .toBe(true);
    await new Promise((r) => setTimeout(r, 300));
    child.kill('SIGKILL');
    await exited;
    expect(readdirSync(dataDir).some((f) => f.startsWith('feeds.db.staging-'))).toBe(true);

    const reopened = await openDatabases({ dataDir });
    expect(await getSnapshot(reopened.feeds)).toEqual(before);
    const [row] = await reopened.feeds.query<{ n: number }>('SELECT COUNT(*) AS n FROM vulnerabilities');
    expect(row!.n).toBe(50);
    await reopened.close();
    expect(readdirSync(dataDir).filter((f) => f.includes('staging') || f.includes('lock'))).toEqual([]);
    expect(existsSync(join(dataDir, 'feeds.db'))).toBe(true);
  });
});
