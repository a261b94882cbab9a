import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { root, runCli, runCliAsync } from './cli.js';
import { startUpstreamServer, type UpstreamServer } from './support/upstream-server.js';

interface Status {
  snapshot: { id: string; createdAt: string } | null;
  drivers: Array<{ id: string; state: string; lastError?: string; groups: Array<{ name: string; records: number; fetchedAt: string }> }>;
}

const ids = ['alpine', 'debian', 'nvd', 'osv'] as const;
const work = mkdtempSync(join(tmpdir(), 'airlock-sync-'));
const station = join(work, 'station');
const servers = new Map<string, UpstreamServer>();
let configFile = '';

function fixtures(id: string): string {
  return join(root, 'feeds/drivers', id, 'fixtures');
}

function sync(...extra: string[]) {
  const upstream = ids.flatMap((id) => ['--upstream', `${id}=${servers.get(id)!.url}`]);
  return runCliAsync(['feeds', 'sync', '--config', configFile, '--data-dir', station, ...upstream, ...extra]);
}

function status(dataDir: string): Status {
  const res = runCli(['feeds', 'status', '--json', '--data-dir', dataDir]);
  expect(res.status).toBe(0);
  return JSON.parse(res.stdout) as Status;
}

function records(s: Status, id: string): number {
  return s.drivers.find((d) => d.id === id)?.groups.reduce((n, g) => n + g.records, 0) ?? 0;
}

beforeAll(async () => {
  for (const id of ids) servers.set(id, await startUpstreamServer(fixtures(id)));
  const drivers = Object.fromEntries(ids.map((id) => [id, JSON.parse(readFileSync(join(fixtures(id), 'config.json'), 'utf8')) as unknown]));
  configFile = join(work, 'station.yaml');
  writeFileSync(configFile, stringify({ feeds: { drivers } }));
});
afterAll(async () => {
  for (const s of servers.values()) await s.close();
});

describe('airlock feeds sync on a feed station (upstreams served from real-format fixtures on 127.0.0.1)', () => {
  it('syncs every driver, and a driver that fails neither stops the others nor loses its last good data', async () => {
    // First run: debian's upstream answers garbage; the others sync.
    servers.get('debian')!.fail('/tracker/data/json', { times: 1, body: '{"openssl": {"CVE-2024-0727": ' });
    const first = await sync();
    expect(first.status).toBe(1);
    expect(first.stdout).toMatch(/^debian: failed — debian: /m);
    const afterFirst = status(station);
    expect(afterFirst.drivers.find((d) => d.id === 'debian')).toMatchObject({ state: 'failed', groups: [] });
    for (const id of ['alpine', 'nvd', 'osv']) expect(records(afterFirst, id), id).toBeGreaterThan(0);

    // Second run: the upstream is healthy again (the fault served its one answer).
    const debianRequestsBefore = servers.get('debian')!.requests.length;
    const second = await sync('--driver', 'debian');
    expect(second.status, second.stderr).toBe(0);
    expect(servers.get('debian')!.requests.length).toBeGreaterThan(debianRequestsBefore);
    const good = status(station);
    const debianRecords = records(good, 'debian');
    expect(debianRecords).toBeGreaterThan(0);
    expect(good.drivers.every((d) => d.state === 'ok')).toBe(true);

    // Third run: debian breaks again; its data from the second run stays.
    servers.get('debian')!.fail('/tracker/data/json', { times: 1, body: 'not json at all' });
    const third = await sync('--driver', 'alpine,debian');
    expect(third.status).toBe(1);
    const after = status(station);
    expect(after.drivers.find((d) => d.id === 'debian')).toMatchObject({ state: 'failed' });
    expect(records(after, 'debian')).toBe(debianRecords);
    expect(records(after, 'alpine')).toBe(records(good, 'alpine'));
  });

  it('costs one conditional request per file when nothing changed upstream', async () => {
    const alpine = servers.get('alpine')!;
    const before = alpine.requests.length;
    const res = await sync('--driver', 'alpine');
    expect(res.status, res.stderr).toBe(0);
    expect(res.stdout).toMatch(/^alpine: unchanged$/m);
    const made = alpine.requests.slice(before);
    expect(made.length).toBeGreaterThan(0);
    expect(made.every((r) => r.status === 304 && r.headers['if-none-match'] !== undefined)).toBe(true);
  });

  it('exports what it synced as a signed bundle that an appliance imports with the same counts', () => {
    const keys = join(work, 'keys');
    const keygen = runCli(['feeds', 'keygen', '--out', keys]);
    expect(keygen.status).toBe(0);
    const keyFile = /private key: (\S+)/.exec(keygen.stdout)![1]!;
    const bundle = join(work, 'airlock-feeds.tar');
    const exp = runCli(['feeds', 'export', '--out', bundle, '--key', keyFile, '--data-dir', station]);
    expect(exp.status, exp.stderr).toBe(0);
    const appliance = join(work, 'appliance');
    const imp = runCli(['feeds', 'import', bundle, '--trusted-keys', keys, '--data-dir', appliance]);
    expect(imp.status, imp.stderr).toBe(0);
    // Not a terminal: progress arrives as JSON lines.
    const progress = imp.stdout.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as { phase: string; done: number; total: number });
    expect(progress.at(-1)).toMatchObject({ phase: 'import', finished: true });
    expect(progress.at(-1)!.done).toBe(progress.at(-1)!.total);
    const s = status(station);
    const a = status(appliance);
    expect(a.snapshot).toEqual(s.snapshot);
    for (const id of ids) expect(records(a, id), id).toBe(records(s, id));
    const history = JSON.parse(runCli(['feeds', 'history', '--json', '--data-dir', appliance]).stdout) as Array<{ snapshotId: string }>;
    expect(history.map((h) => h.snapshotId)).toEqual([s.snapshot!.id]);
  });
});
