import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { collect, dirSnapshot, fastHttp, fetchContext, tempDir } from '../../test/support/feeds.js';
import { startUpstreamServer } from '../../test/support/upstream-server.js';
import { feedRecordSchema } from '../record.js';
import { driverById, drivers } from './index.js';

const here = dirname(fileURLToPath(import.meta.url));
const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const c of cleanups) await c();
});

async function driverFolders(): Promise<string[]> {
  return (await readdir(here, { withFileTypes: true })).filter((e) => e.isDirectory()).map((e) => e.name).sort();
}

describe('driver registry', () => {
  it('has one driver per folder, named like it, ids unique', async () => {
    expect(drivers.map((d) => d.id).sort()).toEqual(await driverFolders());
    expect(new Set(drivers.map((d) => d.id)).size).toBe(drivers.length);
    for (const d of drivers) expect(driverById(d.id)).toBe(d);
    expect(driverById('nope')).toBeUndefined();
  });

  it.each(drivers.map((d) => [d.id, d] as const))('%s has fixtures, a parse test, a description, an https default and a config that accepts {}', async (id, driver) => {
    expect(existsSync(join(here, id, 'fixtures', 'README.md'))).toBe(true);
    const tests = (await readdir(join(here, id))).filter((f) => f.endsWith('.test.ts'));
    const bodies = await Promise.all(tests.map((f) => readFile(join(here, id, f), 'utf8')));
    expect(bodies.some((b) => b.includes(`${id}.parse(`))).toBe(true);
    expect(driver.description.length).toBeGreaterThan(10);
    expect(driver.defaultBaseUrl).toMatch(/^https:\/\//);
    expect(driver.config.safeParse({}).success).toBe(true);
  });

  it.each(drivers.map((d) => [d.id, d] as const))('%s fetches its fixtures from the loopback upstream and parses them into valid records', async (id, driver) => {
    const fixtures = join(here, id, 'fixtures');
    const server = await startUpstreamServer(fixtures);
    const { dir, cleanup } = await tempDir(`contract-${id}`);
    cleanups.push(cleanup, () => server.close());
    const configFile = join(fixtures, 'config.json');
    const config: unknown = existsSync(configFile) ? JSON.parse(await readFile(configFile, 'utf8')) : {};
    const ctx = fetchContext(driver, { baseUrl: server.url, workdir: dir, http: fastHttp().http, config });
    const fingerprint = await driver.fetch(ctx, null);
    expect(fingerprint).toMatchObject({ fetchedAt: expect.any(String), state: expect.any(Object) });
    const records = await collect(driver.parse(dirSnapshot(dir), ctx.config));
    expect(records.length).toBeGreaterThan(0);
    for (const record of records) {
      const result = feedRecordSchema.safeParse(record);
      expect(result.success ? 'valid' : result.error.message).toBe('valid');
      // What parse emits is what the bundle will carry: nothing the schema would strip or default.
      expect(result.data).toEqual(record);
    }
  });
});
