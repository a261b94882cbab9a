/**
 * What a Java archive declares: every META-INF/maven/<group>/<artifact>/pom.properties, or when
 * there is none, the MANIFEST.MF main section plus the file name. Nested archives (WEB-INF/lib,
 * BOOT-INF/lib, ...) are opened in memory up to a depth and a total inflated-bytes budget.
 */
import { basename } from 'node:path';
import { bufferReader, type RandomReader } from '../../lib/random-reader.js';
import { readZipEntry, zipEntries } from '../../lib/zip/index.js';

/** A jar lists at most this many entries: more is a hostile archive, not a Java library. */
const directoryLimits = { maxEntries: 200_000, maxDirectoryBytes: 64 * 1024 * 1024 };

/** One artifact found in an archive. */
export interface JavaArtifact {
  /** Maven groupId, when known. */
  groupId?: string;
  /** Maven artifactId (or the archive's name when only a manifest speaks). */
  artifactId: string;
  /** Version. */
  version: string;
  /** Path inside the outer archive, '!/'-separated, for nested or shaded artifacts. */
  inner?: string;
  /** Where the identity came from. */
  from: 'pom.properties' | 'manifest';
  /** Bundle-License or similar, from the manifest. */
  license?: string;
}

/** Limits for one top-level archive. */
export interface ArchiveLimits {
  /** Deepest nesting opened (the top-level archive is depth 0). */
  maxDepth: number;
  /** Total bytes inflated for nested archives and metadata files. */
  budget: { remaining: number };
}

const ARCHIVE = /\.(jar|war|ear|jpi|hpi|par|sar|rar|kar)$/i;
const POM_PROPERTIES = /^META-INF\/maven\/[^/]+\/[^/]+\/pom\.properties$/;
const MAX_METADATA = 1024 * 1024;
const FILE_VERSION = /^(.+?)[-_](\d[\w.+~-]*)$/;

/** Whether a file name is a Java archive. */
export function isJavaArchive(path: string): boolean {
  return ARCHIVE.test(path);
}

/** Parses a .properties file (key=value or key: value, # comments). */
export function parseProperties(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith('!')) continue;
    const match = /^([^=:\s]+)\s*[=:]\s*(.*)$/.exec(line);
    if (match?.[1]) out.set(match[1], match[2] ?? '');
  }
  return out;
}

/** Parses the main section of a MANIFEST.MF (72-byte lines continued with a leading space). */
export function parseManifest(text: string): Map<string, string> {
  const out = new Map<string, string>();
  let last: string | undefined;
  for (const raw of text.split('\n')) {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (line === '') break;
    if (line.startsWith(' ') && last) {
      out.set(last, `${out.get(last) ?? ''}${line.slice(1)}`);
      continue;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    last = line.slice(0, colon).trim();
    out.set(last, line.slice(colon + 1).trim());
  }
  return out;
}

function take(limits: ArchiveLimits, bytes: number): number {
  if (bytes > limits.budget.remaining) throw new Error('archive budget exhausted');
  limits.budget.remaining -= bytes;
  return bytes;
}

function fromManifest(manifest: Map<string, string>, name: string): JavaArtifact | undefined {
  const stem = basename(name).replace(ARCHIVE, '');
  const fileMatch = FILE_VERSION.exec(stem);
  const version = manifest.get('Implementation-Version') ?? manifest.get('Bundle-Version') ?? manifest.get('Specification-Version') ?? fileMatch?.[2];
  if (!version) return undefined;
  const groupId = manifest.get('Implementation-Vendor-Id');
  const license = manifest.get('Bundle-License');
  return {
    artifactId: fileMatch?.[1] ?? stem,
    version,
    from: 'manifest',
    ...(groupId ? { groupId } : {}),
    ...(license ? { license } : {}),
  };
}

/** Lists the artifacts of one archive and its nested archives; warnings collect what could not be read. */
export async function archiveArtifacts(
  reader: RandomReader,
  name: string,
  depth: number,
  limits: ArchiveLimits,
  warnings: string[],
): Promise<JavaArtifact[]> {
  const entries = await zipEntries(reader, directoryLimits);
  const inner = depth === 0 ? undefined : name;
  const artifacts: JavaArtifact[] = [];
  let manifest: Map<string, string> | undefined;
  for (const entry of entries) {
    if (POM_PROPERTIES.test(entry.name)) {
      const props = parseProperties((await readZipEntry(reader, entry, take(limits, Math.min(entry.size, MAX_METADATA)))).toString('utf8'));
      const artifactId = props.get('artifactId');
      const version = props.get('version');
      if (!artifactId || !version) continue;
      const groupId = props.get('groupId');
      artifacts.push({ artifactId, version, from: 'pom.properties', ...(groupId ? { groupId } : {}), ...(inner ? { inner } : {}) });
    } else if (entry.name === 'META-INF/MANIFEST.MF') {
      manifest = parseManifest((await readZipEntry(reader, entry, take(limits, Math.min(entry.size, MAX_METADATA)))).toString('utf8'));
    }
  }
  if (artifacts.length === 0 && manifest) {
    const artifact = fromManifest(manifest, name);
    if (artifact) artifacts.push(inner ? { ...artifact, inner } : artifact);
  }
  if (depth >= limits.maxDepth) return artifacts;
  for (const entry of entries) {
    if (entry.name.endsWith('/') || !isJavaArchive(entry.name)) continue;
    const path = inner ? `${inner}!/${entry.name}` : entry.name;
    try {
      const bytes = await readZipEntry(reader, entry, take(limits, entry.size));
      artifacts.push(...(await archiveArtifacts(bufferReader(bytes), path, depth + 1, limits, warnings)));
    } catch (err) {
      warnings.push(`${path}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  return artifacts;
}
