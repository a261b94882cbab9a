import { open } from 'node:fs/promises';
import { fileReader } from '../random-reader.js';
import { readZipEntry, zipEntries } from './zip.js';

/** One file of an archive, read whole. */
export interface ZipFile {
  /** Path inside the archive. */
  name: string;
  /** Uncompressed bytes. */
  data: Buffer;
}

/** Central-directory caps for whole-archive reads: OSV's npm dump lists a few hundred thousand entries. */
const limits = { maxEntries: 5_000_000, maxDirectoryBytes: 1 << 30 };

/**
 * Yields the files of a zip file in directory order, one entry in memory at a time (an ecosystem
 * dump holds tens of thousands); directories are skipped, and an entry over maxEntryBytes is refused.
 */
export async function* readZip(file: string, maxEntryBytes: number): AsyncIterable<ZipFile> {
  const handle = await open(file, 'r');
  try {
    const reader = fileReader(handle, (await handle.stat()).size);
    for (const entry of await zipEntries(reader, limits)) {
      if (entry.name.endsWith('/')) continue;
      yield { name: entry.name, data: await readZipEntry(reader, entry, maxEntryBytes) };
    }
  } finally {
    await handle.close();
  }
}
