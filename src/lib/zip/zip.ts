/**
 * A bounded zip reader over a RandomReader: the central directory (zip64 included) lists the
 * entries, and each entry is read through its local header into a buffer of its declared size,
 * so a lying size cannot make it grow (zip bombs stay within the caller's caps). Sizes and
 * CRC-32s are checked, so a corrupt entry is reported instead of parsed.
 */
import { crc32, inflateRawSync } from 'node:zlib';
import type { RandomReader } from '../random-reader.js';

const EOCD = 0x06054b50;
const ZIP64_LOCATOR = 0x07064b50;
const ZIP64_EOCD = 0x06064b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;

/** A damaged, oversized or unsupported archive; `entry` names the culprit when it is one entry. */
export class ZipError extends Error {
  /** The entry at fault, if any. */
  readonly entry: string | undefined;

  constructor(message: string, entry?: string) {
    super(entry === undefined ? message : `${entry}: ${message}`);
    this.entry = entry;
  }
}

/** One entry of the central directory. */
export interface ZipEntry {
  /** Name as stored (forward slashes; directories end in '/'). */
  name: string;
  /** 0 stored, 8 deflated. */
  method: number;
  /** General purpose flags (bit 0: encrypted). */
  flags: number;
  /** CRC-32 of the uncompressed bytes. */
  crc: number;
  /** Compressed size. */
  compressedSize: number;
  /** Declared uncompressed size. */
  size: number;
  /** Offset of the local header. */
  offset: number;
}

/** Caps on the central directory. */
export interface DirectoryLimits {
  /** Most entries accepted. */
  maxEntries: number;
  /** Largest central directory accepted, in bytes. */
  maxDirectoryBytes: number;
}

async function readExactly(reader: RandomReader, offset: number, length: number, what: string): Promise<Buffer> {
  const bytes = await reader.read(offset, length);
  if (bytes.length !== length) throw new ZipError(`truncated archive (${what} runs past the end)`);
  return bytes;
}

/** Finds the central directory from the (zip64) end records. */
async function centralDirectory(reader: RandomReader): Promise<{ offset: number; length: number; count: number }> {
  const tailLength = Math.min(reader.size, 22 + 0xffff);
  const tail = await readExactly(reader, reader.size - tailLength, tailLength, 'end record');
  let eocd = -1;
  for (let at = tail.length - 22; at >= 0; at--) {
    if (tail.readUInt32LE(at) === EOCD) {
      eocd = at;
      break;
    }
  }
  if (eocd < 0) throw new ZipError('not a zip archive (no end of central directory record)');
  let count = tail.readUInt16LE(eocd + 10);
  let length = tail.readUInt32LE(eocd + 12);
  let offset = tail.readUInt32LE(eocd + 16);
  if (eocd >= 20 && tail.readUInt32LE(eocd - 20) === ZIP64_LOCATOR) {
    const record = await readExactly(reader, Number(tail.readBigUInt64LE(eocd - 20 + 8)), 56, 'zip64 end record');
    if (record.readUInt32LE(0) !== ZIP64_EOCD) throw new ZipError('bad zip64 end of central directory record');
    count = Number(record.readBigUInt64LE(32));
    length = Number(record.readBigUInt64LE(40));
    offset = Number(record.readBigUInt64LE(48));
  }
  if (offset + length > reader.size) throw new ZipError('central directory lies beyond the end of the file');
  return { offset, length, count };
}

