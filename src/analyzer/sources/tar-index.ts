/**
 * Random access into an archive (docker save, OCI layout tar): one pass over the headers only,
 * skipping entry data with seeks, then each member is streamed straight from its offset.
 */
import { open } from 'node:fs/promises';
import { analysisError } from '../errors.js';
import { decodeName, joinInRoot, normalizeEntryPath, parentOf } from '../walk/paths.js';
import { TarParser, type TarHeader } from '../../lib/tar/index.js';
import { readRange } from './read-file.js';
import type { BlobStore } from './types.js';

interface Member {
  offset: number;
  size: number;
  type: string;
  link: string;
}

/** Archives hold a handful of members; an index this big means a hostile file. */
const maxMembers = 100_000;

export async function indexTar(file: string, label: string): Promise<BlobStore> {
  const members = new Map<string, Member>();
  const handle = await open(file, 'r').catch((err: NodeJS.ErrnoException) => {
    throw analysisError(`${label}: cannot open ${file}: ${err.code ?? err.message}`);
  });
  try {
    let offset = 0;
    let current: TarHeader | undefined;
    const parser = new TarParser(
      {
        entry: (h) => {
          current = h;
        },
        data: () => undefined,
        end: () => undefined,
      },
      (message) => analysisError(`${label}: ${message}`),
    );
    const block = Buffer.alloc(512);
    const { size: fileSize } = await handle.stat();
    while (!parser.done && offset < fileSize) {
      const { bytesRead } = await handle.read(block, 0, 512, offset);
      parser.push(block.subarray(0, bytesRead));
      offset += bytesRead;
      if (current) {
        const path = normalizeEntryPath(decodeName(current.name).text);
        if (path !== undefined) members.set(path, { offset, size: current.size, type: current.type, link: decodeName(current.linkName).text });
        if (members.size > maxMembers) throw analysisError(`${label}: archive has more than ${maxMembers} members`);
        current = undefined;
        const skip = parser.skipData();
        if (offset + skip > fileSize) throw analysisError(`${label}: truncated archive: a member extends past the end of the file`);
        offset += skip;
      }
    }
    if (members.size === 0) throw analysisError(`${label}: ${file} is not a tar archive`);
  } finally {
    await handle.close();
  }
  return new TarStore(file, members);
}

class TarStore implements BlobStore {
  constructor(
    private readonly file: string,
    private readonly members: Map<string, Member>,
  ) {}

  size(name: string): number | undefined {
    return this.member(name)?.size;
  }

  open(name: string): AsyncIterable<Buffer> | undefined {
    const m = this.member(name);
    if (!m) return undefined;
    return readRange(this.file, m.offset, m.size);
  }

  /** Follows symlink and hardlink members (docker save links repeated layers), a few hops at most. */
  private member(name: string): Member | undefined {
    let path = normalizeEntryPath(name);
    for (let hop = 0; path !== undefined && hop < 8; hop++) {
      const m = this.members.get(path);
      if (!m) return undefined;
      if (m.type === '2') path = joinInRoot(parentOf(path), m.link);
      else if (m.type === '1') path = normalizeEntryPath(m.link);
      else return m.type === '0' || m.type === '7' ? m : undefined;
    }
    return undefined;
  }
}
