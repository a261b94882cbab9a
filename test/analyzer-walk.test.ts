import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { FileCataloger, StreamInspector } from '../src/analyzer/types.js';
import { secretSearch, type SecretSearch } from '../src/analyzer/secrets/scanner.js';
import { walkLayers, type LayerStream } from '../src/analyzer/walk/walker.js';
import { sha256, tarOf, type RawEntry } from './analyzer-fixtures.js';

function layer(entries: RawEntry[], compress: (b: Buffer) => Buffer = (b) => b, chunk = 7000): LayerStream {
  const tar = tarOf(entries);
  const stored = compress(tar);
  return {
    label: 'layer',
    diffId: sha256(tar),
    // Odd chunk sizes split headers and data across pushes, as real streams do.
    open: async () => (async function* () {
      for (let i = 0; i < stored.length; i += chunk) yield stored.subarray(i, i + chunk);
    })(),
  };
}

function keeper(paths: string[], maxBytes = 1 << 20): FileCataloger {
  return { id: 'keep', kind: 'file', maxBytes, wants: (p) => paths.includes(p), catalog: async () => ({ packages: [], warnings: [] }) };
}

function counter(): StreamInspector<number> & { seen: string[] } {
  const seen: string[] = [];
  return {
    id: 'count',
    kind: 'stream',
    seen,
    wants: (p) => p.startsWith('/data/'),
    async inspect(path, chunks) {
      seen.push(path);
      let n = 0;
      for await (const c of chunks) n += c.length;
      if (path.endsWith('boom')) throw new Error('inspector exploded');
      return n;
    },
    finish: async () => ({ packages: [], warnings: [] }),
  };
}

async function walk(layers: LayerStream[], catalogers: Array<FileCataloger | StreamInspector<number>> = [], secrets?: SecretSearch) {
  const warnings: string[] = [];
  const result = await walkLayers(layers, { catalogers, secrets, tempDir: '/nonexistent', maxExpandedBytes: 1 << 30, warn: (_k, m) => warnings.push(m) });
  return { ...result, warnings };
}

