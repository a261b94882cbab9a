/**
 * A bounded zip reader over a RandomReader: the central directory (zip64 included) lists the
 * entries; an entry is read through its local header and inflated into a buffer of its declared
 * size, so a lying size cannot make it grow (zip bombs stay within the caps).
 */
import { inflateSync } from 'fflate';
import type { RandomReader } from './random-reader.js';

const EOCD = 0x06054b50;
const ZIP64_LOCATOR = 0x07064b50;
const ZIP64_EOCD = 0x06064b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
const MAX_ENTRIES = 200_000;
const MAX_DIRECTORY = 64 * 1024 * 1024;

/** One entry of the central directory. */
export interface ZipEntry {
  /** Name as stored (forward slashes). */
  name: string;
  /** 0 stored, 8 deflated. */
  method: number;
  /** Compressed size. */
  compressedSize: number;
  /** Declared uncompressed size. */
  size: number;
  /** Offset of the local header. */
  offset: number;
}

function zip64Values(extra: Buffer, wanted: number): number[] {
  for (let at = 0; at + 4 <= extra.length; ) {
    const id = extra.readUInt16LE(at);
    const length = extra.readUInt16LE(at + 2);
    if (id === 0x0001) {
      const values: number[] = [];
      for (let i = 0; i < wanted && at + 4 + i * 8 + 8 <= extra.length && i * 8 < length; i++) {
        values.push(Number(extra.readBigUInt64LE(at + 4 + i * 8)));
      }
      return values;
    }
    at += 4 + length;
  }
  return [];
}

/** Lists the entries of a zip archive; throws on something that is not one. */
export async function zipEntries(reader: RandomReader): Promise<ZipEntry[]> {
  const tailLength = Math.min(reader.size, 65_557);
  const tail = await reader.read(reader.size - tailLength, tailLength);
  let eocd = -1;
  for (let at = tail.length - 22; at >= 0; at--) {
    if (tail.readUInt32LE(at) === EOCD) {
      eocd = at;
      break;
    }
  }
  if (eocd < 0) throw new Error('no zip end-of-central-directory record');
  let count = tail.readUInt16LE(eocd + 10);
  let directorySize = tail.readUInt32LE(eocd + 12);
  let directoryOffset = tail.readUInt32LE(eocd + 16);
  if ((count === 0xffff || directoryOffset === 0xffffffff) && eocd >= 20 && tail.readUInt32LE(eocd - 20) === ZIP64_LOCATOR) {
    const record = await reader.read(Number(tail.readBigUInt64LE(eocd - 20 + 8)), 56);
    if (record.length < 56 || record.readUInt32LE(0) !== ZIP64_EOCD) throw new Error('bad zip64 end record');
    count = Number(record.readBigUInt64LE(32));
    directorySize = Number(record.readBigUInt64LE(40));
    directoryOffset = Number(record.readBigUInt64LE(48));
  }
  if (count > MAX_ENTRIES || directorySize > MAX_DIRECTORY) throw new Error(`zip directory too large (${count} entries)`);
  const directory = await reader.read(directoryOffset, directorySize);
  const entries: ZipEntry[] = [];
  for (let at = 0; entries.length < count && at + 46 <= directory.length; ) {
    if (directory.readUInt32LE(at) !== CENTRAL) throw new Error('bad zip central directory entry');
    const nameLength = directory.readUInt16LE(at + 28);
    const extraLength = directory.readUInt16LE(at + 30);
    const commentLength = directory.readUInt16LE(at + 32);
    const name = directory.toString('utf8', at + 46, at + 46 + nameLength);
    const extra = directory.subarray(at + 46 + nameLength, at + 46 + nameLength + extraLength);
    let size = directory.readUInt32LE(at + 24);
    let compressedSize = directory.readUInt32LE(at + 20);
    let offset = directory.readUInt32LE(at + 42);
    if (size === 0xffffffff || compressedSize === 0xffffffff || offset === 0xffffffff) {
      // The zip64 extra field holds, in this order, only the values that overflowed.
      const values = zip64Values(extra, 3);
      if (size === 0xffffffff) size = values.shift() ?? size;
      if (compressedSize === 0xffffffff) compressedSize = values.shift() ?? compressedSize;
      if (offset === 0xffffffff) offset = values.shift() ?? offset;
    }
    entries.push({ name, method: directory.readUInt16LE(at + 10), compressedSize, size, offset });
    at += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

/** Reads and inflates one entry; throws when it exceeds maxSize or is damaged. */
export async function readZipEntry(reader: RandomReader, entry: ZipEntry, maxSize: number): Promise<Buffer> {
  if (entry.size > maxSize) throw new Error(`${entry.name} is ${entry.size} bytes, over the cap`);
  const local = await reader.read(entry.offset, 30);
  if (local.length < 30 || local.readUInt32LE(0) !== LOCAL) throw new Error(`${entry.name}: bad local header`);
  const dataStart = entry.offset + 30 + local.readUInt16LE(26) + local.readUInt16LE(28);
  const data = await reader.read(dataStart, entry.compressedSize);
  if (data.length < entry.compressedSize) throw new Error(`${entry.name}: truncated`);
  if (entry.method === 0) return data.subarray(0, entry.size);
  if (entry.method !== 8) throw new Error(`${entry.name}: compression method ${entry.method} not supported`);
  const out = inflateSync(data, { out: new Uint8Array(entry.size) });
  return Buffer.from(out.buffer, out.byteOffset, Math.min(out.length, entry.size));
}
