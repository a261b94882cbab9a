import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { analyzeImage, type AnalysisDocument } from '../src/analyzer/index.js';
import type { FileCataloger } from '../src/analyzer/types.js';
import { dockerArchive, ociDir, sha256, tarOf, type RawEntry } from './analyzer-fixtures.js';

let base: string;
let tempRoot: string;
let n = 0;

beforeAll(() => {
  base = mkdtempSync(join(tmpdir(), 'airlock-hostile-'));
});
afterAll(() => rmSync(base, { recursive: true, force: true }));

/** Keeps every file it is offered so containment of kept content is visible too. */
const keepAll: FileCataloger = { id: 'keep', kind: 'file', maxBytes: 1 << 20, wants: () => true, catalog: async () => ({ packages: [], warnings: [] }) };

function image(layers: Array<RawEntry[] | { tar: Buffer; stored?: Buffer }>): string {
  const dir = join(base, `img${n++}`);
  return dockerArchive(dir, layers.map((l) => (Array.isArray(l) ? { tar: tarOf(l) } : l)));
}

/** Runs an analysis in a fresh temp root and checks it left nothing behind there. */
async function analyze(source: string, options: { maxExpandedBytes?: number } = {}): Promise<AnalysisDocument> {
  tempRoot = mkdtempSync(join(base, 'tmp-'));
  try {
    return await analyzeImage(source, { catalogers: [keepAll], tempRoot, ...options });
  } finally {
    expect(readdirSync(tempRoot)).toEqual([]);
  }
}

// Real images and spawned CLIs: generous time on a loaded machine.
vi.setConfig({ testTimeout: 180_000 });

