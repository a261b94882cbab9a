import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collect, dirSnapshot, fastHttp, fetchContext, tempDir } from '../../../test/support/feeds.js';
import { startUpstreamServer, type UpstreamServer } from '../../../test/support/upstream-server.js';
import { feedRecordSchema, type FeedRecord, type VulnerabilityRecord } from '../../record.js';
import { alpine } from './index.js';

const fixtures = join(dirname(fileURLToPath(import.meta.url)), 'fixtures');
let server: UpstreamServer;

beforeAll(async () => {
  server = await startUpstreamServer(fixtures);
});
afterAll(() => server.close());

const config = alpine.config.parse({});
const vulns = (records: FeedRecord[]): VulnerabilityRecord[] => records.filter((r): r is VulnerabilityRecord => r.kind === 'vulnerability');

async function snapshotOf(files: Record<string, string>): Promise<{ records: () => Promise<FeedRecord[]>; cleanup: () => Promise<void> }> {
  const { dir, cleanup } = await tempDir('alpine');
  for (const [name, body] of Object.entries(files)) {
    await mkdir(dirname(join(dir, name)), { recursive: true });
    await writeFile(join(dir, name), body);
  }
  return { records: () => collect(alpine.parse(dirSnapshot(dir), config)), cleanup };
}

describe('alpine parse', () => {
  it('turns the secdb fixtures into one fixed-in record per CVE and branch', async () => {
    const records = vulns(await collect(alpine.parse(dirSnapshot(fixtures), config)));
    // The fixtures hold the JSON and YAML forms of the same documents; one branch's files merge into one set.
    expect(records).toHaveLength(16);
    expect(new Set(records.map((r) => `${r.namespace} ${r.id}`)).size).toBe(16);
    for (const r of records) expect(feedRecordSchema.safeParse(r).success).toBe(true);
    const zlib = records.find((r) => r.id === 'CVE-2022-37434');
    expect(zlib?.affected).toEqual([
      { package: 'zlib', scheme: 'apk', ranges: [{ events: [{ introduced: '0' }, { fixed: '1.2.12-r2' }] }], versions: [], fix: { state: 'fixed', versions: ['1.2.12-r2'] }, advisories: [] },
    ]);
    expect(records.filter((r) => r.id === 'CVE-2018-1071' || r.id === 'CVE-2018-1083').map((r) => r.affected[0]?.fix.versions)).toEqual([['5.4.2-r1'], ['5.4.2-r1']]);
    expect(records.find((r) => r.id === 'CVE-2019-9210')?.affected[0]?.package).toBe('advancecomp');
  });

  it('reads the YAML form exactly like the JSON form', async () => {
    const snap = dirSnapshot(fixtures);
    const only = (ext: string) => ({ ...snap, list: async () => (await snap.list()).filter((n) => n.endsWith(ext)) });
    const fromJson = await collect(alpine.parse(only('.json'), config));
    const fromYaml = await collect(alpine.parse(only('.yaml'), config));
    expect(fromJson).toHaveLength(16);
    expect(fromYaml).toEqual(fromJson);
  });

  it('skips "0" (never affected), splits multi-id lines, merges repos and skips odd packages', async () => {
    const doc = (repo: string, packages: unknown[]) => JSON.stringify({ reponame: repo, distroversion: 'v3.20', packages });
    const snap = await snapshotOf({
      'v3.20/main.json': doc('main', [
        { pkg: { name: 'curl', secfixes: { '0': ['CVE-2023-1111'], '8.0.1-r0': ['CVE-2023-2222 CVE-2023-3333', 'CVE-2023-4444 (only with http3)'], '8.1.0-r0': ['CVE-2023-2222'] } } },
        { pkg: { name: 'empty', secfixes: null } },
        { nonsense: true },
      ]),
      'v3.20/community.json': doc('community', [{ pkg: { name: 'curl-extra', secfixes: { '1.0-r0': ['CVE-2023-3333'] } } }]),
    });
    const records = vulns(await snap.records());
    expect(records.map((r) => r.id)).toEqual(['CVE-2023-2222', 'CVE-2023-3333', 'CVE-2023-4444']);
    expect(records.every((r) => r.namespace === 'alpine:3.20')).toBe(true);
    expect(records[0]?.affected[0]?.fix.versions).toEqual(['8.0.1-r0', '8.1.0-r0']);
    expect(records[1]?.affected.map((a) => a.package)).toEqual(['curl-extra', 'curl']);
    await snap.cleanup();
  });

  it('fails with the driver id and file on malformed JSON and YAML', async () => {
    const bad = await snapshotOf({ 'v3.20/main.json': '{"packages": [' });
    await expect(bad.records()).rejects.toThrow(/^alpine: v3\.20\/main\.json: not valid JSON/);
    await bad.cleanup();
    const badYaml = await snapshotOf({ 'v3.20/main.yaml': 'packages: [\n  - pkg: {name: x\n' });
    await expect(badYaml.records()).rejects.toThrow(/^alpine: v3\.20\/main\.yaml: not valid YAML/);
    await badYaml.cleanup();
    const wrong = await snapshotOf({ 'v3.20/main.json': '{"pkgs": []}' });
    await expect(wrong.records()).rejects.toThrow(/^alpine: v3\.20\/main\.json: not a secdb document: packages/);
    await wrong.cleanup();
  });
});

