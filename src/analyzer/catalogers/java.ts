/**
 * Java: jar/war/ear archives, inspected while they stream. Small archives are kept in memory,
 * larger ones spill into the per-analysis temp dir and are read from there, then deleted; only
 * the artifact list is kept per path.
 */
import { createWriteStream } from 'node:fs';
import { mkdir, open, rm } from 'node:fs/promises';
import { once } from 'node:events';
import { join } from 'node:path';
import { archiveArtifacts, isJavaArchive, type JavaArtifact } from './java-archive.js';
import { purl } from './purl.js';
import { bufferReader, fileReader } from '../../lib/random-reader.js';
import type { CatalogResult, Package, StreamInspector } from '../types.js';

/** Options of the java cataloger. */
export interface JavaOptions {
  /** Archives up to this size are read in memory; larger ones spill to the temp dir. */
  inMemoryBytes?: number;
  /** Largest archive read at all. */
  maxArchiveBytes?: number;
  /** Deepest nesting of archives opened. */
  maxDepth?: number;
  /** Bytes inflated per top-level archive (nested archives and metadata). */
  maxInflatedBytes?: number;
}

/** What one archive yielded. */
export interface JavaFindings {
  /** Artifacts found. */
  artifacts: JavaArtifact[];
  /** Problems while reading it. */
  warnings: string[];
}

async function spill(first: Buffer[], rest: AsyncIterator<Buffer>, file: string, maxBytes: number): Promise<number> {
  const out = createWriteStream(file);
  let size = 0;
  const write = async (chunk: Buffer): Promise<void> => {
    size += chunk.length;
    if (!out.write(chunk)) await once(out, 'drain');
  };
  for (const chunk of first) await write(chunk);
  for (let next = await rest.next(); !next.done; next = await rest.next()) {
    if (size + next.value.length > maxBytes) {
      out.destroy();
      throw new Error(`larger than ${maxBytes} bytes, not read`);
    }
    await write(next.value);
  }
  out.end();
  await once(out, 'close');
  return size;
}

function toPackage(path: string, artifact: JavaArtifact): Package {
  return {
    name: artifact.artifactId,
    version: artifact.version,
    type: 'maven',
    purl: purl({ type: 'maven', namespace: artifact.groupId, name: artifact.artifactId, version: artifact.version }),
    locations: [path],
    ...(artifact.license ? { licenses: [artifact.license] } : {}),
    metadata: {
      ...(artifact.groupId ? { groupId: artifact.groupId } : {}),
      ...(artifact.inner ? { virtualPath: `${path}!/${artifact.inner}` } : {}),
      from: artifact.from,
    },
  };
}

/** Catalogs Java archives. */
export function javaCataloger(options: JavaOptions = {}): StreamInspector<JavaFindings> {
  const inMemory = options.inMemoryBytes ?? 16 * 1024 * 1024;
  const maxArchive = options.maxArchiveBytes ?? 1024 * 1024 * 1024;
  const maxDepth = options.maxDepth ?? 3;
  const maxInflated = options.maxInflatedBytes ?? 256 * 1024 * 1024;
  let spills = 0;
  return {
    id: 'java',
    kind: 'stream',
    wants: (path, size) => size > 0 && isJavaArchive(path),
    inspect: async (path, chunks, tempDir) => {
      const iterator = chunks[Symbol.asyncIterator]();
      const held: Buffer[] = [];
      let size = 0;
      let next = await iterator.next();
      for (; !next.done && size + next.value.length <= inMemory; next = await iterator.next()) {
        held.push(next.value);
        size += next.value.length;
      }
      const limits = { maxDepth, budget: { remaining: maxInflated } };
      const warnings: string[] = [];
      try {
        if (next.done) return { artifacts: await archiveArtifacts(bufferReader(Buffer.concat(held)), path, 0, limits, warnings), warnings };
        const dir = join(tempDir, 'java');
        await mkdir(dir, { recursive: true });
        const file = join(dir, `${++spills}.zip`);
        try {
          const total = await spill([...held, next.value], iterator, file, maxArchive);
          held.length = 0;
          const handle = await open(file, 'r');
          try {
            return { artifacts: await archiveArtifacts(fileReader(handle, total), path, 0, limits, warnings), warnings };
          } finally {
            await handle.close();
          }
        } finally {
          await rm(file, { force: true });
        }
      } catch (err) {
        return { artifacts: [], warnings: [...warnings, `not a readable archive: ${err instanceof Error ? err.message : String(err)}`] };
      }
    },
    finish: async (results) => {
      const out: CatalogResult = { packages: [], warnings: [] };
      for (const [path, findings] of results) {
        const seen = new Set<string>();
        for (const artifact of findings.artifacts) {
          const key = `${artifact.groupId ?? ''}:${artifact.artifactId}:${artifact.version}:${artifact.inner ?? ''}`;
          if (seen.has(key)) continue;
          seen.add(key);
          out.packages.push(toPackage(path, artifact));
        }
        out.warnings.push(...findings.warnings.map((warning) => `java: ${path}: ${warning}`));
      }
      return out;
    },
  };
}
