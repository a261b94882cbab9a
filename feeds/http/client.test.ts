import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startUpstreamServer, type UpstreamServer } from '../../test/support/upstream-server.js';
import { tempDir } from '../../test/support/feeds.js';
import { createHttpClient, HttpError, type HttpClientOptions } from './index.js';
import { backoffDelay, parseRetryAfter } from './retry.js';

let server: UpstreamServer;
let root: string;
let cleanup: () => Promise<void>;

beforeAll(async () => {
  ({ dir: root, cleanup } = await tempDir('http'));
  await mkdir(join(root, 'data'), { recursive: true });
  await writeFile(join(root, 'data/small.json'), '{"hello":"world"}');
  await writeFile(join(root, 'data/big.bin'), Buffer.alloc(300_000, 7));
  server = await startUpstreamServer(root);
});

afterAll(async () => {
  await server.close();
  await cleanup();
});

function client(extra: HttpClientOptions = {}): { http: ReturnType<typeof createHttpClient>; delays: number[] } {
  const delays: number[] = [];
  const http = createHttpClient({ retries: 3, backoffMs: 1000, random: () => 1, sleep: async (ms) => void delays.push(ms), ...extra });
  return { http, delays };
}

function hits(path: string): number {
  return server.requests.filter((r) => r.path === path).length;
}