describe('layer walk', () => {
  it('applies .wh. and opaque whiteouts only to lower layers', async () => {
    const { tree } = await walk([
      layer([
        { name: 'etc/', type: '5', mode: 0o755 },
        { name: 'etc/keep', data: 'k' },
        { name: 'etc/gone', data: 'g' },
        { name: 'opq/', type: '5' },
        { name: 'opq/old', data: 'o' },
        { name: 'opq/sub/deep', data: 'd' },
      ]),
      layer([
        { name: 'etc/.wh.gone' },
        { name: 'opq/new', data: 'n' },
        { name: 'opq/.wh..wh..opq' },
      ]),
    ]);
    const paths = [...tree.entries()].map((e) => e.path);
    expect(paths).toEqual(['/', '/etc', '/etc/keep', '/opq', '/opq/new']);
    expect(tree.get('/opq/new')!.layer).toBe(1);
  });

  it('hashes every regular file while streaming, through gzip and zstd alike', async () => {
    const big = Buffer.alloc(300_000, 'x');
    const entries: RawEntry[] = [{ name: 'a', data: 'hello' }, { name: 'big', data: big }, { name: 'empty', data: '' }];
    const zstd = (b: Buffer) => {
      const res = spawnSync('zstd', ['-q', '-c'], { input: b });
      if (res.status !== 0) throw new Error('zstd (apt package zstd) is required');
      return res.stdout;
    };
    for (const compress of [undefined, gzipSync, zstd]) {
      const { tree, layers } = await walk([layer(entries, compress)]);
      expect(tree.get('/a')!.sha256).toBe(createHash('sha256').update('hello').digest('hex'));
      expect(tree.get('/big')!.sha256).toBe(createHash('sha256').update(big).digest('hex'));
      expect(tree.get('/empty')!.sha256).toBe(createHash('sha256').digest('hex'));
      expect(layers[0]!.uncompressedSize).toBe(tarOf(entries).length);
      expect(layers[0]!.compression).toBe(compress === gzipSync ? 'gzip' : compress ? 'zstd' : 'none');
    }
  });

  it('resolves symlinks and hardlinks inside the root; loops resolve to nothing', async () => {
    const { tree } = await walk([
      layer([
        { name: 'etc/passwd', data: 'root:x:0:0::/root:/bin/sh\n' },
        { name: 'usr/bin/tool', data: 'bin' },
        { name: 'bin', type: '2', linkName: 'usr/bin' },
        { name: 'evil', type: '2', linkName: '../../../../../etc/passwd' },
        { name: 'abs', type: '2', linkName: '/etc/passwd' },
        { name: 'loop1', type: '2', linkName: 'loop2' },
        { name: 'loop2', type: '2', linkName: 'loop1' },
        { name: 'hard', type: '1', linkName: 'usr/bin/tool' },
      ]),
    ]);
    expect(tree.resolve('/bin/tool')?.path).toBe('/usr/bin/tool');
    expect(tree.resolve('/evil')?.path).toBe('/etc/passwd');
    expect(tree.resolve('/abs')?.path).toBe('/etc/passwd');
    expect(tree.resolve('/loop1')).toBeUndefined();
    expect(tree.resolve('/hard')?.path).toBe('/usr/bin/tool');
    expect(tree.get('/hard')).toMatchObject({ kind: 'hardlink', size: 3, sha256: tree.get('/usr/bin/tool')!.sha256 });
  });

  it('keeps content only for wanted files, drops it when overwritten or whited out, and respects maxBytes', async () => {
    const keep = keeper(['/keep/a', '/keep/b', '/keep/c', '/keep/big'], 10);
    const { tree, warnings } = await walk(
      [
        layer([{ name: 'keep/a', data: 'first' }, { name: 'keep/b', data: 'bee' }, { name: 'keep/c', data: 'sea' }, { name: 'other', data: 'x' }, { name: 'keep/big', data: 'way too large' }]),
        layer([{ name: 'keep/a', data: 'second' }, { name: 'keep/.wh.b' }, { name: 'keep/c', type: '2', linkName: '/other' }]),
      ],
      [keep],
    );
    expect(tree.content('/keep/a')?.toString()).toBe('second');
    expect(tree.content('/keep/b')).toBeUndefined();
    expect(tree.content('/keep/c')).toBeUndefined();
    expect(tree.content('/other')).toBeUndefined();
    expect(tree.content('/keep/big')).toBeUndefined();
    expect(warnings.join('\n')).toMatch(/keep: \/keep\/big is 13 bytes, above the 10-byte limit/);
  });

  it('pipes bytes to stream inspectors and keeps results only for surviving paths', async () => {
    const inspector = counter();
    const { inspections, warnings } = await walk(
      [
        layer([{ name: 'data/one', data: Buffer.alloc(100_000, 1) }, { name: 'data/two', data: 'xy' }, { name: 'data/boom', data: 'z' }, { name: 'skip', data: 'q' }]),
        layer([{ name: 'data/.wh.two' }]),
      ],
      [inspector],
    );
    expect(inspector.seen.sort()).toEqual(['/data/boom', '/data/one', '/data/two']);
    expect([...inspections.get('count')!]).toEqual([['/data/one', 100_000]]);
    expect(warnings.join('\n')).toContain('count: /data/boom: inspector exploded');
  });

  it('reports secrets found by the hashing worker only for files that survive', async () => {
    const key = (n: number) => `key = AKIA${String(n).repeat(16)}\n`;
    const { secrets } = await walk(
      [
        layer([{ name: 'a/gone', data: key(1) }, { name: 'b/kept', data: `x\n${key(2)}` }, { name: 'c/rewritten', data: key(3) }, { name: 'd/bin', data: Buffer.concat([Buffer.from([0]), Buffer.from(key(4))]) }]),
        layer([{ name: 'a/.wh.gone' }, { name: 'c/rewritten', data: 'clean now' }]),
      ],
      [],
      secretSearch(),
    );
    expect(secrets).toEqual([{ rule: 'aws-access-key-id', path: '/b/kept', line: 2, redacted: 'AKIA…' }]);
  });

  it('fails on a layer whose content does not match its diff_id', async () => {
    const bad = { ...layer([{ name: 'a', data: 'a' }]), diffId: sha256('something else') };
    await expect(walk([bad])).rejects.toThrow(/analysis failed: layer: uncompressed content does not match diff_id/);
  });
});
