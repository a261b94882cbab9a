import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rpmCataloger, type RpmDbCopy } from './rpm.js';
import { chunksOf, treeFromFiles } from './testing.js';

let work: string;
const script = join(import.meta.dirname, 'testdata/make-rpmdbs.sh');

/** Debian's rpm listing a database: the oracle for name and [epoch:]version-release. */
function oracle(root: string, backend: string): string[] {
  const out = execFileSync(
    'rpm',
    ['--root', root, '--dbpath', '/var/lib/rpm', '--define', `_db_backend ${backend}`, '-qa', '--qf', '%{NAME} %|EPOCH?{%{EPOCH}:}:{}|%{VERSION}-%{RELEASE}\\n'],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] },
  );
  return out.split('\n').filter(Boolean).sort();
}

/** An ndb Packages.db laid out as rpm's ndb backend writes it (Debian's rpm has no ndb backend to make one). */
function makeNdb(blobs: Buffer[]): Buffer {
  const page = Buffer.alloc(4096);
  page.write('RpmP', 0, 'latin1');
  page.writeUInt32LE(1, 12);
  page.writeUInt32LE(blobs.length + 1, 16);
  for (let at = 32; at < 4096; at += 16) page.write('Slot', at, 'latin1');
  const frames: Buffer[] = [];
  let block = 4096 / 16;
  blobs.forEach((blob, i) => {
    const blocks = Math.ceil((16 + blob.length + 12) / 16);
    const frame = Buffer.alloc(blocks * 16);
    frame.write('BlbS', 0, 'latin1');
    frame.writeUInt32LE(i + 1, 4);
    frame.writeUInt32LE(blob.length, 12);
    blob.copy(frame, 16);
    const tail = frame.length - 12;
    let a = 1;
    let b = 0;
    for (let j = 0; j < tail; j++) {
      a = (a + (frame[j] ?? 0)) % 65521;
      b = (b + a) % 65521;
    }
    frame.writeUInt32LE(((b << 16) | a) >>> 0, tail);
    frame.writeUInt32LE(blob.length, tail + 4);
    frame.write('BlbE', tail + 8, 'latin1');
    const slot = 32 + i * 16;
    page.writeUInt32LE(i + 1, slot + 4);
    page.writeUInt32LE(block, slot + 8);
    page.writeUInt32LE(blocks, slot + 12);
    block += blocks;
    frames.push(frame);
  });
  return Buffer.concat([page, ...frames]);
}

async function run(files: Record<string, Buffer>) {
  const cataloger = rpmCataloger();
  const temp = mkdtempSync(join(work, 'analysis-'));
  const results = new Map<string, RpmDbCopy>();
  for (const [path, bytes] of Object.entries(files)) {
    expect(cataloger.wants(path, bytes.length, 0o644)).toBe(true);
    const copy = await cataloger.inspect(path, chunksOf(bytes, 1000), temp);
    if (copy) results.set(path, copy);
  }
  const tree = treeFromFiles({ ...files, '/etc/os-release': 'ID=rhel\nVERSION_ID=9.4\n' });
  const result = await cataloger.finish(results, tree);
  // Nothing is written outside the per-analysis temp dir.
  expect(readdirSync(work).filter((name) => !name.startsWith('analysis-') && name !== 'dbs')).toEqual([]);
  return result;
}

const show = (p: { name: string; version: string }) => `${p.name} ${p.version}`;

describe('rpm cataloger', () => {
  beforeAll(() => {
    work = mkdtempSync(join(tmpdir(), 'airlock-rpm-test-'));
    execFileSync('bash', [script, join(work, 'dbs')]);
  });
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('reads an rpmdb.sqlite made by rpm and equals rpm -qa', async () => {
    const root = join(work, 'dbs/sqlite');
    const expected = oracle(root, 'sqlite');
    expect(expected).toHaveLength(3);
    const result = await run({ '/var/lib/rpm/rpmdb.sqlite': readFileSync(join(root, 'var/lib/rpm/rpmdb.sqlite')) });
    expect(result.warnings).toEqual([]);
    expect(result.packages.map(show).sort()).toEqual(expected);
    const hello = result.packages.find((p) => p.name === 'hello-airlock');
    expect(hello).toMatchObject({
      version: '2:1.2.3-4.el9',
      source: { name: 'hello-airlock', version: '1.2.3-4.el9' },
      licenses: ['MIT and BSD'],
      locations: ['/var/lib/rpm/rpmdb.sqlite'],
      purl: 'pkg:rpm/redhat/hello-airlock@1.2.3-4.el9?arch=noarch&distro=rhel-9.4&epoch=2&upstream=hello-airlock-1.2.3-4.el9.src.rpm',
    });
  });

  it('reads a Berkeley DB Packages file that rpm (bdb_ro) reads the same way', async () => {
    const root = join(work, 'dbs/bdb');
    const expected = oracle(root, 'bdb_ro');
    expect(expected).toEqual(oracle(join(work, 'dbs/sqlite'), 'sqlite'));
    const result = await run({ '/var/lib/rpm/Packages': readFileSync(join(root, 'var/lib/rpm/Packages')) });
    expect(result.warnings).toEqual([]);
    expect(result.packages.map(show).sort()).toEqual(expected);
  });

  it('reads an ndb Packages.db holding the real headers', async () => {
    const db = new Database(join(work, 'dbs/sqlite/var/lib/rpm/rpmdb.sqlite'), { readonly: true });
    const blobs = (db.prepare('SELECT blob FROM Packages ORDER BY hnum').all() as Array<{ blob: Buffer }>).map((r) => r.blob);
    db.close();
    const result = await run({ '/usr/lib/sysimage/rpm/Packages.db': makeNdb(blobs) });
    expect(result.warnings).toEqual([]);
    expect(result.packages.map(show).sort()).toEqual(oracle(join(work, 'dbs/sqlite'), 'sqlite'));
  });

  it('reports truncated and garbage databases as warnings and keeps going', async () => {
    const bdb = readFileSync(join(work, 'dbs/bdb/var/lib/rpm/Packages'));
    const truncatedBdb = await run({ '/var/lib/rpm/Packages': bdb.subarray(0, bdb.length / 2) });
    expect(truncatedBdb.warnings).toEqual([expect.stringMatching(/^rpm: \/var\/lib\/rpm\/Packages: unreadable database: /)]);

    const garbage = await run({ '/var/lib/rpm/rpmdb.sqlite': Buffer.alloc(8192, 0x5a) });
    expect(garbage.packages).toEqual([]);
    expect(garbage.warnings).toEqual([expect.stringMatching(/^rpm: \/var\/lib\/rpm\/rpmdb.sqlite: unreadable database: /)]);

    const blob = Buffer.from([0, 0, 0, 1, 0, 0, 0, 4, 0, 0, 3, 232, 0, 0, 0, 6, 0, 0, 0, 0, 0, 0, 0, 1, 65, 0, 0, 0]);
    const ndb = makeNdb([blob, blob]);
    ndb.writeUInt8((ndb.readUInt8(ndb.length - 20) ^ 0xff) & 0xff, ndb.length - 20); // corrupt the second blob
    const broken = await run({ '/var/lib/rpm/Packages.db': ndb });
    expect(broken.packages).toEqual([]);
    expect(broken.warnings.sort()).toEqual([
      'rpm: /var/lib/rpm/Packages.db: 1 unreadable package headers skipped',
      'rpm: /var/lib/rpm/Packages.db: package 2: checksum mismatch',
    ]);
  });
});