describe('createHttpClient', () => {
  it('gets a body with lower-cased headers and sends its User-Agent', async () => {
    const { http } = client({ userAgent: 'airlock-test/1' });
    const res = await http.get(`${server.url}/data/small.json`);
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body.toString())).toEqual({ hello: 'world' });
    expect(res.headers.etag).toMatch(/^"[0-9a-f]{32}"$/);
    expect(server.requests.at(-1)?.headers['user-agent']).toBe('airlock-test/1');
  });

  it('answers 304 with an empty body when the ETag still matches', async () => {
    const { http } = client();
    const first = await http.get(`${server.url}/data/small.json`);
    const second = await http.get(`${server.url}/data/small.json`, { etag: first.headers.etag });
    expect(second.status).toBe(304);
    expect(second.body.length).toBe(0);
    expect(server.requests.at(-1)?.headers['if-none-match']).toBe(first.headers.etag);
    const stale = await http.get(`${server.url}/data/small.json`, { etag: '"other"', lastModified: 'Wed, 21 Oct 2015 07:28:00 GMT' });
    expect(stale.status).toBe(200);
    expect(server.requests.at(-1)?.headers['if-modified-since']).toBe('Wed, 21 Oct 2015 07:28:00 GMT');
  });

  it('retries 500s with exponential backoff, then succeeds', async () => {
    server.fail('/data/retry.json', { status: 500, times: 2 });
    await writeFile(join(root, 'data/retry.json'), '[1]');
    const { http, delays } = client();
    const res = await http.get(`${server.url}/data/retry.json`);
    expect(res.body.toString()).toBe('[1]');
    expect(hits('/data/retry.json')).toBe(3);
    expect(delays).toEqual([1000, 2000]);
  });

  it('honours Retry-After in seconds and as an HTTP date, capped', async () => {
    server.fail('/data/small.json', { status: 429, times: 1, headers: { 'retry-after': '7' } });
    server.fail('/data/small.json', { status: 503, times: 1, headers: { 'retry-after': 'Thu, 01 Jan 2026 00:00:30 GMT' } });
    server.fail('/data/small.json', { status: 429, times: 1, headers: { 'retry-after': '86400' } });
    const { http, delays } = client({ now: () => Date.parse('2026-01-01T00:00:00Z'), maxRetryAfterMs: 60_000 });
    const res = await http.get(`${server.url}/data/small.json`);
    expect(res.status).toBe(200);
    expect(delays).toEqual([7000, 30_000, 60_000]);
  });

  it('gives up after the configured retries with the status in the error', async () => {
    server.fail('/data/down.json', { status: 502, times: 3 });
    const { http, delays } = client({ retries: 2 });
    const err = await http.get(`${server.url}/data/down.json`).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HttpError);
    expect((err as HttpError).httpStatus).toBe(502);
    expect((err as HttpError).code).toBe('UPSTREAM_HTTP');
    expect((err as HttpError).message).toMatch(/HTTP 502 \(after 3 attempts\)/);
    expect(delays).toHaveLength(2);
  });

  it('does not retry a 404', async () => {
    const { http, delays } = client();
    const before = hits('/data/missing.json');
    await expect(http.get(`${server.url}/data/missing.json`)).rejects.toThrow(/HTTP 404$/);
    expect(hits('/data/missing.json') - before).toBe(1);
    expect(delays).toEqual([]);
  });

  it('retries a dropped connection', async () => {
    server.fail('/data/reset.json', { reset: true, times: 1 });
    await writeFile(join(root, 'data/reset.json'), '{}');
    const { http, delays } = client();
    expect((await http.get(`${server.url}/data/reset.json`)).body.toString()).toBe('{}');
    expect(delays).toHaveLength(1);
  });

  it('follows redirects and decodes gzip bodies', async () => {
    server.route('/moved', () => ({ status: 302, body: '', headers: { location: '/zipped' } }));
    server.route('/zipped', () => ({ body: gzipSync('{"z":1}'), headers: { 'content-encoding': 'gzip' } }));
    const { http } = client();
    const res = await http.get(`${server.url}/moved`);
    expect(JSON.parse(res.body.toString())).toEqual({ z: 1 });
  });

  it('downloads to a file without leaving a .part behind, and reports bytes', async () => {
    const seen: number[] = [];
    const { http } = client({ onBytes: (_url, done) => seen.push(done) });
    const { dir, cleanup: done } = await tempDir('dl');
    const file = join(dir, 'nested/big.bin');
    const res = await http.download(`${server.url}/data/big.bin`, file);
    expect(res.status).toBe(200);
    expect((await readFile(file)).equals(Buffer.alloc(300_000, 7))).toBe(true);
    expect(existsSync(`${file}.part`)).toBe(false);
    expect(seen.at(-1)).toBe(300_000);
    const again = await http.download(`${server.url}/data/big.bin`, join(dir, 'second.bin'), { etag: res.headers.etag });
    expect(again.status).toBe(304);
    expect(existsSync(join(dir, 'second.bin'))).toBe(false);
    await done();
  });

  it('enforces the size cap on announced and on streamed (decoded) bodies, without retrying', async () => {
    const { dir, cleanup: done } = await tempDir('cap');
    const { http, delays } = client({ maxDownloadBytes: 100_000, maxBodyBytes: 100_000 });
    await expect(http.download(`${server.url}/data/big.bin`, join(dir, 'big.bin'))).rejects.toThrow(/larger than the 100000-byte cap/);
    expect(existsSync(join(dir, 'big.bin'))).toBe(false);
    expect(existsSync(join(dir, 'big.bin.part'))).toBe(false);
    server.route('/bomb', () => ({ body: gzipSync(Buffer.alloc(1_000_000)), headers: { 'content-encoding': 'gzip' } }));
    await expect(http.get(`${server.url}/bomb`)).rejects.toThrow(/cap/);
    expect(delays).toEqual([]);
    await done();
  });

  it('stops at once when its signal aborts', async () => {
    const controller = new AbortController();
    controller.abort();
    const { http, delays } = client({ signal: controller.signal });
    await expect(http.get(`${server.url}/data/small.json`)).rejects.toThrow(/aborted/);
    expect(delays).toEqual([]);
  });

  it('times out a response that never completes, and retries it', async () => {
    const silent = createServer(() => undefined);
    await new Promise<void>((done) => silent.listen(0, '127.0.0.1', done));
    const { port } = silent.address() as AddressInfo;
    const { http, delays } = client({ timeoutMs: 150, retries: 1 });
    await expect(http.get(`http://127.0.0.1:${port}/x`)).rejects.toThrow(/no complete response within 150 ms \(after 2 attempts\)/);
    expect(delays).toHaveLength(1);
    silent.closeAllConnections();
    await new Promise((done) => silent.close(done));
  });
});

describe('retry arithmetic', () => {
  it('reads Retry-After forms and ignores junk', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(parseRetryAfter('12', now)).toBe(12_000);
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:01:00 GMT', now)).toBe(60_000);
    expect(parseRetryAfter('Wed, 31 Dec 2025 00:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
  });

  it('doubles the backoff up to its cap, with jitter between half and all of a step', () => {
    expect([0, 1, 2, 3, 10].map((n) => backoffDelay(n, 1000, 5000, () => 1))).toEqual([1000, 2000, 4000, 5000, 5000]);
    expect(backoffDelay(2, 1000, 5000, () => 0)).toBe(2000);
  });
});
