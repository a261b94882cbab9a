import { readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collect, dirSnapshot, fastHttp, fetchContext, tempDir } from '../../../test/support/feeds.js';
import { startUpstreamServer, type UpstreamServer } from '../../../test/support/upstream-server.js';
import { feedRecordSchema, type FeedRecord, type VulnerabilityRecord } from '../../record.js';
import { debian } from './index.js';
import { dsaFile, trackerFile } from './parse.js';

const fixtures = join(dirname(fileURLToPath(import.meta.url)), 'fixtures');
const config = debian.config.parse({});
let server: UpstreamServer;
let snapshotDir: string;
let cleanupSnapshot: () => Promise<void>;

beforeAll(async () => {
  server = await startUpstreamServer(fixtures);
  ({ dir: snapshotDir, cleanup: cleanupSnapshot } = await tempDir('debian'));
  await writeFile(join(snapshotDir, trackerFile), await readFile(join(fixtures, 'tracker/data/json')));
  await writeFile(join(snapshotDir, dsaFile), await readFile(join(fixtures, 'tracker/data/DSA/list')));
});
afterAll(async () => {
  await server.close();
  await cleanupSnapshot();
});

const vulns = (records: FeedRecord[]): VulnerabilityRecord[] => records.filter((r): r is VulnerabilityRecord => r.kind === 'vulnerability');
const find = (records: VulnerabilityRecord[], id: string, namespace: string) => records.find((r) => r.id === id && r.namespace === namespace);

async function parseTracker(tracker: unknown, extra: unknown = {}): Promise<VulnerabilityRecord[]> {
  const { dir, cleanup } = await tempDir('debian-inline');
  await writeFile(join(dir, trackerFile), JSON.stringify(tracker));
  try {
    return vulns(await collect(debian.parse(dirSnapshot(dir), debian.config.parse(extra))));
  } finally {
    await cleanup();
  }
}

