/**
 * Positional reads over a buffer or an open file, so database parsers can read pages on demand
 * instead of loading a whole (possibly huge) file.
 */
import type { FileHandle } from 'node:fs/promises';

/** Reads byte ranges; a short result means the range ran past the end. */
export interface RandomReader {
  /** Total size in bytes. */
  readonly size: number;
  /** Reads up to length bytes at offset. */
  read(offset: number, length: number): Promise<Buffer>;
}

/** A reader over bytes already in memory. */
export function bufferReader(bytes: Buffer): RandomReader {
  return {
    size: bytes.length,
    read: async (offset, length) => bytes.subarray(Math.min(offset, bytes.length), Math.min(offset + length, bytes.length)),
  };
}

/** A reader over an open file of known size. */
export function fileReader(handle: FileHandle, size: number): RandomReader {
  return {
    size,
    read: async (offset, length) => {
      const want = Math.max(0, Math.min(length, size - offset));
      const buffer = Buffer.alloc(want);
      if (want === 0) return buffer;
      const { bytesRead } = await handle.read(buffer, 0, want, offset);
      return buffer.subarray(0, bytesRead);
    },
  };
}
