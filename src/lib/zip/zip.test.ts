import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { collect, tempDir } from '../../../test/support/feeds.js';
import { bufferReader } from '../random-reader.js';
import { readZip } from './read-zip.js';
import { readZipEntry, zipEntries, ZipError } from './zip.js';

const text = (s: string) => new TextEncoder().encode(s);
const decode = (u: Uint8Array) => new TextDecoder().decode(u);

/** Rewrites a plain zip's end record into the zip64 form (zip64 record + locator + saturated classic record). */
function toZip64(zip: Uint8Array): Buffer {
  const buf = Buffer.from(zip);
  const eocd = buf.length - 22;
  const count = buf.readUInt16LE(eocd + 10);
  const size = buf.readUInt32LE(eocd + 12);
  const offset = buf.readUInt32LE(eocd + 16);
  const record = Buffer.alloc(56);
  record.writeUInt32LE(0x06064b50, 0);
  record.writeBigUInt64LE(44n, 4);
  record.writeBigUInt64LE(BigInt(count), 24);
  record.writeBigUInt64LE(BigInt(count), 32);
  record.writeBigUInt64LE(BigInt(size), 40);
  record.writeBigUInt64LE(BigInt(offset), 48);
  const locator = Buffer.alloc(20);
  locator.writeUInt32LE(0x07064b50, 0);
  locator.writeBigUInt64LE(BigInt(eocd), 8);
  locator.writeUInt32LE(1, 16);
  const end = Buffer.from(buf.subarray(eocd));
  end.writeUInt16LE(0xffff, 8);
  end.writeUInt16LE(0xffff, 10);
  end.writeUInt32LE(0xffffffff, 12);
  end.writeUInt32LE(0xffffffff, 16);
  return Buffer.concat([buf.subarray(0, eocd), record, locator, end]);
}

describe('readZip', () => {
  it('reads deflated and stored entries in order, skipping directories, also through zip64 end records', async () => {
    const { dir, cleanup } = await tempDir('zip');
    const zip = zipSync({ 'a.json': [text('{"a":1}'.repeat(50)), { level: 9 }], 'sub/': new Uint8Array(), 'b.txt': [text('plain'), { level: 0 }] });
    for (const [name, bytes] of [['plain.zip', zip], ['z64.zip', toZip64(zip)]] as const) {
      await writeFile(join(dir, name), bytes);
      const entries = await collect(readZip(join(dir, name), 1 << 20));
      expect(entries.map((e) => [e.name, decode(e.data).slice(0, 7)])).toEqual([['a.json', '{"a":1}'], ['b.txt', 'plain']]);
    }
    await cleanup();
  });

  it('refuses a stored entry whose bytes no longer match its CRC-32', async () => {
    const { dir, cleanup } = await tempDir('zip-crc');
    const zip = Buffer.from(zipSync({ 'c.json': [text('{"checked":true}'), { level: 0 }] }));
    zip[zip.indexOf('checked') + 1]! ^= 0x20;
    await writeFile(join(dir, 'crc.zip'), zip);
    await expect(collect(readZip(join(dir, 'crc.zip'), 1 << 20))).rejects.toThrow(/size or CRC mismatch/);
    await cleanup();
  });

  it('refuses an entry over the size cap before inflating it', async () => {
    const { dir, cleanup } = await tempDir('zip-cap');
    await writeFile(join(dir, 'bomb.zip'), zipSync({ 'bomb.json': new Uint8Array(5_000_000) }));
    await expect(collect(readZip(join(dir, 'bomb.zip'), 1_000_000))).rejects.toThrow(/^bomb\.json: 5000000 bytes uncompressed, over the 1000000-byte cap/);
    await cleanup();
  });
});

describe('zipEntries', () => {
  const zip = Buffer.from(zipSync({ 'a.txt': text('a'), 'b.txt': text('b'), 'c.txt': text('c') }));

  it('refuses a central directory over its caps before reading it', async () => {
    await expect(zipEntries(bufferReader(zip), { maxEntries: 2, maxDirectoryBytes: 1 << 20 })).rejects.toThrow(/zip directory too large \(3 entries/);
    await expect(zipEntries(bufferReader(zip), { maxEntries: 10, maxDirectoryBytes: 16 })).rejects.toThrow(/zip directory too large/);
    expect((await zipEntries(bufferReader(zip), { maxEntries: 3, maxDirectoryBytes: 1 << 20 })).map((e) => e.name)).toEqual(['a.txt', 'b.txt', 'c.txt']);
  });

  it('names what is wrong with a truncated or foreign file', async () => {
    await expect(zipEntries(bufferReader(zip.subarray(0, zip.length - 30)), { maxEntries: 10, maxDirectoryBytes: 1 << 20 })).rejects.toThrow(/not a zip archive|damaged|beyond the end/);
    await expect(zipEntries(bufferReader(Buffer.from('just text')), { maxEntries: 10, maxDirectoryBytes: 1 << 20 })).rejects.toThrow(ZipError);
  });
});

describe('readZipEntry against entries that lie about their size', () => {
  /** A zip of `bytes` zeros whose central directory declares `declared` uncompressed bytes. */
  function lying(bytes: number, declared: number): Buffer {
    const zip = Buffer.from(zipSync({ 'pom.properties': new Uint8Array(bytes) }));
    zip.writeUInt32LE(declared, zip.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02])) + 24);
    return zip;
  }
  const limits = { maxEntries: 10, maxDirectoryBytes: 1 << 20 };
  const read = async (zip: Buffer) => {
    const reader = bufferReader(zip);
    const [entry] = await zipEntries(reader, limits);
    return readZipEntry(reader, entry!, 1 << 20);
  };

  it('refuses a compressed stream far larger than its declared output without inflating it', async () => {
    await expect(read(lying(16 << 20, 1))).rejects.toThrow(/^pom\.properties: \d+ compressed bytes for 1 uncompressed \(corrupt entry\)/);
  });

  it('stops inflating at the declared size', async () => {
    await expect(read(lying(1 << 20, 2048))).rejects.toThrow(/^pom\.properties: cannot inflate/);
  });
});
