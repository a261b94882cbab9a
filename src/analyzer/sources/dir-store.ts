/** BlobStore over a directory (an OCI layout on disk); names never leave the directory. */
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { normalizeEntryPath } from '../walk/paths.js';
import { readRange } from './read-file.js';
import type { BlobStore } from './types.js';

export class DirStore implements BlobStore {
  constructor(private readonly dir: string) {}

  size(name: string): number | undefined {
    const file = this.file(name);
    if (!file) return undefined;
    try {
      const st = statSync(file);
      return st.isFile() ? st.size : undefined;
    } catch {
      return undefined;
    }
  }

  open(name: string): AsyncIterable<Buffer> | undefined {
    const size = this.size(name);
    const file = this.file(name);
    return size === undefined || !file ? undefined : readRange(file, 0, size);
  }

  private file(name: string): string | undefined {
    const path = normalizeEntryPath(name);
    return path === undefined ? undefined : join(this.dir, path);
  }
}