describe('debian parse', () => {
  it('maps the tracker fixture to one record per issue and release namespace', async () => {
    const records = vulns(await collect(debian.parse(dirSnapshot(snapshotDir), config)));
    expect(records).toHaveLength(21);
    for (const r of records) expect(feedRecordSchema.safeParse(r).success).toBe(true);
    expect(records.filter((r) => r.id === 'CVE-2008-7220').map((r) => r.namespace)).toEqual(['debian:10', 'debian:8', 'debian:9', 'debian:unstable']);
    // fixed_version "0" everywhere: <not-affected>, so no record at all; `releases: []` neither.
    expect(records.some((r) => r.id === 'CVE-2007-2383' || r.id === 'CVE-2022-0358')).toBe(false);
    expect(find(records, 'CVE-2008-7220', 'debian:9')?.severity).toBe('High');
    expect(find(records, 'CVE-2013-1444', 'debian:10')?.severity).toBe('Low');
    expect(find(records, 'CVE-2005-3111', 'debian:10')?.severity).toBe('Medium');
    expect(find(records, 'CVE-2022-0456', 'debian:11')?.affected[0]?.fix).toEqual({ state: 'fixed', versions: ['98.0.4758.80-1~deb11u1'] });
    expect(find(records, 'CVE-2022-0456', 'debian:10')?.affected[0]).toMatchObject({ ranges: [{ events: [{ introduced: '0' }] }], fix: { state: 'wont-fix', versions: [] } });
    expect(find(records, 'CVE-2025-53603', 'debian:12')?.affected[0]?.advisories).toEqual([{ id: 'DSA-5970-1', url: 'https://security-tracker.debian.org/tracker/DSA-5970-1' }]);
    expect(find(records, 'CVE-2025-53603', 'debian:13')?.affected[0]?.advisories).toEqual([]);
    expect(find(records, 'CVE-2008-7220', 'debian:8')?.urls).toEqual(['https://security-tracker.debian.org/tracker/CVE-2008-7220', 'https://bugs.debian.org/555217']);
  });

  it('joins the packages of one issue into one record per release, whatever their order', async () => {
    const release = (status: string, extra: object = {}) => ({ status, urgency: 'low', ...extra });
    const records = await parseTracker({
      openssl: { 'CVE-2024-0001': { description: 'd', releases: { bookworm: release('resolved', { fixed_version: '3.0.1-1' }) } } },
      curl: { 'CVE-2024-0002': { releases: { bookworm: release('undetermined') } } },
      openssl1: {
        'CVE-2024-0001': {
          releases: {
            bookworm: release('open', { urgency: 'high', nodsa_reason: 'ignored' }),
            trixie: release('open', { nodsa: 'Minor', nodsa_reason: 'postponed' }),
            hamm: release('open'),
            forky: release('open'),
          },
        },
      },
    }, { codenames: { forky: '14' } });
    expect(records.map((r) => `${r.id} ${r.namespace}`)).toEqual(['CVE-2024-0002 debian:12', 'CVE-2024-0001 debian:12', 'CVE-2024-0001 debian:13', 'CVE-2024-0001 debian:14']);
    const both = records[1];
    expect(both?.affected.map((a) => [a.package, a.fix.state])).toEqual([['openssl', 'fixed'], ['openssl1', 'wont-fix']]);
    expect(both?.severity).toBe('High');
    expect(records[2]?.affected[0]?.fix.state).toBe('not-fixed');
    expect(records[0]?.affected[0]?.fix.state).toBe('unknown');
  });

  it('fails with the driver id on malformed or truncated tracker JSON and on a non-DSA list', async () => {
    await expect(parseTracker('x')).rejects.toThrow(/^debian: tracker\.json: not valid JSON: unexpected/);
    const { dir, cleanup } = await tempDir('debian-bad');
    await writeFile(join(dir, trackerFile), '{"openssl": {"CVE-1": {"releases": {}}}, "curl": {');
    await expect(collect(debian.parse(dirSnapshot(dir), config))).rejects.toThrow(/^debian: tracker\.json: not valid JSON: truncated/);
    await writeFile(join(dir, trackerFile), '{"openssl": {"CVE-1": nope}}');
    await expect(collect(debian.parse(dirSnapshot(dir), config))).rejects.toThrow(/^debian: tracker\.json: package openssl: not valid JSON/);
    await writeFile(join(dir, trackerFile), '{}');
    await writeFile(join(dir, dsaFile), '<html>login</html>');
    await expect(collect(debian.parse(dirSnapshot(dir), config))).rejects.toThrow(/^debian: dsa-list\.txt: no DSA entries/);
    await cleanup();
  });
});

describe('debian fetch', () => {
  it('fetches the tracker JSON and DSA list at the tracker paths, then reports unchanged', async () => {
    const { dir, cleanup } = await tempDir('debian-fetch');
    const { http } = fastHttp();
    const ctx = fetchContext(debian, { baseUrl: server.url, workdir: dir, http });
    const first = await debian.fetch(ctx, null);
    expect(server.requests.slice(-2).map((r) => r.path)).toEqual(['/tracker/data/json', '/tracker/data/DSA/list']);
    expect(vulns(await collect(debian.parse(dirSnapshot(dir), ctx.config)))).toHaveLength(21);
    expect(await debian.fetch(ctx, first === 'unchanged' ? null : first)).toBe('unchanged');
    await cleanup();
  });

  it('survives a 500 by retrying, and a malformed body fails parse with its id', async () => {
    const { dir, cleanup } = await tempDir('debian-fail');
    const { http, delays } = fastHttp();
    const ctx = fetchContext(debian, { baseUrl: server.url, workdir: dir, http });
    server.fail('/tracker/data/json', { status: 500, times: 2 });
    await debian.fetch(ctx, null);
    expect(delays).toEqual([1000, 2000]);
    server.fail('/tracker/data/json', { times: 1, body: '{"openssl": {"CVE-2024-1": {"releases": ' });
    await debian.fetch(ctx, null);
    await expect(collect(debian.parse(dirSnapshot(dir), ctx.config))).rejects.toThrow(/^debian: tracker\.json: not valid JSON: truncated/);
    await cleanup();
  });
});
