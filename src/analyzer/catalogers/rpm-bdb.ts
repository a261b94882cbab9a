/**
 * Berkeley DB hash databases (rpm's classic /var/lib/rpm/Packages), read page by page: the
 * metadata page gives byte order and page size; every hash page holds key/data pairs, and data
 * too large for a page lives in a chain of overflow pages. Keys are header numbers.
 */
import type { RandomReader } from '../../lib/random-reader.js';

const HASH_MAGIC = 0x061561;
const P_HASH_UNSORTED = 2;
const P_OVERFLOW = 7;
const P_HASH = 13;
const H_KEYDATA = 1;
const H_OFFPAGE = 3;
const PAGE_HEADER = 26;
const MAX_VALUE = 64 * 1024 * 1024;

/** One stored value with its key. */
export interface BdbRecord {
  /** The raw key bytes. */
  key: Buffer;
  /** The value bytes. */
  value: Buffer;
}

async function overflow(reader: RandomReader, pageSize: number, first: number, total: number, le: boolean, lastPage: number): Promise<Buffer> {
  if (total > MAX_VALUE) throw new Error(`overflow item of ${total} bytes is over the cap`);
  const parts: Buffer[] = [];
  let have = 0;
  let pgno = first;
  const seen = new Set<number>();
  while (pgno !== 0 && have < total) {
    if (pgno > lastPage || seen.has(pgno)) throw new Error(`bad overflow page ${pgno}`);
    seen.add(pgno);
    const page = await reader.read(pgno * pageSize, pageSize);
    if (page.length < pageSize) throw new Error('overflow page past the end of the file');
    if (page[25] !== P_OVERFLOW) throw new Error(`page ${pgno} is not an overflow page`);
    // On overflow pages the hf_offset field holds how many data bytes this page carries.
    const length = le ? page.readUInt16LE(22) : page.readUInt16BE(22);
    if (PAGE_HEADER + length > pageSize) throw new Error(`overflow page ${pgno} claims too much data`);
    parts.push(page.subarray(PAGE_HEADER, PAGE_HEADER + length));
    have += length;
    pgno = le ? page.readUInt32LE(16) : page.readUInt32BE(16);
  }
  if (have < total) throw new Error('overflow chain ended early');
  return Buffer.concat(parts).subarray(0, total);
}

/** Yields every key/data pair of a BDB hash database. Throws on a file that is not one. */
export async function* readBdbHash(reader: RandomReader): AsyncGenerator<BdbRecord> {
  const meta = await reader.read(0, 512);
  if (meta.length < 100) throw new Error('file too short for a Berkeley DB');
  const le = meta.readUInt32LE(12) === HASH_MAGIC;
  if (!le && meta.readUInt32BE(12) !== HASH_MAGIC) throw new Error('not a Berkeley DB hash database');
  const pageSize = le ? meta.readUInt32LE(20) : meta.readUInt32BE(20);
  if (pageSize < 512 || pageSize > 65536 || (pageSize & (pageSize - 1)) !== 0) throw new Error(`bad page size ${pageSize}`);
  const lastPage = Math.floor(reader.size / pageSize) - 1;
  const u16 = (b: Buffer, at: number): number => (le ? b.readUInt16LE(at) : b.readUInt16BE(at));
  const u32 = (b: Buffer, at: number): number => (le ? b.readUInt32LE(at) : b.readUInt32BE(at));
  for (let pgno = 1; pgno <= lastPage; pgno++) {
    const page = await reader.read(pgno * pageSize, pageSize);
    const type = page[25];
    if (type !== P_HASH && type !== P_HASH_UNSORTED) continue;
    const entries = u16(page, 20);
    if (PAGE_HEADER + entries * 2 > pageSize) throw new Error(`page ${pgno} has too many entries`);
    const offsets: number[] = [];
    for (let i = 0; i < entries; i++) offsets.push(u16(page, PAGE_HEADER + i * 2));
    // Items are packed from the end of the page downwards: each ends where the previous begins.
    const item = (i: number): Buffer => {
      const start = offsets[i] ?? 0;
      const end = i === 0 ? pageSize : (offsets[i - 1] ?? pageSize);
      if (start < PAGE_HEADER || start >= end || end > pageSize) throw new Error(`page ${pgno} has a bad item offset`);
      return page.subarray(start, end);
    };
    for (let i = 0; i + 1 < entries; i += 2) {
      const key = item(i);
      const data = item(i + 1);
      if (key[0] !== H_KEYDATA) continue;
      if (data[0] === H_KEYDATA) {
        yield { key: Buffer.from(key.subarray(1)), value: Buffer.from(data.subarray(1)) };
      } else if (data[0] === H_OFFPAGE && data.length >= 12) {
        yield { key: Buffer.from(key.subarray(1)), value: await overflow(reader, pageSize, u32(data, 4), u32(data, 8), le, lastPage) };
      }
    }
  }
}