/** Lists the entries of a zip archive; throws a ZipError on something that is not one. */
export async function zipEntries(reader: RandomReader, limits: DirectoryLimits): Promise<ZipEntry[]> {
  const cd = await centralDirectory(reader);
  if (cd.count > limits.maxEntries || cd.length > limits.maxDirectoryBytes) {
    throw new ZipError(`zip directory too large (${cd.count} entries, ${cd.length} bytes; at most ${limits.maxEntries} and ${limits.maxDirectoryBytes})`);
  }
  const dir = await readExactly(reader, cd.offset, cd.length, 'central directory');
  const entries: ZipEntry[] = [];
  for (let at = 0; entries.length < cd.count; ) {
    if (at + 46 > dir.length || dir.readUInt32LE(at) !== CENTRAL) throw new ZipError(`central directory entry ${entries.length} is damaged`);
    const nameLength = dir.readUInt16LE(at + 28);
    const extraLength = dir.readUInt16LE(at + 30);
    const commentLength = dir.readUInt16LE(at + 32);
    const name = dir.toString('utf8', at + 46, at + 46 + nameLength);
    let size = dir.readUInt32LE(at + 24);
    let compressedSize = dir.readUInt32LE(at + 20);
    let offset = dir.readUInt32LE(at + 42);
    // Zip64 extra field: the 64-bit values follow in this order, each only when its 32-bit slot is saturated.
    const extra = dir.subarray(at + 46 + nameLength, at + 46 + nameLength + extraLength);
    for (let e = 0; e + 4 <= extra.length; e += 4 + extra.readUInt16LE(e + 2)) {
      if (extra.readUInt16LE(e) !== 0x0001) continue;
      let q = e + 4;
      const next = (): number => {
        if (q + 8 > extra.length) throw new ZipError('zip64 extra field is damaged', name);
        const v = Number(extra.readBigUInt64LE(q));
        q += 8;
        return v;
      };
      if (size === 0xffffffff) size = next();
      if (compressedSize === 0xffffffff) compressedSize = next();
      if (offset === 0xffffffff) offset = next();
    }
    entries.push({ name, method: dir.readUInt16LE(at + 10), flags: dir.readUInt16LE(at + 8), crc: dir.readUInt32LE(at + 16), compressedSize, size, offset });
    at += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

/** Deflate never needs more than this many bytes for `size` bytes of output (zlib's deflateBound, rounded up). */
function deflateBound(size: number): number {
  return size + (size >>> 10) + 1024;
}

/** Reads and inflates one entry; throws a ZipError when it exceeds maxSize, is unsupported or is damaged. */
export async function readZipEntry(reader: RandomReader, entry: ZipEntry, maxSize: number): Promise<Buffer> {
  if (entry.size > maxSize) throw new ZipError(`${entry.size} bytes uncompressed, over the ${maxSize}-byte cap`, entry.name);
  if (entry.flags & 1) throw new ZipError('encrypted entries are not supported', entry.name);
  if (entry.method !== 0 && entry.method !== 8) throw new ZipError(`compression method ${entry.method} is not supported`, entry.name);
  // A compressed size out of proportion to the declared one is a bomb (many small entries sharing
  // one huge stream): refused before reading it.
  if (entry.method === 0 ? entry.compressedSize !== entry.size : entry.compressedSize > deflateBound(entry.size)) {
    throw new ZipError(`${entry.compressedSize} compressed bytes for ${entry.size} uncompressed (corrupt entry)`, entry.name);
  }
  const local = await reader.read(entry.offset, 30);
  if (local.length < 30 || local.readUInt32LE(0) !== LOCAL) throw new ZipError('local header is damaged', entry.name);
  const start = entry.offset + 30 + local.readUInt16LE(26) + local.readUInt16LE(28);
  const raw = await reader.read(start, entry.compressedSize);
  if (raw.length < entry.compressedSize) throw new ZipError('truncated entry', entry.name);
  let data: Buffer;
  try {
    // Inflation stops as soon as the output would pass the declared size.
    data = entry.method === 0 ? raw : inflateRawSync(raw, { maxOutputLength: Math.max(1, entry.size) });
  } catch (err) {
    throw new ZipError(`cannot inflate: ${(err as Error).message}`, entry.name);
  }
  if (data.length !== entry.size || crc32(data) !== entry.crc) throw new ZipError('size or CRC mismatch (corrupt entry)', entry.name);
  return data;
}
