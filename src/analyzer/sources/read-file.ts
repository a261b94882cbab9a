/** Streams a byte range of a file with plain positioned reads: far less overhead than fs streams. */
import { open, type FileHandle } from 'node:fs/promises';

const chunkSize = 1 << 20;

/**
 * Yields [start, start + length) of a file in 1 MiB chunks, reading one chunk ahead so the disk
 * (or page-cache copy) overlaps the consumer's work. Each chunk owns its memory, so the walker can
 * move it to the hashing worker without a copy.
 */
export async function* readRange(file: string, start: number, length: number): AsyncGenerator<Buffer> {
  const handle = await open(file, 'r');
  const end = start + length;
  let ahead: Promise<Buffer> | undefined;
  try {
    let pos = start;
    ahead = pos < end ? readChunk(handle, pos, Math.min(chunkSize, end - pos)) : undefined;
    while (ahead) {
      const buf = await ahead;
      ahead = undefined;
      if (buf.length === 0) return;
      pos += buf.length;
      if (pos < end) ahead = readChunk(handle, pos, Math.min(chunkSize, end - pos));
      yield buf;
    }
  } finally {
    // A read still in flight must finish before its handle closes.
    await ahead?.catch(() => undefined);
    await handle.close();
  }
}

/** Starts reading a chunk; a failure surfaces where the chunk is awaited, never as an unhandled rejection meanwhile. */
function readChunk(handle: FileHandle, pos: number, want: number): Promise<Buffer> {
  const read = readAt(handle, pos, want);
  read.catch(() => undefined);
  return read;
}

async function readAt(handle: FileHandle, pos: number, want: number): Promise<Buffer> {
  const buf = Buffer.allocUnsafeSlow(want);
  const { bytesRead } = await handle.read(buf, 0, want, pos);
  return bytesRead === want ? buf : Buffer.from(buf.subarray(0, bytesRead));
}
