import { readFile, writeFile, mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collect, dirSnapshot, fastHttp, fetchContext, tempDir } from '../../../test/support/feeds.js';
import { startUpstreamServer, type UpstreamServer } from '../../../test/support/upstream-server.js';
import { feedRecordSchema, type FeedRecord, type VulnerabilityRecord } from '../../record.js';
import { windows } from './fetch.js';
import { nvd } from './index.js';
import { recordOf } from './parse.js';
import { NvdCve } from './schema.js';

const fixtures = join(dirname(fileURLToPath(import.meta.url)), 'fixtures');
const apiPath = '/rest/json/cves/2.0';
let server: UpstreamServer;
let page: { vulnerabilities: unknown[]; [k: string]: unknown };

beforeAll(async () => {
  server = await startUpstreamServer(fixtures);
  page = JSON.parse(await readFile(join(fixtures, 'rest/json/cves/2.0'), 'utf8')) as typeof page;
});
afterAll(() => server.close());

const vulns = (records: FeedRecord[]): VulnerabilityRecord[] => records.filter((r): r is VulnerabilityRecord => r.kind === 'vulnerability');

async function parseFiles(files: Record<string, string>): Promise<VulnerabilityRecord[]> {
  const { dir, cleanup } = await tempDir('nvd');
  for (const [name, body] of Object.entries(files)) {
    await mkdir(dirname(join(dir, name)), { recursive: true });
    await writeFile(join(dir, name), body);
  }
  try {
    return vulns(await collect(nvd.parse(dirSnapshot(dir), nvd.config.parse({}))));
  } finally {
    await cleanup();
  }
}

/** Serves the fixture page the way the API pages: a slice per startIndex/resultsPerPage. */
function pagedRoute(total = page.vulnerabilities.length): void {
  server.route(apiPath, ({ query }) => {
    const start = Number(query.get('startIndex'));
    const size = Number(query.get('resultsPerPage'));
    const items = page.vulnerabilities.slice(0, total).slice(start, start + size);
    return { body: JSON.stringify({ ...page, startIndex: start, resultsPerPage: items.length, totalResults: total, vulnerabilities: items }) };
  });
}

