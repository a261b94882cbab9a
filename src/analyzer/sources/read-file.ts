/** Streams a byte range of a file with plain positioned reads: far less overhead than fs streams. */
import { open } from 'node:fs/promises';

const chunkSize = 1 << 20;

/**
 * Yields [start, start + length) of a file in 1 MiB chunks. Each chunk owns its memory, so the
 * walker can move it to the hashing worker without a copy.
 */
export async function* readRange(file: string, start: number, length: number): AsyncGenerator<Buffer> {
  const handle = await open(file, 'r');
  try {
    let pos = start;
    const end = start + length;
    while (pos < end) {
      const want = Math.min(chunkSize, end - pos);
      const buf = Buffer.allocUnsafeSlow(want);
      const { bytesRead } = await handle.read(buf, 0, want, pos);
      if (bytesRead === 0) return;
      pos += bytesRead;
      yield bytesRead === want ? buf : Buffer.from(buf.subarray(0, bytesRead));
    }
  } finally {
    await handle.close();
  }
}