describe('hostile images', () => {
  it('contains `..` and absolute entry names: skipped with a warning or kept inside the root', async () => {
    const doc = await analyze(image([[{ name: '../../../../tmp/airlock-escape', data: 'x' }, { name: '/etc/abs', data: 'a' }, { name: 'a/../../b', data: 'b' }]]));
    expect(doc.files.map((f) => f.path)).toEqual(['/etc', '/etc/abs']);
    expect(doc.warnings.join('\n')).toMatch(/skipped '..\/..\/..\/..\/tmp\/airlock-escape': path climbs out of the image root/);
    expect(doc.warnings.join('\n')).toMatch(/skipped 'a\/..\/..\/b'/);
    expect(existsSync('/tmp/airlock-escape')).toBe(false);
  });

  it('resolves links that point outside the root back inside it, and survives link loops', async () => {
    const doc = await analyze(
      image([
        [
          { name: 'etc/passwd', data: 'root:x:0:0:root:/root:/bin/sh\n' },
          { name: 'escape', type: '2', linkName: '../../../../../../etc/shadow' },
          { name: 'loop-a', type: '2', linkName: 'loop-b' },
          { name: 'loop-b', type: '2', linkName: 'loop-a' },
          { name: 'loop-a/x/file', data: 'through a loop' },
          { name: 'hard-out', type: '1', linkName: '../../etc/shadow' },
        ],
      ]),
    );
    const byPath = new Map(doc.files.map((f) => [f.path, f]));
    expect(byPath.get('/escape')).toMatchObject({ kind: 'symlink', linkTarget: '../../../../../../etc/shadow' });
    expect(byPath.has('/loop-a/x/file')).toBe(false);
    expect(byPath.has('/hard-out')).toBe(false);
    expect(doc.warnings.join('\n')).toMatch(/skipped '\/loop-a\/x\/file': its parent is not a directory inside the image/);
    expect(doc.warnings.join('\n')).toMatch(/skipped hardlink '\/hard-out': target climbs out/);
  });

  it('records device nodes and FIFOs without creating them', async () => {
    const doc = await analyze(image([[{ name: 'dev/null', type: '3', mode: 0o666 }, { name: 'dev/sda', type: '4' }, { name: 'run/fifo', type: '6' }]]));
    expect(doc.files.filter((f) => f.kind !== 'dir').map((f) => [f.path, f.kind])).toEqual([
      ['/dev/null', 'char'],
      ['/dev/sda', 'block'],
      ['/run/fifo', 'fifo'],
    ]);
  });

  it('fails clearly when an entry declares far more bytes than the layer holds', async () => {
    const tar = tarOf([{ name: 'etc/lie', data: 'short', size: 1 << 30 }], { truncate: true });
    await expect(analyze(image([{ tar }]))).rejects.toThrow(/^analysis failed: layer 0 \([0-9a-f]+\): truncated tar: 'etc\/lie' declares more bytes than the stream holds/);
  });

  it('stops a gzip bomb at the expansion cap', async () => {
    const zeros = Buffer.alloc(64 << 20);
    const tar = tarOf([{ name: 'bomb', data: zeros }]);
    const stored = gzipSync(tar, { level: 9 });
    expect(stored.length).toBeLessThan(200_000);
    const started = Date.now();
    await expect(analyze(image([{ tar, stored }]), { maxExpandedBytes: 8 << 20 })).rejects.toThrow(/analysis failed: layer 0 .*expand beyond the limit of 8388608 bytes/);
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('fails clearly on a corrupted gzip stream', async () => {
    const tar = tarOf([{ name: 'a', data: randomBytes(100_000) }]);
    const stored = gzipSync(tar);
    stored.fill(0x55, 4000, 4400);
    await expect(analyze(image([{ tar, stored }]))).rejects.toThrow(/analysis failed: layer 0 .*corrupt gzip stream/);
  });

  it('fails on a blob whose digest does not match, and on a missing blob', async () => {
    const layer = tarOf([{ name: 'a', data: 'a' }]);
    const tampered = ociDir(join(base, 'tampered'), [layer], (blobs) => {
      const [digest] = [...blobs].find(([, b]) => b[0] === 0x1f)!;
      blobs.set(digest, gzipSync(tarOf([{ name: 'a', data: 'b' }])));
    });
    await expect(analyze(tampered)).rejects.toThrow(/analysis failed: oci-dir: (digest mismatch|blob sha256:[0-9a-f]+ (has \d+ bytes|is larger than its declared))/);
    const missing = ociDir(join(base, 'missing'), [layer]);
    unlinkSync(join(base, 'missing/blobs/sha256', sha256(gzipSync(layer)).slice(7)));
    await expect(analyze(missing)).rejects.toThrow(/analysis failed: oci-dir: missing blob sha256:/);
    const manifestLie = ociDir(join(base, 'manifest-lie'), [layer], (blobs) => {
      const [digest, data] = [...blobs].find(([, b]) => b.includes('"schemaVersion":2'))!;
      blobs.set(digest, Buffer.from(data.toString().replace('"schemaVersion":2', '"schemaVersion":2 ')));
    });
    await expect(analyze(manifestLie)).rejects.toThrow(/analysis failed: oci-dir: (digest mismatch|blob sha256:[0-9a-f]+ (has \d+ bytes|is larger than its declared))/);
  });

  it('bounds 10,000-deep directories: paths beyond PATH_MAX are skipped with one summarized warning', async () => {
    const entries: RawEntry[] = [];
    let path = '';
    for (let i = 0; i < 10_000; i++) {
      path += 'd/';
      entries.push({ name: path, type: '5' });
    }
    entries.push({ name: `${path}deep-file`, data: 'bottom' });
    const doc = await analyze(image([entries]));
    expect(doc.files.length).toBe(2048);
    expect(doc.warnings.filter((w) => /name is \d+ characters long \(limit 4096\)/.test(w)).length).toBe(20);
    expect(doc.warnings).toContain("7933 more 'long-path' warnings not shown");
  });

  it('keeps names that are not valid UTF-8 distinct and visible', async () => {
    const doc = await analyze(image([[{ name: Buffer.from([0x61, 0xff, 0x62]), data: '1' }, { name: Buffer.from([0x61, 0xfe, 0x62]), data: '2' }, { name: 'caf\u00e9', data: '3' }]]));
    expect(doc.files.map((f) => f.path).sort()).toEqual(['/a\\xfeb', '/a\\xffb', '/caf\u00e9']);
    expect(doc.warnings.join('\n')).toMatch(/not valid UTF-8; recorded as 'a\\xffb'/);
  });

  it('fails clearly on input that is not an image at all', async () => {
    const file = join(base, 'garbage.tar');
    writeFileSync(file, Buffer.alloc(4096, 0x41));
    await expect(analyze(`docker-archive:${file}`)).rejects.toThrow(/^analysis failed: docker-archive: not a tar stream \(bad header checksum/);
    mkdirSync(join(base, 'empty-dir'));
    await expect(analyze(`oci-dir:${join(base, 'empty-dir')}`)).rejects.toThrow(/^analysis failed: oci-dir: no index.json/);
  });
});