describe('nvd parse', () => {
  it('maps a CVE API 2.0 page, keeping CVSS, severity and CPE configurations', async () => {
    const records = await parseFiles({
      'pages/000000.json': await readFile(join(fixtures, 'rest/json/cves/2.0'), 'utf8'),
      'pages/000001.json': await readFile(join(fixtures, 'api2-cves-single.json'), 'utf8'),
    });
    expect(records).toHaveLength(39);
    for (const r of records) expect(feedRecordSchema.safeParse(r).success).toBe(true);
    expect(records.filter((r) => r.severity === 'Unknown')).toHaveLength(3);
    // 25 of the page's CVEs have configurations, and so does the single one.
    expect(records.filter((r) => r.cpeConfigurations.length > 0)).toHaveLength(26);
    const single = records.at(-1);
    expect(single).toMatchObject({
      id: 'CVE-2022-1576',
      namespace: 'nvd',
      severity: 'Medium',
      published: '2022-07-11T13:15:08.503Z',
      cvss: [
        { source: 'nvd@nist.gov', version: '3.1', vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:U/C:N/I:H/A:N', baseScore: 6.5 },
        { source: 'nvd@nist.gov', version: '2.0', vector: 'AV:N/AC:M/Au:N/C:N/I:P/A:N', baseScore: 4.3 },
      ],
      affected: [],
      cpeConfigurations: [
        {
          operator: 'OR',
          nodes: [{ operator: 'OR', negate: false, cpeMatch: [{ vulnerable: true, criteria: 'cpe:2.3:a:themeisle:wp_maintenance_mode_\\&_coming_soon:*:*:*:*:*:wordpress:*:*', versionEndExcluding: '2.4.5' }] }],
        },
      ],
    });
    expect(single?.urls).toEqual(['https://wpscan.com/vulnerability/68deab46-1c16-46ae-a912-a104958ca4cf']);
  });

  it('prefers NVD\'s Primary v4/v3 score for severity and marks rejected CVEs withdrawn', () => {
    const metric = (type: string, version: string, baseSeverity: string) => ({ source: type === 'Primary' ? 'nvd@nist.gov' : 'cna@example.org', type, cvssData: { version, vectorString: `CVSS:${version}/x`, baseScore: 5, baseSeverity } });
    const cve = NvdCve.parse({
      id: 'CVE-2024-1',
      vulnStatus: 'Rejected',
      lastModified: '2024-02-01T00:00:00.000',
      metrics: { cvssMetricV40: [metric('Secondary', '4.0', 'CRITICAL')], cvssMetricV31: [metric('Primary', '3.1', 'HIGH')], cvssMetricV2: [{ type: 'Primary', baseSeverity: 'LOW', cvssData: { version: '2.0', vectorString: 'AV:N', baseScore: 2 } }] },
    });
    const record = recordOf(cve);
    expect(record).toMatchObject({ severity: 'High', withdrawn: '2024-02-01T00:00:00.000Z' });
    expect(recordOf(NvdCve.parse({ id: 'CVE-2', metrics: { cvssMetricV2: [{ baseSeverity: 'LOW', cvssData: { version: '2.0', vectorString: 'AV:N', baseScore: 2 } }] } })).severity).toBe('Low');
  });

  it('fails with the driver id and page on a malformed page', async () => {
    await expect(parseFiles({ 'pages/000000.json': '{"totalResults": ' })).rejects.toThrow(/^nvd: pages\/000000\.json: not valid JSON/);
    await expect(parseFiles({ 'pages/000000.json': '{"totalResults": 1}' })).rejects.toThrow(/^nvd: pages\/000000\.json: not a CVE API 2\.0 page/);
  });
});

describe('nvd fetch', () => {
  it('pages through a full download with startIndex/resultsPerPage and sends the API key', async () => {
    pagedRoute();
    const { dir, cleanup } = await tempDir('nvd-full');
    const { http } = fastHttp();
    const ctx = fetchContext(nvd, { baseUrl: server.url, workdir: dir, http, config: { apiKey: 'k-123', resultsPerPage: 10, requestDelayMs: 0 } });
    const before = server.requests.length;
    const fp = await nvd.fetch(ctx, null);
    const seen = server.requests.slice(before);
    expect(seen.map((r) => r.query.get('startIndex'))).toEqual(['0', '10', '20', '30']);
    expect(seen.every((r) => r.query.get('resultsPerPage') === '10' && !r.query.has('lastModStartDate') && r.headers.apikey === 'k-123')).toBe(true);
    expect(fp).toMatchObject({ state: { lastModEndDate: expect.any(String), incremental: false } });
    const records = vulns(await collect(nvd.parse(dirSnapshot(dir), ctx.config)));
    expect(records.map((r) => r.id)).toEqual(page.vulnerabilities.map((v) => (v as { cve: { id: string } }).cve.id));
    expect(ctx.reports.at(-1)).toEqual({ phase: 'fetch', done: 38, total: 38, unit: 'records' });
    await cleanup();
  });

  it('fetches incrementally in windows of at most 120 days from the fingerprint', async () => {
    pagedRoute(0);
    const { dir, cleanup } = await tempDir('nvd-inc');
    const { http } = fastHttp();
    const ctx = fetchContext(nvd, { baseUrl: server.url, workdir: dir, http, config: { requestDelayMs: 0 } });
    const since = new Date(Date.now() - 200 * 86_400_000).toISOString();
    const before = server.requests.length;
    expect(await nvd.fetch(ctx, { fetchedAt: since, state: { lastModEndDate: since } })).toBe('unchanged');
    const seen = server.requests.slice(before);
    expect(seen).toHaveLength(2);
    const spans = seen.map((r) => [Date.parse(r.query.get('lastModStartDate') ?? ''), Date.parse(r.query.get('lastModEndDate') ?? '')] as const);
    expect(spans[0]?.[0]).toBe(Date.parse(since));
    expect(spans[1]?.[0]).toBe(spans[0]?.[1]);
    for (const [from, to] of spans) expect(to - from).toBeLessThanOrEqual(120 * 86_400_000);
    expect(seen[0]?.query.get('lastModStartDate')).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+00:00$/);
    pagedRoute(5);
    const fp = await nvd.fetch(ctx, { fetchedAt: since, state: { lastModEndDate: since } });
    expect(fp).toMatchObject({ state: { incremental: true } });
    await cleanup();
  });

  it('splits long spans into windows', () => {
    expect(windows(0, 250 * 86_400_000, 120).map(([a, b]) => (b - a) / 86_400_000)).toEqual([120, 120, 10]);
    expect(windows(5, 5, 120)).toEqual([]);
  });

  it('retries 500 and 429 (Retry-After), and names the page when a body is malformed', async () => {
    pagedRoute();
    const { dir, cleanup } = await tempDir('nvd-bad');
    const { http, delays } = fastHttp();
    const ctx = fetchContext(nvd, { baseUrl: server.url, workdir: dir, http, config: { resultsPerPage: 20, requestDelayMs: 0 } });
    server.fail(apiPath, { status: 500, times: 1 });
    server.fail(apiPath, { status: 429, times: 1, headers: { 'retry-after': '5' } });
    await nvd.fetch(ctx, null);
    expect(delays).toEqual([1000, 5000]);
    server.fail(apiPath, { status: 403, times: 2 });
    await nvd.fetch({ ...ctx, config: { ...ctx.config, rateLimitWaitMs: 0 } }, null);
    expect(server.requests.slice(-4).map((r) => r.status)).toEqual([403, 403, 200, 200]);
    server.fail(apiPath, { status: 403, times: 4 });
    await expect(nvd.fetch({ ...ctx, config: { ...ctx.config, rateLimitWaitMs: 0 } }, null)).rejects.toThrow(/^nvd: page 1: GET .*: HTTP 403$/);
    server.fail(apiPath, { status: 503, times: 4 });
    await expect(nvd.fetch(ctx, null)).rejects.toThrow(/^nvd: page 1: GET .*: HTTP 503 \(after 4 attempts\)/);
    const { dir: dir2, cleanup: cleanup2 } = await tempDir('nvd-bad2');
    pagedRoute();
    let calls = 0;
    server.route(apiPath, ({ query }) => (++calls === 2 ? { body: '{"vulnerabilities": [' } : { body: JSON.stringify({ ...page, startIndex: Number(query.get('startIndex')), totalResults: 38, vulnerabilities: page.vulnerabilities.slice(0, 20) }) }));
    await expect(nvd.fetch({ ...ctx, workdir: dir2 }, null)).rejects.toThrow(/^nvd: page 2: not valid JSON/);
    await cleanup();
    await cleanup2();
  });
});
