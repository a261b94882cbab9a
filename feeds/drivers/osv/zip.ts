import { open, type FileHandle } from 'node:fs/promises';
import { crc32 } from 'node:zlib';
import { inflateSync } from 'fflate';

/**
 * Reads a zip file entry by entry through its central directory, so only one entry is ever in
 * memory (an ecosystem dump holds tens of thousands). Zip64 is understood because the biggest
 * dumps pass 65,535 entries; entry sizes and CRCs are checked so a corrupt entry is reported
 * instead of parsed.
 */

/** One file of the archive. */
export interface ZipEntry {
  /** Path inside the archive. */
  name: string;
  /** Uncompressed bytes. */
  data: Uint8Array;
}

/** A damaged or unsupported archive; `entry` names the culprit when it is one entry. */
export class ZipError extends Error {
  /** The entry at fault, if any. */
  readonly entry: string | undefined;

  constructor(message: string, entry?: string) {
    super(entry === undefined ? message : `${entry}: ${message}`);
    this.entry = entry;
  }
}

async function readAt(fh: FileHandle, position: number, length: number): Promise<Buffer> {
  const buf = Buffer.alloc(length);
  const { bytesRead } = await fh.read(buf, 0, length, position);
  if (bytesRead !== length) throw new ZipError(`truncated archive (wanted ${length} bytes at ${position})`);
  return buf;
}

/** Finds the central directory: offset, size and entry count, from the (zip64) end records. */
async function centralDirectory(fh: FileHandle, size: number): Promise<{ offset: number; length: number; count: number }> {
  const tailLength = Math.min(size, 22 + 0xffff);
  const tail = await readAt(fh, size - tailLength, tailLength);
  let eocd = -1;
  for (let i = tail.length - 22; i >= 0; i--) {
    if (tail.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new ZipError('not a zip archive (no end of central directory record)');
  let count = tail.readUInt16LE(eocd + 10);
  let length = tail.readUInt32LE(eocd + 12);
  let offset = tail.readUInt32LE(eocd + 16);
  const locator = eocd - 20;
  if (locator >= 0 && tail.readUInt32LE(locator) === 0x07064b50) {
    const record = await readAt(fh, Number(tail.readBigUInt64LE(locator + 8)), 56);
    if (record.readUInt32LE(0) !== 0x06064b50) throw new ZipError('bad zip64 end of central directory record');
    count = Number(record.readBigUInt64LE(32));
    length = Number(record.readBigUInt64LE(40));
    offset = Number(record.readBigUInt64LE(48));
  }
  if (offset + length > size) throw new ZipError('central directory lies beyond the end of the file');
  return { offset, length, count };
}

/** Yields the archive's files in directory order; entries larger than `maxEntryBytes` are refused. */
export async function* readZip(file: string, maxEntryBytes: number): AsyncIterable<ZipEntry> {
  const fh = await open(file, 'r');
  try {
    const { size } = await fh.stat();
    const cd = await centralDirectory(fh, size);
    const dir = await readAt(fh, cd.offset, cd.length);
    let p = 0;
    for (let n = 0; n < cd.count; n++) {
      if (p + 46 > dir.length || dir.readUInt32LE(p) !== 0x02014b50) throw new ZipError(`central directory entry ${n} is damaged`);
      const flags = dir.readUInt16LE(p + 8);
      const method = dir.readUInt16LE(p + 10);
      const crc = dir.readUInt32LE(p + 16);
      let compressed = dir.readUInt32LE(p + 20);
      let uncompressed = dir.readUInt32LE(p + 24);
      const nameLength = dir.readUInt16LE(p + 28);
      const extraLength = dir.readUInt16LE(p + 30);
      const commentLength = dir.readUInt16LE(p + 32);
      let local = dir.readUInt32LE(p + 42);
      const name = dir.subarray(p + 46, p + 46 + nameLength).toString('utf8');
      // Zip64 extra field: the 64-bit values follow in this order, each only when its 32-bit slot is saturated.
      const extra = dir.subarray(p + 46 + nameLength, p + 46 + nameLength + extraLength);
      for (let e = 0; e + 4 <= extra.length; e += 4 + extra.readUInt16LE(e + 2)) {
        if (extra.readUInt16LE(e) !== 0x0001) continue;
        let q = e + 4;
        const next = (): number => {
          const v = Number(extra.readBigUInt64LE(q));
          q += 8;
          return v;
        };
        if (uncompressed === 0xffffffff) uncompressed = next();
        if (compressed === 0xffffffff) compressed = next();
        if (local === 0xffffffff) local = next();
      }
      p += 46 + nameLength + extraLength + commentLength;
      if (name.endsWith('/')) continue;
      if (flags & 1) throw new ZipError('encrypted entries are not supported', name);
      if (uncompressed > maxEntryBytes) throw new ZipError(`${uncompressed} bytes uncompressed, over the ${maxEntryBytes}-byte cap`, name);
      const header = await readAt(fh, local, 30);
      if (header.readUInt32LE(0) !== 0x04034b50) throw new ZipError('local header is damaged', name);
      const start = local + 30 + header.readUInt16LE(26) + header.readUInt16LE(28);
      const raw = await readAt(fh, start, compressed);
      let data: Uint8Array;
      try {
        data = method === 0 ? raw : method === 8 ? inflateSync(raw, { out: new Uint8Array(uncompressed) }) : new Uint8Array(0);
      } catch (err) {
        throw new ZipError(`cannot inflate: ${(err as Error).message}`, name);
      }
      if (method !== 0 && method !== 8) throw new ZipError(`compression method ${method} is not supported`, name);
      if (data.length !== uncompressed || crc32(data) !== crc) throw new ZipError('size or CRC mismatch (corrupt entry)', name);
      yield { name, data };
    }
  } finally {
    await fh.close();
  }
}