describe('alpine fetch', () => {
  it('downloads <base>/<branch>/<repo>.json, then costs one 304 per file when nothing changed', async () => {
    const { dir, cleanup } = await tempDir('alpine-fetch');
    const { http } = fastHttp();
    const ctx = fetchContext(alpine, { baseUrl: `${server.url}/`, workdir: dir, http, config: { branches: ['3.15'] } });
    const first = await alpine.fetch(ctx, null);
    expect(first).not.toBe('unchanged');
    expect(server.requests.slice(-2).map((r) => r.path)).toEqual(['/v3.15/main.json', '/v3.15/community.json']);
    expect(await collect(alpine.parse(dirSnapshot(dir), ctx.config))).toHaveLength(16);
    const { dir: dir2, cleanup: cleanup2 } = await tempDir('alpine-fetch2');
    const again = await alpine.fetch({ ...ctx, workdir: dir2 }, first === 'unchanged' ? null : first);
    expect(again).toBe('unchanged');
    expect(server.requests.slice(-2).map((r) => r.status)).toEqual([304, 304]);
    await cleanup();
    await cleanup2();
  });

  it('refetches unchanged files in full when another one changed, so the snapshot is complete', async () => {
    const { dir, cleanup } = await tempDir('alpine-partial');
    const { http } = fastHttp();
    const ctx = fetchContext(alpine, { baseUrl: server.url, workdir: dir, http, config: { branches: ['v3.15'] } });
    const first = await alpine.fetch(ctx, null);
    const main = JSON.parse(await readFile(join(fixtures, 'v3.15/main.json'), 'utf8')) as { packages: unknown[] };
    server.route('/v3.15/main.json', () => ({ body: JSON.stringify({ ...main, packages: main.packages.slice(0, 1) }) }));
    const { dir: next, cleanup: cleanupNext } = await tempDir('alpine-partial2');
    const before = server.requests.length;
    const second = await alpine.fetch({ ...ctx, workdir: next }, first === 'unchanged' ? null : first);
    expect(server.requests.slice(before).map((r) => [r.path, r.status, r.headers['if-none-match'] !== undefined])).toEqual([
      ['/v3.15/main.json', 200, true],
      ['/v3.15/community.json', 304, true],
      ['/v3.15/community.json', 200, false],
    ]);
    expect(second).not.toBe('unchanged');
    // xz's one CVE from main plus community's three.
    expect(await collect(alpine.parse(dirSnapshot(next), ctx.config))).toHaveLength(4);
    await cleanup();
    await cleanupNext();
  });

  it('retries a 500 and a 429 with Retry-After, and names itself when the upstream stays down', async () => {
    const { dir, cleanup } = await tempDir('alpine-fail');
    const { http, delays } = fastHttp();
    const ctx = fetchContext(alpine, { baseUrl: server.url, workdir: dir, http, config: { branches: ['v3.15'], repos: ['main'] } });
    server.fail('/v3.15/main.json', { status: 500, times: 1 });
    server.fail('/v3.15/main.json', { status: 429, times: 1, headers: { 'retry-after': '3' } });
    expect(await alpine.fetch(ctx, null)).toMatchObject({ state: { files: { 'v3.15/main.json': {} } } });
    expect(delays).toEqual([1000, 3000]);
    server.fail('/v3.15/main.json', { status: 503, times: 4 });
    await expect(alpine.fetch(ctx, null)).rejects.toThrow(/^alpine: GET http:\/\/127\.0\.0\.1:\d+\/v3\.15\/main\.json: HTTP 503 \(after 4 attempts\)/);
    server.fail('/v3.15/main.json', { status: 200, times: 1, body: '<html>maintenance</html>' });
    await alpine.fetch(ctx, null);
    await expect(collect(alpine.parse(dirSnapshot(dir), ctx.config))).rejects.toThrow(/^alpine: v3\.15\/main\.json: not valid JSON/);
    await cleanup();
  });
});
