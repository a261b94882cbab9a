import { createReadStream } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import type { SnapshotReader } from './driver.js';

/** A snapshot held in a directory (what fetch() wrote). */
export function dirSnapshot(dir: string): SnapshotReader {
  return {
    dir,
    async list() {
      const entries = await readdir(dir, { recursive: true, withFileTypes: true });
      return entries
        .filter((e) => e.isFile())
        .map((e) => relative(dir, join(e.parentPath, e.name)))
        .sort();
    },
    read: (name) => readFile(join(dir, name)),
    stream: (name) => createReadStream(join(dir, name)),
  };
}
