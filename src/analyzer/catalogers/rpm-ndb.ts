/**
 * rpm's ndb package database (Packages.db, used by SUSE): a little-endian file of 16-byte
 * blocks. A 32-byte header ('RpmP', version 0, generation, slot page count, next index) is
 * followed by slots {'Slot', pkgidx, blkoff, blkcnt}; each used slot points to a blob framed
 * by 'BlbS' pkgidx generation length, the blob, zero padding, then adler32 length 'BlbE'.
 */
import type { RandomReader } from '../../lib/random-reader.js';

const MAGIC = 0x506d7052; // 'RpmP' read little-endian
const SLOT_MAGIC = 0x746f6c53; // 'Slot'
const BLOB_HEAD = 0x53626c42; // 'BlbS'
const BLOB_TAIL = 0x45626c42; // 'BlbE'
const PAGE = 4096;
const BLOCK = 16;
const HEADER_SIZE = 32;
const MAX_SLOT_PAGES = 4096;
const MAX_BLOB = 64 * 1024 * 1024;

/** One stored header blob. */
export interface NdbBlob {
  /** Package index. */
  pkgidx: number;
  /** The header blob. */
  blob: Buffer;
}

function adler32(bytes: Buffer): number {
  let a = 1;
  let b = 0;
  for (let i = 0; i < bytes.length; i += 5552) {
    const end = Math.min(i + 5552, bytes.length);
    for (let j = i; j < end; j++) {
      a += bytes[j] ?? 0;
      b += a;
    }
    a %= 65521;
    b %= 65521;
  }
  return ((b << 16) | a) >>> 0;
}

/** Yields every package blob; throws on a file that is not an ndb database. Bad blobs are reported through onError. */
export async function* readNdb(reader: RandomReader, onError: (message: string) => void): AsyncGenerator<NdbBlob> {
  const header = await reader.read(0, HEADER_SIZE);
  if (header.length < HEADER_SIZE || header.readUInt32LE(0) !== MAGIC) throw new Error('not an rpm ndb database');
  if (header.readUInt32LE(4) !== 0) throw new Error(`unsupported ndb version ${header.readUInt32LE(4)}`);
  const slotPages = header.readUInt32LE(12);
  if (slotPages === 0 || slotPages > MAX_SLOT_PAGES) throw new Error(`bad slot page count ${slotPages}`);
  const slots = await reader.read(0, slotPages * PAGE);
  if (slots.length < slotPages * PAGE) throw new Error('slot area truncated');
  const fileBlocks = Math.floor(reader.size / BLOCK);
  for (let at = HEADER_SIZE; at < slots.length; at += BLOCK) {
    if (slots.readUInt32LE(at) !== SLOT_MAGIC) throw new Error(`bad slot at offset ${at}`);
    const pkgidx = slots.readUInt32LE(at + 4);
    const blkoff = slots.readUInt32LE(at + 8);
    const blkcnt = slots.readUInt32LE(at + 12);
    if (blkoff === 0) continue;
    if (blkoff + blkcnt > fileBlocks) {
      onError(`package ${pkgidx} lies past the end of the file (truncated)`);
      continue;
    }
    if (blkcnt * BLOCK > MAX_BLOB) {
      onError(`package ${pkgidx}: blob of ${blkcnt * BLOCK} bytes is over the cap`);
      continue;
    }
    const frame = await reader.read(blkoff * BLOCK, blkcnt * BLOCK);
    if (frame.length < 28 || frame.readUInt32LE(0) !== BLOB_HEAD || frame.readUInt32LE(4) !== pkgidx) {
      onError(`package ${pkgidx}: bad blob header`);
      continue;
    }
    const length = frame.readUInt32LE(12);
    // The trailer sits at the end of the blob's blocks, after zero padding.
    const tail = frame.length - 12;
    if (16 + length > tail) {
      onError(`package ${pkgidx}: blob length ${length} exceeds its blocks`);
      continue;
    }
    if (frame.readUInt32LE(tail + 8) !== BLOB_TAIL || frame.readUInt32LE(tail + 4) !== length) {
      onError(`package ${pkgidx}: bad blob trailer`);
      continue;
    }
    // The checksum covers the frame head, the blob and the padding, as rpm writes it.
    if (adler32(frame.subarray(0, tail)) !== frame.readUInt32LE(tail)) {
      onError(`package ${pkgidx}: checksum mismatch`);
      continue;
    }
    const blob = frame.subarray(16, 16 + length);
    yield { pkgidx, blob: Buffer.from(blob) };
  }
}
