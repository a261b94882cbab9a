/**
 * Test helpers: an in-memory FileTree built from a map of paths to bytes, so catalogers can be
 * exercised on real database files without the layer walker.
 */
import { createHash } from 'node:crypto';
import { readFile, readdir, lstat } from 'node:fs/promises';
import { join, relative } from 'node:path';
import type { FileEntry, FileTree } from '../types.js';

/** A FileTree holding exactly the given regular files (paths are made absolute). */
export function treeFromFiles(files: Record<string, Buffer | string>): FileTree {
  const entries = new Map<string, FileEntry>();
  const contents = new Map<string, Buffer>();
  for (const [raw, value] of Object.entries(files)) {
    const path = raw.startsWith('/') ? raw : `/${raw}`;
    const bytes = typeof value === 'string' ? Buffer.from(value) : value;
    contents.set(path, bytes);
    entries.set(path, {
      path,
      kind: 'file',
      mode: 0o644,
      uid: 0,
      gid: 0,
      size: bytes.length,
      sha256: createHash('sha256').update(bytes).digest('hex'),
      layer: 0,
    });
  }
  const sorted = [...entries.values()].sort((a, b) => (a.path < b.path ? -1 : 1));
  return {
    entries: () => sorted,
    get: (path) => entries.get(path),
    resolve: (path) => entries.get(path),
    content: (path) => contents.get(path),
  };
}

/** Reads the regular files under dir that keep() accepts, keyed by their path inside dir (plus prefix). */
export async function filesUnder(dir: string, keep: (path: string) => boolean, prefix = '/'): Promise<Record<string, Buffer>> {
  const out: Record<string, Buffer> = {};
  const walk = async (current: string): Promise<void> => {
    for (const name of await readdir(current)) {
      const full = join(current, name);
      const stat = await lstat(full);
      const path = join(prefix, relative(dir, full));
      if (stat.isDirectory()) await walk(full);
      else if (stat.isFile() && keep(path)) out[path] = await readFile(full);
    }
  };
  await walk(dir);
  return out;
}

/** Feeds a buffer to a StreamInspector as a few chunks, the way the walker would. */
export async function* chunksOf(bytes: Buffer, size = 64 * 1024): AsyncIterable<Buffer> {
  for (let offset = 0; offset < bytes.length; offset += size) yield bytes.subarray(offset, offset + size);
}
