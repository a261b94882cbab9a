import { afterEach, describe, expect, it } from 'vitest';
import { dialects, freshDatabases } from '../../test/dbs.js';
import { buildServer } from './index.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

describe.each(dialects)('health and version on %s', (dialect) => {
  it('answers 200 while the database answers and 503 once it does not', async () => {
    const { dbs, cleanup } = await freshDatabases(dialect);
    cleanups.push(cleanup);
    const app = await buildServer({ dbs, version: '9.9.9', logger: false });
    const ok = await app.inject({ method: 'GET', url: '/health' });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toEqual({ status: 'ok', db: 'ok' });
    const version = await app.inject({ method: 'GET', url: '/version' });
    expect(version.json()).toEqual({ service: { version: '9.9.9' }, api: { version: 'v1' }, db: { dialect } });
    await dbs.close();
    const down = await app.inject({ method: 'GET', url: '/health' });
    expect(down.statusCode).toBe(503);
    expect(down.json()).toEqual({ status: 'unavailable', db: 'unreachable' });
    await app.close();
  });

  it('answers unknown routes with a coded 404', async () => {
    const { dbs, cleanup } = await freshDatabases(dialect);
    cleanups.push(cleanup);
    const app = await buildServer({ dbs, version: '1', logger: false });
    const res = await app.inject({ method: 'GET', url: '/nope' });
    expect(res.statusCode).toBe(404);
    await app.close();
  });
});
